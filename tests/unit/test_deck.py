"""The briefing pack: PowerPoint deck and PDF, from the CLI and the slide builder."""
import datetime as dt
import io
import json
import subprocess

import pytest
from PIL import Image, ImageStat
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from factories import demo_home, run_cli
from swgdash.present import slides
from swgdash.query import metrics

run = run_cli


@pytest.fixture(scope="module")
def built(tmp_path_factory, chart_drawing):
    """The demo's deck and its PDF, with stand-in charts and (slow) with the charts drawn."""
    tmp = tmp_path_factory.mktemp("deck")
    home = demo_home(tmp)
    code, out = run("--home", str(home), "deck", "--out", str(tmp / "brief.pptx"), "--pdf", str(tmp / "brief.pdf"))
    assert code == 0, out
    return tmp, home, out


def expected_slides(home):
    from swgdash import publishing
    from swgdash.query.db import Database
    from swgdash.store import FolderStore

    store = FolderStore(home)
    v = store.current()
    db = Database(v)
    cur = db.cursor()
    plan = metrics.default_plan(metrics.plans(cur), v.as_of)
    s = slides.deck_slides(cur, metrics.Params(as_of=v.as_of, plan=plan), iati=publishing.current_iati(store))
    db.close()
    return s


def slide_title(slide):
    return slide.shapes.title.text  # the headline is the slide's real title placeholder


def test_pptx_has_the_slides_with_headlines_pictures_tables_notes_and_footer(built):
    tmp, home, out = built
    want = expected_slides(home)
    prs = Presentation(str(tmp / "brief.pptx"))
    assert out.startswith(f"{len(want)} slides:")
    assert len(prs.slides) == len(want) >= 8
    doc = json.loads(run("--home", str(home), "summary", "--json")[1])
    dormant = sum(g["activity"] == "dormant" for g in doc["groups"])
    for s, slide in zip(want, prs.slides, strict=True):
        assert slide_title(slide) == s.headline
        kinds = [sh.shape_type for sh in slide.shapes]
        if s.figure is not None:
            assert MSO_SHAPE_TYPE.PICTURE in kinds, s.key
            pic = next(sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE)
            w, h = Image.open(io.BytesIO(pic.image.blob)).size
            assert w >= 2000, "charts are rendered sharp (scale 2)"  # (and drawn: the variant drawn-charts)
        if s.table is not None:
            assert any(sh.has_table for sh in slide.shapes), s.key
        assert slide.notes_slide.notes_text_frame.text == s.notes and len(s.notes) > 40
        text = " ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
        assert "data version 1" in text and "31 October 2026" in text
    assert f"{dormant} of {len(doc['groups'])} groups have not met in 12 months" == want[1].headline
    table_slide = next(sl for s, sl in zip(want, prs.slides, strict=True) if s.key == "overdue")
    table = next(sh.table for sh in table_slide.shapes if sh.has_table)
    overdue = sum(r["overdue"] for r in doc["recommendations"])
    # as many as the slide holds (slides.rows_that_fit), and its title says how many of how many
    shown = len(table.rows) - 1
    assert table.cell(0, 1).text == "Action" and 3 <= shown <= overdue
    assert slide_title(table_slide) == (f"{overdue} actions overdue: who owns them" if shown == overdue else
                                        f"The {shown} oldest of {overdue} overdue actions: who owns them")
    appendix = [s for s in want if s.key.startswith("appendix:overdue:")]
    assert (shown < overdue) == bool(appendix)
    assert sum(len(s.table) for s in appendix) in ({0, overdue} if shown == overdue else {overdue})


def test_pdf_has_one_non_blank_page_per_slide(built, tmp_path):
    tmp, home, _ = built
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(tmp / "brief.pdf"), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == len(expected_slides(home))
    for page in pages:
        stat = ImageStat.Stat(Image.open(page).convert("L"))
        assert stat.stddev[0] > 8, f"{page.name} looks blank"


def test_deck_for_one_swg_with_profile_slides(tmp_path, chart_drawing):
    code, out = run("--home", str(tmp_path / "home"), "deck", "--out", str(tmp_path / "h.pptx"),
                    "--group", "SWG-HEALTH", "--group-slides", "--as-of", "2026-06-30")
    assert code == 0
    prs = Presentation(str(tmp_path / "h.pptx"))
    titles = [slide_title(s) for s in prs.slides]
    assert any(t.startswith("Health Sector Working Group:") for t in titles)
    assert "Health Sector Working Group" in " ".join(
        sh.text_frame.text for sh in prs.slides[0].shapes if sh.has_text_frame)
    assert "30 June 2026" in " ".join(sh.text_frame.text for sh in prs.slides[0].shapes if sh.has_text_frame)


def test_deck_refuses_an_unknown_group(tmp_path, capsys):
    code, _ = run("--home", str(tmp_path / "home"), "deck", "--out", str(tmp_path / "x.pptx"), "--group", "NOPE")
    assert code == 1 and "there is no group NOPE" in capsys.readouterr().err
    assert not (tmp_path / "x.pptx").exists()


def test_headlines_follow_the_data(tiny):
    from factories import group, meeting

    cur = tiny({"groups": [group("A"), group("B")], "meetings": [meeting("1", "A", "2026-10-01")]})
    s = slides.build_slides(cur, metrics.Params(as_of=dt.date(2026, 10, 31)))
    assert [x.key for x in s] == ["title", "kpis", "trend", "meetings", "dormant"]   # no optional tables, no slides for them
    assert s[1].headline == "1 of 2 groups have not met in 12 months"
    assert s[2].headline == "Dormant groups: 2 on 31 December 2021, 1 on 31 October 2026"  # (records start 2026)
    assert s[4].headline == "1 group dormant and 0 at risk"


def test_a_missing_chromium_is_named_and_no_file_is_written(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SWGDASH_CHROMIUM", str(tmp_path / "no-chromium"))
    code, _ = run("--home", str(tmp_path / "home"), "deck", "--out", str(tmp_path / "x.pptx"), "--pdf", str(tmp_path / "x.pdf"))
    err = capsys.readouterr().err
    assert code == 1 and "Chromium is needed to draw the charts and was not found at" in err and "Traceback" not in err
    assert not (tmp_path / "x.pptx").exists() and not (tmp_path / "x.pdf").exists()
