"""/recommendations — follow-up of the 2022 review's recommendations."""
import streamlit as st

from swgdash import charts, metrics
from swgdash.contract import ACTION_STATUSES, word
from swgdash.app import widgets as ui

c = ui.header("recommendations")
if ui.require(c, "recommendations", "actions"):
    every = c.q(metrics.actions)
    owners = sorted({o if isinstance(o, str) else "" for o in every["owner"]})
    f1, f2, f3 = st.columns(3)
    pick_owner = f1.multiselect("Owner", owners, key="rc_owner", placeholder="All owners",
                                format_func=lambda o: o or "(no owner)")
    pick_status = f2.multiselect("Status", list(ACTION_STATUSES), key="rc_status", placeholder="All statuses",
                                 format_func=lambda s: word("action_status", s))
    group_ids = sorted({g if isinstance(g, str) else "" for g in every["group_id"]},
                       key=lambda g: c.names.get(g, "~"))
    pick_group = f3.multiselect("Group", group_ids, key="rc_group", placeholder="All groups",
                                format_func=lambda g: c.names.get(g, g) if g else "(cross-cutting, no group)")
    filters = dict(owners=tuple(pick_owner) or None, statuses=tuple(pick_status) or None,
                   action_groups=tuple(pick_group) or None)
    fu = c.q(metrics.recommendation_followup, **filters)
    acts = c.q(metrics.actions, **filters)
    overdue = acts[acts["overdue"]].sort_values("due_on")
    if caveat := metrics.status_caveat(c.as_of, c.version.as_of):
        st.info(caveat, icon=":material/history:")

    k1, k2, k3, k4 = st.columns(4)
    k1.metric("Actions", len(acts), border=True)
    k2.metric("Done", int((acts["status"] == "done").sum()), border=True)
    share = metrics.share_done(fu)
    k3.metric("Share done", "—" if share is None else f"{share:.0%}", border=True,
              help="Done, out of all actions not dropped.")
    k4.metric("Overdue", len(overdue), border=True,
              help="Due before the as-of date and not started or still in progress.")

    done_recs = metrics.closed_recommendations(fu)
    ui.chart(c, charts.recommendation_status(fu),
             f"{done_recs} of {len(fu)} recommendations have all their actions done or dropped; "
             "red counts are actions past their due date.")

    st.subheader(f"Overdue actions ({len(overdue)})")
    if overdue.empty:
        st.success("No action is overdue with these filters.")
    else:
        ui.table(c, overdue, "overdue actions",
                 {"action_id": "ID", "recommendation": "Recommendation", "description": "Action",
                  "owner": "Owner", "group_name": "Group", "due_on": "Due", "days_overdue": "Days overdue",
                  "status": "Status"},
                 column_config={"Due": st.column_config.DateColumn(format="YYYY-MM-DD")})
    st.subheader("All actions")
    ui.table(c, acts, "actions",
             {"action_id": "ID", "rec_id": "Rec.", "description": "Action", "owner": "Owner",
              "group_name": "Group", "status": "Status", "due_on": "Due", "updated_on": "Updated",
              "overdue": "Overdue"},
             column_config={"Due": st.column_config.DateColumn(format="YYYY-MM-DD"),
                            "Updated": st.column_config.DateColumn(format="YYYY-MM-DD")})
    with st.expander("The recommendations in full"):
        recs = c.q(metrics.recommendation_texts)
        ui.table(c, recs, "recommendations", {"rec_id": "ID", "title": "Title", "source": "Source", "text": "Text"})
