-- The carry-over from one plan ($from_plan) to another ($to_plan), per pillar of the new plan:
-- the counting groups aligned to it directly; those carried (aligned to a pillar of the old plan
-- that pillar_map maps to it, and not directly to it); and how many of each are functioning
-- (not dormant). Group ids are sorted lists.
WITH act AS (
    SELECT group_id, activity FROM group_activity($as_of, $start_active, $start_dormant, $start_12)
), new AS (
    SELECT pillar_id, name FROM pillars WHERE plan_name(plan) = $to_plan::VARCHAR
), old AS (
    SELECT pillar_id FROM pillars WHERE plan_name(plan) = $from_plan::VARCHAR
), direct AS (
    SELECT DISTINCT a.pillar_id, a.group_id FROM alignment AS a SEMI JOIN new USING (pillar_id)
), carried AS (
    SELECT DISTINCT m.to_pillar_id AS pillar_id, a.group_id
    FROM pillar_map AS m
    JOIN alignment AS a ON a.pillar_id = m.from_pillar_id
    WHERE m.from_pillar_id IN (SELECT pillar_id FROM old) AND m.to_pillar_id IN (SELECT pillar_id FROM new)
), links AS (
    SELECT pillar_id, group_id, true AS is_direct FROM direct
    UNION ALL
    SELECT pillar_id, group_id, false FROM carried ANTI JOIN direct USING (pillar_id, group_id)
)
SELECT new.pillar_id, new.name,
       coalesce(list_sort(list(l.group_id) FILTER (WHERE l.is_direct)), []) AS direct,
       coalesce(list_sort(list(l.group_id) FILTER (WHERE NOT l.is_direct)), []) AS carried,
       count(l.group_id) FILTER (WHERE l.is_direct AND l.activity <> 'dormant') AS functioning_direct,
       count(l.group_id) FILTER (WHERE l.activity <> 'dormant') AS functioning
FROM new
LEFT JOIN (SELECT links.*, act.activity FROM links JOIN act USING (group_id)) AS l USING (pillar_id)
GROUP BY ALL
ORDER BY new.pillar_id;
