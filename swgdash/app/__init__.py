"""The Streamlit layer: everything that needs Streamlit, split by job.

- context: the context of a page run (store, version, session cursor, parameters), the
  caches behind it (keyed on what a version holds), and running a page;
- state: the sidebar's controls and the address that keeps them;
- widgets: what pages draw with (header, chart, table, require, pick);
- publish: the secretariat's upload page (sign-in, validation report, preview, publish,
  history, rollback, templates);
- present: presentation mode and the briefing-pack downloads.

Pages (pages/*.py) import from here; nothing outside this package imports Streamlit.
"""
