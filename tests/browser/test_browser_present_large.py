"""/present at real sizes (issue 30): the large register (factories.large_register) in English and
Lao, on a 1280x720 projector and a 1920x1080 screen. Every slide's headline and chart or table lie
above the bottom of the window (no scrolling), no slide text is under 14 pixels, no chart label lies
outside its chart nor over another; and each chart of the pack, laid out as the deck draws it, keeps
its labels apart and inside it."""
import pytest

from factories import large_home
from serve import (
    CHART_TEXTS,
    CHROMIUM,
    LABELS_OUTSIDE,
    assert_clean,
    new_page,
    overlapping_labels,
    streamlit_server,
    wait_for_page,
)

pytestmark = pytest.mark.browser

SLIDE_PARTS = ('[data-testid="stMain"] h1, [data-testid="stPlotlyChart"], .st-key-slide_table, '
               '[data-testid="stMetric"]')
# the slide's own words: headline, chart texts, table cells, KPI cards (not the controls above it)
SMALLEST_TEXT = """(parts) => {
  const sizes = [];
  for (const part of document.querySelectorAll(parts)) {
    const texts = part.matches('h1') ? [part] : [...part.querySelectorAll('text, td, th, p, div[data-testid="stMetricValue"]')];
    for (const t of texts) {
      if (!t.textContent.trim() || t.getBoundingClientRect().width === 0) continue;
      sizes.push([parseFloat(getComputedStyle(t).fontSize), t.textContent.trim().slice(0, 40)]);
    }
  }
  return sizes.sort((a, b) => a[0] - b[0]).slice(0, 3);
}"""
LOWEST = """(parts) => Math.max(0, ...[...document.querySelectorAll(parts)].map(e => e.getBoundingClientRect().bottom))"""


@pytest.fixture(scope="module")
def large_server(tmp_path_factory):
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Debian's chromium")
    home = large_home(tmp_path_factory.mktemp("present-large"))
    with streamlit_server(home) as url:
        yield url


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=["projector", "full-hd"])
@pytest.mark.parametrize("lang", ["en", "lo"])
def test_every_slide_fits_the_window_legibly(large_server, browser, lang, size):
    page = new_page(browser, *size)
    problems = {}
    n = 1
    while True:
        page.goto(f"{large_server}/present?slide={n}&lang={lang}")
        wait_for_page(page)
        last = page.locator(".st-key-slide_next button").is_disabled()
        found = {}
        bottom = page.evaluate(LOWEST, SLIDE_PARTS)
        if bottom > size[1]:
            found["below the window by (px)"] = round(bottom - size[1])
        small = [s for s in page.evaluate(SMALLEST_TEXT, SLIDE_PARTS) if s[0] < 14]
        if small:
            found["text under 14 px"] = small
        outside = page.evaluate(LABELS_OUTSIDE, CHART_TEXTS)
        if outside:
            found["chart texts outside their chart"] = outside
        over = overlapping_labels(page)
        if over:
            found["chart texts over one another"] = over
        if found:
            problems[n] = found
        assert_clean(page)
        if last or n > 30:
            break
        n += 1
    page.context.close()
    assert n >= 10 and problems == {}


@pytest.mark.parametrize("lang", ["en", "lo"])
def test_every_chart_of_the_large_pack_keeps_its_labels_apart(tmp_path_factory, browser, lang):
    """The pack's charts of the large register as the deck draws them, at the size they are placed:
    no label outside its chart nor over another."""
    from swgdash import i18n
    from swgdash.present import deck, slides
    from swgdash.query import metrics
    from swgdash.query.db import Database
    from swgdash.store import FolderStore

    home = large_home(tmp_path_factory.mktemp("pack-large"))
    v = FolderStore(home).current()
    db = Database(v)
    cur = db.cursor()
    params = metrics.Params(as_of=v.as_of, plan=metrics.default_plan(metrics.plans(cur), v.as_of))
    with i18n.language(lang):
        figures = [deck.slide_figure(s.figure, *deck.chart_room(s)) for s in slides.deck_slides(cur, params, lang=lang)
                   if s.figure is not None]
    db.close()
    page = new_page(browser, 1000, 600)
    problems = {}
    for n, fig in enumerate(figures):
        page.set_content(fig.to_html(include_plotlyjs=True, full_html=True))
        page.wait_for_selector(".main-svg .xtick, .main-svg .ytick")
        found = page.evaluate(LABELS_OUTSIDE, CHART_TEXTS) + overlapping_labels(page)
        if found:
            problems[n] = found
    page.context.close()
    assert len(figures) >= 6 and problems == {}
