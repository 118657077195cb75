-- Each development partner's highest role in each counting group, covering as_of.
WITH ranked AS (
    SELECT m.group_id, m.organisation, m.role,
           row_number() OVER (PARTITION BY m.group_id, m.organisation ORDER BY
               CASE m.role WHEN 'chair' THEN 1 WHEN 'co_chair' THEN 2 WHEN 'focal_point' THEN 3
                           WHEN 'vice_focal_point' THEN 4 WHEN 'active' THEN 5 WHEN 'attending' THEN 6
                           WHEN 'informed' THEN 7 ELSE 8 END) AS k
    FROM memberships_at($as_of) AS m
    JOIN counting_groups($as_of) AS g USING (group_id)
    WHERE m.org_type = 'development_partner'
      AND ($groups::VARCHAR[] IS NULL OR list_contains($groups::VARCHAR[], m.group_id))
)
SELECT r.group_id, g.name AS group_name, r.organisation, r.role
FROM ranked AS r JOIN groups AS g USING (group_id)
WHERE r.k = 1
ORDER BY g.name, r.organisation;
