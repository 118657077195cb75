"""The secretariat's hand-off in real Chromium (issue 28), against `streamlit run server.py`: sign in,
upload, remove and add the same file again, leave the page and come back, publish; the published
as-of date is the suggestion. A reload keeps the sign-in (an HttpOnly cookie) and asks before
dropping a valid upload; signing out ends it."""
import io
import json
import re

import pytest

from factories import updated_workbook
from serve import EXTRACT_FILES, app_run, assert_clean, module_server, secretariat_sign_in, wait_for_page, watch_sockets
from swgdash.app import guard
from swgdash.cli import main as cli

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"
FILE = EXTRACT_FILES


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from module_server(tmp_path_factory, "handoff", {"SWGDASH_SECRETARIAT_PASSWORD": PASSWORD})


def new_page(browser):
    """A page whose dialogs this module answers itself (serve.new_page dismisses them all)."""
    page = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    watch_sockets(page)
    return page


def versions(home):
    out = io.StringIO()
    cli(["--home", str(home), "versions", "--json"], out=out)
    return json.loads(out.getvalue())


def shown_date(page) -> str:
    return page.locator('[data-testid="stMain"] [data-testid="stDateInput"] input').input_value()


def upload(page, path):
    # (the browser's file picker empties the input before a choice, so the same file chosen again is
    # news to the page; Playwright's set_input_files skips the picker: empty it as the picker would)
    page.locator(FILE).evaluate("e => { e.value = ''; }")
    page.locator(FILE).set_input_files(str(path))
    try:
        page.get_by_text("The extract is valid").wait_for(timeout=30000)
    except Exception:
        page.screenshot(path="/tmp/upload-fail.png", full_page=True)
        raise
    wait_for_page(page)


def nav(page, title):
    with app_run(page):
        page.locator('[data-testid="stSidebarNav"] a', has_text=title).click()


def test_the_published_as_of_is_the_suggestion_after_removing_re_adding_and_leaving(server, browser, tmp_path):
    url, home = server
    page = new_page(browser)
    secretariat_sign_in(page, url, PASSWORD, "Hand-off Officer")
    path = tmp_path / "update.xlsx"
    updated_workbook(home, path)  # (the current data as the page offers it: its extract sheet says 2026-10-31)
    upload(page, path)
    suggested = shown_date(page)
    assert suggested == "2026-10-31" and "Suggested: 31 October 2026" in page.inner_text("body")

    page.get_by_role("button", name=re.compile("^Remove update.xlsx")).click()  # removed ...
    page.wait_for_function("() => !document.body.innerText.includes('The extract is valid')", timeout=30000)
    upload(page, path)  # ... and added again
    assert shown_date(page) == suggested and "You chose another date" not in page.inner_text("body")

    # leaving with a valid upload asks first: yes, leave. (Every confirm on the way is answered: under
    # load a second one was sometimes shown on the way back, and one left unanswered cancels the
    # navigation; what the first one says is asserted.)
    asked = []

    def leave(d):
        asked.append(d.message)
        d.accept()

    page.on("dialog", leave)
    nav(page, "Overview")
    nav(page, "Publish data")
    page.remove_listener("dialog", leave)
    assert asked and asked[0] == "The upload you checked is not published. Leave this page and lose it?", asked
    upload(page, path)
    assert shown_date(page) == suggested and "You chose another date" not in page.inner_text("body")

    page.get_by_role("textbox", name="Note for the version history").fill("Hand-off test")
    page.get_by_role("button", name="Publish", exact=True).click()
    page.get_by_text("Published version").wait_for(timeout=30000)
    assert versions(home)[-1]["as_of"] == suggested and versions(home)[-1]["note"] == "Hand-off test"
    assert_clean(page)
    page.context.close()


def test_a_reload_keeps_the_sign_in_and_asks_before_dropping_a_valid_upload(server, browser, tmp_path):
    url, home = server
    page = new_page(browser)
    secretariat_sign_in(page, url, PASSWORD, "Reload Officer")
    cookie = [c for c in page.context.cookies() if c["name"] == "swgdash_signin"]
    assert cookie and cookie[0]["httpOnly"] and cookie[0]["sameSite"] == "Strict"
    assert page.evaluate("() => document.cookie").find("swgdash_signin") == -1  # the page's scripts cannot read it

    path = tmp_path / "update.xlsx"
    updated_workbook(home, path, meeting_id="M-RELOAD-1")
    upload(page, path)
    page.wait_for_function("() => window.__swgLeave && window.__swgLeave.armed === true", timeout=15000)
    note = page.get_by_role("textbox", name="Note for the version history")
    note.click()
    note.press("a")  # (a browser asks only after the person used the page)
    note.press("Backspace")
    asked = []
    page.once("dialog", lambda d: (asked.append(d.type), d.dismiss()))  # "stay on the page"
    try:
        page.reload(timeout=4000)  # (stays: the reload never finishes)
    except Exception:
        pass
    assert asked == ["beforeunload"]
    assert "The extract is valid" in page.inner_text("body")  # stayed, the upload still there

    page.once("dialog", lambda d: d.accept())  # now leave: the reload goes through
    page.reload()
    wait_for_page(page)
    body = page.inner_text("body")
    assert "Signed in as Reload Officer" in body and "Publish an update" in body  # still signed in
    assert page.locator(FILE).count() == 1

    with page.expect_response(lambda r: r.url.endswith(guard.SIGN_OUT_PATH)):  # (the cookie removed)
        with app_run(page):
            page.get_by_role("button", name="Sign out").click()
    assert page.get_by_role("button", name="Sign in").count() == 1
    page.reload()
    wait_for_page(page)
    assert "Secretariat sign-in" in page.inner_text("body") and "Signed in as" not in page.inner_text("body")
    page.context.close()


def test_a_visitor_who_never_signed_in_cannot_make_the_server_keep_a_file(server, browser):
    """The upload endpoint refuses a session that has not signed in (swgdash.app.guard)."""
    url, _home = server
    page = new_page(browser)
    page.goto(url + "/")
    wait_for_page(page)
    status = page.evaluate("""async () => {
        const xsrf = (document.cookie.match(/_streamlit_xsrf=([^;]+)/) || [])[1] || '';
        const sid = window.localStorage.getItem('stStreamlitSessionId') || 'no-session';
        const form = new FormData(); form.append('file', new Blob(['x'.repeat(100000)]), 'big.csv');
        const r = await fetch('/_stcore/upload_file/' + sid + '/f1', {method: 'PUT', body: form,
                               headers: {'X-Xsrftoken': xsrf}, credentials: 'same-origin'});
        return r.status; }""")
    assert status in (403, 400)  # refused: not signed in (or no such session)
    page.context.close()
