-- Meetings between two dates that no figure counts, per group and reason: those of groups
-- that do not count at as_of (not_counting_reason: their status, established later, closed),
-- and those set aside as data problems (before the group was established, after it closed,
-- after the upload day).
WITH apart AS (
    SELECT m.group_id, m.date, not_counting_reason(g.status, g.established_on, g.closed_on, $as_of) AS reason
    FROM meetings AS m JOIN groups AS g USING (group_id)
    WHERE NOT counts_at(g.status, g.established_on, g.closed_on, $as_of)
    UNION ALL
    SELECT group_id, date, reason FROM meetings_set_aside
)
SELECT a.group_id, g.name, a.reason, count(*) AS meetings, min(a.date) AS first_date, max(a.date) AS last_date
FROM apart AS a JOIN groups AS g USING (group_id)
WHERE a.date BETWEEN $start AND $as_of
  AND ($groups::VARCHAR[] IS NULL OR list_contains($groups::VARCHAR[], a.group_id))
GROUP BY ALL
ORDER BY g.name, a.reason;
