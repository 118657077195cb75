-- Every group's names as the extract writes them (English and Lao), with the name to show:
-- what a rename between two versions is judged on (swgdash.history).
SELECT group_id, name, name AS name_en, name_lo
FROM groups
ORDER BY group_id;
