-- The pillars one group is aligned to, in every plan.
SELECT plan_name(p.plan) AS plan, p.pillar_id, p.name, bool_or(coalesce(a."primary", false)) AS "primary"
FROM alignment AS a JOIN pillars AS p USING (pillar_id)
WHERE a.group_id = $group_id
GROUP BY ALL ORDER BY plan, p.pillar_id;
