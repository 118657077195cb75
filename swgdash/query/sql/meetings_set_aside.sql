-- Every meeting set aside as a data problem, with its group and the reason.
SELECT s.meeting_id, s.group_id, g.name, s.date, s.reason
FROM meetings_set_aside AS s JOIN groups AS g USING (group_id)
WHERE $groups::VARCHAR[] IS NULL OR list_contains($groups::VARCHAR[], s.group_id)
ORDER BY s.date, s.group_id;
