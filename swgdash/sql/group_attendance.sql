-- One group's attendance in the 12-month window, per organisation.
SELECT a.organisation, count(*) AS meetings_recorded,
       count(*) FILTER (WHERE coalesce(a.present, true)) AS present,
       count(*) FILTER (WHERE coalesce(a.present, true)) / count(*) AS rate
FROM attendance AS a JOIN meetings AS m USING (meeting_id)
WHERE m.group_id = $group_id AND m.date BETWEEN $start_12 AND $as_of
GROUP BY a.organisation
ORDER BY rate DESC, a.organisation;
