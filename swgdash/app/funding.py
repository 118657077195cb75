"""Who funds what (issue 33) in the Streamlit layer: /funding, the group profile's brief and the
/participation column, drawn from swgdash.query.funding through the run's Context."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from swgdash import fmt, i18n
from swgdash.app.context import Context
from swgdash.app.widgets import chart, pick, shown, table
from swgdash.i18n import _, ngettext
from swgdash.present import charts

BRIEF = 5  # funders the group profile lists


def has_iati(c: Context) -> bool:
    """Whether an IATI set is read; if not, say why (one withheld) and who imports one, and how."""
    used = c.iati_in_use
    if used.version is not None:
        return True
    if used.withheld:
        st.warning(fmt.md(_("The partners' IATI data are not shown: {why}.").format(why=used.withheld)),
                   icon=":material/payments:")
    st.info(_("No IATI data has been imported yet: {secretariat} imports the partners' IATI activity files (as "
              "downloaded from d-portal.org or their publishers) on the Publish data page, or with "
              "`python -m swgdash iati import`.").format(secretariat=fmt.md(fmt.secretariat())),
            icon=":material/payments:")
    return False


def ready(c: Context) -> bool:
    """Whether the funding figures can be drawn: an IATI set read and groups mapped to sectors."""
    return c.iati is not None and c.has("group_sectors")


def groups_funded(c: Context, organisations: pd.Series) -> list[int] | None:
    """For each organisation, the number of groups whose sectors it funds (the IATI set, over the
    default window); None without an IATI set or a map of groups to sectors."""
    if not ready(c):
        return None
    funded = c.funding().groups_funded()
    return [len(funded.get(str(o), ())) for o in organisations]


def note(c: Context) -> str:
    """What the funding figures over the default window read (fmt.iati_note)."""
    f = c.funding()
    return fmt.iati_note(f.iati, f.since, f.as_of)


def overview(c: Context, f, by: pd.DataFrame) -> None:
    """/funding's figures for every group: key figures, the chart, the table."""
    k = st.columns(4)
    k[0].metric(_("Groups with sectors"), shown(len(by)), border=True,
                help=_("Groups counting at the figures' date with DAC sector codes in the register."))
    k[1].metric(_("IATI activities"), shown(f.flows["iati_identifier"].nunique()), border=True,
                help=_("Activities that disbursed or spent in the groups' sectors in the window."))
    k[2].metric(_("Outside funders"), shown(int(by["not_members"].sum())), border=True,
                help=_("Pairs of a group and an organisation funding its sectors without sitting in it."))
    k[3].metric(_("No IATI evidence"), shown(int(by["without_evidence"].sum())), border=True,
                help=_("Times a development partner holds an active role in a group and no IATI activity of it was "
                       "found in the group's sectors.") + " " + fmt.no_iati_evidence(f.iati))
    chart(c, charts.funding_by_group(by, f.years, fmt.iati_source(f.iati)),
          _("Each bar is one group: what the IATI activities in its sectors disbursed or spent in the window, in US "
            "dollars, each activity once: dark where one of its funders sits in the group, orange and hatched where "
            "none does. A group and its sub-groups often share sectors, so their bars share activities."))
    best = by.sort_values(["usd", "name"], ascending=[False, True])  # (as the chart: the best funded first)
    table(c, fmt.lists_as_text(best.assign(usd=best["usd"].map(fmt.usd)), "codes"), _("funding by group"),
          fmt.headings("name", "usd", "activities", "funders", "not_members", "without_evidence", "codes"))


def one_group(c: Context, f, by: pd.DataFrame, wanted: str | None) -> None:
    """/funding's section on one group (the address's ?group=, else the best funded)."""
    ids = by.sort_values(["usd", "group_id"], ascending=[False, True])["group_id"].tolist()
    if not ids:
        return
    st.header(_("One group's funders"))
    gid = pick(_("Group"), ids, ids.index(wanted) if wanted in ids else 0, f"fund_group_{wanted}",
               lambda g: c.names.get(g, g), _("groups"))
    funders(c, f, gid)


def funders(c: Context, f, group_id: str, brief: bool = False) -> None:
    """One group's funders (swgdash.query.funding): the total, each funder with whether it sits in
    the group, the largest funders that do not, the members with no IATI evidence; in full (not
    `brief`), each activity too."""
    found = f.funders(group_id)
    n, usd = f.totals(group_id)
    name = c.names.get(group_id, group_id)
    if found.empty:
        st.info(_("No IATI activity disbursed or spent in this group's sectors in the window."))
    else:
        st.markdown(ngettext("{n} IATI activity in its sectors, {usd} in all in the window.",
                             "{n} IATI activities in its sectors, {usd} in all in the window.", n).format(
            n=i18n.number(n), usd=fmt.md(fmt.usd(usd))))
        rows = found.assign(activities=found["activities"].map(len), disbursed_usd=found["disbursed_usd"].map(fmt.usd),
                            unconverted=found["unconverted"].map(fmt.amounts))
        columns = ["organisation", "disbursed_usd", "member", "role", "activities"]
        if rows["unconverted"].ne("").any():
            columns.insert(2, "unconverted")
        if brief and len(rows) > BRIEF:
            st.caption(_("The {shown} largest of its {n} funders; the Who funds what page lists them all.").format(
                shown=BRIEF, n=len(rows)))
        if len(rows) > 1 and found["disbursed_usd"].sum() > usd + 1:
            st.caption(_("An activity with several funders counts for each of them, so the rows add up to more "
                         "than the group's total."))
        table(c, rows.head(BRIEF) if brief else rows, _("funders of {group}").format(group=name),
              fmt.headings(*columns), key=f"funders-{group_id}-{brief}")
    outside = [o for o in found.loc[~found["member"].astype(bool), "organisation"]]
    if outside:
        st.markdown(fmt.md(_("Largest funders of its sectors that are not members: {names}.").format(
            names=", ".join(outside[:BRIEF]))))
    without = f.members_without_evidence(group_id)
    if without:
        st.info(fmt.md(_("Members with no IATI evidence: {names}.").format(names=", ".join(without))) + " "
                + fmt.md(fmt.no_iati_evidence(f.iati)), icon=":material/help:")
    if not brief and not found.empty:
        with st.expander(_("Each activity")):
            acts = f.activities(group_id)
            table(c, acts.assign(usd=acts["usd"].map(fmt.usd)), _("activities of {group}").format(group=name),
                  fmt.headings("iati_identifier", "usd", "title", "funders"), key=f"activities-{group_id}")
