-- Meetings of the counting groups planned from as_of to $until (both included): scheduled,
-- cancelled or postponed (the status says which), in date order.
SELECT p.date, p.group_id, g.name, p.status, p.format, p.level, p.meeting_id
FROM meetings_planned AS p
JOIN counting_groups($as_of) AS g USING (group_id)
WHERE p.date BETWEEN $as_of AND $until
  AND ($groups::VARCHAR[] IS NULL OR list_contains($groups::VARCHAR[], p.group_id))
ORDER BY p.date, g.name, p.meeting_id;
