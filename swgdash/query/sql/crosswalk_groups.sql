-- Every counting group with its pillars of the old plan ($from_plan), its pillars of the new plan
-- ($to_plan), and the new pillars pillar_map carries its old ones to (sorted lists; empty: none).
WITH act AS (
    SELECT * FROM group_activity($as_of, $start_active, $start_dormant, $start_12)
), aligned AS (
    SELECT DISTINCT a.group_id, a.pillar_id, plan_name(p.plan) AS plan
    FROM alignment AS a JOIN pillars AS p USING (pillar_id)
), carried AS (
    SELECT DISTINCT o.group_id, m.to_pillar_id AS pillar_id
    FROM aligned AS o
    JOIN pillar_map AS m ON m.from_pillar_id = o.pillar_id
    JOIN pillars AS t ON t.pillar_id = m.to_pillar_id
    WHERE o.plan = $from_plan::VARCHAR AND plan_name(t.plan) = $to_plan::VARCHAR
)
SELECT act.group_id, act.name, act.kind, act.activity, act.chair_org,
       coalesce((SELECT list_sort(list(pillar_id)) FROM aligned AS o
                 WHERE o.group_id = act.group_id AND o.plan = $from_plan::VARCHAR), []) AS old_pillars,
       coalesce((SELECT list_sort(list(pillar_id)) FROM aligned AS n
                 WHERE n.group_id = act.group_id AND n.plan = $to_plan::VARCHAR), []) AS new_pillars,
       coalesce((SELECT list_sort(list(pillar_id)) FROM carried AS c WHERE c.group_id = act.group_id), []) AS suggested
FROM act
ORDER BY act.group_id;
