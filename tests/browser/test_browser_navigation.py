"""Moving between pages as people expect (issue 30): one click in the menu is one entry in the
browser's history, so Back returns to the page before with its settings; on a phone the menu folds
once a page is chosen."""
import pytest

from serve import app_run, assert_clean, module_server, new_page, wait_for_page

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from module_server(tmp_path_factory, "navigation")


def click_menu(page, href_end: str) -> None:
    with app_run(page):
        page.locator(f'[data-testid="stSidebarNav"] a[href$="{href_end}"]').click()
    wait_for_page(page)


def test_one_click_in_the_menu_is_one_history_entry_and_back_keeps_the_settings(server, browser):
    url, _ = server
    page = new_page(browser, 1280, 900)
    page.goto(url + "/dormant?as_of=2026-06-30&dormant_months=9")
    wait_for_page(page)
    start = page.evaluate("() => history.length")
    before = page.evaluate("() => location.pathname + location.search")
    for href in ("/meetings", "/participation", "/"):
        n = page.evaluate("() => history.length")
        click_menu(page, href)
        assert page.evaluate("() => history.length") == n + 1, href
        assert "as_of=2026-06-30" in page.evaluate("() => location.search"), href  # (the settings go along)
    assert page.evaluate("() => history.length") == start + 3
    for _ in range(3):
        with app_run(page):
            page.go_back()
        wait_for_page(page)
    assert page.evaluate("() => location.pathname + location.search") == before
    assert page.get_by_role("heading", name="Dormant groups").count() >= 1
    assert_clean(page)
    page.context.close()


def test_on_a_phone_the_menu_folds_once_a_page_is_chosen(server, browser):
    url, _ = server
    page = new_page(browser, 390, 844, is_mobile=True, has_touch=True)
    page.goto(url + "/")
    wait_for_page(page)
    side = page.locator('[data-testid="stSidebar"]')
    if side.get_attribute("data-collapsed") != "false":  # open the menu, as a member taps it
        page.locator('[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapsedControl"] button').first.click()
        page.wait_for_function("() => document.querySelector('[data-testid=\"stSidebar\"]').dataset.collapsed === 'false'")
    click_menu(page, "/dormant")
    page.wait_for_function("() => document.querySelector('[data-testid=\"stSidebar\"]').dataset.collapsed === 'true'",
                           timeout=5000)
    assert page.evaluate("() => location.pathname") == "/dormant"
    assert_clean(page)
    page.context.close()


def test_only_a_change_of_settings_replaces_the_history_entry(server, browser):
    """Another group's profile or another slide is a page of its own (Back returns to it); the same
    page with other sidebar settings is not."""
    url, _ = server
    page = new_page(browser, 1280, 900)
    page.goto(url + "/group?id=SWG-HEALTH")
    wait_for_page(page)
    grows = """(to) => { const n = history.length; history.pushState({}, "", to); return history.length - n; }"""
    assert page.evaluate(grows, "/group?id=SWG-HEALTH&as_of=2026-06-30") == 0  # settings only: replaced
    assert page.evaluate(grows, "/group?id=SWG-EDU&as_of=2026-06-30") == 1  # another profile: its own entry
    assert page.evaluate(grows, "/present?slide=2") == 1
    assert page.evaluate(grows, "/present?slide=3&lang=lo") == 1
    assert page.evaluate(grows, "/present?slide=3") == 0
    page.context.close()
