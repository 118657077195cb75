-- Per pillar: counting groups aligned to it, and how many are functioning (not dormant).
WITH act AS (
    SELECT * FROM group_activity($as_of, $start_active, $start_dormant, $start_12)
    WHERE $groups::VARCHAR[] IS NULL OR list_contains($groups::VARCHAR[], group_id)
)
SELECT p.plan, p.pillar_id, p.name,
       count(act.group_id) AS groups,
       count(act.group_id) FILTER (WHERE act.activity <> 'dormant') AS functioning_groups,
       count(act.group_id) FILTER (WHERE act.activity = 'active') AS active_groups,
       count(act.group_id) FILTER (WHERE act.activity = 'at_risk') AS at_risk_groups,
       count(act.group_id) FILTER (WHERE act.activity = 'dormant') AS dormant_groups
FROM pillars AS p
LEFT JOIN (SELECT DISTINCT group_id, pillar_id FROM alignment) AS a USING (pillar_id)
LEFT JOIN act USING (group_id)
WHERE $plan::VARCHAR IS NULL OR plan_name(p.plan) = $plan::VARCHAR
GROUP BY ALL
ORDER BY p.pillar_id;
