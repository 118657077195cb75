-- The counting groups at $as_of that have sector codes (group_sectors): name, kind and their codes.
SELECT g.group_id, g.name, g.kind, list(DISTINCT gs.dac_code ORDER BY gs.dac_code) AS codes
FROM counting_groups($as_of) AS g JOIN group_sectors AS gs USING (group_id)
GROUP BY ALL ORDER BY g.group_id;
