-- What a group id names, in the extract's own words (never localised): judged between two
-- versions to tell a group renamed from an id reused for another group (swgdash.identity).
SELECT group_id, name AS name_en, parent_id
FROM groups
ORDER BY group_id;
