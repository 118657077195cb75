-- Meetings one by one between two dates, for timelines.
SELECT m.meeting_id, m.group_id, g.name, m.date, m.format, m.level, m.participants,
       m.minutes_published, m.agenda_sent_on
FROM meetings AS m JOIN groups AS g USING (group_id)
WHERE m.date BETWEEN $start AND $as_of
  AND ($groups::VARCHAR[] IS NULL OR list_contains($groups::VARCHAR[], m.group_id))
ORDER BY m.date, m.group_id;
