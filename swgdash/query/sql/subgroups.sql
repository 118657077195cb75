-- The groups directly under one group, whatever their status.
SELECT group_id, name, kind, status, established_on, closed_on FROM groups
WHERE parent_id = $group_id ORDER BY name;
