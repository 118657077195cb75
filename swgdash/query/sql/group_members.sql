-- Everyone who belongs or belonged to one group, with whether the membership covers as_of, named as
-- each counts at as_of (a merged ministry as its successor, with the name it had: formerly).
SELECT organisation, org_type, role, start_on, end_on,
       (start_on IS NULL OR start_on <= $as_of) AND (end_on IS NULL OR end_on >= $as_of) AS current,
       formerly, formerly_until
FROM members_named($as_of) WHERE group_id = $group_id
ORDER BY current DESC, role, organisation;
