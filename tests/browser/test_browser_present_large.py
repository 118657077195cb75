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
    figure_problems,
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


# the projector in both languages; the full-HD screen (more room, the same layout) in Lao, the taller script
@pytest.mark.parametrize("lang,size", [("en", (1280, 720)), ("lo", (1280, 720)), ("lo", (1920, 1080))],
                         ids=["en-projector", "lo-projector", "lo-full-hd"])
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


@pytest.mark.parametrize("lang,bilingual", [("en", False), ("lo", False), ("lo", True)], ids=["en", "lo", "both"])
def test_every_chart_of_the_large_pack_keeps_its_labels_apart(tmp_path_factory, browser, lang, bilingual):
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
        figures = [deck.slide_figure(s.figure, *deck.chart_room(s))
                   for s in slides.deck_slides(cur, params, lang=lang, bilingual=bilingual) if s.figure is not None]
    db.close()
    assert len(figures) >= 6 and figure_problems(browser, figures) == {}


# Each slide of the printed pack: its headline inside its box, its chart or table above the footer,
# no table cell cut, no text under 12 pt (16 CSS pixels).
PRINTED_MISFITS = """() => [...document.querySelectorAll('section.slide')].flatMap((sec, i) => {
  const out = [];
  const head = sec.querySelector('header');
  if (head && head.scrollHeight > head.clientHeight + 1) out.push(`${i + 1}: headline taller than its box`);
  const foot = sec.querySelector('.foot').getBoundingClientRect().top;
  for (const e of sec.querySelectorAll('img, table')) {
    if (e.getBoundingClientRect().bottom > foot + 1) out.push(`${i + 1}: ${e.tagName} over the footer`);
    if (e.getBoundingClientRect().right > sec.getBoundingClientRect().right + 1) out.push(`${i + 1}: ${e.tagName} past the edge`);
  }
  for (const c of sec.querySelectorAll('td, th'))
    if (c.scrollWidth > c.clientWidth + 1) out.push(`${i + 1}: cell cut: ${c.textContent.slice(0, 30)}`);
  for (const t of sec.querySelectorAll('h1, h2, td, th, .foot span, .kpi div'))
    if (parseFloat(getComputedStyle(t).fontSize) < 16) out.push(`${i + 1}: text under 12 pt: ${t.textContent.slice(0, 30)}`);
  return out;
})"""


@pytest.mark.parametrize("lang,bilingual", [("en", False), ("lo", False), ("lo", True)], ids=["en", "lo", "both"])
def test_every_printed_slide_of_the_large_pack_fits_its_page(tmp_path_factory, browser, lang, bilingual):
    """The pack's PDF as Chromium prints it (deck.deck_html), with the large register and a later
    version (the slide of what changed): every page as described above."""
    from conftest import stand_in_pngs
    from swgdash import i18n
    from swgdash.present import deck, slides
    from swgdash.query import history, metrics
    from swgdash.query.db import Database
    from swgdash.store import FolderStore

    tmp = tmp_path_factory.mktemp("printed-large")
    home = large_home(tmp)
    store = FolderStore(home)
    before = store.current()
    longer = tmp / "later"
    later_version_large(home, longer)
    v = store.current()
    dbs = [Database(x) for x in (before, v)]
    cur = dbs[1].cursor()
    params = metrics.Params(as_of=v.as_of, plan=metrics.default_plan(metrics.plans(cur), v.as_of))
    with i18n.language(lang):
        ch = history.changes(dbs[0].cursor(), before, cur, v)
        deck_ = slides.deck_slides(cur, params, lang=lang, bilingual=bilingual, changes=ch)
        page_html = deck.deck_html(deck_, deck.footer_text(v.id, v.as_of, False), stand_in_pngs(deck_))
    for db in dbs:
        db.close()
    assert any(s.key == "since" for s in deck_)
    printed = tmp / "pack.html"  # (opened from a file, as the pack is printed: its fonts load)
    printed.write_text(page_html, encoding="utf-8")
    page = new_page(browser, 1300, 800)
    page.goto(printed.as_uri())
    page.evaluate("() => document.fonts.ready.then(() => true)")
    page.emulate_media(media="print")
    assert page.evaluate(PRINTED_MISFITS) == []
    page.context.close()


def later_version_large(home, folder):
    """Publish the large register again, a month later: ten groups renamed at length, five dormant
    groups revived, ten overdue actions done."""
    import datetime as dt

    from swgdash import publishing
    from swgdash.ingest.validate import validate_paths
    from swgdash.store import FolderStore

    v = FolderStore(home).current()
    tables = {n: v.read(n).to_pandas() for n in v.tables}
    g = tables["groups"]
    for k in range(10):
        gid = g["group_id"].iloc[k + 12]
        g.loc[g["group_id"] == gid, "name"] = f"Renamed group {k}: " + g.loc[g["group_id"] == gid, "name"].iloc[0]
    m = tables["meetings"]
    dormant = sorted(m.groupby("group_id")["date"].max().sort_values().index[:5])
    import pandas as pd

    tables["meetings"] = pd.concat([m, pd.DataFrame([{"meeting_id": f"R-{gid}", "group_id": gid, "date": dt.date(2026, 11, 20)}
                                                     for gid in dormant])], ignore_index=True)
    a = tables["actions"]
    a.loc[a.index[:10], "status"] = "done"
    tables["extract"] = pd.DataFrame([{"as_of": "2026-11-30"}])
    folder.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        df.to_csv(folder / f"{name}.csv", index=False)
    result = validate_paths([folder])
    assert result.ok, [str(p) for p in result.errors]
    publishing.publish(FolderStore(home), result, dt.date(2026, 11, 30), "a month later (test)")


LARGE_PAGES = ["/rotation", "/participation", "/dormant", "/changes", "/meetings", "/group?id=SUB-01-1"]


@pytest.mark.parametrize("lang,size", [("en", "phone"), ("en", "tablet"), ("en", "projector"), ("en", "full-hd"),
                                       ("lo", "phone"), ("lo", "projector")])
def test_the_pages_with_most_labels_fit_every_size_at_real_sizes(large_server, browser, lang, size):
    """The large register's pages with a row per group or partner, in both languages, at the four
    sizes: no chart text outside its chart nor over another (two-level labels included: a group's
    name spans only its own rows), no sideways scrolling."""
    from serve import SIZES, sideways_scroll

    width, height = SIZES[size]
    page = new_page(browser, width, height, is_mobile=size == "phone", has_touch=size in ("phone", "tablet"))
    problems = {}
    for path in LARGE_PAGES if lang == "en" else ["/rotation", "/changes"]:
        page.goto(f"{large_server}{path}{'&' if '?' in path else '?'}lang={lang}")
        wait_for_page(page)
        found = {k: v for k, v in {"outside": page.evaluate(LABELS_OUTSIDE, CHART_TEXTS),
                                   "over one another": overlapping_labels(page),
                                   "sideways (px)": sideways_scroll(page)}.items() if v}
        if found:
            problems[path] = found
        assert_clean(page)
    page.context.close()
    assert problems == {}
