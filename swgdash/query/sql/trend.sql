-- The trend: at each of a series of as-of dates, the groups counting then, how many of them were
-- active, at risk and dormant, and their meetings in the 12 months before. A group counts at D as
-- on every page (the macro counts_at). Activity at D uses the same windows as every page, ending
-- at D, over meetings dated up to D (window starts computed in Python,
-- swgdash.query.metrics.months_before, one per point).
WITH points AS (
    SELECT unnest($points::DATE[]) AS as_of, unnest($starts_active::DATE[]) AS start_active,
           unnest($starts_dormant::DATE[]) AS start_dormant, unnest($starts_12::DATE[]) AS start_12
),
counting AS (
    SELECT p.as_of, g.group_id
    FROM points AS p JOIN groups AS g
      ON counts_at(g.status, g.established_on, g.closed_on, p.as_of)
    WHERE $groups::VARCHAR[] IS NULL OR list_contains($groups::VARCHAR[], g.group_id)
),
met AS (  -- each group's last meeting within the longer window, and its meetings in 12 months
    SELECT p.as_of, m.group_id, max(m.date) AS last_meeting,
           count(*) FILTER (WHERE m.date >= p.start_12) AS meetings_12m
    FROM points AS p JOIN meetings AS m
      ON m.date <= p.as_of AND m.date >= least(p.start_dormant, p.start_12)
    GROUP BY p.as_of, m.group_id
)
SELECT p.as_of,
       count(c.group_id) AS counting,
       count(c.group_id) FILTER (WHERE m.last_meeting >= p.start_active) AS active,
       count(c.group_id) FILTER (WHERE m.last_meeting < p.start_active AND m.last_meeting >= p.start_dormant) AS at_risk,
       count(c.group_id) FILTER (WHERE m.last_meeting IS NULL OR m.last_meeting < p.start_dormant) AS dormant,
       coalesce(sum(m.meetings_12m), 0)::BIGINT AS meetings_12m
FROM points AS p
LEFT JOIN counting AS c USING (as_of)
LEFT JOIN met AS m ON m.as_of = c.as_of AND m.group_id = c.group_id
GROUP BY p.as_of, p.start_active, p.start_dormant
ORDER BY p.as_of;
