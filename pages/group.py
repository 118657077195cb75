"""/group?id=SWG-HEALTH — everything about one group on one page."""
import dataclasses

import streamlit as st

from swgdash import fmt
from swgdash.app import funding, state, widgets as ui
from swgdash.contract import word
from swgdash.i18n import _, ngettext
from swgdash.present import charts, sentences
from swgdash.query import metrics

c = ui.header("group", scope=False)
choices = c.groups.sort_values("name")
ids = choices["group_id"].tolist()
wanted = st.query_params.get("id") or (c.swg or None)  # else the SWG picked in the sidebar
if wanted and wanted not in ids:
    st.warning(_("There is no group with the id {wanted}; pick one below.").format(wanted=fmt.md(fmt.excerpt(wanted))))
gid = ui.pick(_("Group"), ids, ids.index(wanted) if wanted in ids else 0, f"profile_{wanted}",
              lambda g: fmt.name_and_id(c.names, g), "groups", find_key="profile_find")
if st.query_params.get("id") != gid:
    st.query_params["id"] = gid
prof = c.q(metrics.group_profile, group_id=gid)
info, act = prof["info"], prof["activity"]

st.header(fmt.md(info["name"]), divider="gray")
facts = [_("**Kind:** {value}").format(value=fmt.md(word('kind', info['kind']))),
         _("**Formal status (register):** {value}").format(value=fmt.md(word('group_status', info['status']))),
         _("**Chair:** {value}").format(value=fmt.md(fmt.formerly(info['chair_org'], info.get('chair_formerly'),
                                                                   info.get('chair_formerly_until')) or '—'))]
if isinstance(info.get("parent_name"), str):
    facts.append(_("**Part of:** [{parent_name}]({parent_id})").format(parent_name=fmt.md(info['parent_name']), parent_id=state.profile_url(info['parent_id'])))
facts.append(_("**Established:** {established_on}").format(established_on=fmt.date_str(info['established_on'], '—')))
if not fmt.is_missing(info.get("closed_on")):
    facts.append(_("**Closed:** {closed_on}").format(closed_on=fmt.date_str(info['closed_on'])))
st.markdown(" · ".join(facts))

k = st.columns([1.5, 1.3, 1.1, 1])  # (the first label is the longest: "Activity (from meetings)")
if act:
    k[0].metric(_("Activity (from meetings)"), ui.shown(word("activity", act["activity"])), border=True,
                help=_("As of {as_of:%d %B %Y}.").format(as_of=c.as_of))
    k[1].metric(_("Last meeting"), ui.shown(fmt.date_str(act["last_meeting"])), border=True)
    k[2].metric(_("Meetings in 12 months"), ui.shown(int(act["meetings_12m"])), border=True)
    planned = act["planned_meetings_per_year"]
    k[3].metric(_("Planned a year"), ui.shown("—" if planned is None or planned != planned else int(planned)), border=True)
    nxt = act["next_meeting"]
    ask = act["activity"] != "active" and fmt.is_missing(nxt)
    st.caption(_("Next meeting: {day}.").format(day=fmt.date_str(nxt, _("none scheduled")))
               + (_(" A group at risk or dormant with no meeting scheduled: one to ask about.") if ask else ""))
else:
    st.info(_("This group does not count as of {as_of:%d %B %Y}: {info}. Only counting groups have an activity "
              "figure.").format(as_of=c.as_of, info=sentences.why_not_counting(info)) + " " + _(sentences.COUNTING_WORDS))

st.subheader(_("Upcoming meetings"))
ui.upcoming(c, prof["upcoming"], gid)

meetings = prof["meetings"]
start = metrics.months_before(c.as_of, 72)
aside = c.q(metrics.set_aside, dataclasses.replace(c.params, groups=(gid,)))
if not aside.empty:
    st.warning(ngettext("{n} meeting of this group is set aside, counted in no figure and not shown here: ",
                        "{n} meetings of this group are set aside, counted in no figure and not shown here: ",
                        len(aside)).format(n=len(aside))
               + "; ".join(_("{day:%d %b %Y} ({why})").format(day=d, why=word('not_counted', r)) for d, r in zip(aside["date"], aside["reason"], strict=True))
               + _(". The Data quality page lists them."), icon=":material/rule:")
