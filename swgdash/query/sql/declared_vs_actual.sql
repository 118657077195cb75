-- Declared role against actual attendance: every development partner's membership
-- covering as_of, with how often it was present at the group's meetings in 12 months.
WITH mem AS (
    SELECT m.group_id, m.organisation,
           arg_min(m.role, role_rank(m.role)) AS role,  -- its highest role (contract.ROLE_RANK)
           max(m.formerly) AS formerly, max(m.formerly_until) AS formerly_until
    FROM memberships_at($as_of) AS m
    JOIN counting_groups($as_of) USING (group_id)
    WHERE m.org_type = 'development_partner'
      AND ($groups::VARCHAR[] IS NULL OR list_contains($groups::VARCHAR[], m.group_id))
    GROUP BY ALL
), held AS (
    -- meetings in the window whose attendance was recorded (a meeting with no
    -- attendance rows says nothing about who came)
    -- (each attendance row carries its meeting's group and date: see swgdash.db)
    SELECT group_id, count(DISTINCT meeting_id) AS meetings_12m
    FROM attendance
    WHERE date BETWEEN $start_12 AND $as_of
    GROUP BY group_id
), present AS (
    SELECT a.group_id, a.organisation, count(*) FILTER (WHERE coalesce(a.present, true)) AS present_12m
    FROM attendance_named($as_of) AS a
    WHERE a.date BETWEEN $start_12 AND $as_of
    GROUP BY ALL
)
SELECT mem.group_id, g.name AS group_name, mem.organisation, mem.formerly, mem.formerly_until, mem.role,
       coalesce(held.meetings_12m, 0) AS meetings_12m,
       coalesce(present.present_12m, 0) AS present_12m,
       CASE WHEN held.meetings_12m > 0 THEN coalesce(present.present_12m, 0) / held.meetings_12m END AS presence_12m
FROM mem
JOIN groups AS g USING (group_id)
LEFT JOIN held USING (group_id)
LEFT JOIN present USING (group_id, organisation)
ORDER BY g.name, mem.organisation;
