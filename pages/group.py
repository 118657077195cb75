"""/group?id=SWG-HEALTH — everything about one group on one page."""
import dataclasses

import streamlit as st

from swgdash import charts, fmt, metrics
from swgdash.app import state
from swgdash.contract import word
from swgdash.app import widgets as ui

c = ui.header("group", scope=False)
choices = c.groups.sort_values("name")
ids = choices["group_id"].tolist()
wanted = st.query_params.get("id") or (c.swg or None)  # else the SWG picked in the sidebar
if wanted and wanted not in ids:
    st.warning(f"There is no group with the id {fmt.md(wanted)}; pick one below.")
gid = ui.pick("Group", ids, ids.index(wanted) if wanted in ids else 0, f"profile_{wanted}",
              lambda g: fmt.name_and_id(c.names, g), "groups", find_key="profile_find")
if st.query_params.get("id") != gid:
    st.query_params["id"] = gid
prof = c.q(metrics.group_profile, group_id=gid)
info, act = prof["info"], prof["activity"]

st.header(fmt.md(info["name"]), divider="gray")
facts = [f"**Kind:** {fmt.md(word('kind', info['kind']))}",
         f"**Status:** {fmt.md(word('group_status', info['status']))}",
         f"**Chair:** {fmt.md(info['chair_org'] or '—')}"]
if isinstance(info.get("parent_name"), str):
    facts.append(f"**Part of:** [{fmt.md(info['parent_name'])}]({state.profile_url(info['parent_id'])})")
facts.append(f"**Established:** {fmt.date_str(info['established_on'], '—')}")
if not fmt.is_missing(info.get("closed_on")):
    facts.append(f"**Closed:** {fmt.date_str(info['closed_on'])}")
st.markdown(" · ".join(facts))

k = st.columns(4)
if act:
    k[0].metric("Activity", word("activity", act["activity"]), border=True,
                help=f"As of {c.as_of:%d %B %Y}.")
    k[1].metric("Last meeting", fmt.date_str(act["last_meeting"]), border=True)
    k[2].metric("Meetings in 12 months", int(act["meetings_12m"]), border=True)
    planned = act["planned_meetings_per_year"]
    k[3].metric("Planned a year", "—" if planned is None or planned != planned else int(planned), border=True)
else:
    st.info(f"This group does not count as of {c.as_of:%d %B %Y}: {metrics.why_not_counting(info)}. "
            "Only active groups established by that date have an activity figure.")

meetings = prof["meetings"]
start = metrics.months_before(c.as_of, 72)
aside = c.q(metrics.set_aside, dataclasses.replace(c.params, groups=(gid,)))
if not aside.empty:
    st.warning(f"{len(aside)} meeting{'s' if len(aside) != 1 else ''} of this group "
               f"{'are' if len(aside) != 1 else 'is'} set aside, counted in no figure and not shown here: "
               + "; ".join(f"{d:%d %b %Y} ({word('not_counted', r)})" for d, r in zip(aside["date"], aside["reason"]))
               + ". The Data quality page lists them.", icon=":material/rule:")
ui.chart(c, charts.meeting_timeline(meetings.assign(group_id=gid), {gid: info["name"]}, start, c.as_of,
                                 "Meetings over the last six years"),
         f"{metrics.meetings_since(meetings, start)} of the {len(meetings)} meetings recorded up to "
         f"{c.as_of:%d %B %Y} fall in these six years; circles are joint meetings, triangles donors-only meetings."
         if len(meetings) else f"No meeting of this group is recorded up to {c.as_of:%d %B %Y}.")
with st.expander(f"All meetings ({len(meetings)})"):
    ui.table(c, meetings, f"meetings of {gid}", {"date": "Date", "format": "Format", "level": "Level",
                                               "participants": "Participants", "minutes_published": "Minutes",
                                               "agenda_sent_on": "Agenda sent"})

left, right = st.columns(2)
with left:
    st.subheader("Members and roles")
    if ui.require(c, "members"):
        mem = prof["members"]
        ui.table(c, mem, f"members of {gid}", {"organisation": "Organisation", "org_type": "Type", "role": "Role",
                                            "start_on": "From", "end_on": "To", "current": "Current"})
with right:
    st.subheader("Attendance, last 12 months")
    if ui.require(c, "attendance"):
        att = prof["attendance"]
        if att.empty:
            st.caption("No attendance recorded in the last 12 months.")
        else:
            ui.table(c, att.assign(rate=(att["rate"].astype(float) * 100).round(0)), f"attendance of {gid}",
                     {"organisation": "Organisation", "meetings_recorded": "Meetings", "present": "Present",
                      "rate": "Present (%)"})

left, right = st.columns(2)
with left:
    st.subheader("Documents")
    if ui.require(c, "documents"):
        docs = prof["documents"]
        if docs.empty:
            st.caption("No document recorded: no terms of reference, work plan or report.")
        else:
            docs = docs.assign(link=docs["url"].map(fmt.safe_link),
                               where=[u if not fmt.safe_link(u) else "" for u in docs["url"].fillna("")])
            ui.table(c, docs, f"documents of {gid}", {"doc_type": "Type", "year": "Year", "title": "Title",
                                                   "link": "Link", "where": "Location"},
                     column_config={"Link": st.column_config.LinkColumn(display_text="open")})
with right:
    st.subheader("NSEDP pillars")
    if ui.require(c, "pillars", "alignment"):
        pil = prof["pillars"]
        if pil.empty:
            st.caption("Aligned to no pillar.")
        else:
            ui.table(c, pil, f"pillars of {gid}", {"plan": "Plan", "pillar_id": "Pillar", "name": "Name",
                                                "primary": "Primary"})

st.subheader("Recommendation actions")
if ui.require(c, "recommendations", "actions"):
    acts = c.q(metrics.actions, action_groups=(gid,))
    if acts.empty:
        st.caption("No follow-up action is assigned to this group.")
    else:
        ui.table(c, acts, f"actions of {gid}", {"rec_id": "Rec.", "description": "Action", "owner": "Owner",
                                             "status": "Status", "due_on": "Due", "overdue": "Overdue"},
                 profile_links=False)

st.subheader(f"Sub-groups ({len(prof['subgroups'])})")
if prof["subgroups"].empty:
    st.caption("No group sits under this one.")
else:
    ui.table(c, prof["subgroups"], f"sub-groups of {gid}",
             {"name": "Group", "kind": "Kind", "status": "Formal status", "established_on": "Established",
              "closed_on": "Closed"})  # keeps its profile links: one click to each sub-group
