"""/meetings — how often each group meets."""
import streamlit as st

from swgdash import fmt, site
from swgdash.app import widgets as ui
from swgdash.contract import word
from swgdash.i18n import _, ngettext
from swgdash.present import charts, sentences
from swgdash.query import metrics

c = ui.header("meetings")
opening = site.MEETINGS_OPEN  # the controls as the page opens (its figures are prepared with them)

f1, f2, f3 = st.columns([1, 1, 2])
unit = f1.segmented_control(_("Show by"), list(site.MEETING_UNITS), default=opening["unit"], key="mt_unit",
                            format_func=lambda u: word("unit", u).capitalize(), required=True)
months = f2.selectbox(_("Period"), list(site.MEETING_PERIODS), index=site.MEETING_PERIODS.index(opening["months"]),
                      key="mt_months",
                      format_func=lambda m: ngettext("last {n} year", "last {n} years", m // 12).format(n=m // 12))
formats = f3.pills(_("Format"), list(opening["formats"]), selection_mode="multi", default=list(opening["formats"]),
                   key="mt_formats", format_func=lambda f: word("format", f))
levels = st.pills(_("Level"), list(opening["levels"]), selection_mode="multi", default=list(opening["levels"]),
                  key="mt_levels", format_func=lambda v: word("level", v))
if not formats or not levels:
    st.info(_("Choose at least one format and one level to see meetings."))
    st.stop()

start = metrics.months_before(c.as_of, months)
by = c.q(metrics.meetings_by_period, unit=unit, months=months,
         formats=tuple(formats), levels=tuple(levels))
act = c.q(metrics.group_activity)
names = {g: c.names.get(g, g) for g in metrics.heatmap_rows(by, act, c.params.groups)}  # rows of the heatmap
total = int(by["meetings"].sum())
ui.chart(c, charts.heatmap(by, names, unit, metrics.period_start(c.as_of, months, unit), c.as_of),
         _("{total} meetings of the {names} counting groups from {as_of:%d %B %Y} (the first "
           "whole {unit}) to {as_of2:%d %B %Y} ({nunique} of them met); each row is a group, "
           "each column a {unit}, darker means more meetings; a blank row held no meeting in "
           "the period.").format(total=total, names=len(names), as_of=metrics.period_start(c.as_of, months, unit), unit=word("unit", unit), as_of2=c.as_of, nunique=by['group_id'].nunique())
         + sentences.partial_period(c.as_of, unit))
if sentence := sentences.not_counted_sentence(c.q(metrics.not_counted, months=months), months):
    st.info(fmt.md(sentence), icon=":material/rule:")

st.header(_("Upcoming meetings"))
ui.upcoming(c, c.q(metrics.upcoming))

st.header(_("Meetings per quarter over time"))
by_q = c.q(metrics.meetings_by_period, unit="quarter", months=months,
           formats=tuple(formats), levels=tuple(levels))
drill = bool(c.swg) and c.params.groups is not None and len(c.params.groups) > 1
key = "group_id" if drill else "root_id"
cells = (_("each cell counts the meetings in a quarter, blank for none") if by_q[key].nunique() <= charts.COUNTED_ROWS
         else _("darker cells hold more meetings (point at a cell for its count), blank for none"))
if drill:
    title = _("Meetings per quarter: {swg} and its sub-groups").format(swg=c.names.get(c.swg, c.swg))
    facet_names = names
    caption = _("One row per group of the selected SWG; {cells}.").format(cells=cells)
else:
    title = _("Meetings per quarter in each sector working group (sub-groups included)")
    facet_names = c.names
    caption = (_("One row per SWG, its sub-groups' meetings rolled in; {cells}. Pick one SWG "
                 "in the sidebar to see its sub-groups.").format(cells=cells))
ui.chart(c, charts.per_quarter(by_q, facet_names, key, metrics.period_start(c.as_of, months, "quarter"),
                            c.as_of, title), caption + sentences.partial_period(c.as_of, "quarter"))

st.header(_("Planned against actual"))
pva = metrics.planned_vs_actual(act)
behind = int((pva["shortfall"] > 0).sum())
ui.chart(c, charts.planned_vs_actual(pva),
         _("{behind} of {pva} counting groups with a planned frequency met less often than "
           "planned in the last 12 months (meetings of every format and level); the grey line "
           "is the gap.").format(behind=behind, pva=len(pva)))
ui.table(c, pva, _("planned vs actual meetings"), fmt.headings("name", "activity", "planned", "actual", "shortfall"))

with st.expander(_("All meetings from {start:%d %B %Y} to {as_of:%d %B %Y}").format(start=start, as_of=c.as_of)):
    ml = c.q(metrics.meeting_list, months=months, formats=tuple(formats), levels=tuple(levels))
    ui.table(c, ml, _("meetings"), fmt.headings("date", "name", "format", "level", "participants", "minutes_published",
                                                "agenda_sent_on"))
