"""The template teaches (issue 28): a read-me sheet in English and Lao, header notes in plain
words, drop-down lists on coded and yes/no columns, date columns formatted as dates; a version
downloaded as a workbook keeps its as-of date; a table given twice names both places."""
import datetime as dt
import gettext
import io
import zipfile

import openpyxl
import pytest

from factories import DEMO
from swgdash import i18n
from swgdash.contract import TABLES
from swgdash.ingest.extract import Source
from swgdash.ingest.validate import parse_bool, validate_paths, validate_sources
from swgdash.present import excel
from swgdash.store import FolderStore

D = dt.date.fromisoformat
CSV = {
    "groups": b"group_id,name,kind\nG1,Health,swg\n",
    "meetings": b"meeting_id,group_id,date\nM1,G1,2026-03-04\n",
    "recommendations": b"rec_id,title\nR1,Meet more often\n",
    "actions": b"action_id,rec_id,description,status\nA1,R1,Plan the meetings,done\n",
}


def template():
    return openpyxl.load_workbook(io.BytesIO(excel.template_xlsx()))


def letters(table):
    return {c.name: openpyxl.utils.get_column_letter(i + 1) for i, c in enumerate(table.columns)}


def validation(ws, cell):
    """The data validation covering a cell."""
    found = [dv for dv in ws.data_validations.dataValidation if cell in dv.sqref]
    assert len(found) == 1, (ws.title, cell, found)
    return found[0]


def english(note: str) -> str:
    return note.split("\n\n")[0]


# ---- the read-me sheet ------------------------------------------------------------------------

def test_the_first_sheet_is_read_me_and_names_every_table():
    wb = template()
    assert wb.sheetnames == ["read me", *TABLES]
    rows = list(wb["read me"].iter_rows(values_only=True))
    assert rows[0][1:] == ("English", "ລາວ")
    text = "\n".join(" ".join(str(c) for c in r if c) for r in rows)
    for name in TABLES:
        assert name in [r[0] for r in rows], name
    required = [n for n, t in TABLES.items() if t.required]
    assert any(all(n in (r[1] or "") for n in required) and "optional" in r[1] for r in rows)
    assert "YYYY-MM-DD" in text and "yes or no" in text and "note" in text
    extract = next(r for r in rows if r[0] == "extract")
    assert "as_of" in extract[1] and "the date the figures are as of" in extract[1]


class Fake(gettext.NullTranslations):
    def gettext(self, message):
        return "ລາວ " + message


def test_the_read_me_and_the_notes_speak_english_and_lao_through_the_catalog(monkeypatch):
    real = i18n.translations
    monkeypatch.setattr(i18n, "translations", lambda lang: Fake() if lang == "lo" else real(lang))
    wb = template()
    rows = list(wb["read me"].iter_rows(min_row=2, values_only=True))
    assert len(rows) >= len(TABLES) + 3
    for _sheet, en, lo in rows:
        assert not i18n.has_lao(en) and lo.startswith("ລາວ "), (en, lo)
    note = wb["meetings"]["G1"].comment.text  # minutes_published
    assert note.startswith("yes or no") and "\n\nລາວ yes or no" in note


# ---- header notes -----------------------------------------------------------------------------

def test_header_notes_are_in_plain_words():
    wb = template()
    for name, table in TABLES.items():
        ws = wb[name]
        for i, col in enumerate(table.columns, start=1):
            note = english(ws.cell(1, i).comment.text)
            assert "`" not in note and "bool" not in note and "enum" not in note, (name, col.name, note)
            if col.required:
                assert "required" in note
            if col.type == "bool":
                assert "yes or no" in note
            if col.type == "date":
                assert "a date (YYYY-MM-DD)" in note
            if col.ref:
                assert f"{col.ref[1]} listed on the {col.ref[0]} sheet" in note, (name, col.name, note)
    assert excel.plain_note(TABLES["meetings"].column("group_id")) == \
        "text; required; a group_id listed on the groups sheet"
    assert "empty means yes" in excel.plain_note(TABLES["attendance"].column("present"))


# ---- drop-down lists and dates ----------------------------------------------------------------

def test_coded_and_yes_no_columns_have_a_drop_down_list_and_dates_a_date_format():
    wb = template()
    for name, table in TABLES.items():
        ws = wb[name]
        for col_name, letter in letters(table).items():
            col = table.column(col_name)
            if col.type in ("enum", "bool"):
                dv = validation(ws, f"{letter}2")
                assert f"{letter}5000" in dv.sqref
                assert dv.type == "list" and dv.allow_blank
                values = dv.formula1.strip('"').split(",")
                if col.type == "enum":
                    assert values == list(col.choices), (name, col_name)
                else:
                    assert values == ["yes", "no"]
                    assert [parse_bool(v) for v in values] == [True, False]  # what the reader accepts
            elif col.type == "date":
                assert ws.column_dimensions[letter].number_format == "yyyy-mm-dd", (name, col_name)
                assert validation(ws, f"{letter}2").type == "date"
            else:
                assert not [dv for dv in ws.data_validations.dataValidation if f"{letter}2" in dv.sqref]
                assert ws.column_dimensions[letter].number_format == "General"


