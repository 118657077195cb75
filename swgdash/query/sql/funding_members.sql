-- The members at $as_of of each counting group with sector codes (group_sectors), each with the
-- highest role it holds there (role_rank), its type, and whether that role is an active one.
SELECT m.group_id, m.organisation, any_value(m.org_type) AS org_type,
       arg_min(m.role, role_rank(m.role)) AS role, bool_or(is_active_role(m.role)) AS active
FROM memberships_at($as_of) AS m
JOIN counting_groups($as_of) AS g USING (group_id)
WHERE m.group_id IN (SELECT group_id FROM group_sectors)
GROUP BY m.group_id, m.organisation
ORDER BY m.group_id, m.organisation;
