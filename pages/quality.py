"""/quality — data-quality warnings of the published extract, and the meetings no figure counts."""
import pandas as pd
import streamlit as st

from swgdash import fmt
from swgdash.app import widgets as ui
from swgdash.contract import word
from swgdash.i18n import _
from swgdash.query import metrics

c = ui.header("quality")
kept = c.version.manifest.get("quality", [])
warnings = pd.DataFrame(kept, columns=["table", "row", "column", "message"]).assign(
    message=[fmt.kept_warning(w) for w in kept])
apart = c.q(metrics.not_counted)
aside = c.q(metrics.set_aside)
k = st.columns(3)
k[0].metric(_("Warnings in the extract"), ui.shown(len(warnings)), border=True,
            help=_("Found when the extract was checked; none of them stopped it being published."))
k[1].metric(_("Meetings set aside"), ui.shown(len(aside)), border=True,
            help=_("Held before their group was established, after it closed, or dated after "
                   "the upload day: no figure counts them, whatever the date."))
k[2].metric(_("Meetings not counted, last 12 months"), ui.shown(int(apart["meetings"].sum())), border=True,
            help=_("Meetings of the last 12 months that no figure counts: of groups that do "
                   "not count at the as-of date, or set aside."))

st.header(_("Meetings no figure counts, last 12 months"))
if apart.empty:
    st.success(_("Every meeting of the last 12 months counts in the figures."))
else:
    st.caption(_("The totals on every page are the sums of their groups' rows: these meetings "
                 "are left out of all of them, for the reason given."))
    ui.table(c, apart.assign(why=[word("not_counted", r) for r in apart["reason"]]), _("meetings not counted"),
             fmt.headings("name", "why", "meetings", "first_date", "last_date", "group_id", why="why_not_counted"))

st.header(_("Meetings set aside ({aside})").format(aside=len(aside)))
if aside.empty:
    st.success(_("No meeting is dated outside its group's life or after the upload day."))
else:
    ui.table(c, aside.assign(why=[word("not_counted", r) for r in aside["reason"]]), _("meetings set aside"),
             fmt.headings("date", "name", "why", "meeting_id", "group_id", why="why_set_aside"))

st.header(_("Warnings ({warnings})").format(warnings=len(warnings)))
if warnings.empty:
    st.success(_("The extract raised no data-quality warning."))
else:
    st.caption(_("Correct them in the registers and publish again; each names the table, the "
                 "row as in the uploaded file (the header is row 1) and the column."))
    h = fmt.headings("table", "row", "column", "message")
    ui.table(c, warnings, _("data quality warnings"), h, profile_links=False,
             column_config={h["message"]: st.column_config.TextColumn(h["message"], width="large")})
