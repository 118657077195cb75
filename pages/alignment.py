"""/alignment — which groups serve which pillar of the national plan, and where the gaps are."""
import streamlit as st

from swgdash import charts, fmt, metrics
from swgdash.app import widgets as ui

c = ui.header("alignment")
if ui.require(c, "pillars", "alignment"):
    plan = c.params.plan
    if len(c.plans) > 1:
        st.caption(f"Plan shown: **{fmt.md(plan)}**. The extract has {len(c.plans)} plans; "
                   "pick another under *National plan* in the sidebar.")
    cov = c.q(metrics.pillar_coverage)
    gaps = cov[cov["gap"]]
    k1, k2, k3 = st.columns(3)
    k1.metric("Pillars", len(cov), border=True)
    k2.metric("Pillars none of these groups covers" if c.filtered else "Pillars with no functioning group",
              len(gaps), border=True)
    unaligned = c.q(metrics.unaligned_groups)
    k3.metric("Counting groups aligned to no pillar", len(unaligned), border=True)
    listed = "; ".join(f"{fmt.md(r.pillar_id)} {fmt.md(r.name)}" for r in gaps.itertuples())
    if not gaps.empty and c.filtered:
        st.info(f"No functioning group among **{fmt.md(c.filter_label())}** works on {listed}. Other groups may: "
                "pick *All groups* in the sidebar to see the national gaps.", icon=":material/filter_alt:")
    elif not gaps.empty:
        st.error(f"**Gap:** no functioning group works on {listed}.", icon=":material/warning:")

    ui.chart(c, charts.pillar_coverage(cov, selection=c.filtered),
             f"{len(cov) - len(gaps)} of {len(cov)} pillars have at least one active or at-risk group"
             + (" among these groups; other groups may cover the rest." if c.filtered else
                "; a pillar whose groups are all dormant, or that has none, is a gap."))
    matrix = c.q(metrics.alignment_matrix)
    ui.chart(c, charts.alignment_matrix(matrix, cov, c.names),
             "Each square is a group working on a pillar (columns), coloured by how recently the group met: "
             "blue active, orange at risk, red dormant. A filled square is the group's primary pillar, an "
             "outline one it also contributes to; a column without blue is a pillar at risk.")
    ui.table(c, cov, "pillar coverage", {"pillar_id": "Pillar", "name": "Name", "groups": "Groups aligned",
                                      "functioning_groups": "Functioning", "dormant_groups": "Dormant",
                                      "gap": "None functioning here" if c.filtered else "Gap"})

    st.subheader(f"Groups aligned to no pillar ({len(unaligned)})")
    if unaligned.empty:
        st.success("Every counting group is aligned to at least one pillar of this plan.")
    else:
        st.caption("Counting groups that the extract links to no pillar of this plan.")
        ui.table(c, unaligned, "unaligned groups",
                 {"name": "Group", "kind": "Kind", "activity": "Activity", "chair_org": "Chair"})
