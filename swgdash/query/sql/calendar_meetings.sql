-- The calendar people subscribe to (swgdash.ical): every planned meeting (scheduled,
-- cancelled, postponed) from $start on, and the meetings held from $start on (a meeting
-- scheduled and then recorded as held, under its id, stays in the calendars, also one held
-- between the as-of date and the upload day).
-- Every group, counting or not: a meeting planned is news whatever the group's figures say.
SELECT m.meeting_id, m.group_id, g.name AS group_name, m.date, m.status, m.format, m.level
FROM (SELECT meeting_id, group_id, date, status, format, level FROM meetings_planned WHERE date >= $start
      UNION ALL
      SELECT meeting_id, group_id, date, 'held' AS status, format, level FROM meetings
      WHERE date >= $start) AS m
JOIN groups AS g USING (group_id)
WHERE $groups::VARCHAR[] IS NULL OR list_contains($groups::VARCHAR[], m.group_id)
ORDER BY m.date, m.group_id, m.meeting_id;
