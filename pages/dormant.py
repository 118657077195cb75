"""/dormant — every counting group classified active, at risk or dormant."""
import streamlit as st

from swgdash import fmt, site
from swgdash.app import widgets as ui
from swgdash.contract import ACTIVITIES, word
from swgdash.i18n import _, ngettext
from swgdash.present import charts
from swgdash.query import metrics

c = ui.header("dormant")
act = c.q(metrics.group_activity)
counts = metrics.activity_counts(act)
cols = st.columns(3)
for col, key in zip(cols, ACTIVITIES, strict=True):
    col.metric(word("activity", key), ui.shown(counts[key]), border=True)

at_risk_days = metrics.window_days(c.as_of, c.params.at_risk_months)
dormant_days = metrics.window_days(c.as_of, c.params.dormant_months)
ui.chart(c, charts.days_since_last(act, c.as_of, at_risk_days, dormant_days),
         _("{dormant} of {act} counting groups have not met in {dormant_months} (right of the "
           "{dormant_days}-day line); the longest silences are at the top.").format(dormant=counts['dormant'], act=len(act), dormant_months=fmt.months_label(c.params.dormant_months), dormant_days=dormant_days))

ask = metrics.to_ask_about(act)
st.header(_("To ask about: at risk or dormant, with no meeting scheduled"))
if ask.empty:
    st.caption(_("Every group at risk or dormant has its next meeting scheduled."))
else:
    st.caption(ngettext("{n} of the {m} groups at risk or dormant has no meeting scheduled on or after "
                        "{as_of:%d %B %Y}: the ones to ask about.",
                        "{n} of the {m} groups at risk or dormant have no meeting scheduled on or after "
                        "{as_of:%d %B %Y}: the ones to ask about.", len(ask)).format(
        n=len(ask), m=counts["at_risk"] + counts["dormant"], as_of=c.as_of))
    h = fmt.headings("name", "activity", "last_meeting", "chair_org", "group_id")
    ui.table(c, ask.sort_values("days_since_last", ascending=False, na_position="first"), _("groups to ask about"), h,
             column_config={h["last_meeting"]: ui.day_column(h["last_meeting"], _("'—': never met"))}, key="ask_about")

st.header(_("Every counting group"))
table = act.assign(parent=act["parent_name"].fillna("—")).sort_values(
    ["activity", "days_since_last"], ascending=[False, False], na_position="first")
h = fmt.headings("name", "activity", "last_meeting", "days_since_last", "next_meeting", "meetings_12m", "chair_org",
                 "parent", "group_id")
ui.table(c, table, _("group activity"), h,
         column_config={h["last_meeting"]: ui.day_column(h["last_meeting"], _("'—': never met")),
                        h["next_meeting"]: ui.day_column(h["next_meeting"], _("'—': none scheduled"))})

st.header(_("Meeting timeline"))
t1, t2 = st.columns([2, 1])
which = t1.segmented_control(_("Groups"), list(site.TIMELINE_WHICH), default=site.TIMELINE_OPEN["which"], required=True,
                             key="tl_which",
                             format_func=lambda v: _("Dormant and at risk") if v == "not_active" else _("All counting groups"))
years = t2.selectbox(_("Years shown"), list(site.TIMELINE_YEARS), index=site.TIMELINE_YEARS.index(site.TIMELINE_OPEN["years"]),
                     key="tl_years", format_func=lambda y: _("last {y} years").format(y=y))
names = metrics.timeline_groups(act, c.names, which)
meetings = c.q(metrics.meeting_list, metrics.timeline_params(c.params, names), months=12 * years)
start = metrics.months_before(c.as_of, 12 * years)
ui.chart(c, charts.meeting_timeline(meetings, names, start, c.as_of,
                                 _("Meetings of {value} groups, last {years} years").format(value=_("dormant and at-risk") if which == 'not_active' else _("all counting"), years=years)),
         _("Each mark is one meeting; a row that stops early is a group that fell silent. "
           "Circles are joint meetings, triangles donors-only meetings."))
