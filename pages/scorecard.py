"""/scorecard — good practice per group, as traffic lights with words."""
import streamlit as st

from swgdash import excel, metrics
from swgdash.app import state
from swgdash.contract import word, words
from swgdash.app import widgets as ui

SHOWN_MAX = 500  # the lowest scores first; colouring each cell costs the server (5 ms a row at 40,000 groups)
RATING_COLOURS = {"good": "#d4efe6", "partial": "#fbe8c0", "poor": "#f6d3c2", "na": "#eef0f2"}

c = ui.header("scorecard")
if not c.has("documents"):
    ui.require(c, "documents")
sc = metrics.scorecard(c.q(metrics.group_practice))
cols = {"name": "Group", "score": "Score", "tor_rating": "Terms of reference",
        "workplan_rating": f"Work plan {c.as_of.year}", "annual_report_rating": f"Annual report {c.as_of.year - 1}",
        "meetings_rating": "Meetings as planned", "minutes_rating": "Minutes published",
        "agenda_rating": "Agenda 7+ days ahead", "format_mix": "Joint / donors-only (12 months)",
        "highest_level_12m": "Highest chairing level"}
ordered = sc.sort_values(["score", "name"], na_position="first")
view = ordered[list(cols)].rename(columns=cols)
rating_cols = [v for k, v in cols.items() if k.endswith("_rating")]
for code, head in cols.items():  # documents: '✘ missing'; shares of meetings: '✘ under half'
    if code.endswith("_rating"):
        view[head] = view[head].map(words(code))
view["Highest chairing level"] = [word("level", v) for v in view["Highest chairing level"]]
rating_of = {w: r for d in ("rating", "rating_share") for r, w in words(d).items()}

k = st.columns(4)
k[0].metric("Groups", len(sc), border=True)
k[1].metric("With terms of reference", int((sc["tor_rating"] == "good").sum()), border=True)
k[2].metric(f"With a {c.as_of.year} work plan", int((sc["workplan_rating"] == "good").sum()), border=True)
k[3].metric("Met at least as planned", int((sc["meetings_rating"] == "good").sum()), border=True)
st.caption(f"Legend: {' · '.join(words('rating').values())} (not applicable or not recorded); "
           f"{words('rating_share')['poor']}: held, or published, for less than half. Meetings: good at "
           f"{metrics.MEETINGS_GOOD:.0%} of the planned number or more, partly from {metrics.MEETINGS_PARTLY:.0%}. "
           f"Minutes and agendas: good at {metrics.SHARE_GOOD:.0%} of meetings, partly from "
           f"{metrics.SHARE_PARTLY:.0%}. Score: good counts 1, partly ½, out of the checks that apply. Click a "
           "column header to sort; 'open profile' shows the group's page.")
full = view
if len(view) > SHOWN_MAX:  # colouring every cell of tens of thousands of rows is slow (and capped by pandas)
    st.info(f"Showing the {SHOWN_MAX:,} lowest-scoring of {len(view):,} groups; the download has them all. "
            "Pick an SWG in the sidebar to see its groups.", icon=":material/filter_list:")
    view = view.head(SHOWN_MAX)
# plain Python cells: pandas' Styler walks every cell, and Arrow-backed text walks slowly
view = view.astype(object).assign(Profile=[state.profile_url(g)
                                           for g in ordered["group_id"].head(SHOWN_MAX).tolist()])
styled = view.style.map(lambda v: f"background-color: {RATING_COLOURS[rating_of[v]]}" if v in rating_of else "",
                        subset=rating_cols).format({"Score": "{:.0%}"}, na_rep="—")
st.dataframe(styled, hide_index=True, width="stretch", height=min(36 * (len(view) + 1) + 4, 1200),
             column_config={**{col: st.column_config.TextColumn(col, width=None) for col in rating_cols},
                            "Profile": st.column_config.LinkColumn("Profile", display_text="open profile"),
                            "Group": st.column_config.TextColumn("Group", width="large", pinned=True),
                            "Score": st.column_config.TextColumn("Score", width="small")})
st.download_button("Download scorecard (CSV)", lambda: excel.csv_bytes(full),
                   file_name=f"scorecard_as-of_{c.as_of.isoformat()}.csv", mime="text/csv",
                   icon=":material/download:", on_click="ignore")
