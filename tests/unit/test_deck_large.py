"""The briefing pack at real sizes (issue 30): the large register (factories.large_register: 60
groups, 40 partners, 30 overdue actions, names of 120 characters) in English, in Lao and in both.
Every slide's text at 12 points or more (its charts drawn at the size they are placed), every shape
inside its slide, a slide that shows the first of a list says how many of how many, and the
appendix lists every row."""
import json
import re
import subprocess

import pytest
from PIL import Image
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu

from factories import LARGE_OVERDUE, LARGE_PARTNERS, large_home, run_cli
from swgdash.present import deck, slides
from swgdash.query import metrics
from swgdash.query.db import Database
from swgdash.store import FolderStore

LANGS = {"en": ("--lang", "en"), "lo": ("--lang", "lo"), "both": ("--lang", "lo", "--bilingual")}


@pytest.fixture(scope="module")
def large(tmp_path_factory, chart_drawing):
    """The large register's packs (PowerPoint for all three, PDF for English and Lao)."""
    tmp = tmp_path_factory.mktemp("deck-large")
    home = large_home(tmp)
    for name, args in LANGS.items():
        pdf = ("--pdf", str(tmp / f"{name}.pdf")) if name != "both" else ()
        code, out = run_cli("--home", str(home), "deck", *args, "--out", str(tmp / f"{name}.pptx"), *pdf)
        assert code == 0, out
    return tmp, home


def built(home, lang="en", bilingual=False):
    v = FolderStore(home).current()
    db = Database(v)
    try:
        cur = db.cursor()
        p = metrics.Params(as_of=v.as_of, plan=metrics.default_plan(metrics.plans(cur), v.as_of))
        return slides.deck_slides(cur, p, lang=lang, bilingual=bilingual)
    finally:
        db.close()


