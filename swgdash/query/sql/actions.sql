-- Follow-up actions with their recommendation, group and whether they are overdue.
SELECT a.action_id, a.rec_id, r.title AS recommendation, a.group_id, g.name AS group_name,
       a.description, a.owner, a.due_on, a.status, a.updated_on,
       is_overdue(a.due_on, a.status, $as_of) AS overdue,
       CASE WHEN is_overdue(a.due_on, a.status, $as_of) THEN date_diff('day', a.due_on, $as_of) END AS days_overdue
FROM actions AS a
JOIN recommendations AS r USING (rec_id)
LEFT JOIN groups AS g ON g.group_id = a.group_id
WHERE ($groups::VARCHAR[] IS NULL OR list_contains($groups::VARCHAR[], a.group_id))
  AND ($owners::VARCHAR[] IS NULL OR list_contains($owners::VARCHAR[], coalesce(a.owner, '')))
  AND ($statuses::VARCHAR[] IS NULL OR list_contains($statuses::VARCHAR[], a.status))
  AND ($action_groups::VARCHAR[] IS NULL OR list_contains($action_groups::VARCHAR[], coalesce(a.group_id, '')))
ORDER BY a.rec_id, a.action_id;
