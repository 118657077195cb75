"""/meetings — how often each group meets."""
import streamlit as st

from swgdash import charts, fmt, metrics
from swgdash.contract import LEVEL_NOT_RECORDED, MEETING_FORMATS, MEETING_LEVELS, word
from swgdash.app import widgets as ui

c = ui.header("meetings")

f1, f2, f3 = st.columns([1, 1, 2])
unit = f1.segmented_control("Show by", ["month", "quarter"], default="quarter", key="mt_unit",
                            format_func=str.capitalize, required=True)
months = f2.selectbox("Period", [12, 24, 36, 60, 96], index=2, key="mt_months",
                      format_func=lambda m: f"last {m // 12} year{'s' if m > 12 else ''}")
formats = f3.pills("Format", list(MEETING_FORMATS), selection_mode="multi", default=list(MEETING_FORMATS),
                   key="mt_formats", format_func=lambda f: word("format", f))
levels_all = [*MEETING_LEVELS, LEVEL_NOT_RECORDED]
levels = st.pills("Level", levels_all, selection_mode="multi", default=levels_all, key="mt_levels",
                  format_func=lambda v: word("level", v))
if not formats or not levels:
    st.info("Choose at least one format and one level to see meetings.")
    st.stop()

start = metrics.months_before(c.as_of, months)
by = c.q(metrics.meetings_by_period, unit=unit, months=months,
         formats=tuple(formats), levels=tuple(levels))
act = c.q(metrics.group_activity)
names = {g: c.names.get(g, g) for g in metrics.heatmap_rows(by, act, c.params.groups)}  # rows of the heatmap
total = int(by["meetings"].sum())
ui.chart(c, charts.heatmap(by, names, unit, metrics.period_start(c.as_of, months, unit), c.as_of),
         f"{total} meetings of the {len(names)} counting groups from {metrics.period_start(c.as_of, months, unit):%d %B %Y} "
         f"(the first whole {unit}) to {c.as_of:%d %B %Y} ({by['group_id'].nunique()} of them met); each row is a "
         f"group, each column a {unit}, darker means more meetings; a blank row held no meeting in the period."
         + metrics.partial_period(c.as_of, unit))
if sentence := metrics.not_counted_sentence(c.q(metrics.not_counted, months=months), months):
    st.info(fmt.md(sentence), icon=":material/rule:")

st.subheader("Meetings per quarter over time")
by_q = c.q(metrics.meetings_by_period, unit="quarter", months=months,
           formats=tuple(formats), levels=tuple(levels))
drill = bool(c.swg) and c.params.groups is not None and len(c.params.groups) > 1
key = "group_id" if drill else "root_id"
cells = ("each cell counts the meetings in a quarter, blank for none" if by_q[key].nunique() <= charts.COUNTED_ROWS
         else "darker cells hold more meetings (point at a cell for its count), blank for none")
if drill:
    title = f"Meetings per quarter: {c.names.get(c.swg, c.swg)} and its sub-groups"
    facet_names = names
    caption = f"One row per group of the selected SWG; {cells}."
else:
    title = "Meetings per quarter in each sector working group (sub-groups included)"
    facet_names = c.names
    caption = (f"One row per SWG, its sub-groups' meetings rolled in; {cells}. "
               "Pick one SWG in the sidebar to see its sub-groups.")
ui.chart(c, charts.per_quarter(by_q, facet_names, key, metrics.period_start(c.as_of, months, "quarter"),
                            c.as_of, title), caption + metrics.partial_period(c.as_of, "quarter"))

st.subheader("Planned against actual")
pva = metrics.planned_vs_actual(act)
behind = int((pva["shortfall"] > 0).sum())
ui.chart(c, charts.planned_vs_actual(pva),
         f"{behind} of {len(pva)} counting groups with a planned frequency met less often than planned "
         "in the last 12 months (meetings of every format and level); the grey line is the gap.")
ui.table(c, pva, "planned vs actual meetings",
         {"name": "Group", "activity": "Activity", "planned": "Planned a year", "actual": "Held in 12 months",
          "shortfall": "Shortfall"})

with st.expander(f"All meetings from {start:%d %B %Y} to {c.as_of:%d %B %Y}"):
    ml = c.q(metrics.meeting_list, months=months, formats=tuple(formats), levels=tuple(levels))
    ui.table(c, ml, "meetings", {"date": "Date", "name": "Group", "format": "Format", "level": "Level",
                              "participants": "Participants", "minutes_published": "Minutes published",
                              "agenda_sent_on": "Agenda sent"})
