-- Everyone who belongs or belonged to one group, with whether the membership covers as_of.
SELECT organisation, org_type, role, start_on, end_on,
       (start_on IS NULL OR start_on <= $as_of) AND (end_on IS NULL OR end_on >= $as_of) AS current
FROM members WHERE group_id = $group_id
ORDER BY current DESC, role, organisation;
