-- Counting groups against the pillars of one plan, with each group's activity.
SELECT act.group_id, act.name AS group_name, act.activity, p.pillar_id, p.name AS pillar_name,
       bool_or(coalesce(a."primary", false)) AS "primary"
FROM group_activity($as_of, $start_active, $start_dormant, $start_12) AS act
JOIN alignment AS a USING (group_id)
JOIN pillars AS p USING (pillar_id)
WHERE ($plan::VARCHAR IS NULL OR plan_name(p.plan) = $plan::VARCHAR)
  AND ($groups::VARCHAR[] IS NULL OR list_contains($groups::VARCHAR[], act.group_id))
GROUP BY ALL
ORDER BY act.group_id, p.pillar_id;
