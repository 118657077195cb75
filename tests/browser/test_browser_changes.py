"""/changes in Chromium with two versions published (issue 19): at every size, the lists, the trend
and the slides fit; a member compares with the version current on a date through the page."""
import pytest
from test_browser_sizes import misfits

from factories import later_version
from serve import SIZES, app_run, assert_clean, at_slide, module_server, new_page, wait_for_page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The demo, then a later version of it (renamed, added, revived, done, removed)."""
    from swgdash import publishing
    from swgdash.store import FolderStore

    for url, home in module_server(tmp_path_factory, "changes"):
        publishing.ensure_demo(FolderStore(home))  # (what the server's first page would do)
        version, facts = later_version(home, home.parent / "later")
        yield url, home, facts


@pytest.mark.parametrize("size", list(SIZES))
def test_the_changes_fit_every_size(server, browser, size):
    url, _home, facts = server
    width, height = SIZES[size]
    page = new_page(browser, width, height, is_mobile=size == "phone", has_touch=size in ("phone", "tablet"))
    for path in ("/changes", "/recommendations", "/present?slide=3"):
        page.goto(url + path)
        wait_for_page(page)
        assert misfits(page, size) == {}, f"{path} at {size}"
        assert_clean(page)
    page.context.close()


def test_a_member_reads_what_changed_and_compares_with_a_date(server, browser):
    url, _home, facts = server
    page = new_page(browser, 1440, 1000)
    page.goto(url + "/changes")
    wait_for_page(page)
    main = page.locator('[data-testid="stMain"]')
    text = main.inner_text()
    assert "1 group revived, 2 fell dormant, 1 action done since 31 October 2026." in text
    assert "Revived (1)" in text and "Renamed (1)" in text
    # the trend: one bar per quarter end of five years, then the as-of date, with the review marked
    assert page.locator(".js-plotly-plot .gtitle", has_text="over the years").count() == 1
    assert page.locator(".js-plotly-plot .annotation-text", has_text="Review of 16 Nov 2022").count() == 2  # (and meetings)
    with app_run(page):
        page.get_by_role("radio", name="the version current on a date").click()
    # both versions were published today: the version current today is the later one itself
    assert "is version 2 itself" in main.inner_text()
    with app_run(page):
        page.get_by_role("radio", name="an earlier version").click()
    assert "Revived (1)" in main.inner_text()
    assert_clean(page)
    page.context.close()


def test_the_slides_open_with_what_changed_since_the_version_before(server, browser):
    url, _home, facts = server
    page = new_page(browser, 1280, 720)
    page.goto(url + "/present?slide=3")
    wait_for_page(page)
    heading = page.locator('[data-testid="stMain"] h1').first.inner_text()
    assert heading == "1 group revived, 2 fell dormant, 1 action done since 31 October 2026"
    page.get_by_role("button", name="Next slide").click()
    at_slide(page, 4)
    assert page.locator('[data-testid="stMain"] h1').first.inner_text().startswith("Dormant groups: ")
    assert_clean(page)
    page.context.close()
