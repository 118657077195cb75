"""Lao and English: the catalog is complete and in step with the code, formats agree between
languages, dates and numbers follow the language, Lao is cut at word boundaries only."""
from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import threading

import pytest
from babel.messages.pofile import read_po

from factories import ROOT
from swgdash import i18n
from swgdash.i18n import _, ngettext

PO = i18n.po_path("lo")
PLACEHOLDER = re.compile(r"(?<!\{)\{[^{}]*\}(?!\})")
PLOTLY = re.compile(r"%\{[^}]*\}")


def catalog():
    with PO.open("rb") as fh:
        return read_po(fh, locale="lo")


def messages():
    return [m for m in catalog() if m.id]


def test_the_catalog_is_extracted_from_the_code_as_it_is_now(tmp_path):
    """Every message the code marks is in the Lao catalog (run `make catalog` after changing words)."""
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                    "-k", "_", "-k", "N_", "-k", "ngettext:1,2", "--no-wrap", "--omit-header", "-o", str(pot), "."],
                   cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as fh:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    have = {m.id if isinstance(m.id, str) else m.id[0] for m in messages()}
    assert wanted, "pybabel found no message"
    missing = sorted(wanted - have)
    assert not missing, f"{len(missing)} messages are not in {PO.name} (run `make catalog`): {missing[:5]}"


def test_every_message_has_a_lao_translation():
    untranslated = [m.id for m in messages()
                    if not all(m.string if isinstance(m.string, (tuple, list)) else (m.string,))
                    or (m.fuzzy and m.id)]
    assert not untranslated, f"{len(untranslated)} messages lack a Lao translation: {untranslated[:5]}"


def test_lao_translations_are_in_lao_script():
    latin_only = [m.id for m in messages() if re.search(r"[a-z]{3}", m.id if isinstance(m.id, str) else m.id[0])
                  and not any(i18n.has_lao(s) for s in (m.string if isinstance(m.string, (tuple, list)) else (m.string,)))]
    # (a few words stay as they are in Lao documents: file types, program names)
    assert len(latin_only) <= 12, latin_only


@pytest.mark.parametrize("m", messages(), ids=lambda m: (m.id if isinstance(m.id, str) else m.id[0])[:40])
def test_placeholders_and_markup_agree_between_languages(m):
    ids = m.id if isinstance(m.id, (tuple, list)) else (m.id,)
    strings = m.string if isinstance(m.string, (tuple, list)) else (m.string,)
    for s in strings:
        for pattern in (PLACEHOLDER, PLOTLY):
            assert sorted(set(pattern.findall(ids[-1]))) == sorted(set(pattern.findall(s))), (ids[0], s)
        for mark in ("**", "`", "<br>"):
            assert ids[0].count(mark) == s.count(mark), (mark, ids[0], s)
        assert ids[0].startswith(" ") == s.startswith(" ") and ids[0].endswith(" ") == s.endswith(" "), (ids[0], s)


def test_a_message_is_english_by_default_and_lao_in_lao():
    assert _("Dormant groups") == "Dormant groups"
    with i18n.language("lo"):
        lao = _("Dormant groups")
    assert i18n.has_lao(lao)
    assert _("Dormant groups") == "Dormant groups"  # back in English after the block


