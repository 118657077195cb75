-- Per development-partner organisation: counting groups where it holds an active
-- role, chair roles (co_chair or focal_point), attendance rate in 12 months.
WITH cg AS (
    SELECT group_id FROM counting_groups($as_of)
    WHERE $groups::VARCHAR[] IS NULL OR list_contains($groups::VARCHAR[], group_id)
), dp AS (
    SELECT DISTINCT organisation FROM members_named($as_of) WHERE org_type = 'development_partner'
), roles AS (
    SELECT m.organisation,
           count(DISTINCT m.group_id) FILTER (WHERE is_active_role(m.role)) AS active_groups,
           count(DISTINCT m.group_id) FILTER (WHERE is_partner_chair_role(m.role)) AS chair_roles
    FROM memberships_at($as_of) AS m JOIN cg USING (group_id)
    GROUP BY m.organisation
), att AS (
    SELECT a.organisation,
           count(*) FILTER (WHERE coalesce(a.present, true)) AS present,
           count(*) AS rows
    FROM attendance_named($as_of) AS a  -- each row carries its meeting's group and date (see swgdash.db)
    WHERE a.date BETWEEN $start_12 AND $as_of
      AND ($groups::VARCHAR[] IS NULL OR list_contains($groups::VARCHAR[], a.group_id))
    GROUP BY a.organisation
)
SELECT dp.organisation,
       coalesce(roles.active_groups, 0) AS active_groups,
       coalesce(roles.chair_roles, 0) AS chair_roles,
       CASE WHEN att.rows > 0 THEN att.present / att.rows END AS attendance_rate_12m,
       coalesce(att.rows, 0) AS attendance_rows_12m
FROM dp LEFT JOIN roles USING (organisation) LEFT JOIN att USING (organisation)
ORDER BY dp.organisation;
