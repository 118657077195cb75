"""The briefing pack in Lao (deck --lang lo) and in both languages (--bilingual): Lao titles and
chart labels, the bundled Lao font in the PDF and in every PowerPoint run's complex-script slot,
breaks between Lao words, and no text box outside its slide."""
import re
import subprocess
import unicodedata

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from factories import demo_home, run_cli
from swgdash import i18n

LAO = re.compile(r"[\u0E80-\u0EFF]")


run = run_cli


@pytest.fixture(scope="module")
def decks(tmp_path_factory, chart_drawing):
    """The Lao deck with its PDF and the bilingual deck of the demo, with stand-in charts and (slow) with
    the charts drawn (the same in both decks: drawn once)."""
    tmp = tmp_path_factory.mktemp("deck-lao")
    home = demo_home(tmp)
    code, out = run("--home", str(home), "deck", "--lang", "lo", "--out", str(tmp / "lo.pptx"), "--pdf", str(tmp / "lo.pdf"))
    assert code == 0, out
    code, out = run("--home", str(home), "deck", "--lang", "lo", "--bilingual", "--out", str(tmp / "both.pptx"))
    assert code == 0, out
    return tmp


def titles(prs):
    return [s.shapes.title.text_frame.paragraphs for s in prs.slides]


def test_every_headline_is_in_lao(decks):
    prs = Presentation(decks / "lo.pptx")
    for paragraphs in titles(prs):
        assert LAO.search(paragraphs[0].text), paragraphs[0].text
        assert len(paragraphs) == 1  # (no English line unless bilingual)


def test_the_bilingual_deck_puts_the_english_headline_under_the_lao_one(decks):
    prs = Presentation(decks / "both.pptx")
    for paragraphs in titles(prs):
        assert LAO.search(paragraphs[0].text)
        assert len(paragraphs) == 2 and not LAO.search(paragraphs[1].text) and re.search(r"[a-z]{3}", paragraphs[1].text)


def test_every_run_names_the_bundled_lao_font_for_complex_script(decks):
    prs = Presentation(decks / "lo.pptx")
    runs = lao_runs = 0
    for slide in prs.slides:
        for r in slide.shapes._spTree.iter(qn("a:r")):
            runs += 1
            cs = r.find(qn("a:rPr")).find(qn("a:cs"))
            assert cs is not None and cs.get("typeface") == "Noto Sans Lao"
            if LAO.search(r.findtext(qn("a:t")) or ""):
                lao_runs += 1
                assert r.find(qn("a:rPr")).get("lang") == "lo-LA"
    assert runs > 50 and lao_runs > 20


def test_lao_text_has_break_opportunities_between_words_only(decks):
    prs = Presentation(decks / "lo.pptx")
    seen = 0
    for slide in prs.slides:
        for r in slide.shapes._spTree.iter(qn("a:r")):
            text = r.findtext(qn("a:t")) or ""
            if i18n.ZWSP in text:
                seen += 1
                for piece in text.split(i18n.ZWSP)[1:]:  # never before a vowel or tone mark
                    assert piece and not unicodedata.category(piece[0]).startswith("M"), text
    assert seen > 5


def text_fits(frame, width_emu, height_emu) -> bool:
    """A generous estimate: each paragraph's lines at its size, Lao at its average advance."""
    total = 0.0
    for para in frame.paragraphs:
        size = max([r.font.size.pt for r in para.runs if r.font.size] or [para.font.size.pt if para.font.size else 18])
        width_pt = Emu(width_emu).pt - 14
        chars = i18n.visual_len(para.text.replace(i18n.ZWSP, ""))
        lines = max(1, -(-chars * 0.62 * size // width_pt))
        total += lines * size * (1.55 if LAO.search(para.text) else 1.25)
    return total <= Emu(height_emu).pt + 6


@pytest.mark.parametrize("name", ["lo.pptx", "both.pptx"])
def test_no_text_runs_outside_its_slide_or_its_box(decks, name):
    prs = Presentation(decks / name)
    for n, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, (n, shape.name)
            assert shape.left + shape.width <= prs.slide_width, (n, shape.name)
            assert shape.top + shape.height <= prs.slide_height, (n, shape.name)
        title = slide.shapes.title
        assert text_fits(title.text_frame, title.width, title.height), (n, title.text_frame.text)
        pictures = [s for s in slide.shapes if s.shape_type == 13]
        for pic in pictures:  # the chart starts below the headline
            assert pic.top >= title.top + title.height - Pt(2), n


def test_the_pdf_is_drawn_with_the_bundled_fonts(decks):
    fonts = subprocess.run(["pdffonts", str(decks / "lo.pdf")], capture_output=True, text=True, check=True).stdout
    assert "NotoSansLao" in fonts
    text = subprocess.run(["pdftotext", str(decks / "lo.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert len(LAO.findall(text)) > 500


def test_the_deck_language_defaults_to_the_setting(decks, tmp_path, monkeypatch):
    monkeypatch.setenv("SWGDASH_LANGUAGE", "lo")  # (the demo's store of `decks`, only read; its charts drawn there)
    code, out = run("--home", str(decks / "home"), "deck", "--out", str(tmp_path / "d.pptx"))
    assert code == 0, out
    assert LAO.search(Presentation(tmp_path / "d.pptx").slides[0].shapes.title.text)
    assert i18n.current() == "en"  # the CLI's own messages stay English


def test_a_table_slide_holds_only_the_rows_that_fit():
    from swgdash.present import slides

    short = [("REC-01", "Adopt the template", "DIC", "31 Dec 2025")] * 10
    long_lao = [("REC-01", "ມອບໝາຍໃຫ້ພະນັກງານຕິດຕາມ-ປະເມີນຜົນຂອງໂຄງການຄູ່ຮ່ວມພັດທະນາ ເຮັດບົດລາຍງານຂະແໜງການ"
                 "ຕາມແບບມາດຕະຖານ ແລະ ສົ່ງໃຫ້ກອງເລຂາທຸກໆໄຕມາດ", "ກອງເລຂາ", "31 ທັນວາ 2025")] * 10
    assert slides.rows_that_fit(short, slides.OVERDUE_WIDTHS) == 10
    fit = slides.rows_that_fit(long_lao, slides.OVERDUE_WIDTHS)
    assert 3 <= fit < 10
    assert slides.rows_that_fit(long_lao, slides.OVERDUE_WIDTHS, room_in=20) == 10


def test_the_lao_overdue_slide_says_how_many_it_shows(decks):
    prs = Presentation(decks / "lo.pptx")
    for slide in prs.slides:
        tables = [sh.table for sh in slide.shapes if sh.has_table]
        if tables and len(tables[0].rows) - 1 < 9 and "ກາຍກຳນົດ" in slide.shapes.title.text:
            assert LAO.search(slide.notes_slide.notes_text_frame.text)
