-- Meetings of the counting groups in the 12-month window and in the 12 months before it.
SELECT count(*) FILTER (WHERE date BETWEEN $start_12 AND $as_of) AS last_12m,
       count(*) FILTER (WHERE date >= $start_24 AND date < $start_12) AS previous_12m
FROM counted_meetings($as_of)
WHERE $groups::VARCHAR[] IS NULL OR list_contains($groups::VARCHAR[], group_id);
