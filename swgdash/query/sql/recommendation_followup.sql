-- Per recommendation: actions, by status, and overdue ones.
SELECT r.rec_id, r.title, r.source,
       count(a.action_id) AS actions,
       count(a.action_id) FILTER (WHERE a.status = 'done') AS done,
       count(a.action_id) FILTER (WHERE a.status = 'in_progress') AS in_progress,
       count(a.action_id) FILTER (WHERE a.status = 'not_started') AS not_started,
       count(a.action_id) FILTER (WHERE a.status = 'dropped') AS dropped,
       count(a.action_id) FILTER (WHERE is_overdue(a.due_on, a.status, $as_of)) AS overdue
FROM recommendations AS r
LEFT JOIN actions AS a
  ON a.rec_id = r.rec_id
 AND ($groups::VARCHAR[] IS NULL OR list_contains($groups::VARCHAR[], a.group_id))
 AND ($owners::VARCHAR[] IS NULL OR list_contains($owners::VARCHAR[], coalesce(a.owner, '')))
 AND ($statuses::VARCHAR[] IS NULL OR list_contains($statuses::VARCHAR[], a.status))
 AND ($action_groups::VARCHAR[] IS NULL OR list_contains($action_groups::VARCHAR[], coalesce(a.group_id, '')))
GROUP BY ALL
ORDER BY r.rec_id;
