-- Meetings of the counting groups one by one between two dates, for timelines.
SELECT m.meeting_id, m.group_id, g.name, m.date, m.format, m.level, m.participants,
       m.minutes_published, m.agenda_sent_on
FROM counted_meetings($as_of) AS m JOIN groups AS g USING (group_id)
WHERE m.date BETWEEN $start AND $as_of
  AND ($groups::VARCHAR[] IS NULL OR list_contains($groups::VARCHAR[], m.group_id))
  AND ($formats::VARCHAR[] IS NULL OR list_contains($formats::VARCHAR[], meeting_format(m.format)))
  AND ($levels::VARCHAR[] IS NULL OR list_contains($levels::VARCHAR[], level_recorded(m.level)))
ORDER BY m.date, m.group_id;