ui.chart(c, charts.meeting_timeline(meetings.assign(group_id=gid), {gid: info["name"]}, start, c.as_of,
                                 _("Meetings over the last six years")),
         _("{meetings} of the {meetings2} meetings recorded up to {as_of:%d %B %Y} fall in "
           "these six years; circles are joint meetings, triangles donors-only meetings.").format(meetings=metrics.meetings_since(meetings, start), meetings2=len(meetings), as_of=c.as_of)
         if len(meetings) else _("No meeting of this group is recorded up to {as_of:%d %B %Y}.").format(as_of=c.as_of))
with st.expander(_("All meetings ({meetings})").format(meetings=len(meetings))):
    ui.table(c, meetings, _("meetings of {gid}").format(gid=gid),
             fmt.headings("date", "format", "level", "participants", "minutes_published", "agenda_sent_on",
                          minutes_published="minutes"))

left, right = st.columns(2)
with left:
    st.subheader(_("Members and roles"))
    if ui.require(c, "members"):
        mem = prof["members"]
        ui.table(c, mem, _("members of {gid}").format(gid=gid),
                 fmt.headings("organisation", "org_type", "role", "start_on", "end_on", "current"), share=0.5)
with right:
    st.subheader(_("Attendance, last 12 months"))
    if ui.require(c, "attendance"):
        att = prof["attendance"]
        if att.empty:
            st.caption(_("No attendance recorded in the last 12 months."))
        else:
            ui.table(c, att.assign(rate=(att["rate"].astype(float) * 100).round(0)), _("attendance of {gid}").format(gid=gid),
                     fmt.headings("organisation", "meetings_recorded", "present", "rate", rate="presence"), share=0.5)

left, right = st.columns(2)
with left:
    st.subheader(_("Documents"))
    if ui.require(c, "documents"):
        docs = prof["documents"]
        if docs.empty:
            st.caption(_("No document recorded: no terms of reference, work plan or report."))
        else:
            docs = docs.assign(link=docs["url"].map(fmt.safe_link),
                               where=[u if not fmt.safe_link(u) else "" for u in docs["url"].fillna("")])
            h = fmt.headings("doc_type", "year", "title", "link", "where")
            ui.table(c, docs, _("documents of {gid}").format(gid=gid), h,
                     column_config={h["link"]: st.column_config.LinkColumn(display_text=_("open"))}, share=0.5)
with right:
    st.subheader(_("NSEDP pillars"))
    if ui.require(c, "pillars", "alignment"):
        pil = prof["pillars"]
        if pil.empty:
            st.caption(_("Aligned to no pillar."))
        else:
            ui.table(c, pil, _("pillars of {gid}").format(gid=gid),
                     fmt.headings("plan", "pillar_id", "name", "primary", name="pillar_name"), share=0.5)

st.subheader(_("Who funds its sectors (IATI)"))
if funding.ready(c):
    f = c.funding(scoped=False)
    if gid in set(f.groups["group_id"]):
        st.caption(fmt.iati_note(f.iati, f.since, f.as_of))
        funding.funders(c, f, gid, brief=True)
        st.page_link("pages/funding.py", label=_("Every funder and activity, on the Who funds what page"),
                     icon=":material/payments:", query_params=state.with_view(group=gid))
    else:
        st.caption(_("This group has no sector codes in the register (group_sectors), so no funding is matched to it."))
elif funding.has_iati(c):
    ui.require(c, "group_sectors")

st.subheader(_("Recommendation actions"))
if ui.require(c, "recommendations", "actions"):
    acts = c.q(metrics.actions, action_groups=(gid,))
    if acts.empty:
        st.caption(_("No follow-up action is assigned to this group."))
    else:
        ui.table(c, acts, _("actions of {gid}").format(gid=gid),
                 fmt.headings("rec_id", "description", "owner", "status", "due_on", "overdue"), profile_links=False)

st.subheader(_("Sub-groups ({subgroups})").format(subgroups=len(prof['subgroups'])))
if prof["subgroups"].empty:
    st.caption(_("No group sits under this one."))
else:
    ui.table(c, prof["subgroups"], _("sub-groups of {gid}").format(gid=gid),
             fmt.headings("name", "kind", "status", "established_on", "closed_on", status="formal_status"))
    # (it keeps its profile links: one click to each sub-group)
