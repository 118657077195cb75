"""Stage 4, showing the figures: Plotly charts (charts), the retreat's slides and pack (slides,
deck), the Excel template and workbook (excel) and the meetings calendar (ical)."""
