"""SWG Dashboard: the entry point. `make run`, or: streamlit run dashboard.py"""
import logging

import streamlit as st

from swgdash import site
from swgdash.app import context, screen, state
from swgdash.i18n import _

state.language()  # before anything is drawn: the navigation's titles are in it too
st.set_page_config(page_title=_("SWG Dashboard"), page_icon="data/favicon.png", layout="wide")

pages: dict[str, list] = {}
for p in site.PAGES:  # the site map lists every page once: address, file, title, section, icon
    pages.setdefault(_(p.section), []).append(
        st.Page(f"pages/{p.file}", title=_(p.title), icon=p.icon, url_path=p.path or None, default=not p.path))
page = st.navigation(pages, expanded=True)  # every page listed (past ten, Streamlit folds the rest away)
# The sidebar as this page opens, said once per run: "auto" (folded on a phone, open on wider
# screens), "collapsed" for the slides. (Said twice, "auto" then "collapsed", a run cut short
# between the two left the browser with "auto", and the sidebar opened again over a slide.)
st.set_page_config(initial_sidebar_state=site.BY_PATH[page.url_path].sidebar)
# Streamlit's own table download does not neutralise spreadsheet formulas; every table
# has our own CSV download (swgdash.app.widgets.table) instead. Static CSS, no user data.
st.html("<style>button[aria-label='Download as CSV']{display:none !important}"
        # sections are h2 under the page's h1 (screen readers list them in order), as large as before
        "[data-testid='stMain'] h2{font-size:1.75rem}[data-testid='stMain'] h3{font-size:1.4rem}"
        ".st-key-screen_probe,.st-key-leave_guard_probe,.st-key-leave_guard_early_probe,.st-key-cookie_probe{display:none}"  # scripts (app.screen, app.handoff) show nothing
        # a folded sidebar out of the keyboard's way (Streamlit only slides it off the screen)
        "[data-testid='stSidebar'][data-collapsed='true']{visibility:hidden}"
        # where the keyboard is, plainly (a magnifier's user sees it too)
        "a:focus-visible,button:focus-visible,[role='tab']:focus-visible,summary:focus-visible"
        "{outline:3px solid #00629B !important;outline-offset:2px}"
        # Lao stacks vowel and tone marks above and below its letters: taller lines, none clipped
        "html[lang='lo'] [data-testid='stMarkdownContainer'] p,"
        "html[lang='lo'] [data-testid='stMarkdownContainer'] li{line-height:1.75}"
        # text contrast of at least 4.5:1: captions (Streamlit's grey is 3.9:1) and badges
        "[data-testid='stCaptionContainer'],[data-testid='stCaptionContainer'] p{color:#52606d !important;opacity:1 !important}"
        ".stMarkdownBadge{color:#8a4b10 !important;background-color:#fff0e0 !important}</style>")
st.logo("data/logo.svg", size="large")
try:
    context.setup()
except context.NothingToShow as exc:  # no version can be read: say what is wrong and how to repair it
    st.error(_("The dashboard has no version it can read. {problem} The secretariat can check the store with "
               "`python -m swgdash verify --all`, rebuild HEAD.json with `python -m swgdash verify --repair-head`, "
               "or restore a backup (docs/operations.md).").format(problem=exc), icon=":material/error:")
    st.stop()
except Exception:  # a broken store must not show a traceback to a committee member
    logging.getLogger("swgdash").exception("could not open the data store")
    st.error(_("The dashboard could not open its data. The secretariat can check the store with "
               "`python -m swgdash verify --all`."), icon=":material/error:")
    st.stop()
try:
    context.run_page(page)
finally:  # (a page may st.stop(): the script is kept all the same, with what it measured)
    screen.mount()  # measures the main column's width for the charts and tables (app.screen)
