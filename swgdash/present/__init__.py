"""Stage 4, showing the figures: the charts (theme: their look; fitting: their size and labels;
charts: one function per figure; alt: each one's text alternative), the retreat's slides and pack
(slides, deck), the Excel template and workbook (excel) and the meetings calendar (ical)."""
