-- One group's meetings, all of them up to as_of.
SELECT meeting_id, date, format, level, participants, minutes_published, agenda_sent_on
FROM meetings WHERE group_id = $group_id AND date <= $as_of ORDER BY date DESC;
