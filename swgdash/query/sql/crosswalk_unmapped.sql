-- The pillars of the old plan ($from_plan) that pillar_map maps to no pillar of the new plan ($to_plan).
SELECT p.pillar_id, p.name
FROM pillars AS p
WHERE plan_name(p.plan) = $from_plan::VARCHAR
  AND NOT EXISTS (
    SELECT 1 FROM pillar_map AS m JOIN pillars AS t ON t.pillar_id = m.to_pillar_id
    WHERE m.from_pillar_id = p.pillar_id AND plan_name(t.plan) = $to_plan::VARCHAR)
ORDER BY p.pillar_id;
