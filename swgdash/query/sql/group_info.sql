-- One group's own row, with its parent's name.
SELECT g.*, p.name AS parent_name FROM groups AS g LEFT JOIN groups AS p ON p.group_id = g.parent_id
WHERE g.group_id = $group_id;
