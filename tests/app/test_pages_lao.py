"""Every page in Lao (?lang=lo), through AppTest: every word a page shows comes from the Lao
catalog or from the data; none is left in English."""
from __future__ import annotations

import json
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from factories import DEMO, ROOT
from swgdash import contract, i18n, site

# every test reads the demo, as a server's first start leaves it (a copy: conftest.demo_in_home)
pytestmark = pytest.mark.usefixtures("demo_in_home")
PAGES = [f"pages/{p.file}" for p in site.PAGES]
# Words that stay in Latin letters in Lao text: the abbreviations Lao documents keep (glossary),
# file kinds and programs, and the extract's table and column names (the contract's names).
KEPT = {"SWG", "SWGs", "NSEDP", "RTM", "RTIM", "UXO", "ADB", "UNDP", "CSV", "PDF", "Excel", "xlsx", "pptx",
        "PowerPoint", "Parquet", "HEAD", "json", "zip", "csv", "ID", "IDs", "ToR", "ISO", "UTC",
        "Streamlit", "Chromium", "YYYY", "MM", "DD", "swgdash", "ics", "read", "me"}  # (the template's "read me" sheet)
# The language switch speaks both languages on purpose (anyone finds it).
BILINGUAL = {i18n.SWITCH_LABEL, i18n.SWITCH_HELP, *i18n.LANGUAGE_NAMES.values()}
# Table and column names of the contract stay as they are, written as code (`groups`, `as_of`).
CONTRACT_NAMES = set(contract.TABLES) | {c for t in contract.TABLES.values() for c in t.column_names}


def data_texts() -> list[str]:
    """Every text of the demo extract (names, organisations, titles...) and of its IATI sample (the
    partners' names and activity titles): data, shown as given."""
    out = set()
    for path in DEMO.glob("*.csv"):
        frame = pd.read_csv(path, dtype=str)
        for col in frame.columns:
            out.update(v for v in frame[col].dropna().unique() if isinstance(v, str))
    for path in (ROOT / "data" / "demo-iati").glob("*.xml"):
        out.update(re.findall(r"<narrative[^>]*>([^<]+)</narrative>", path.read_text(encoding="utf-8")))
        out.update(re.findall(r"<iati-identifier>([^<]+)</iati-identifier>", path.read_text(encoding="utf-8")))
    return sorted(out, key=len, reverse=True)


DATA = data_texts()


def english_words(text: str) -> list[str]:
    """The English words left in `text` once data, code and kept abbreviations are taken out."""
    text = re.sub(r"\\(.)", r"\1", text)  # markdown's escapes
    text = re.sub(r"`[^`]*`", " ", text)  # commands, table and column names
    names = "|".join(sorted(CONTRACT_NAMES, key=len, reverse=True))
    text = re.sub(r"\*\*(" + names + r")\*\*|ຕາຕະລາງ\s*(" + names + r")\b", " ", text)  # a table named as such
    text = re.sub(r"https?://\S+|\S*\?\w+=\w+|<[^>]+>|:[a-z]+-badge\[|[\w/.-]+\.md\b", " ", text)  # addresses, tags, files
    for value in DATA:
        if len(value) > 3 and value in text:
            text = re.sub(r"(?<![A-Za-z])" + re.escape(value) + r"(?![A-Za-z])", " ", text)
    words = re.findall(r"[A-Za-z][A-Za-z'-]{2,}", text)
    return [w for w in words if w not in KEPT and w.strip("'-") not in KEPT and not re.fullmatch(r"[A-Z0-9-]+", w)]


def figure_texts(spec: dict) -> list[str]:
    """The words of a Plotly figure: titles, axis titles, legend names, annotations, hover texts."""
    out = []
    layout = spec.get("layout", {})

    def title(t):
        if isinstance(t, dict):
            return t.get("text") or ""
        return t or ""

    out.append(title(layout.get("title")))
    for key, axis in layout.items():
        if key.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            out.append(title(axis.get("title")))
    for ann in layout.get("annotations", []) or []:
        out.append(ann.get("text") or "")
    for trace in spec.get("data", []):
        out.append(trace.get("name") or "")
        out.append(re.sub(r"%\{[^}]*\}", " ", trace.get("hovertemplate") or ""))
        colorbar = (trace.get("colorbar") or trace.get("marker", {}).get("colorbar") or {})
        out.append(title(colorbar.get("title")))
    return [re.sub(r"<[^>]+>", " ", t) for t in out if t]


