"""/ — the committee's overview: KPI cards and what awaits its decision."""
import streamlit as st

from swgdash import fmt, settings, site
from swgdash.app import widgets as ui
from swgdash.contract import word
from swgdash.i18n import _
from swgdash.present import charts, sentences
from swgdash.query import metrics

c = ui.header("")
ov = c.q(metrics.overview)
a = ov.activity

cols = st.columns(4)
cols[0].metric(_("Groups counting"), ui.shown(ov.counting), border=True,
               help=_(sentences.COUNTING_WORDS))
cols[1].metric(word("activity", "active"), ui.shown(a["active"]), border=True,
               help=_("Met within the last {at_risk_months}.").format(at_risk_months=fmt.months_label(c.params.at_risk_months)))
cols[2].metric(word("activity", "at_risk"), ui.shown(a["at_risk"]), border=True,
               help=_("Last met between {at_risk_months} and {dormant_months} ago.").format(at_risk_months=fmt.months_label(c.params.at_risk_months), dormant_months=fmt.months_label(c.params.dormant_months)))
cols[3].metric(word("activity", "dormant"), ui.shown(a["dormant"]), border=True,
               help=_("Not met in the last {dormant_months}, or never.").format(dormant_months=fmt.months_label(c.params.dormant_months)))
cols = st.columns(4)
cols[0].metric(_("Meetings in 12 months"), ui.shown(ov.meetings_12m), ov.meetings_12m - ov.meetings_prev_12m,
               border=True, delta_description=_("vs year before"),
               help=_("{meetings_prev_12m} meetings in the 12 months before.").format(meetings_prev_12m=ov.meetings_prev_12m))
cols[1].metric(_("Pillars not covered by these groups") if c.filtered else _("Pillar gaps"),
               ui.shown(_("no pillars table") if ov.pillar_gaps is None else _("{pillar_gaps} of {pillars}").format(pillar_gaps=ov.pillar_gaps, pillars=ov.pillars)),
               border=True, help=(_("Pillars of the selected plan on which none of these "
                                    "groups is functioning (active or at risk); other groups "
                                    "may cover them.") if c.filtered else
                                  _("Pillars of the selected plan with no functioning (active "
                                    "or at-risk) group.")))
cols[2].metric(_("Actions done"),
               ui.shown(_("no actions table") if ov.share_done is None and ov.actions is None
               else (_("none recorded") if ov.share_done is None else f"{ov.share_done:.0%}")),
               border=True, help=_("Recommendation follow-up actions done, out of all actions "
                                   "not dropped."))
cols[3].metric(_("Overdue actions"), ui.shown(_("no actions table") if ov.overdue is None else ov.overdue), border=True,
               help=_("Due before the as-of date and not started or still in progress."))

if ov.meetings_not_counted_12m:
    st.info(fmt.md(sentences.not_counted_sentence(c.q(metrics.not_counted))), icon=":material/rule:")
act = c.q(metrics.group_activity)
dormant_share = _("{dormant} of {counting}").format(dormant=a['dormant'], counting=ov.counting) if ov.counting else _("No")
ui.chart(c, charts.activity_by_swg(act),
         _("{dormant_share} counting groups have not met in {dormant_months}; each bar is one "
           "sector working group with its sub-groups, worst first.").format(dormant_share=dormant_share, dormant_months=fmt.months_label(c.params.dormant_months)))

trend = c.q(metrics.trend, **site.TREND_OPEN)  # at every quarter end of five years, to the as-of date
ui.chart(c, charts.activity_lines(trend, site.TREND_OPEN["every"], charts.review_marks(settings.review_date())),
         sentences.trend_sentence(trend) + " " + _("The page What changed has this trend in full, and what changed "
                                                 "between published versions."))

st.header(_("For the committee's decision"), divider="gray")
left, mid = st.columns([3, 2])
with left:
    st.subheader(_("Dormant groups ({dormant_groups})").format(dormant_groups=len(ov.dormant_groups)))
    st.caption(_("Candidates to keep, merge or discontinue under recommendation 8 of the 2022 "
                 "review."))
    if ov.dormant_groups.empty:
        st.success(_("No dormant group."))
    else:
        h = fmt.headings("name", "last_meeting", "chair_org", last_meeting="last_met")
        ui.table(c, ov.dormant_groups, _("dormant groups"), h,
                 column_config={h["last_meeting"]: ui.day_column(h["last_meeting"], _("'—': never met"))}, share=0.6)
with mid:
    st.subheader(_("Pillars none of these groups covers") if c.filtered else _("Pillars without a functioning group"))
    st.caption(_("Plan: {value}.").format(value=fmt.md(c.params.plan or _('none'))))
    if ov.gap_pillars is None:
        ui.require(c, "pillars", "alignment")
    elif ov.gap_pillars.empty:
        st.success(_("Every pillar has at least one functioning group")
                   + (_(" among these.") if c.filtered else "."))
    else:
        ui.table(c, ov.gap_pillars, _("pillar gaps"),
                 fmt.headings("pillar_id", "name", "groups", name="pillar_name", groups="groups_none_functioning"),
                 share=0.4)
with st.container():
    st.subheader(_("Overdue actions ({value})").format(value=0 if ov.overdue_actions is None else len(ov.overdue_actions)))
    st.caption(_("Follow-up actions past their due date and not done."))
    if ov.overdue_actions is None:
        ui.require(c, "recommendations", "actions")
    elif ov.overdue_actions.empty:
        st.success(_("No action is overdue."))
    else:
        o = ov.overdue_actions.sort_values("due_on")
        h = fmt.headings("description", "owner", "due_on", "days_overdue", "rec_id", rec_id="recommendation")
        ui.table(c, o, _("overdue actions"), h, column_config={h["due_on"]: ui.day_column(h["due_on"])})
