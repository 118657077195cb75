"""/alignment — which groups serve which pillar of the national plan, and where the gaps are."""
import streamlit as st

from swgdash import fmt
from swgdash.app import widgets as ui
from swgdash.i18n import _
from swgdash.present import charts
from swgdash.query import crosswalk, metrics

c = ui.header("alignment")
if ui.require(c, "pillars", "alignment"):
    plan = c.params.plan
    if len(c.plans) > 1:
        st.caption(_("Plan shown: **{plan}**. The extract has {plans} plans; pick another "
                     "under *National plan* in the sidebar.").format(plan=fmt.md(plan), plans=len(c.plans)))
    cov = c.q(metrics.pillar_coverage)
    gaps = cov[cov["gap"]]
    k1, k2, k3 = st.columns(3)
    k1.metric(_("Pillars"), ui.shown(len(cov)), border=True)
    k2.metric(_("Pillars none of these groups covers") if c.filtered else _("Pillars with no functioning group"),
              ui.shown(len(gaps)), border=True)
    unaligned = c.q(metrics.unaligned_groups)
    k3.metric(_("Counting groups aligned to no pillar"), ui.shown(len(unaligned)), border=True)
    listed = "; ".join(f"{fmt.md(r.pillar_id)} {fmt.md(r.name)}" for r in gaps.itertuples())
    if not gaps.empty and c.filtered:
        st.info(_("No functioning group among **{filter_label}** works on {listed}. Other "
                  "groups may: pick *All groups* in the sidebar to see the national gaps.").format(filter_label=fmt.md(c.filter_label()), listed=listed), icon=":material/filter_alt:")
    elif not gaps.empty:
        st.error(_("**Gap:** no functioning group works on {listed}.").format(listed=listed), icon=":material/warning:")

    ui.chart(c, charts.pillar_coverage(cov, selection=c.filtered),
             _("{cov} of {cov2} pillars have at least one active or at-risk group").format(cov=len(cov) - len(gaps), cov2=len(cov))
             + (_(" among these groups; other groups may cover the rest.") if c.filtered else
                _("; a pillar whose groups are all dormant, or that has none, is a gap.")))
    matrix = c.q(metrics.alignment_matrix)
    ui.chart(c, charts.alignment_matrix(matrix, cov, c.names),
             _("Each square is a group working on a pillar (columns), coloured by how recently "
               "the group met: blue active, orange at risk, red dormant. A filled square is "
               "the group's primary pillar, an outline one it also contributes to; a column "
               "without blue is a pillar at risk."))
    ui.table(c, cov, _("pillar coverage"),
             fmt.headings("pillar_id", "name", "groups", "functioning_groups", "dormant_groups", "gap",
                          name="pillar_name", groups="groups_aligned", gap="gap_here" if c.filtered else "gap"))

    st.header(_("Groups aligned to no pillar ({unaligned})").format(unaligned=len(unaligned)))
    if unaligned.empty:
        st.success(_("Every counting group is aligned to at least one pillar of this plan."))
    else:
        st.caption(_("Counting groups that the extract links to no pillar of this plan."))
        ui.table(c, unaligned, _("unaligned groups"), fmt.headings("name", "kind", "activity", "chair_org"))

    co = c.q(crosswalk.default_carry_over)
    if co is not None:
        st.header(_("Ready for {plan}").format(plan=co.to_plan))
        st.caption(_("How the counting groups carry over from **{old}** to **{new}**: a group aligned to a pillar "
                     "of the old plan is carried to the new pillars the extract's crosswalk maps it to. Figures "
                     "for all groups, whatever the sidebar picks.").format(old=fmt.md(co.from_plan),
                                                                           new=fmt.md(co.to_plan)))
        realign = co.to_realign
        k1, k2, k3, k4 = st.columns(4)
        k1.metric(_("Gaps before realignment"), ui.shown(int(co.pillars["gap_before"].sum())), border=True)
        k2.metric(_("Gaps after realignment"), ui.shown(int(co.pillars["gap"].sum())), border=True)
        k3.metric(_("Groups to realign"), ui.shown(len(realign)), border=True)
        k4.metric(_("Old pillars unmapped"), ui.shown(len(co.unmapped)), border=True)
        if not c.cursor.has("pillar_map"):
            st.info(_("The extract has no crosswalk (a pillar_map table), so no group is carried over: only "
                      "groups aligned to the new plan count for it."), icon=":material/info:")
        ui.chart(c, charts.carry_over(co.pillars, co.to_plan),
                 _("Per pillar of the new plan: functioning groups aligned to it, functioning groups carried "
                   "over from the old plan, and dormant ones. A gap is a pillar with no functioning group; "
                   "one the carry-over closes is named."))
        ui.table(c, co.pillars, _("carry-over"),
                 fmt.headings("pillar_id", "name", "n_direct", "n_carried", "functioning", "gap_before", "gap",
                              name="pillar_name", n_direct="aligned_directly", n_carried="carried_over",
                              functioning="functioning_groups", gap="gap_after"), key="carry-over")
        st.subheader(_("Groups to realign ({n})").format(n=len(realign)))
        if realign.empty:
            st.success(_("Every counting group aligned to {old} is aligned to {new} too.").format(
                old=fmt.md(co.from_plan), new=fmt.md(co.to_plan)))
        else:
            st.caption(_("Counting groups aligned to the old plan and to no pillar of the new one, with the new "
                         "pillars the crosswalk suggests."))
            ui.table(c, fmt.lists_as_text(realign, "old_pillars", "suggested"), _("groups to realign"),
                     fmt.headings("name", "activity", "old_pillars", "suggested", fill={"plan": co.to_plan})
                     | fmt.headings("old_pillars", fill={"plan": co.from_plan}), key="to-realign")
        ui.realignment_download(c, co)
        carried = co.carried
        st.subheader(_("Groups carried over ({n})").format(n=len(carried)))
        st.caption(_("Each counting group the crosswalk carries to a pillar of the new plan it is not aligned to "
                     "yet: confirm it there when realigning."))
        ui.table(c, carried, _("groups carried over"), fmt.headings("pillar", "name", "activity", pillar="carried_to"),
                 key="carried-over")
        with st.expander(_("The crosswalk from {old} to {new} ({n} rows)").format(
                old=co.from_plan, new=co.to_plan, n=len(co.mapping)), icon=":material/swap_horiz:"):
            ui.table(c, co.mapping, _("crosswalk"),
                     fmt.headings("from_pillar", "to_pillar", "note",
                                  fill={"from_plan": co.from_plan, "to_plan": co.to_plan}),
                     profile_links=False, key="crosswalk")
        if not co.unmapped.empty:
            st.caption(_("Old pillars the crosswalk maps to nothing: {listed}.").format(
                listed="; ".join(f"{fmt.md(r.pillar_id)} {fmt.md(r.name)}" for r in co.unmapped.itertuples())))
