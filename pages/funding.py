"""/funding — who funds each group's sectors (the partners' IATI files), and who sits in the group."""
import streamlit as st

from swgdash import fmt
from swgdash.app import funding, widgets as ui
from swgdash.i18n import _
from swgdash.query.funding import DEFAULT_YEARS, YEARS_OFFERED

c = ui.header("funding")
if ui.require(c, "group_sectors") and funding.has_iati(c):
    years = st.segmented_control(_("Years of disbursements counted"), YEARS_OFFERED, default=DEFAULT_YEARS,
                                 key="fund_years", format_func=fmt.years_label) or DEFAULT_YEARS
    f = c.funding(years)
    st.caption(fmt.iati_note(f.iati, f.since, f.as_of))
    if unconverted := f.unconverted():
        st.info(fmt.md(fmt.unconverted_note(unconverted)) + " " + _("Each group's funders list them beside their "
                                                                     "amounts."), icon=":material/currency_exchange:")
    by = f.by_group()
    wanted = st.query_params.get("group")  # (/funding?group=SWG-HEALTH, the group profile's link: that group first)
    if wanted in set(by["group_id"]):
        funding.one_group(c, f, by, wanted)
        st.header(_("Every group"))
        funding.overview(c, f, by)
    else:
        funding.overview(c, f, by)
        funding.one_group(c, f, by, wanted)