# ---- the read-me sheet is not read ------------------------------------------------------------

def test_the_blank_template_uploads_without_a_word_about_its_read_me():
    data = excel.template_xlsx()
    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames[0] == "read me"
    result = validate_sources([Source("template.xlsx", data)])
    assert [p.message for p in result.problems] == [
        "the groups table has no rows; an extract needs at least one group"]


def test_a_filled_in_template_uploads_cleanly():
    wb = template()
    assert wb.sheetnames[0] == "read me"  # kept, as a person filling it in keeps it
    wb["groups"].append(["G1", "Health", None, "swg"])
    wb["meetings"].append(["M1", "G1", dt.datetime(2026, 3, 4), "joint", None, 12, "yes"])
    wb["meetings"].append(["M2", "G1", dt.datetime(2026, 6, 5), None, "technical", None, "no"])
    buf = io.BytesIO()
    wb.save(buf)
    result = validate_sources([Source("extract.xlsx", buf.getvalue())])
    assert result.ok and result.warnings == [], result.problems
    assert result.tables["meetings"].column("minutes_published").to_pylist() == [True, False]
    assert result.tables["meetings"].column("date").to_pylist() == [D("2026-03-04"), D("2026-06-05")]


def test_any_workbook_with_a_read_me_sheet_is_read_without_a_warning():
    wb = openpyxl.Workbook()
    wb.active.title = "read me"
    wb.active.append(["What this workbook is"])
    wb.create_sheet("groups").append(["group_id", "name", "kind"])
    wb["groups"].append(["G1", "Health", "swg"])
    wb.create_sheet("meetings").append(["meeting_id", "group_id", "date"])
    buf = io.BytesIO()
    wb.save(buf)
    result = validate_sources([Source("extract.xlsx", buf.getvalue())])
    assert result.ok and result.warnings == []


# ---- a version keeps its as-of date -----------------------------------------------------------

@pytest.mark.parametrize("with_extract", [True, False])
def test_a_version_workbook_re_uploads_with_its_as_of_date(tmp_path, with_extract):
    v = FolderStore(tmp_path / "s").publish(validate_paths([DEMO]), D("2026-10-31"))
    tables = {n: v.read(n) for n in v.tables if with_extract or n != "extract"}
    day = D("2026-09-30")  # (not the demo's own as_of, 2026-10-31)
    data = excel.version_workbook(tables, day)
    ws = openpyxl.load_workbook(io.BytesIO(data))["extract"]
    assert [c.value for c in ws[1]] == ["as_of"] and ws.max_row == 2
    result = validate_sources([Source("version.xlsx", data)])
    assert result.ok
    assert result.as_of.date == day and result.as_of.given
    for name in tables:
        if name != "extract":
            assert result.tables[name].equals(v.read(name)), name


# ---- a table given twice names both places ----------------------------------------------------

def zipped(files: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def twice(sources):
    result = validate_sources(sources)
    found = [p for p in result.errors if "twice" in p.message]
    assert len(found) == 1 and found[0].table == "actions", result.errors
    return found[0].message


def test_a_table_given_as_a_file_and_inside_a_zip_names_both():
    message = twice([Source(f"{n}.csv", d) for n, d in CSV.items()]
                    + [Source("extract.zip", zipped({"actions.csv": CSV["actions"]}))])
    assert "actions.csv and" in message and "actions.csv inside extract.zip" in message
    assert "remove one" in message


def actions_workbook() -> bytes:
    """A workbook with one sheet, actions (the CSV's rows)."""
    wb = openpyxl.Workbook()
    wb.active.title = "actions"
    for line in CSV["actions"].decode().splitlines():
        wb.active.append(line.split(","))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_table_given_as_a_sheet_and_a_file_names_both():
    buf = io.BytesIO(actions_workbook())
    message = twice([Source("extract.xlsx", buf.getvalue())] + [Source(f"{n}.csv", d) for n, d in CSV.items()])
    assert "sheet 'actions' of extract.xlsx" in message and "actions.csv" in message
    assert "remove one" in message


def test_a_sheet_of_a_workbook_inside_a_zip_says_so():
    buf = io.BytesIO(actions_workbook())
    message = twice([Source(f"{n}.csv", d) for n, d in CSV.items()]
                    + [Source("upload.zip", zipped({"extract.xlsx": buf.getvalue()}))])
    assert "sheet 'actions' of extract.xlsx inside upload.zip" in message
