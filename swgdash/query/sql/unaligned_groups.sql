-- Counting groups aligned to no pillar of the plan.
SELECT act.group_id, act.name, act.kind, act.activity, act.chair_org
FROM group_activity($as_of, $start_active, $start_dormant, $start_12) AS act
WHERE ($groups::VARCHAR[] IS NULL OR list_contains($groups::VARCHAR[], act.group_id))
  AND NOT EXISTS (
    SELECT 1 FROM alignment AS a JOIN pillars AS p USING (pillar_id)
    WHERE a.group_id = act.group_id
      AND ($plan::VARCHAR IS NULL OR plan_name(p.plan) = $plan::VARCHAR))
ORDER BY act.group_id;