def page_texts(at) -> list[str]:
    texts = []
    for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning", "error", "success"):
        texts += [e.value for e in getattr(at, kind)]
    texts += [m.label for m in at.metric] + [m.help or "" for m in at.metric]
    for kind in ("selectbox", "radio", "toggle", "checkbox", "number_input", "date_input", "text_input",
                 "multiselect", "button"):
        for w in getattr(at, kind):
            texts.append(w.label)
            texts.append(getattr(w, "help", None) or "")
    for kind in ("selectbox", "radio", "multiselect"):  # the choices, as formatted
        for w in getattr(at, kind):
            texts += [str(o) for o in w.options]
    for w in at.get("button_group"):  # pills and segmented controls
        texts += [o.content for o in w.proto.options]
    for df in at.dataframe:
        texts += [str(c) for c in df.value.columns]
    for chart in at.get("plotly_chart"):
        texts += figure_texts(json.loads(chart.proto.spec))
    for el in at.get("expander"):
        texts.append(el.label)
    for el in at.get("tab"):
        texts.append(el.label)
    texts += [m.value for m in at.metric]
    texts += [b.proto.label for b in at.get("download_button")]
    return [t for t in texts if t and t not in BILINGUAL]


def lao_app(page: str):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.query_params["lang"] = "lo"
    if page == "pages/group.py":
        at.query_params["id"] = site.EXAMPLE_GROUP
    at.run()
    if page != "pages/overview.py":
        # (AppTest formats the sidebar's choices again in the test's own thread: in Lao too)
        with i18n.language("lo"):
            at.switch_page(page).run()
    return at


@pytest.mark.parametrize("page", PAGES)
def test_every_word_of_every_page_is_lao_in_lao(home, page):
    at = lao_app(page)
    assert not at.exception, [e.value for e in at.exception]
    with i18n.language("lo"):
        failed = i18n._("Sorry, this page could not be drawn. The error has been logged for the "
                        "secretariat; try another date or filter, or reload the page.")
    assert not [e.value for e in at.error if e.value == failed], f"{page} could not be drawn in Lao"
    texts = page_texts(at)
    assert texts, "the page showed nothing"
    assert any(i18n.has_lao(t) for t in texts)
    left = {t[:90]: words for t in texts if (words := english_words(t))}
    assert not left, f"English left on {page} in Lao: {left}"


def test_the_language_is_kept_in_the_address_and_the_session(home):
    at = lao_app("pages/dormant.py")
    assert at.query_params["lang"] == ["lo"] or at.query_params["lang"] == "lo"
    assert at.session_state["lang"] == "lo"
    assert i18n.has_lao(at.title[0].value)
    profile = [v for v in at.session_state["_url_written"].items()]
    assert ("lang", "lo") in profile  # profile links and every in-app link carry it


def test_english_pages_write_no_lang_into_the_address(home):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.run()
    assert "lang" not in at.query_params
    assert at.title[0].value == _english_heading()


def _english_heading():
    return site.BY_PATH[""].heading


def test_a_deployment_can_open_in_lao(home, monkeypatch):
    monkeypatch.setenv("SWGDASH_LANGUAGE", "lo")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.run()
    assert i18n.has_lao(at.title[0].value)
    assert "lang" not in at.query_params  # the default is not written into links
    at2 = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at2.query_params["lang"] = "en"
    at2.run()
    assert at2.title[0].value == _english_heading()


def test_an_unknown_language_in_the_address_is_named_and_english_shown(home):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.query_params["lang"] = "fr"
    at.run()
    assert at.title[0].value == _english_heading()
    assert any("lang=fr" in w.value.replace("\\", "") for w in at.warning)
