-- One group's own row, with its parent's name, and why it does not count at as_of (NULL: it counts).
SELECT g.*, p.name AS parent_name,
       not_counting_reason(g.status, g.established_on, g.closed_on, $as_of) AS not_counting
FROM groups AS g LEFT JOIN groups AS p ON p.group_id = g.parent_id
WHERE g.group_id = $group_id;
