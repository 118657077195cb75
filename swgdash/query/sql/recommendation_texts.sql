-- The recommendations with their source and full text.
SELECT rec_id, title, source, text FROM recommendations ORDER BY rec_id;
