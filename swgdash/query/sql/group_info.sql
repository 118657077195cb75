-- One group's own row, with its parent's name, and why it does not count at as_of (NULL: it counts);
-- its chair named as it counts at as_of (a merged ministry as its successor), the name written in
-- chair_formerly and the day of the change in chair_formerly_until.
SELECT g.* REPLACE (coalesce(cn.counts_as, g.chair_org) AS chair_org), p.name AS parent_name,
       not_counting_reason(g.status, g.established_on, g.closed_on, $as_of) AS not_counting,
       CASE WHEN cn.counts_as IS NOT NULL THEN g.chair_org END AS chair_formerly, cn.since AS chair_formerly_until
FROM groups AS g LEFT JOIN groups AS p ON p.group_id = g.parent_id
LEFT JOIN names_at($as_of) AS cn ON cn.organisation = g.chair_org
WHERE g.group_id = $group_id;
