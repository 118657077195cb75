-- Good practice per counting group: active development partners, documents,
-- minutes, agendas, formats, chairing level, planned vs actual meetings.
WITH act AS (
    SELECT * FROM group_activity($as_of, $start_active, $start_dormant, $start_12)
    WHERE $groups::VARCHAR[] IS NULL OR list_contains($groups::VARCHAR[], group_id)
), dps AS (
    SELECT group_id, count(DISTINCT organisation) AS active_dps
    FROM memberships_at($as_of)
    WHERE org_type = 'development_partner' AND is_active_role(role)
    GROUP BY group_id
), docs AS (
    SELECT group_id,
           bool_or(doc_type = 'tor') AS has_tor,
           bool_or(doc_type = 'workplan' AND year = year($as_of)) AS workplan_current,
           bool_or(doc_type = 'annual_report' AND year = year($as_of) - 1) AS annual_report_previous
    FROM documents GROUP BY group_id
), m12 AS (
    SELECT group_id,
           count(*) FILTER (WHERE minutes_published) AS minutes_published,
           count(minutes_published) AS minutes_known,
           count(*) FILTER (WHERE date_diff('day', agenda_sent_on, date) >= 7) AS agenda_7d,
           count(agenda_sent_on) AS agenda_known,
           count(*) FILTER (WHERE meeting_format(format) = 'joint') AS joint,
           count(*) FILTER (WHERE format = 'donors_only') AS donors_only,
           max(CASE level WHEN 'minister' THEN 4 WHEN 'vice_minister' THEN 3
                          WHEN 'director_general' THEN 2 WHEN 'technical' THEN 1 END) AS level_rank
    FROM meetings WHERE date BETWEEN $start_12 AND $as_of GROUP BY group_id
), off AS (
    -- meetings called off (cancelled or postponed) in the same 12 months
    SELECT group_id, count(*) AS called_off
    FROM meetings_planned
    WHERE status IN ('cancelled', 'postponed') AND date BETWEEN $start_12 AND $as_of
    GROUP BY group_id
)
SELECT act.group_id, act.name, act.kind, act.parent_id, act.chair_org, act.activity,
       act.last_meeting, act.meetings_12m, act.planned_meetings_per_year,
       coalesce(dps.active_dps, 0) AS active_dps,
       coalesce(docs.has_tor, false) AS has_tor,
       coalesce(docs.workplan_current, false) AS workplan_current,
       coalesce(docs.annual_report_previous, false) AS annual_report_previous,
       CASE WHEN m12.minutes_known > 0 THEN m12.minutes_published / m12.minutes_known END AS minutes_share_12m,
       CASE WHEN act.planned_meetings_per_year > 0
            THEN act.meetings_12m / act.planned_meetings_per_year END AS planned_ratio,
       CASE WHEN m12.agenda_known > 0 THEN m12.agenda_7d / m12.agenda_known END AS agenda_7d_share_12m,
       coalesce(m12.joint, 0) AS joint_12m, coalesce(m12.donors_only, 0) AS donors_only_12m,
       CASE m12.level_rank WHEN 4 THEN 'minister' WHEN 3 THEN 'vice_minister'
                           WHEN 2 THEN 'director_general' WHEN 1 THEN 'technical' END AS highest_level_12m,
       act.next_meeting,
       coalesce(off.called_off, 0) AS called_off_12m,
       CASE WHEN act.meetings_12m + coalesce(off.called_off, 0) > 0
            THEN coalesce(off.called_off, 0) / (act.meetings_12m + coalesce(off.called_off, 0)) END AS called_off_share_12m
FROM act
LEFT JOIN dps USING (group_id)
LEFT JOIN docs USING (group_id)
LEFT JOIN m12 USING (group_id)
LEFT JOIN off USING (group_id)
ORDER BY act.group_id;
