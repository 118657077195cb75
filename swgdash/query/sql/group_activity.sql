-- Every counting group with its activity, last meeting and meetings in the 12-month window.
SELECT a.*, p.name AS parent_name, r.root_id, r.root_name
FROM group_activity($as_of, $start_active, $start_dormant, $start_12) AS a
LEFT JOIN groups AS p ON p.group_id = a.parent_id
LEFT JOIN group_roots() AS r ON r.group_id = a.group_id
WHERE $groups::VARCHAR[] IS NULL OR list_contains($groups::VARCHAR[], a.group_id)
ORDER BY a.group_id;
