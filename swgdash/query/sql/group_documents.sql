-- One group's documents, newest first.
SELECT doc_type, year, issued_on, title, url FROM documents
WHERE group_id = $group_id ORDER BY year DESC, issued_on DESC NULLS LAST, doc_type;
