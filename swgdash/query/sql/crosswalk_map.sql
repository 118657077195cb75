-- The crosswalk's rows from a pillar of the old plan ($from_plan) to a pillar of the new one
-- ($to_plan), with both pillars' names and the row's note.
SELECT DISTINCT m.from_pillar_id, f.name AS from_name, m.to_pillar_id, t.name AS to_name, m.note
FROM pillar_map AS m
JOIN pillars AS f ON f.pillar_id = m.from_pillar_id
JOIN pillars AS t ON t.pillar_id = m.to_pillar_id
WHERE plan_name(f.plan) = $from_plan::VARCHAR AND plan_name(t.plan) = $to_plan::VARCHAR
ORDER BY m.from_pillar_id, m.to_pillar_id;
