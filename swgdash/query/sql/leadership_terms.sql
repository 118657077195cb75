-- Chair, co-chair and (vice) focal-point terms of counting groups, with whether a
-- successor is recorded: a later term in the same group and role starting after as_of.
WITH terms AS (
    SELECT m.*, g.name AS group_name, g.established_on
    FROM members_named($as_of) AS m JOIN counting_groups($as_of) AS g USING (group_id)
    WHERE is_leadership_role(m.role)
      AND ($groups::VARCHAR[] IS NULL OR list_contains($groups::VARCHAR[], m.group_id))
)
SELECT t.group_id, t.group_name, t.organisation, t.formerly, t.formerly_until, t.org_type, t.role, t.start_on, t.end_on,
       (coalesce(t.start_on, DATE '1900-01-01') <= $as_of AND coalesce(t.end_on, DATE '2999-12-31') >= $as_of) AS current,
       EXISTS (SELECT 1 FROM terms AS s
               WHERE s.group_id = t.group_id AND s.role = t.role
                 AND s.start_on > $as_of AND s.start_on > coalesce(t.start_on, DATE '1900-01-01')) AS successor_recorded
FROM terms AS t
ORDER BY t.group_name, t.role, t.start_on NULLS FIRST;
