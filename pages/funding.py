"""/funding — who funds each group's sectors (the partners' IATI files), and who sits in the group."""
import streamlit as st

from swgdash import fmt
from swgdash.app import widgets as ui
from swgdash.i18n import _
from swgdash.present import charts
from swgdash.query.funding import YEARS_OFFERED

c = ui.header("funding")
if ui.require(c, "group_sectors") and ui.has_iati(c):
    years = st.segmented_control(_("Years of disbursements counted"), YEARS_OFFERED, default=3, key="fund_years",
                                 format_func=lambda n: fmt.years_label(n)) or 3
    f = c.funding(years)
    st.caption(fmt.iati_note(f.iati, f.since, f.as_of))
    if unconverted := f.unconverted():
        st.info(fmt.md(fmt.unconverted_note(unconverted)) + " " + _("Each group's funders list them beside their "
                                                                     "amounts."), icon=":material/currency_exchange:")
    by = f.by_group()
    k = st.columns(4)
    k[0].metric(_("Groups with sectors mapped"), ui.shown(len(by)), border=True)
    k[1].metric(_("IATI activities in their sectors"), ui.shown(f.flows["iati_identifier"].nunique()), border=True)
    k[2].metric(_("Funders not in the group they fund"), ui.shown(int(by["not_members"].sum())), border=True,
                help=_("Pairs of a group and an organisation funding its sectors without sitting in it."))
    k[3].metric(_("Members with no IATI evidence"), ui.shown(int(by["without_evidence"].sum())), border=True,
                help=fmt.no_iati_evidence(f.iati))
    ui.chart(c, charts.funding_by_group(by, years),
             _("Each bar is one group: what the IATI activities in its sectors disbursed or spent in the window, in "
               "US dollars, from funders that sit in the group and from funders that do not. An activity with two "
               "funders counts for each."))
    ui.table(c, fmt.lists_as_text(by.assign(usd=by["usd"].map(fmt.usd)), "codes"), _("funding by group"),
             fmt.headings("name", "codes", "activities", "usd", "funders", "not_members", "without_evidence"))

    st.header(_("One group's funders"))
    ids = by.sort_values("usd", ascending=False)["group_id"].tolist()
    wanted = st.query_params.get("group")  # (/funding?group=SWG-HEALTH: the group profile's link)
    if ids:
        gid = ui.pick(_("Group"), ids, ids.index(wanted) if wanted in ids else 0, f"fund_group_{wanted}",
                      lambda g: c.names.get(g, g), _("groups"))
        ui.funders(c, f, gid)
