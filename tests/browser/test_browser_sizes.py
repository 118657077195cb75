"""Every page at every size a member uses (issue 18): phone, tablet, projector, full HD.

For each page and size: no sideways scrolling of the page or of a table; no chart text outside its
chart nor over another; nothing crashed. At the phone and the projector size, axe-core audits the
page: no serious or critical violation, and none of lesser impact but those LEFT_MINOR lists (and
the README, with their reasons).
"""
import pytest
from axe_playwright_python.sync_playwright import Axe

from serve import (
    CHART_TEXTS,
    LABELS_OUTSIDE,
    OTHER_PAGES,
    PAGES,
    SIZES,
    app_run,
    assert_clean,
    figure_problems,
    module_server,
    new_page,
    overlapping_labels,
    sideways_scroll,
    tables_scrolling_sideways,
    wait_for_page,
)

pytestmark = pytest.mark.browser

# (one SWG on /participation: its few partners once had the cap's label over the legend)
EVERY_PAGE = [*PAGES, *OTHER_PAGES, "/participation?swg=SWG-EDU", "/?lang=lo", "/present?slide=2", "/present?slide=3", "/present?slide=5"]
AUDITED = ("phone", "projector")
AXE = Axe()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from module_server(tmp_path_factory, "sizes")


@pytest.fixture(scope="module", params=list(SIZES))
def sized(request, browser):
    """One browser window per size, shared by the pages (as a member moves from page to page)."""
    width, height = SIZES[request.param]
    page = new_page(browser, width, height, is_mobile=request.param == "phone",
                    has_touch=request.param in ("phone", "tablet"))
    yield request.param, page
    page.context.close()


# axe-core's findings of lesser impact left on purpose, by rule, with the reason (as the README
# lists them): none at present. A serious or critical one is never left.
LEFT_MINOR: dict[str, str] = {}


def violations(page) -> list[str]:
    """axe-core's violations on the page, with where they are: every serious or critical one, and
    any other not in LEFT_MINOR."""
    found = AXE.run(page, options={"resultTypes": ["violations"]}).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
            for v in found if v["impact"] in ("serious", "critical") or v["id"] not in LEFT_MINOR]


def misfits(page, size: str) -> dict:
    """What does not fit the page at this size (empty when all does): sideways scrolling, tables
    scrolling sideways, chart texts outside their chart or over one another, and (at the audited
    sizes) axe-core's violations."""
    problems = {"scrolls sideways by (px)": sideways_scroll(page),
                "tables scrolling sideways": tables_scrolling_sideways(page),
                "chart texts outside their chart": page.evaluate(LABELS_OUTSIDE, CHART_TEXTS),
                "chart texts over one another": overlapping_labels(page),
                "accessibility violations": violations(page) if size in AUDITED else []}
    return {k: v for k, v in problems.items() if v}


@pytest.mark.parametrize("path", EVERY_PAGE)
def test_every_page_fits_every_size(server, sized, path):
    url, _ = server
    size, page = sized
    page.errors.clear()
    page.goto(url + path)
    wait_for_page(page)
    assert misfits(page, size) == {}, f"{path} at {size}"
    assert_clean(page)


def long_names():
    """Dormant groups named at length, among them the name a two-line label once overlapped its
    neighbours with on the deck's dormant-groups chart."""
    import datetime as dt

    import pandas as pd

    names = ["Sub-SWG on Education Management, Administration and Performance Assessment",
             "Sub-SWG on Crime", "Trade and Private Sector Development Sector Working Group",
             "Sub-SWG on Water, Sanitation and Urban Development", "Task Force on Development Partner Mapping",
             "Sub-SWG on Mother and Child Health and Nutrition", "Sub-SWG on Sports", "Sub-SWG on Food and Drug"]
    names += [name.replace("Sub-SWG on", "Sub-group on") for name in names]  # as many rows as the demo's slide
    days = [900 - 30 * i for i in range(len(names))]
    return pd.DataFrame({"group_id": [f"G{i}" for i in range(len(names))], "name": names,
                         "last_meeting": [dt.date(2026, 10, 31) - dt.timedelta(days=d) for d in days],
                         "days_since_last": days, "activity": "dormant"})


@pytest.mark.parametrize("lang", ["en", "lo"])
def test_every_chart_of_the_deck_keeps_its_labels_apart(demo_db, browser, lang):
    """The briefing pack's charts as the deck draws them (deck.slide_figure), drawn by Plotly in
    Chromium at the deck's size: no label outside its chart nor over another."""
    from swgdash import i18n
    from swgdash.present import charts, deck, slides
    from swgdash.query import metrics

    cur = demo_db.cursor()
    as_of = demo_db.version.as_of
    params = metrics.Params(as_of=as_of, plan=metrics.default_plan(metrics.plans(cur), as_of))
    with i18n.language(lang):
        figures = [deck.slide_figure(s.figure, *deck.chart_room(s)) for s in slides.build_slides(cur, params)
                   if s.figure is not None]
        figures.append(deck.slide_figure(charts.days_since_last(long_names(), as_of, 183, 365)))
    assert len(figures) >= 5
    assert figure_problems(browser, figures, deck.chart_room(slides.Slide("x", "", ""))[0] + 40) == {}


def test_at_720p_present_keeps_its_sidebar_folded_and_its_demo_line_in_sight(server, browser):
    """Arriving from another page with the sidebar open, /present folds it once; moving through
    the slides never opens it again; the demo line is below the top bar, not under it."""
    url, _ = server
    page = new_page(browser, 1280, 720)
    page.goto(url + "/")
    wait_for_page(page)
    with app_run(page):
        page.locator('[data-testid="stSidebarNav"] a[href$="/present"]').click()
    assert page.evaluate("() => location.pathname") == "/present"
    for n in range(2, 6):
        with app_run(page):
            page.get_by_role("button", name="Next slide").click()
        assert page.evaluate("() => new URLSearchParams(location.search).get('slide')") == str(n)
        assert page.locator('[data-testid="stSidebar"]').get_attribute("data-collapsed") == "true", f"slide {n}"
    bar = page.locator('[data-testid="stHeader"]').bounding_box()
    demo = page.get_by_text("bundled demonstration figures").bounding_box()
    assert demo["y"] >= bar["y"] + bar["height"]
    assert_clean(page)
    page.context.close()


@pytest.mark.parametrize("path", list(PAGES))
def test_every_chart_has_its_figures_as_a_table(server, browser, path):
    """Under every chart, an expander that opens on its figures as a table (the chart's text
    alternative), drawn when opened."""
    url, _ = server
    page = new_page(browser, 1280, 900)
    page.goto(url + path)
    wait_for_page(page)
    charts_drawn = page.locator('[data-testid="stPlotlyChart"]').count()
    expanders = page.locator('[data-testid="stExpander"]', has_text="The chart's figures as a table")
    assert expanders.count() == charts_drawn >= 1
    tables = page.locator('[data-testid="stDataFrame"]').count()
    expanders.first.locator("summary").click()
    page.wait_for_function(f"() => document.querySelectorAll('[data-testid=\"stDataFrame\"]').length > {tables}",
                           timeout=30000)
    wait_for_page(page)
    assert expanders.first.locator('[data-testid="stDataFrame"]').count() == 1
    assert_clean(page)
    page.context.close()
