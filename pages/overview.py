"""/ — the committee's overview: KPI cards and what awaits its decision."""
import streamlit as st

from swgdash import charts, fmt, metrics
from swgdash.contract import word
from swgdash.app import widgets as ui

c = ui.header("")
ov = c.q(metrics.overview)
a = ov.activity

cols = st.columns(4)
cols[0].metric("Groups counting", ov.counting, border=True,
               help="Groups whose status is active and that were established by the as-of date.")
cols[1].metric(word("activity", "active"), a["active"], border=True,
               help=f"Met within the last {fmt.months_label(c.params.at_risk_months)}.")
cols[2].metric(word("activity", "at_risk"), a["at_risk"], border=True,
               help=f"Last met between {fmt.months_label(c.params.at_risk_months)} and "
                    f"{fmt.months_label(c.params.dormant_months)} ago.")
cols[3].metric(word("activity", "dormant"), a["dormant"], border=True,
               help=f"Not met in the last {fmt.months_label(c.params.dormant_months)}, or never.")
cols = st.columns(4)
cols[0].metric("Meetings in 12 months", ov.meetings_12m, ov.meetings_12m - ov.meetings_prev_12m,
               border=True, delta_description="vs year before",
               help=f"{ov.meetings_prev_12m} meetings in the 12 months before.")
cols[1].metric("Pillars not covered by these groups" if c.filtered else "Pillar gaps",
               "no pillars table" if ov.pillar_gaps is None else f"{ov.pillar_gaps} of {ov.pillars}",
               border=True, help=("Pillars of the selected plan on which none of these groups is functioning "
                                  "(active or at risk); other groups may cover them." if c.filtered else
                                  "Pillars of the selected plan with no functioning (active or at-risk) group."))
cols[2].metric("Actions done",
               "no actions table" if ov.share_done is None and ov.actions is None
               else ("none recorded" if ov.share_done is None else f"{ov.share_done:.0%}"),
               border=True, help="Recommendation follow-up actions done, out of all actions not dropped.")
cols[3].metric("Overdue actions", "no actions table" if ov.overdue is None else ov.overdue, border=True,
               help="Due before the as-of date and not started or still in progress.")

if ov.meetings_not_counted_12m:
    st.info(fmt.md(metrics.not_counted_sentence(c.q(metrics.not_counted))), icon=":material/rule:")
act = c.q(metrics.group_activity)
dormant_share = f"{a['dormant']} of {ov.counting}" if ov.counting else "No"
ui.chart(c, charts.activity_by_swg(act),
         f"{dormant_share} counting groups have not met in {fmt.months_label(c.params.dormant_months)}; "
         "each bar is one sector working group with its sub-groups, worst first.")

st.header("For the committee's decision", divider="gray")
left, mid = st.columns([3, 2])
with left:
    st.subheader(f"Dormant groups ({len(ov.dormant_groups)})")
    st.caption("Candidates to keep, merge or discontinue under recommendation 8 of the 2022 review.")
    if ov.dormant_groups.empty:
        st.success("No dormant group.")
    else:
        ui.table(c, ov.dormant_groups, "dormant groups", {"name": "Group", "last_meeting": "Last met",
                                                          "chair_org": "Chair"},
                 column_config={"Last met": ui.day_column("Last met", "'—': never met")})
with mid:
    st.subheader("Pillars none of these groups covers" if c.filtered else "Pillars without a functioning group")
    st.caption(f"Plan: {fmt.md(c.params.plan or 'none')}.")
    if ov.gap_pillars is None:
        ui.require(c, "pillars", "alignment")
    elif ov.gap_pillars.empty:
        st.success("Every pillar has at least one functioning group"
                   + (" among these." if c.filtered else "."))
    else:
        ui.table(c, ov.gap_pillars, "pillar gaps", {"pillar_id": "Pillar", "name": "Name",
                                                 "groups": "Groups (none functioning)"})
with st.container():
    st.subheader(f"Overdue actions ({0 if ov.overdue_actions is None else len(ov.overdue_actions)})")
    st.caption("Follow-up actions past their due date and not done.")
    if ov.overdue_actions is None:
        ui.require(c, "recommendations", "actions")
    elif ov.overdue_actions.empty:
        st.success("No action is overdue.")
    else:
        o = ov.overdue_actions.sort_values("due_on")
        ui.table(c, o, "overdue actions",
                 {"description": "Action", "owner": "Owner", "due_on": "Due", "days_overdue": "Days overdue",
                  "rec_id": "Recommendation"}, column_config={"Due": ui.day_column("Due")})
