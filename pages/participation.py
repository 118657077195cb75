"""/participation — who does the work: donor load, gaps and duplication, attendance."""
import streamlit as st

from swgdash import fmt
from swgdash.app import funding, widgets as ui
from swgdash.i18n import _, ngettext
from swgdash.present import charts
from swgdash.query import metrics
from swgdash.query.funding import DEFAULT_YEARS

c = ui.header("participation")
if ui.require(c, "members"):
    s1, s2, s3 = st.columns(3)
    t = metrics.THRESHOLDS
    gap = s1.number_input(_("Gap: fewer active partners than"), t["gap_below"].low, t["gap_below"].high,
                          t["gap_below"].default, key="pa_gap")
    dup = s2.number_input(_("Duplication: more active partners than"), t["duplication_above"].low,
                          t["duplication_above"].high, t["duplication_above"].default, key="pa_dup")
    cap = s3.number_input(_("Cap on groups per partner"), t["cap"].low, t["cap"].high, t["cap"].default, key="pa_cap",
                          help=_("Rwanda caps each partner at three sectors: be more active in "
                                 "fewer groups."))
    practice = c.q(metrics.group_practice, gap_below=gap, duplication_above=dup)
    load = c.q(metrics.organisation_load, cap=cap)
    active_load = load[load["active_groups"] > 0]
    k = st.columns(4)
    k[0].metric(_("Partners with an active role"), ui.shown(len(active_load)), border=True)
    k[1].metric(_("Groups with a gap"), ui.shown(int(practice["dp_gap"].sum())), border=True,
                help=_("Fewer than {gap} development partners in an active role.").format(gap=gap))
    k[2].metric(_("Groups with duplication"), ui.shown(int(practice["dp_duplication"].sum())), border=True,
                help=_("More than {dup} development partners in an active role.").format(dup=dup))
    k[3].metric(_("Partners over the cap"), ui.shown(int(load["over_cap"].sum())), border=True,
                help=_("Active in more than {cap} groups.").format(cap=cap))

    if variants := [w for w in c.version.manifest.get("quality", []) if w.get("column") == "organisation"]:
        st.warning(ngettext("{n} partner name in this extract looks like one partner written several ways (",
                            "{n} partner names in this extract look like one partner written several ways (",
                            len(variants)).format(n=len(variants)) + "; ".join(fmt.md(fmt.kept_warning(w).split(":")[0]) for w in variants[:3])
                   + (" …" if len(variants) > 3 else "") + _("): they count as separate partners below. The "
                                                             "Data quality page lists them; an organisations "
                                                             "table in the extract says what each counts as."),
                   icon=":material/group_work:")
    roles = c.q(metrics.declared_vs_actual)  # each partner's highest role per group, with its attendance
    ui.chart(c, charts.role_matrix(roles),
             _("{nunique} development partners in {nunique2} groups; each mark is a partner's "
               "highest current role in a group (star chair, diamond co-chair, square focal "
               "point, filled circle active, hollow circle attending, cross informed).").format(nunique=roles['organisation'].nunique(), nunique2=roles['group_id'].nunique()))

    st.header(_("Gaps and duplication"))
    flagged = practice[practice["dp_gap"].fillna(False) | practice["dp_duplication"].fillna(False)]
    flagged = flagged.assign(problem=[_("too few partners") if g else _("too many partners")
                                      for g in flagged["dp_gap"]])
    if flagged.empty:
        st.success(_("No group has too few or too many active development partners."))
    else:
        ui.table(c, flagged.sort_values("active_dps"), _("groups with gaps or duplication"),
                 fmt.headings("name", "active_dps", "problem", "activity", "chair_org"))

    over = load[load["over_cap"]]
    ui.chart(c, charts.donor_load(load, cap),
             ngettext("{n} partner is active in more than {cap} groups (right of the red line); the striped "
                      "bar counts the groups it co-chairs or is focal point of.",
                      "{n} partners are active in more than {cap} groups (right of the red line); the striped "
                      "bar counts the groups each co-chairs or is focal point of.", len(over)).format(n=len(over), cap=cap))
    st.header(_("Attendance"))
    if ui.require(c, "attendance"):
        ui.chart(c, charts.attendance_rates(load),
                 _("Share of the meetings recorded in the attendance table where each partner "
                   "was present; red bars are below half."))

    funded = funding.groups_funded(c, load["organisation"])  # (a column when the partners' IATI data are in)
    ui.table(c, load.assign(rate=(load["attendance_rate_12m"].astype(float) * 100).round(0), funds_sectors_of=funded),
             _("donor load"),
             fmt.headings("organisation", "active_groups", *(["funds_sectors_of"] if funded is not None else []),
                          "chair_roles", "rate", "over_cap", organisation="partner", fill={"cap": cap}))
    if funded is not None:
        st.caption(_("Groups funded (IATI): how many groups' sectors the partner's IATI activities disbursed in, over "
                     "the last {years} years; the Who funds what page says which.").format(years=DEFAULT_YEARS)
                   + " " + funding.note(c) + " " + fmt.no_iati_evidence(c.funding().iati))

    st.header(_("Declared role against actual attendance"))
    if c.has("attendance"):
        dva = roles
        rare = dva[dva["rarely_present"]]
        st.caption(_("{rare} memberships declare an active role but were present at fewer than "
                     "half of the group's meetings with recorded attendance in the last 12 "
                     "months.").format(rare=len(rare)))
        dva = dva.sort_values(["rarely_present", "presence_12m"], ascending=[False, True])
        ui.table(c, dva.assign(presence=(dva["presence_12m"].astype(float) * 100).round(0)),
                 _("declared vs actual attendance"),
                 fmt.headings("organisation", "group_name", "role", "meetings_12m", "present_12m", "presence",
                              "rarely_present", organisation="partner", role="declared_role",
                              meetings_12m="meetings_with_attendance"))
    else:
        ui.require(c, "attendance")
