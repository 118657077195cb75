-- All groups, whatever their status, with their top-level group: for menus and filters.
SELECT g.group_id, g.name, g.kind, g.parent_id, g.status, g.chair_org,
       g.established_on, g.closed_on, r.root_id, r.root_name
FROM groups AS g LEFT JOIN group_roots() AS r USING (group_id)
ORDER BY g.group_id;
