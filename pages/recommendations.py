"""/recommendations — follow-up of the 2022 review's recommendations."""
import streamlit as st

from swgdash import fmt
from swgdash.app import changes, widgets as ui
from swgdash.contract import ACTION_STATUSES, word
from swgdash.i18n import _
from swgdash.present import charts, sentences
from swgdash.query import metrics

c = ui.header("recommendations")
if ui.require(c, "recommendations", "actions"):
    every = c.q(metrics.actions)
    owners = sorted({o if isinstance(o, str) else "" for o in every["owner"]})
    f1, f2, f3 = st.columns(3)
    pick_owner = f1.multiselect(_("Owner"), owners, key="rc_owner", placeholder=_("All owners"),
                                format_func=lambda o: o or _("(no owner)"))
    pick_status = f2.multiselect(_("Status"), list(ACTION_STATUSES), key="rc_status", placeholder=_("All statuses"),
                                 format_func=lambda s: word("action_status", s))
    group_ids = sorted({g if isinstance(g, str) else "" for g in every["group_id"]},
                       key=lambda g: c.names.get(g, "~"))
    pick_group = f3.multiselect(_("Group"), group_ids, key="rc_group", placeholder=_("All groups"),
                                format_func=lambda g: c.names.get(g, g) if g else _("(cross-cutting, no group)"))
    filters = dict(owners=tuple(pick_owner) or None, statuses=tuple(pick_status) or None,
                   action_groups=tuple(pick_group) or None)
    fu = c.q(metrics.recommendation_followup, **filters)
    acts = c.q(metrics.actions, **filters)
    overdue = acts[acts["overdue"]].sort_values("due_on")
    if caveat := sentences.status_caveat(c.as_of, c.version.as_of):
        st.info(caveat, icon=":material/history:")

    k1, k2, k3, k4 = st.columns(4)
    k1.metric(_("Actions"), ui.shown(len(acts)), border=True)
    k2.metric(_("Done"), ui.shown(int((acts["status"] == "done").sum())), border=True)
    share = metrics.share_done(fu)
    k3.metric(_("Share done"), ui.shown("—" if share is None else f"{share:.0%}"), border=True,
              help=_("Done, out of all actions not dropped."))
    k4.metric(_("Overdue"), ui.shown(len(overdue)), border=True,
              help=_("Due before the as-of date and not started or still in progress."))

    done_recs = metrics.closed_recommendations(fu)
    ui.chart(c, charts.recommendation_status(fu),
             _("{done_recs} of {fu} recommendations have all their actions done or dropped; "
               "red counts are actions past their due date.").format(done_recs=done_recs, fu=len(fu)))

    st.header(_("Overdue actions ({overdue})").format(overdue=len(overdue)))
    if overdue.empty:
        st.success(_("No action is overdue with these filters."))
    else:
        h = fmt.headings("action_id", "recommendation", "description", "owner", "group_name", "due_on",
                         "days_overdue", "status")
        ui.table(c, overdue, _("overdue actions"), h,
                 column_config={h["due_on"]: st.column_config.DateColumn(format="YYYY-MM-DD")})
    st.header(_("All actions"))
    histories = changes.status_histories(c)  # each action's status in every version (none: one version)
    if histories:
        st.caption(_("Status across versions: when each action took each status, version by version."))
    h = fmt.headings("action_id", "rec_id", "description", "status", *(["history"] if histories else []), "owner",
                     "group_name", "due_on", "updated_on", "overdue")
    ui.table(c, acts.assign(history=[histories.get(a, "") for a in acts["action_id"]]), _("actions"), h,
             column_config={h["due_on"]: st.column_config.DateColumn(format="YYYY-MM-DD"),
                            h["updated_on"]: st.column_config.DateColumn(format="YYYY-MM-DD")})
    with st.expander(_("The recommendations in full")):
        recs = c.q(metrics.recommendation_texts)
        ui.table(c, recs, _("recommendations"), fmt.headings("rec_id", "title", "source", "text", rec_id="id"))
