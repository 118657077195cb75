"""SWG Dashboard: the entry point. `make run`, or: streamlit run dashboard.py"""
import logging

import streamlit as st

from swgdash import ui

st.set_page_config(page_title="SWG Dashboard", page_icon="data/favicon.png", layout="wide",
                   initial_sidebar_state="expanded")

PAGES = {
    "For the steering committee": [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page("pages/meetings.py", title="Meeting frequency", icon=":material/calendar_month:",
                url_path="meetings"),
        st.Page("pages/dormant.py", title="Dormant groups", icon=":material/bedtime:", url_path="dormant"),
        st.Page("pages/alignment.py", title="NSEDP alignment", icon=":material/account_tree:",
                url_path="alignment"),
        st.Page("pages/recommendations.py", title="Recommendation follow-up", icon=":material/task_alt:",
                url_path="recommendations"),
    ],
    "Who does the work": [
        st.Page("pages/participation.py", title="Participation and donor load", icon=":material/diversity_3:",
                url_path="participation"),
        st.Page("pages/rotation.py", title="Chair rotation", icon=":material/autorenew:", url_path="rotation"),
        st.Page("pages/scorecard.py", title="Good-practice scorecard", icon=":material/fact_check:",
                url_path="scorecard"),
        st.Page("pages/group.py", title="Group profile", icon=":material/badge:", url_path="group"),
    ],
    "Retreats and meetings": [
        st.Page("pages/present.py", title="Presentation mode", icon=":material/co_present:", url_path="present"),
    ],
    "Secretariat": [
        st.Page("pages/upload.py", title="Publish data", icon=":material/upload_file:", url_path="upload"),
    ],
}

page = st.navigation(PAGES)
# Streamlit's own table download does not neutralise spreadsheet formulas; every table
# has our own CSV download (swgdash.ui.table) instead. Static CSS, no user data.
st.html("<style>button[aria-label='Download as CSV']{display:none !important}</style>")
st.logo("data/logo.svg", size="large")
try:
    context = ui.setup()
except Exception:  # a broken store must not show a traceback to a committee member
    logging.getLogger("swgdash").exception("could not open the data store")
    st.error("The dashboard could not open its data. The secretariat can check the store with "
             "`python -m swgdash versions`.", icon=":material/error:")
    st.stop()
ui.run_page(page)
