-- What an action id names, in the extract's own words (never localised): judged between two
-- versions to tell an action updated from an id reused for another action (swgdash.identity).
SELECT action_id, rec_id, description AS description_en
FROM actions
ORDER BY action_id;
