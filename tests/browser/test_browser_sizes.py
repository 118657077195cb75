"""Every page at every size a member uses (issue 18): phone, tablet, projector, full HD.

For each page and size: no sideways scrolling; no chart text outside its chart nor over another;
nothing crashed. At the phone and the projector size, axe-core audits the page: no serious or
critical violation (the minor ones left are listed in the README with their reasons).
"""
import pytest
from axe_playwright_python.sync_playwright import Axe

from serve import CHART_TEXTS, LABELS_OUTSIDE, OTHER_PAGES, PAGES, SIZES
from serve import assert_clean, module_server, new_page, overlapping_labels, sideways_scroll, tables_scrolling_sideways
from serve import wait_for_page

pytestmark = pytest.mark.browser

EVERY_PAGE = [*PAGES, *OTHER_PAGES, "/present?slide=2", "/present?slide=4"]
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


def serious(page) -> list[str]:
    """axe-core's serious and critical violations on the page, with where they are."""
    found = AXE.run(page, options={"resultTypes": ["violations"]}).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
            for v in found if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("path", EVERY_PAGE)
def test_every_page_fits_every_size(server, sized, path):
    url, _ = server
    size, page = sized
    page.errors.clear()
    page.goto(url + path)
    wait_for_page(page)
    problems = {"scrolls sideways by (px)": sideways_scroll(page),
                "tables scrolling sideways": tables_scrolling_sideways(page),
                "chart texts outside their chart": page.evaluate(LABELS_OUTSIDE, CHART_TEXTS),
                "chart texts over one another": overlapping_labels(page),
                "serious accessibility violations": serious(page) if size in AUDITED else []}
    assert {k: v for k, v in problems.items() if v} == {}, f"{path} at {size}"
    assert_clean(page)
