-- Each plan's period as the pillars give it (plan_start and plan_end; empty when not given).
SELECT plan_name(plan) AS plan, min(plan_start) AS plan_start, max(plan_end) AS plan_end
FROM pillars
GROUP BY ALL ORDER BY plan;
