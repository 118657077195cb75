"""/rotation — chair and focal-point terms, what ends soon, and who has no successor."""
import streamlit as st

from swgdash import fmt
from swgdash.app import widgets as ui
from swgdash.i18n import _
from swgdash.present import charts
from swgdash.query import metrics

c = ui.header("rotation")
if ui.require(c, "members"):
    chairs = st.toggle(_("Include the government chairs"), value=False, key="rot_chairs",
                       help=_("Chairs are ministries and rarely rotate; the co-chair and "
                              "focal-point terms are the development partners' rotation. The "
                              "figures, chart and tables follow this switch."))
    every = c.q(metrics.leadership_terms)
    terms = every if chairs else every[every["role"] != "chair"]
    ending12 = terms[terms["ends_within_12m"]]
    ending24 = terms[terms["ends_within_24m"]]
    no_successor = ending24[~ending24["successor_recorded"]]
    k = st.columns(4)
    k[0].metric(_("Current terms"), ui.shown(int(terms["current"].sum())), border=True)
    k[1].metric(_("Ending in 12 months"), ui.shown(len(ending12)), border=True)
    k[2].metric(_("Ending in 24 months"), ui.shown(len(ending24)), border=True)
    k[3].metric(_("No successor recorded"), ui.shown(len(no_successor)), border=True,
                help=_("Terms ending in the next 24 months with no later term recorded in the "
                       "same role."))

    start = metrics.months_before(c.as_of, 24)
    end = metrics.months_after(c.as_of, 36)
    ui.chart(c, charts.leadership_gantt(terms, c.as_of, start, end),
             _("Each bar is one organisation's term in a group, from {start:%b %Y} to {end:%b "
               "%Y}; the dashed line is the as-of date, and a bar that stops just after it "
               "needs a successor; a dotted bar has no end date recorded.").format(start=start, end=end))

    st.header(_("Terms ending in the next 24 months"))
    if ending24.empty:
        st.success(_("No term ends in the next 24 months."))
    else:
        t = ending24.sort_values("end_on").assign(
            within=[_("12 months") if x else _("24 months") for x in ending24.sort_values("end_on")["ends_within_12m"]])
        ui.table(c, t, _("terms ending"), fmt.headings("group_name", "organisation", "role", "end_on", "within",
                                                        "successor_recorded", end_on="ends"))

    st.header(_("Groups with no successor recorded"))
    groups = no_successor.groupby(["group_id", "group_name"]).agg(
        terms=("role", "size"), first_end=("end_on", "min")).reset_index()
    if groups.empty:
        st.success(_("Every term ending in the next 24 months has a successor recorded."))
    else:
        ui.table(c, groups.sort_values("first_end"), _("groups without successor"),
                 fmt.headings("group_name", "terms", "first_end"))

    st.header(_("Partners carrying many chair roles"))
    load = c.q(metrics.organisation_load)
    many = load[load["chair_roles"] >= metrics.MANY_CHAIR_ROLES].sort_values("chair_roles", ascending=False)
    if many.empty:
        st.success(_("No development partner co-chairs or is focal point of more than one group."))
    else:
        st.caption(_("Good practice: balance the burden so that no partner chairs too many groups."))
        ui.table(c, many, _("partners with several chair roles"),
                 fmt.headings("organisation", "chair_roles", "active_groups", organisation="partner",
                              chair_roles="chair_roles_of", active_groups="active_in"))
