"""Stage 1, reading and checking an extract: files, folders, zips and uploads read into typed
tables (extract), every value checked against the contract (validate), problems named by table,
row and column (problems), and the data-quality warnings that do not refuse an extract (quality)."""
