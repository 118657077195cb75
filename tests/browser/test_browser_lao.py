"""The dashboard in Lao, in real Chromium: ?lang=lo sets every page's words in Lao script,
<html lang> follows, the bundled Lao font (served by the app, never fetched from outside) is
the one used, the switch and every in-app link keep the language, the labels stay in their charts."""
import re

import pytest

from serve import app_run, assert_clean, labels_outside, module_server, new_page, wait_for_page
from swgdash import i18n, site

pytestmark = pytest.mark.browser
LAO = re.compile(r"[\u0E80-\u0EFF]")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from module_server(tmp_path_factory, "browser-lao")


SORRY_EN = "Sorry, this page could not be drawn."
with i18n.language("lo"):
    SORRY = (SORRY_EN, i18n._("Sorry, this page could not be drawn. The error has been logged for the secretariat; "
                              "try another date or filter, or reload the page.")[:25])


def lao_heading(path: str) -> str:
    with i18n.language("lo"):
        return i18n._(site.BY_PATH[path].heading)


# The words a member reads first: headings, navigation, KPI labels, table headers, chart titles.
TEXTS = """() => ({
  headings: [...document.querySelectorAll('h1, h2, h3')].map(e => e.innerText.trim()).filter(Boolean),
  nav: [...document.querySelectorAll('[data-testid="stSidebarNav"] a span, [data-testid="stNavSectionHeader"]')]
        .map(e => e.textContent.trim()).filter(t => t && !/^[a-z_0-9]+$/.test(t)),  // (not the icons' names;
        // textContent: a folded sidebar, as on /present, is hidden, its words there all the same)
  kpis: [...document.querySelectorAll('[data-testid="stMetricLabel"]')].map(e => e.innerText.trim()),
  headers: [...document.querySelectorAll('[data-testid="stDataFrame"] [role="columnheader"]')]
        .map(e => e.innerText.trim()).filter(t => t && !/^(ID)$/.test(t)),
  charts: [...document.querySelectorAll('.js-plotly-plot')].map(gd => [gd.layout.title.text || '',
        (gd.layout.xaxis && gd.layout.xaxis.title && gd.layout.xaxis.title.text) || '',
        (gd.layout.yaxis && gd.layout.yaxis.title && gd.layout.yaxis.title.text) || '']).flat().filter(Boolean),
})"""


@pytest.mark.parametrize("page_", site.PAGES, ids=lambda p: p.url)
def test_every_page_reads_in_lao(server, browser, page_):
    url, _ = server
    page = new_page(browser, width=1280, height=720)
    sep = "&" if "?" in page_.example_url else "?"
    page.goto(url + page_.example_url + sep + "lang=lo")
    wait_for_page(page)
    assert page.evaluate("document.documentElement.lang") == "lo"
    if page_.heading:
        assert page.locator("h1").first.inner_text() == lao_heading(page_.path)
    texts = page.evaluate(TEXTS)
    for kind, values in texts.items():
        latin_only = [t for t in values if not LAO.search(t) and re.search(r"[a-z]{3}", t)
                      and not re.fullmatch(r"[A-Z0-9 ()./:-]+|SWG.*|NSEDP.*", t)]
        assert not latin_only, (kind, latin_only)
    assert any(LAO.search(t) for t in texts["nav"]) and texts["nav"]
    # the bundled Lao font, served by the app, is loaded and used
    assert page.evaluate("""async () => { await document.fonts.ready;
        return document.fonts.check('16px "Noto Sans Lao"', 'ກຸ່ມວຽກງານ'); }""")
    assert page.evaluate("""() => [...document.fonts].some(f => f.family.replace(/"/g, '') === 'Noto Sans Lao'
                                                              && f.status === 'loaded')""")
    assert labels_outside(page, titles=True) == []
    assert_clean(page)
    page.context.close()


def test_the_switch_and_every_link_keep_the_language(server, browser):
    url, _ = server
    page = new_page(browser)
    page.goto(url + "/?lang=lo")
    wait_for_page(page)
    # navigation: another page keeps Lao and writes lang=lo into its address
    with app_run(page):
        page.locator('[data-testid="stSidebarNav"] a', has_text=i18n_text("Dormant groups")).click()
    page.wait_for_url("**/dormant?**lang=lo**")
    assert page.locator("h1").first.inner_text() == lao_heading("dormant")
    # a profile link written on a page (a sub-group's "part of" link) carries lang=lo, and opens in Lao
    page.goto(url + "/group?id=SUB-HEALTH-HRH&lang=lo")
    wait_for_page(page)
    links = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stMain"] a[href*="/group?"]')]
                                   .map(a => a.href)""")
    assert links and all("lang=lo" in href for href in links), links
    page.goto(links[0])
    wait_for_page(page)
    assert page.locator("h1").first.inner_text() == lao_heading("group")
    assert page.evaluate("document.documentElement.lang") == "lo"
    # the switch back to English: words, address and <html lang> follow
    with app_run(page):
        page.locator('[data-testid="stSidebar"]').get_by_role("radio", name="English").click()
    page.wait_for_function("() => !location.search.includes('lang=lo')")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert "swg=" not in page.url  # every choice kept as it was (not read as a group named 'ທຸກກຸ່ມ')
    assert not LAO.search(page.locator("h1").first.inner_text())
    with app_run(page):
        page.locator('[data-testid="stSidebar"]').get_by_role("radio", name="ລາວ").click()
    page.wait_for_url("**lang=lo**")
    assert page.evaluate("document.documentElement.lang") == "lo"
    assert "swg=" not in page.url
    assert_clean(page)
    # /present keeps it
    with app_run(page):
        page.locator('[data-testid="stSidebarNav"] a', has_text=i18n_text("Presentation mode")).click()
    page.wait_for_url("**/present?**lang=lo**")
    assert LAO.search(page.locator("h1").first.inner_text())
    assert_clean(page)
    page.context.close()


def i18n_text(message: str) -> str:
    with i18n.language("lo"):
        return i18n._(message)


@pytest.mark.parametrize("path", ["/meetings", "/recommendations", "/dormant", "/rotation"])
def test_a_switch_of_language_keeps_every_choice_of_the_page(server, browser, path):
    """Select boxes and pills send back their choice in the words they showed: after a switch the
    page keeps what was chosen, draws, and writes no stray filter into the address."""
    url, _ = server
    page = new_page(browser, width=1280, height=720)
    page.goto(url + path)
    wait_for_page(page)
    for name in ("ລາວ", "English", "ລາວ"):
        with app_run(page):
            page.locator('[data-testid="stSidebar"]').get_by_role("radio", name=name).click()
        assert "swg=" not in page.url and "plan=" not in page.url, page.url
        body = page.inner_text('[data-testid="stMain"]')
        assert not [t for t in SORRY if t in body], (name, body[:300])
        assert_clean(page)
    assert page.evaluate("document.documentElement.lang") == "lo"
    page.context.close()


def test_the_lao_font_is_served_by_the_app(server, browser):
    """The font files come from the app itself (static/fonts/, Streamlit's static serving)."""
    url, _ = server
    page = new_page(browser)
    fonts = []
    page.on("response", lambda r: fonts.append((r.url, r.status)) if "/app/static/fonts/" in r.url else None)
    page.goto(url + "/?lang=lo")
    wait_for_page(page)
    page.evaluate("document.fonts.ready")
    assert (url + "/app/static/fonts/NotoSansLao-Regular.ttf", 200) in fonts
    page.context.close()
