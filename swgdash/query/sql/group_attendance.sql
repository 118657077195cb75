-- One group's attendance in the 12-month window, per organisation.
SELECT a.organisation, count(*) AS meetings_recorded,
       count(*) FILTER (WHERE coalesce(a.present, true)) AS present,
       count(*) FILTER (WHERE coalesce(a.present, true)) / count(*) AS rate
FROM attendance_named($as_of) AS a  -- each row carries its meeting's group and date (see swgdash.db)
WHERE a.group_id = $group_id AND a.date BETWEEN $start_12 AND $as_of
GROUP BY a.organisation
ORDER BY rate DESC, a.organisation;
