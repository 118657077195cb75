"""/scorecard — good practice per group, as traffic lights with words."""
import streamlit as st

from swgdash import fmt, i18n
from swgdash.app import state, widgets as ui
from swgdash.contract import word, words
from swgdash.i18n import _
from swgdash.present import excel
from swgdash.query import metrics

SHOWN_MAX = 500  # the lowest scores first; colouring each cell costs the server (5 ms a row at 40,000 groups)
RATING_COLOURS = {"good": "#d4efe6", "partial": "#fbe8c0", "poor": "#f6d3c2", "na": "#eef0f2"}

c = ui.header("scorecard")
if not c.has("documents"):
    ui.require(c, "documents")
sc = metrics.scorecard(c.q(metrics.group_practice))
cols = fmt.headings("name", "score", "tor_rating", "workplan_rating", "annual_report_rating", "meetings_rating",
                    "minutes_rating", "agenda_rating", "format_mix", "highest_level_12m", "called_off")
cols["workplan_rating"] = cols["workplan_rating"].format(year=c.as_of.year)
cols["annual_report_rating"] = cols["annual_report_rating"].format(year=c.as_of.year - 1)
profile = fmt.heading("profile")
ordered = sc.sort_values(["score", "name"], na_position="first")
view = ordered[list(cols)].rename(columns=cols)
rating_cols = [v for k, v in cols.items() if k.endswith("_rating")]
for code, head in cols.items():  # documents: '✘ missing'; shares of meetings: '✘ under half'
    if code.endswith("_rating"):
        view[head] = view[head].map(words(code))
view[cols["highest_level_12m"]] = [word("level", v) for v in view[cols["highest_level_12m"]]]
rating_of = {w: r for d in ("rating", "rating_share") for r, w in words(d).items()}

k = st.columns(5)
k[0].metric(_("Groups"), ui.shown(len(sc)), border=True)
k[1].metric(_("With terms of reference"), ui.shown(int((sc["tor_rating"] == "good").sum())), border=True)
k[2].metric(_("With a {year} work plan").format(year=c.as_of.year), ui.shown(int((sc["workplan_rating"] == "good").sum())), border=True)
k[3].metric(_("Met at least as planned"), ui.shown(int((sc["meetings_rating"] == "good").sum())), border=True)
off = metrics.called_off_share(sc)
k[4].metric(_("Meetings called off"), ui.shown("—" if off is None else f"{off:.0%}"), border=True,
            help=_("Of the meetings held, cancelled or postponed in the last 12 months, the share cancelled "
                   "or postponed."))
st.caption(_("Legend: {values} (not applicable or not recorded); {poor}: held, or published, "
             "for less than half. Meetings: good at {meetings_good:.0%} of the planned number "
             "or more, partly from {meetings_partly:.0%}. Minutes and agendas: good at "
             "{share_good:.0%} of meetings, partly from {share_partly:.0%}. Score: good counts "
             "1, partly ½, out of the checks that apply. Click a column header to sort; 'open "
             "profile' shows the group's page.").format(values=' · '.join(words('rating').values()), poor=words('rating_share')['poor'], meetings_good=metrics.MEETINGS_GOOD, meetings_partly=metrics.MEETINGS_PARTLY, share_good=metrics.SHARE_GOOD, share_partly=metrics.SHARE_PARTLY))
full = view
if len(view) > SHOWN_MAX:  # colouring every cell of tens of thousands of rows is slow (and capped by pandas)
    st.info(_("Showing the {shown_max:,} lowest-scoring of {view:,} groups; the download has "
              "them all. Pick an SWG in the sidebar to see its groups.").format(shown_max=SHOWN_MAX, view=len(view)), icon=":material/filter_list:")
    view = view.head(SHOWN_MAX)
# plain Python cells: pandas' Styler walks every cell, and Arrow-backed text walks slowly
view = view.astype(object).assign(**{profile: [state.profile_url(g)
                                                   for g in ordered["group_id"].head(SHOWN_MAX).tolist()]})
ui.frame(view, style=lambda shown: shown.style.map(
             lambda v: f"background-color: {RATING_COLOURS[rating_of[v]]}" if v in rating_of else "",
             subset=[col for col in rating_cols if col in shown.columns]).format(
             {cols["score"]: "{:.0%}"} if cols["score"] in shown.columns else {}, na_rep="—"),
         height=min(36 * (len(view) + 1) + 4, 1200),
         config={**{col: st.column_config.TextColumn(col, width=None) for col in rating_cols},
                            profile: st.column_config.LinkColumn(profile, display_text=_("open profile")),
                            cols["name"]: st.column_config.TextColumn(cols["name"], pinned=True),
                            cols["score"]: st.column_config.TextColumn(cols["score"], width="small")})
st.download_button(_("Download scorecard (CSV)"), i18n.bound(lambda: excel.csv_bytes(full)),
                   file_name=f"scorecard_as-of_{c.as_of.isoformat()}.csv", mime="text/csv",
                   icon=":material/download:", on_click="ignore")
