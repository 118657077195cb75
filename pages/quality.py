"""/quality — data-quality warnings of the published extract, and the meetings no figure counts."""
import pandas as pd
import streamlit as st

from swgdash import metrics
from swgdash.app import widgets as ui
from swgdash.contract import word

c = ui.header("quality")
warnings = pd.DataFrame(c.version.manifest.get("quality", []), columns=["table", "row", "column", "message"])
apart = c.q(metrics.not_counted)
aside = c.q(metrics.set_aside)
k = st.columns(3)
k[0].metric("Warnings in the extract", len(warnings), border=True,
            help="Found when the extract was checked; none of them stopped it being published.")
k[1].metric("Meetings set aside", len(aside), border=True,
            help="Held before their group was established, after it closed, or dated after the upload day: "
                 "no figure counts them, whatever the date.")
k[2].metric("Meetings not counted, last 12 months", int(apart["meetings"].sum()), border=True,
            help="Meetings of the last 12 months that no figure counts: of groups that do not count at the "
                 "as-of date, or set aside.")

st.subheader("Meetings no figure counts, last 12 months")
if apart.empty:
    st.success("Every meeting of the last 12 months counts in the figures.")
else:
    st.caption("The totals on every page are the sums of their groups' rows: these meetings are left out of "
               "all of them, for the reason given.")
    ui.table(c, apart.assign(why=[word("not_counted", r) for r in apart["reason"]]), "meetings not counted",
             {"name": "Group", "why": "Why not counted", "meetings": "Meetings", "first_date": "First",
              "last_date": "Last", "group_id": "ID"})

st.subheader(f"Meetings set aside ({len(aside)})")
if aside.empty:
    st.success("No meeting is dated outside its group's life or after the upload day.")
else:
    ui.table(c, aside.assign(why=[word("not_counted", r) for r in aside["reason"]]), "meetings set aside",
             {"date": "Date", "name": "Group", "why": "Why set aside", "meeting_id": "Meeting", "group_id": "ID"})

st.subheader(f"Warnings ({len(warnings)})")
if warnings.empty:
    st.success("The extract raised no data-quality warning.")
else:
    st.caption("Correct them in the registers and publish again; each names the table, the row as in the "
               "uploaded file (the header is row 1) and the column.")
    ui.table(c, warnings, "data quality warnings", {"table": "Table", "row": "Row", "column": "Column",
                                                     "message": "Warning"}, profile_links=False,
             column_config={"Warning": st.column_config.TextColumn("Warning", width="large")})
