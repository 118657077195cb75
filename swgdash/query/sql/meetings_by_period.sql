-- Meetings of the counting groups per group and period (month or quarter) between two dates,
-- by format and level, with the group's top-level group (names come from the group list).
SELECT m.group_id, r.root_id,
       CAST(date_trunc($unit, m.date) AS DATE) AS period,
       count(*) AS meetings
FROM counted_meetings($as_of) AS m
LEFT JOIN group_roots() AS r USING (group_id)
WHERE m.date BETWEEN $start AND $as_of
  AND ($groups::VARCHAR[] IS NULL OR list_contains($groups::VARCHAR[], m.group_id))
  AND ($formats::VARCHAR[] IS NULL OR list_contains($formats::VARCHAR[], meeting_format(m.format)))
  AND ($levels::VARCHAR[] IS NULL OR list_contains($levels::VARCHAR[], level_recorded(m.level)))
GROUP BY ALL
ORDER BY m.group_id, period;
