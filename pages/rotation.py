"""/rotation — chair and focal-point terms, what ends soon, and who has no successor."""
import streamlit as st

from swgdash import charts, metrics
from swgdash.app import widgets as ui

c = ui.header("rotation")
if ui.require(c, "members"):
    chairs = st.toggle("Include the government chairs", value=False, key="rot_chairs",
                       help="Chairs are ministries and rarely rotate; the co-chair and focal-point terms are "
                            "the development partners' rotation. The figures, chart and tables follow this switch.")
    every = c.q(metrics.leadership_terms)
    terms = every if chairs else every[every["role"] != "chair"]
    ending12 = terms[terms["ends_within_12m"]]
    ending24 = terms[terms["ends_within_24m"]]
    no_successor = ending24[~ending24["successor_recorded"]]
    k = st.columns(4)
    k[0].metric("Current terms", int(terms["current"].sum()), border=True)
    k[1].metric("Ending in 12 months", len(ending12), border=True)
    k[2].metric("Ending in 24 months", len(ending24), border=True)
    k[3].metric("No successor recorded", len(no_successor), border=True,
                help="Terms ending in the next 24 months with no later term recorded in the same role.")

    start = metrics.months_before(c.as_of, 24)
    end = metrics.months_after(c.as_of, 36)
    ui.chart(c, charts.leadership_gantt(terms, c.as_of, start, end),
             f"Each bar is one organisation's term in a group, from {start:%b %Y} to {end:%b %Y}; "
             "the dashed line is the as-of date, and a bar that stops just after it needs a successor; "
             "a dotted bar has no end date recorded.")

    st.subheader("Terms ending in the next 24 months")
    if ending24.empty:
        st.success("No term ends in the next 24 months.")
    else:
        t = ending24.sort_values("end_on").assign(
            within=["12 months" if x else "24 months" for x in ending24.sort_values("end_on")["ends_within_12m"]])
        ui.table(c, t, "terms ending", {"group_name": "Group", "organisation": "Organisation", "role": "Role",
                                     "end_on": "Ends", "within": "Within", "successor_recorded": "Successor recorded"})

    st.subheader("Groups with no successor recorded")
    groups = no_successor.groupby(["group_id", "group_name"]).agg(
        terms=("role", "size"), first_end=("end_on", "min")).reset_index()
    if groups.empty:
        st.success("Every term ending in the next 24 months has a successor recorded.")
    else:
        ui.table(c, groups.sort_values("first_end"), "groups without successor",
                 {"group_name": "Group", "terms": "Terms ending without successor", "first_end": "First ends"})

    st.subheader("Partners carrying many chair roles")
    load = c.q(metrics.organisation_load)
    many = load[load["chair_roles"] >= metrics.MANY_CHAIR_ROLES].sort_values("chair_roles", ascending=False)
    if many.empty:
        st.success("No development partner co-chairs or is focal point of more than one group.")
    else:
        st.caption("Good practice: balance the burden so that no partner chairs too many groups.")
        ui.table(c, many, "partners with several chair roles",
                 {"organisation": "Partner", "chair_roles": "Co-chair or focal point of", "active_groups": "Active in"})
