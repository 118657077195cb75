-- The span of the meeting records: the first and the last meeting's date (NULL when none).
SELECT min(date) AS first_meeting, max(date) AS last_meeting FROM meetings;