def test_each_thread_keeps_its_own_language():
    """One server, many sessions: a Lao session never changes what an English one reads."""
    seen = {}

    def run(lang):
        i18n.set_language(lang)
        seen[lang] = _("Dormant groups")

    threads = [threading.Thread(target=run, args=(lang,)) for lang in ("lo", "en")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen["en"] == "Dormant groups" and i18n.has_lao(seen["lo"])
    assert i18n.current() == "en"


def test_plural_messages():
    assert ngettext("{n} month", "{n} months", 1).format(n=1) == "1 month"
    assert ngettext("{n} month", "{n} months", 2).format(n=2) == "2 months"
    with i18n.language("lo"):
        assert i18n.has_lao(ngettext("{n} month", "{n} months", 2).format(n=2))


@pytest.mark.parametrize("lang, expected", [("en", "15 November 2026"), ("lo", "15 ພະຈິກ 2026")])
def test_dates_are_written_in_the_language(lang, expected):
    with i18n.language(lang):
        assert i18n.date_text(dt.date(2026, 11, 15)) == expected
        assert i18n.Message("{d:%d %B %Y}").format(d=dt.date(2026, 11, 15)) == expected


def test_a_lao_date_in_a_message_has_no_leading_zero_and_the_month_in_lao():
    with i18n.language("lo"):
        assert i18n.Message("{d:%d %b %Y}").format(d=dt.date(2026, 1, 5)) == "5 ມັງກອນ 2026"
        assert i18n.month_text(dt.date(2026, 3, 1)) == "ມີນາ 2026"


def test_numbers_are_grouped_as_the_language_groups_them():
    assert i18n.Message("{n:,} rows").format(n=12345) == "12,345 rows"
    with i18n.language("lo"):
        assert i18n.Message("{n:,}").format(n=12345) == "12.345"  # CLDR's Lao grouping
        assert i18n.number(1234567) == "1.234.567"


def test_lao_digits_are_an_option(monkeypatch):
    with i18n.language("lo"):
        assert i18n.date_text(dt.date(2026, 11, 15)) == "15 ພະຈິກ 2026"
        monkeypatch.setenv("SWGDASH_DIGITS", "lao")
        assert i18n.date_text(dt.date(2026, 11, 15)) == "໑໕ ພະຈິກ ໒໐໒໖"
        assert i18n.Message("{n} / {m:,}").format(n=3, m=12000) == "໓ / ໑໒.໐໐໐"
    assert i18n.date_text(dt.date(2026, 11, 15)) == "15 November 2026"  # English keeps Arabic digits


@pytest.mark.parametrize("raw, code", [("lo", "lo"), ("LO", "lo"), ("lo_LA", "lo"), ("en-GB", "en"),
                                       ("fr", None), ("", None), (None, None), ("<script>", None)])
def test_only_the_two_languages_are_read_from_an_address(raw, code):
    assert i18n.normalise(raw) == code


def test_the_default_language_is_a_setting(monkeypatch):
    assert i18n.default_language() == "en"
    monkeypatch.setenv("SWGDASH_LANGUAGE", "lo")
    assert i18n.default_language() == "lo"
    monkeypatch.setenv("SWGDASH_LANGUAGE", "xx")
    assert i18n.default_language() == "en"


LONG_LAO = "ກຸ່ມວຽກງານຂະແໜງການຍ່ອຍດ້ານການຄຸ້ມຄອງ ການບໍລິຫານ ແລະ ການປະເມີນຜົນການສຶກສາ"


def syllables_intact(lines: list[str], text: str) -> bool:
    """No line starts with a combining mark (a vowel or tone mark cut from its consonant)."""
    import unicodedata

    return "".join(lines).replace(" ", "") == text.replace(" ", "") and all(
        not unicodedata.category(line[0]).startswith("M") for line in lines if line)


def test_long_lao_labels_wrap_between_words():
    lines = i18n.wrap(LONG_LAO, 16)
    assert len(lines) > 2
    assert syllables_intact(lines, LONG_LAO)
    words = set(i18n.lao_words(LONG_LAO))
    for line in lines:  # every line is made of whole dictionary words
        assert all(piece in words or piece.isspace() for piece in i18n.lao_words(line)) or line in words


def test_english_labels_wrap_at_spaces_as_before():
    import textwrap

    name = "Education Management, Administration and Performance Assessment"
    assert i18n.wrap(name, 20) == textwrap.wrap(name, 20) == [
        "Education", "Management,", "Administration and", "Performance", "Assessment"]


def test_a_lao_line_is_measured_without_its_marks():
    assert i18n.visual_len("ກຸ່ມ") == 2  # ກ ມ, with the vowel and tone marks above and below
    assert all(i18n.visual_len(line) <= 16 for line in i18n.wrap(LONG_LAO, 16)
               if len(i18n.lao_words(line)) > 1)


def test_deck_text_gets_break_opportunities_between_lao_words_only():
    out = i18n.break_opportunities(LONG_LAO)
    assert i18n.ZWSP in out and out.replace(i18n.ZWSP, "") == LONG_LAO
    for piece in out.split(i18n.ZWSP):
        assert piece and piece[0] not in "\u0eb1\u0eb4\u0eb5\u0eb6\u0eb7\u0eb8\u0eb9\u0ebb\u0ec8\u0ec9\u0eca\u0ecb\u0ecc"
    assert i18n.break_opportunities("Health SWG") == "Health SWG"


def test_code_words_follow_the_language():
    from swgdash.contract import word, words

    assert word("activity", "dormant") == "Dormant"
    with i18n.language("lo"):
        assert word("activity", "dormant") == "ບໍ່ເຄື່ອນໄຫວ"  # the glossary's term
        assert all(i18n.has_lao(w) for w in words("activity").values())


# --- what the reviews found ----------------------------------------------------------------------

@pytest.mark.parametrize("text", ["ກຸ່ມວຽກງານແອັບດິຈິຕອນ", "ການເຜີຍແຜ່ຜ່ານແອັບ", "ໂຄງການຊົນລະປະທານ"])
def test_a_word_the_dictionary_lacks_is_never_cut_inside_a_syllable(text):
    """laonlp returns an unknown word letter by letter (ແອັບ as ແອ ັ ບ); the pieces are joined
    again so no line starts with a mark, a following vowel or a closing consonant."""
    pieces = i18n.lao_words(text)
    assert "".join(pieces) == text
    for piece in pieces:
        assert not unicodedata_mark(piece[0]) and piece[0] not in "ະາຳ"
        assert len(piece) > 1
    assert "ແອັບ" in pieces or "ແອັບ" not in text
    for line in i18n.wrap(text, 8):
        assert not unicodedata_mark(line[0])


def unicodedata_mark(ch: str) -> bool:
    import unicodedata

    return unicodedata.category(ch).startswith("M")


def test_no_lao_message_of_the_catalog_gets_a_break_inside_a_syllable():
    for m in messages():
        for s in (m.string if isinstance(m.string, (tuple, list)) else (m.string,)):
            for piece in i18n.break_opportunities(s).split(i18n.ZWSP)[1:]:
                assert piece and not unicodedata_mark(piece[0]) and piece[0] not in "ະາຳ", s
            for piece in i18n.break_opportunities(s).split(i18n.ZWSP)[:-1]:
                assert piece[-1] not in "ເແໂໃໄ" and piece.rstrip("່້໊໋໌")[-1:] not in "ັົ", s


def test_lao_digits_reach_the_words_of_a_translation_but_never_a_format(monkeypatch):
    monkeypatch.setenv("SWGDASH_DIGITS", "lao")
    with i18n.language("lo"):
        text = _("Meetings in 12 months")
        assert "12" not in text and "໑໒" in text
        done = ngettext("{share:.0%} of follow-up actions are done; {overdue} is overdue",
                        "{share:.0%} of follow-up actions are done; {overdue} are overdue", 3).format(share=0.5, overdue=3)
        assert "໕໐%" in done and "໓" in done and not re.search(r"[0-9]", done)


def test_what_a_version_records_is_english_and_shown_in_the_readers_language():
    from swgdash import fmt

    with i18n.language("lo"):
        assert i18n.has_lao(fmt.recorded(fmt.DEMO_NOTE))
        assert i18n.has_lao(fmt.recorded("rollback to version 3: wrong dates"))
        assert fmt.recorded("rollback to version 3: wrong dates").endswith("wrong dates")
        assert i18n.has_lao(fmt.recorded("version 2"))
        assert fmt.recorded("March update") == "March update"  # a person's words, as written
    assert fmt.recorded("rollback to version 3") == "rollback to version 3"


def test_a_demo_published_from_a_lao_session_records_english(tmp_path):
    from swgdash import publishing
    from swgdash.store import FolderStore

    with i18n.language("lo"):
        v = publishing.ensure_demo(FolderStore(tmp_path / "s"))
    assert v.manifest["note"] == "Bundled demo extract (fictional figures)"
    assert all(not i18n.has_lao(w) for w in v.manifest["warnings"])
    for w in v.manifest["quality"]:  # each warning kept in both languages
        assert not i18n.has_lao(w["message"])
        assert i18n.has_lao(w["messages"]["lo"]) and w["messages"]["en"] == w["message"]


def test_lao_names_are_matched_by_id_not_by_english_text(tiny):
    from factories import group
    from swgdash.query import metrics

    cur = tiny({"groups": [group("G1", name="Health", name_lo="ສາທາລະນະສຸກ"), group("G2", name="Health")],
                "meetings": [{"meeting_id": "M1", "group_id": "G1", "date": "2026-10-01"},
                             {"meeting_id": "M2", "group_id": "G2", "date": "2026-10-02"}],
                "pillars": [{"pillar_id": "P1", "name": "Health"}],
                "alignment": [{"group_id": "G1", "pillar_id": "P1"}]})
    p = metrics.Params(as_of=__import__("datetime").date(2026, 10, 31))
    with i18n.language("lo"):
        names = dict(zip(*metrics.group_activity(cur, p)[["group_id", "name"]].T.values, strict=True))
        pillars = metrics.pillar_coverage(cur, p)
    assert names == {"G1": "ສາທາລະນະສຸກ", "G2": "Health"}  # the other group of that name keeps its own
    assert pillars["name"].tolist() == ["Health"]  # a pillar is not given a group's Lao name


def test_a_bracket_stays_with_the_words_it_encloses():
    name = "ກຸ່ມວຽກງານຂະແໜງການກູ້ລະເບີດທີ່ຍັງບໍ່ທັນແຕກ (UXO)"
    for width in range(12, 50, 3):
        lines = i18n.wrap(name, width)
        assert not any(line.endswith("(") or line.startswith(")") for line in lines), lines
        assert "(UXO)" in " ".join(lines)