def font_sizes(obj, inside_font=False):
    """Every font size a Plotly figure's JSON names."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == "size" and inside_font and isinstance(v, (int, float)):
                yield v
            elif isinstance(v, (dict, list)):
                yield from font_sizes(v, k.endswith("font") or k == "font")
    elif isinstance(obj, list):
        for v in obj:
            yield from font_sizes(v, inside_font)


@pytest.mark.parametrize("name", list(LANGS))
def test_every_run_is_twelve_points_or_more_and_every_shape_inside_its_slide(large, name):
    tmp, _home = large
    prs = Presentation(tmp / f"{name}.pptx")
    small = []
    for n, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, (n, shape.name)
            assert shape.left + shape.width <= prs.slide_width and shape.top + shape.height <= prs.slide_height, (n, shape.name)
        for r in slide.shapes._spTree.iter(qn("a:rPr")):
            if r.get("sz") is not None and int(r.get("sz")) < 1200:
                small.append((n, int(r.get("sz")) / 100))
    assert small == []


@pytest.mark.parametrize("name", list(LANGS))
def test_each_chart_is_placed_at_the_size_it_was_drawn_so_its_letters_are_true_to_size(large, name):
    tmp, _home = large
    prs = Presentation(tmp / f"{name}.pptx")
    pictures = [sh for slide in prs.slides for sh in slide.shapes if sh.shape_type == 13]
    assert len(pictures) >= 6
    for pic in pictures:
        w, h = Image.open(__import__("io").BytesIO(pic.image.blob)).size
        assert (w, h) == (round(Emu(pic.width).pt) * deck.SCALE, round(Emu(pic.height).pt) * deck.SCALE)


@pytest.mark.parametrize("lang", ["en", "lo"])
def test_no_chart_text_is_under_twelve_points(large, lang):
    _tmp, home = large
    for s in built(home, lang):
        if s.figure is not None:
            fig = deck.slide_figure(s.figure, *deck.chart_room(s))
            sizes = list(font_sizes(fig.to_plotly_json()))
            assert sizes and min(sizes) >= deck.MIN_PT, (s.key, sorted(set(sizes)))


def categories(fig) -> list:
    return list(fig.layout.yaxis.categoryarray) if fig.layout.yaxis.categoryarray is not None else list(
        dict.fromkeys(v for t in fig.data for v in t.y if v is not None))


@pytest.mark.parametrize("lang", ["en", "lo"])
def test_a_slide_showing_the_first_of_a_list_says_how_many_and_the_appendix_lists_all(large, lang):
    _tmp, home = large
    deck_ = built(home, lang)
    by_key = {s.key: s for s in deck_}
    doc = json.loads(run_cli("--home", str(home), "summary", "--json")[1])
    overdue = by_key["overdue"]
    assert sum(r["overdue"] for r in doc["recommendations"]) == LARGE_OVERDUE
    assert len(overdue.table) == overdue.shown < LARGE_OVERDUE
    silent = sum(g["activity"] != "active" for g in doc["groups"])
    dormant, partners = by_key["dormant"], by_key["participation"]
    assert len(categories(dormant.figure)) == dormant.shown < silent
    assert len(categories(partners.figure)) == partners.shown < LARGE_PARTNERS
    assert len(by_key["scorecard"].table) == by_key["scorecard"].shown < 60
    if lang == "en":  # the title says it
        assert overdue.headline == f"The {overdue.shown} oldest of {LARGE_OVERDUE} overdue actions: who owns them"
        assert dormant.headline.endswith(f": the {dormant.shown} silent longest")
        assert partners.headline.startswith(f"The {partners.shown} partners in most groups, of {LARGE_PARTNERS};")
        assert by_key["scorecard"].headline.startswith(f"The {by_key['scorecard'].shown} groups furthest from good "
                                                       "practice, of 60;")
    for key, whole in (("overdue", LARGE_OVERDUE), ("dormant", silent), ("participation", LARGE_PARTNERS),
                       ("scorecard", 60)):
        pages = [s for s in deck_ if s.key.startswith(f"appendix:{key}:")]
        rows = [tuple(r) for s in pages for r in s.table.astype(str).itertuples(index=False)]
        assert rows == [tuple(r) for r in by_key[key].full.table.astype(str).itertuples(index=False)]
        assert len(rows) == whole, key
        assert all(re.search(rf"\b{s.span[1]}\D+{s.span[2]}\D+{whole}\b" if s.span[1] < s.span[2]
                             else rf"\b{s.span[1]}\D+{whole}\b", s.headline) for s in pages), key
    # the list slides come first, the appendix after them
    firsts = [i for i, s in enumerate(deck_) if s.span is not None]
    assert firsts and firsts == list(range(firsts[0], len(deck_)))


def test_the_bilingual_deck_shows_the_same_rows_under_both_headlines(large):
    _tmp, home = large
    for s in built(home, "lo", bilingual=True):
        if s.shown and s.key != "since":
            assert re.search(rf"\b{s.shown}\b", s.second_headline), (s.key, s.second_headline)
        if s.span:
            assert (f"({s.span[1]}–{s.span[2]} of {s.span[3]})" if s.span[1] < s.span[2]
                    else f"({s.span[1]} of {s.span[3]})") in s.second_headline


@pytest.mark.parametrize("name", ["en", "lo"])
def test_the_pdf_has_a_page_per_slide_and_the_packs_title(large, name):
    tmp, _home = large
    info = subprocess.run(["pdfinfo", str(tmp / f"{name}.pdf")], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])
    prs = Presentation(tmp / f"{name}.pptx")
    assert pages == len(prs.slides)
    title = re.search(r"Title:\s+(.*)", info)[1].strip()
    assert title == prs.core_properties.title
    assert title.startswith(prs.slides[0].shapes.title.text_frame.text.replace("\u200b", ""))
    assert "deck.html" not in info


def test_pack_file_names_carry_the_language_and_the_as_of_date():
    import datetime as dt

    names = {deck.pack_file_name(lang, dt.date(2026, 10, 31)) for lang in ("en", "lo")}
    assert names == {"swg_briefing_en_as-of_2026-10-31", "swg_briefing_lo_as-of_2026-10-31"}


def test_the_trend_headline_starts_where_the_records_cover_the_look_back(large):
    """The meetings of the large register are recorded from late 2024: before a year after that, every
    group only looks dormant. The headline compares from the first quarter end the records cover."""
    import datetime as dt

    _tmp, home = large
    trend = next(s for s in built(home) if s.key == "trend")
    v = FolderStore(home).current()
    db = Database(v)
    try:
        began = metrics.first_meeting(db.cursor())
    finally:
        db.close()
    start = dt.datetime.strptime(re.search(r": \d+ on (\d+ \w+ \d{4}),", trend.headline)[1], "%d %B %Y").date()
    assert metrics.months_before(start, 12) >= began > metrics.months_before(start, 15)
    assert "The meeting records start on" in trend.notes
