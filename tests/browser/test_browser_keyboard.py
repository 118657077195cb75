"""Every control with the keyboard alone (issue 18): the sidebar's filters (on a phone too, where
the sidebar is folded), the slide buttons, and the secretariat's upload flow from sign-in to
publish. Only Tab, Shift+Tab, Enter, Space and typing: no mouse, no clicks in code."""
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from factories import updated_workbook
from serve import app_run, assert_clean, at_slide, module_server, new_page, wait_for_page

pytestmark = pytest.mark.browser
PASSWORD = "keyboard only"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from module_server(tmp_path_factory, "keyboard", {"SWGDASH_SECRETARIAT_PASSWORD": PASSWORD})


def tab_to(page, selector: str, text: str | None = None, limit: int = 150, back: bool = False) -> None:
    """Press Tab (Shift+Tab with `back`) until the focus is on an element matching `selector`
    (and reading `text`)."""
    for _ in range(limit):
        if page.evaluate("([s, t]) => { const e = document.activeElement; return !!e && e.matches(s)"
                         " && (t === null || e.innerText.trim().split('\\n').pop().trim() === t); }", [selector, text]):
            return
        page.keyboard.press("Shift+Tab" if back else "Tab")
    raise AssertionError(f"{selector} not reached with {'Shift+' if back else ''}Tab in {limit} presses")


SWG_FILTER = '[data-testid="stSidebar"] [data-testid="stSelectbox"] input'


def pick_health_with_the_keyboard(page):
    tab_to(page, SWG_FILTER)
    page.keyboard.type("Health Sector")
    with app_run(page):
        page.keyboard.press("Enter")
    page.wait_for_url("**swg=SWG-HEALTH**", timeout=30000)
    assert "Health Sector Working Group and its sub-groups" in page.inner_text("body")


def test_the_sidebar_filter_with_the_keyboard(server, browser):
    url, _ = server
    page = new_page(browser, 1280, 720)
    page.goto(url + "/dormant")
    wait_for_page(page)
    pick_health_with_the_keyboard(page)
    assert_clean(page)
    page.context.close()


def test_in_a_phone_sized_window_the_folded_sidebar_opens_with_the_keyboard(server, browser):
    """A window as narrow as a phone (a magnified screen, a keyboard user): the sidebar folded."""
    url, _ = server
    page = new_page(browser, 390, 844)
    page.goto(url + "/")
    wait_for_page(page)
    side = page.locator('[data-testid="stSidebar"]')
    assert side.get_attribute("data-collapsed") == "true"  # folded on a phone: the page first
    tab_to(page, '[data-testid="stExpandSidebarButton"]')
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('[data-testid=\"stSidebar\"]').dataset.collapsed === 'false'")
    pick_health_with_the_keyboard(page)
    assert_clean(page)
    page.context.close()


def test_the_slide_buttons_with_the_keyboard(server, browser):
    url, _ = server
    page = new_page(browser, 1280, 720)
    page.goto(url + "/present")
    wait_for_page(page)
    tab_to(page, ".st-key-slide_next button")
    page.keyboard.press("Enter")
    at_slide(page, 2)
    tab_to(page, ".st-key-slide_next button")
    page.keyboard.press("Space")  # (a button takes Space as well as Enter)
    at_slide(page, 3)
    tab_to(page, ".st-key-slide_previous button", back=True)
    page.keyboard.press("Enter")
    at_slide(page, 2)
    assert_clean(page)
    page.context.close()


def test_the_upload_flow_with_the_keyboard(server, browser, tmp_path):
    url, home = server
    page = new_page(browser, 1280, 900)
    page.goto(url + "/upload")
    wait_for_page(page)
    path = tmp_path / "update.xlsx"
    updated_workbook(home, path)  # (the store exists once a page has opened it)
    tab_to(page, 'input[aria-label="Your name"]')
    page.keyboard.type("Keyboard Officer")
    tab_to(page, 'input[aria-label="Secretariat password"]')
    page.keyboard.type(PASSWORD)
    tab_to(page, '[data-testid="stMain"] button', "Sign in")
    page.keyboard.press("Enter")
    page.get_by_text("Signed in as Keyboard Officer").wait_for(timeout=30000)
    wait_for_page(page)
    for _attempt in range(3):  # (a rerun that lands between the Tab and the key takes the focus away: again)
        tab_to(page, '[class*="st-key-pub_files_"] button', "Upload")  # opens the system's file chooser
        try:
            with page.expect_file_chooser(timeout=10000) as chooser:
                page.keyboard.press("Space")  # (a button takes Space; Enter here also reaches the form around it)
            break
        except PlaywrightTimeout:
            wait_for_page(page)
    else:
        pytest.fail("Space on the focused Upload button never opened the file chooser")
    chooser.value.set_files(str(path))
    page.get_by_text("The extract is valid").wait_for(timeout=30000)
    wait_for_page(page)
    tab_to(page, 'textarea[aria-label="Note for the version history"], input[aria-label="Note for the version history"]')
    page.keyboard.type("Published with the keyboard")
    tab_to(page, '[data-testid="stMain"] button', "Publish")
    page.keyboard.press("Enter")
    page.get_by_text("Published version 2").wait_for(timeout=30000)
    assert_clean(page)
    page.context.close()
