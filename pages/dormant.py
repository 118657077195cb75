"""/dormant — every counting group classified active, at risk or dormant."""
import streamlit as st

from swgdash import charts, fmt, metrics
from swgdash.contract import ACTIVITIES, word
from swgdash.app import widgets as ui

c = ui.header("dormant")
act = c.q(metrics.group_activity)
counts = metrics.activity_counts(act)
cols = st.columns(3)
for col, key in zip(cols, ACTIVITIES):
    col.metric(word("activity", key), counts[key], border=True)

at_risk_days = metrics.window_days(c.as_of, c.params.at_risk_months)
dormant_days = metrics.window_days(c.as_of, c.params.dormant_months)
ui.chart(c, charts.days_since_last(act, c.as_of, at_risk_days, dormant_days),
         f"{counts['dormant']} of {len(act)} counting groups have not met in "
         f"{fmt.months_label(c.params.dormant_months)} (right of the {dormant_days}-day line); "
         "the longest silences are at the top.")

st.subheader("Every counting group")
table = act.assign(parent=act["parent_name"].fillna("—")).sort_values(
    ["activity", "days_since_last"], ascending=[False, False], na_position="first")
ui.table(c, table, "group activity",
         {"name": "Group", "activity": "Activity", "last_meeting": "Last meeting",
          "days_since_last": "Days since last meeting", "meetings_12m": "Meetings in 12 months",
          "chair_org": "Chair", "parent": "Parent SWG", "group_id": "ID"},
         column_config={"Last meeting": ui.day_column("Last meeting", "'—': never met")})

st.subheader("Meeting timeline")
t1, t2 = st.columns([2, 1])
which = t1.segmented_control("Groups", ["not_active", "all"], default="not_active", required=True,
                             key="tl_which",
                             format_func=lambda v: "Dormant and at risk" if v == "not_active" else "All counting groups")
years = t2.selectbox("Years shown", [3, 5, 8], index=1, key="tl_years", format_func=lambda y: f"last {y} years")
names = metrics.timeline_groups(act, c.names, which)
meetings = c.q(metrics.meeting_list, metrics.timeline_params(c.params, names), months=12 * years)
start = metrics.months_before(c.as_of, 12 * years)
ui.chart(c, charts.meeting_timeline(meetings, names, start, c.as_of,
                                 f"Meetings of {'dormant and at-risk' if which == 'not_active' else 'all counting'} "
                                 f"groups, last {years} years"),
         "Each mark is one meeting; a row that stops early is a group that fell silent. "
         "Circles are joint meetings, triangles donors-only meetings.")
