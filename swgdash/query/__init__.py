"""Stage 3, asking questions of a version: its read-only DuckDB query database and the named,
parameterised SQL (db, sql/), every figure as a function of a cursor (metrics), what changed
between versions (history, identity) and between an upload and the current version (diff)."""
