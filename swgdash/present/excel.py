"""Spreadsheet-safe export: the workbooks and CSV files people download (a blank template,
any version as the .xlsx it represents, for editing and re-uploading, and every table).

The blank template teaches: a first sheet ("read me") says in English and Lao what the
workbook is and what each sheet holds; each header cell has a note in plain words; coded and
yes/no columns offer a drop-down list of the values the reader accepts; date columns are
formatted as dates.

Text that a spreadsheet would run as a formula (leading =, +, -, @, tab, return) never
runs: in a workbook it is plain text with Excel's quote prefix (it shows and re-reads
verbatim), in a CSV file it gets a leading apostrophe (`neutralise`).
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from functools import partial

import openpyxl
import pandas as pd
import pyarrow as pa
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from swgdash import fmt, i18n
from swgdash.contract import TABLES, Column, word
from swgdash.i18n import N_, _
from swgdash.ingest.extract import README_SHEET
from swgdash.ingest.validate import conform, schema
from swgdash.query.crosswalk import CarryOver

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # the one rule: text a spreadsheet would run
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="0072B2")


def _cell(ws, value):
    if isinstance(value, float) and pd.isna(value):
        value = None
    if isinstance(value, pd.Timestamp):
        value = value.date() if value == value.normalize() else value.to_pydatetime()
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True
    elif isinstance(value, (dt.date, dt.datetime)):
        cell.number_format = "yyyy-mm-dd"
    return cell


def _header(ws, columns, notes: bool):
    cells = []
    for name in columns:
        c = WriteOnlyCell(ws, value=name)
        c.font, c.fill = HEADER_FONT, HEADER_FILL
        if notes and name in notes_for(ws.title):
            c.comment = Comment(notes_for(ws.title)[name], "SWG Dashboard", width=300, height=120)
        cells.append(c)
    ws.append(cells)


def notes_for(table: str) -> dict[str, str]:
    """Each column's header note (`plain_note`), in English and, below it, in Lao."""
    t = TABLES.get(table)
    if t is None:
        return {}
    return {c.name: _both(lambda c=c: plain_note(c)) for c in t.columns}


YES_NO = ("yes", "no")  # what a yes/no column's drop-down offers (the reader also takes true/false, y/n, 1/0)


def _kind(col: Column) -> str:
    """What a cell of the column holds, in plain words."""
    if col.type == "enum":
        return _("one of: {choices}").format(choices=", ".join(col.choices))
    if col.type == "bool":
        return _("yes or no")
    if col.type == "date":
        return _("a date (YYYY-MM-DD)")
    if col.type == "int":
        return _("a whole number")
    return _("text")


def plain_note(col: Column) -> str:
    """A column's rules in plain words for a person filling in the template (its header note):
    no codes of the contract (`describe` words them for the format guide)."""
    rules = [_kind(col)]
    if col.min is not None:
        rules.append(_("{min} or more").format(min=str(col.min)))  # (a text: the digits 0-9 the reader takes)
    if col.required:
        rules.append(_("required"))
    if col.unique:
        rules.append(_("each value only once"))
    if col.ref:
        rules.append(_("a {column} listed on the {table} sheet").format(column=col.ref[1], table=col.ref[0]))
    if col.not_before:
        rules.append(_("not before the date in {column}").format(column=col.not_before))
    if col.not_after:
        rules.append(_("not after the date in {column}").format(column=col.not_after))
    if col.default is not None:
        value = YES_NO[0 if col.default else 1] if col.type == "bool" else str(col.default)
        rules.append(_("empty means {value}").format(value=value))
    if col.doc:
        rules.append(col.doc)
    return "; ".join(rules).replace("`", "")


def _both(message) -> str:
    """message() in English and, below it, in Lao (once, while the Lao is not yet translated)."""
    with i18n.language("en"):
        english = str(message())
    with i18n.language("lo"):
        lao = str(message())
    return english if lao == english else f"{english}\n\n{lao}"


def workbook(tables: dict[str, pa.Table | pd.DataFrame], notes: bool = False,
             readme: list[list] | None = None) -> bytes:
    """One sheet per table, in contract order; extra frames (not tables) after them. A table of
    an extract (Arrow, named like a contract table, with only its columns) has every column the
    contract now gives it, so a version published before a column existed (e.g. the Lao
    name_lo) downloads with it, empty, ready to fill in. `readme`: rows of a first sheet that an
    upload does not read (README_SHEET)."""
    wb = openpyxl.Workbook(write_only=True)
    if readme is not None:
        ws = wb.create_sheet(title=README_SHEET)
        ws.column_dimensions["A"].width = 28
        for i in range(2, 7):
            ws.column_dimensions[get_column_letter(i)].width = 36
        for line in readme:
            ws.append([_cell(ws, v) for v in line])
    names = [n for n in TABLES if n in tables] + [n for n in tables if n not in TABLES]
    for name in names:
        data = tables[name]
        if isinstance(data, pa.Table) and name in TABLES and set(data.column_names) <= set(TABLES[name].column_names):
            data = conform(name, data)
        df = data.to_pandas() if isinstance(data, pa.Table) else data
        ws = wb.create_sheet(title=name[:31])
        ws.freeze_panes = "A2"
        for i, col in enumerate(df.columns):
            ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width = max(12, min(48, len(str(col)) + 4))
        _header(ws, list(df.columns), notes)
        for row in df.itertuples(index=False, name=None):
            ws.append([_cell(ws, v if not (v is None or (not isinstance(v, str) and pd.isna(v))) else None)
                       for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def blank_tables() -> dict[str, pd.DataFrame]:
    return {name: pd.DataFrame(columns=list(t.column_names)) for name, t in TABLES.items()}


def version_workbook(tables: dict[str, pa.Table | pd.DataFrame], as_of: dt.date) -> bytes:
    """A version as the workbook it represents (`workbook`), its extract sheet holding the
    version's as-of date, so the workbook uploaded again keeps it."""
    return workbook({**tables, "extract": _extract_sheet(as_of)})


def _extract_sheet(as_of: dt.date) -> pa.Table:
    """The extract table holding a version's as-of date (a workbook uploaded again keeps it)."""
    return pa.table({"as_of": pa.array([as_of], pa.date32())}, schema=schema(TABLES["extract"]))


def realignment_workbook(tables: dict[str, pa.Table | pd.DataFrame], as_of: dt.date, carried: CarryOver) -> bytes:
    """The realignment worksheet: the version as its workbook (version_workbook), its alignment sheet
    holding a row per new pillar the crosswalk suggests for each group to realign (CarryOver.realigned),
    and a first sheet, not read on upload, listing those groups with their old pillars and the
    suggestions. Confirm or change each suggested row's pillar_id (or delete it), then upload the
    workbook: its alignment rows become the new plan's."""
    alignment = tables["alignment"]
    current = alignment.to_pandas() if isinstance(alignment, pa.Table) else alignment
    realigned = carried.realigned(current)
    readme: list[list] = [
        [_("Realignment worksheet: from {old} to {new}, as of {as_of}").format(
            old=carried.from_plan, new=carried.to_plan, as_of=i18n.date_text(as_of))],
        [_("The alignment sheet has a row for each new pillar the crosswalk suggests for the groups "
           "below. Confirm each one, change its pillar_id to another pillar of {new}, or delete the row; "
           "then upload this workbook on the upload page: it becomes the new version, with these "
           "alignments.").format(new=carried.to_plan)],
        [_("This sheet is not read when the workbook is uploaded.")],
        [],
        list(fmt.headings("group_id", "name", "activity", "old_pillars", "suggested",
                          fill={"plan": carried.to_plan}).values()),
    ]
    old_heading = fmt.headings("old_pillars", fill={"plan": carried.from_plan})["old_pillars"]
    readme[-1][3] = old_heading
    for r in carried.to_realign.to_dict("records"):
        readme.append([r["group_id"], r["name"], word("activity", r["activity"]),
                       ", ".join(r["old_pillars"]), ", ".join(r["suggested"]) or _("none: choose one")])
    return workbook({**tables, "alignment": realigned, "extract": _extract_sheet(as_of)}, readme=readme)


# The read-me sheet of the template, sentence by sentence (each in English and in Lao).
README_TITLE = N_("The SWG Dashboard extract: fill in this workbook, then upload it on the dashboard's upload page.")
README = (
    N_("Each sheet is one table. Its first row holds the column names: keep them as they are and "
       "write one record per row below them."),
    N_("Required sheets: {tables}. The other sheets are optional: leave them empty, or delete them."),
    N_("Each column name has a note saying what to write in that column: point at the name to read it."),
    N_("Dates are written {iso} or {dmy}, or entered as Excel dates."),
    N_("Yes/no columns take yes or no. Columns with a list take one of the values the list offers, "
       "written exactly so."),
    N_("This sheet is not read when the workbook is uploaded."),
)
SHEET_TEXT = {
    "groups": N_("The sector working groups, sub-groups and task forces, one row each."),
    "meetings": N_("One row per meeting, with its group and its date."),
    "members": N_("Who belongs to each group, in which role, from when to when."),
    "attendance": N_("Who was present at each meeting."),
    "organisations": N_("Which partner each organisation named on the members and attendance sheets counts as."),
    "pillars": N_("The pillars (outcomes, goals) of the national plans."),
    "alignment": N_("Which group contributes to which pillar."),
    "pillar_map": N_("A crosswalk between two plans: which pillar of the earlier plan carries over to which "
                     "pillar of the later one."),
    "recommendations": N_("The recommendations to follow up, e.g. of the 2022 SWG review."),
    "actions": N_("The follow-up actions on the recommendations."),
    "documents": N_("The terms of reference, work plans, reports and minutes of each group."),
    "group_sectors": N_("Which sectors of the partners' IATI activities each group covers: one DAC sector code or "
                        "category a row (e.g. 121 for health); the Who funds what page matches activities through it."),
    "extract": N_("One row: as_of, the date the figures are as of. Left empty, it is the latest meeting, "
                  "membership change or action update."),
}
LIST_ROWS = 5000  # the rows a column's drop-down list and date check cover


def _sheet_text(name: str) -> str:
    return _(SHEET_TEXT[name]) if name in SHEET_TEXT else TABLES[name].doc


def _readme_text(message: str, required: str) -> str:
    # (the examples are placeholders: written with the digits 0-9 the reader takes, in every language)
    return _(message).format(tables=required, iso="YYYY-MM-DD (2026-10-31)", dmy="DD/MM/YYYY (31/10/2026)")


def _readme(ws) -> None:
    """The template's first sheet: what the workbook is and each sheet, in English and in Lao."""
    required = ", ".join(n for n, t in TABLES.items() if t.required)
    rows: list[tuple[str | None, Callable[[], str]]] = [(None, lambda: _(README_TITLE))]
    rows += [(None, partial(_readme_text, m, required)) for m in README]
    rows += [(name, partial(_sheet_text, name)) for name in TABLES]
    ws.append([None, i18n.LANGUAGE_NAMES["en"], i18n.LANGUAGE_NAMES["lo"]])
    for cell in ws[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    wrap = Alignment(wrap_text=True, vertical="top")
    for sheet, message in rows:
        texts = []
        for lang in ("en", "lo"):
            with i18n.language(lang):
                texts.append(str(message()))
        ws.append([sheet, *texts])
        for cell in ws[ws.max_row]:
            cell.alignment = wrap
        if sheet is None and ws.max_row == 2:
            ws["B2"].font = ws["C2"].font = Font(bold=True)
        if sheet:
            ws.cell(ws.max_row, 1).font = Font(bold=True)
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = ws.column_dimensions["C"].width = 70
    ws.freeze_panes = "B2"


def _template_sheet(ws, table) -> None:
    """One table of the template: the header with its notes, a drop-down list on each coded and
    yes/no column, dates formatted as dates (with a check that warns of anything else)."""
    ws.append(list(table.column_names))
    notes = notes_for(table.name)
    for i, col in enumerate(table.columns, start=1):
        letter = get_column_letter(i)
        cell = ws.cell(1, i)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        note = notes[col.name]
        cell.comment = Comment(note, "SWG Dashboard", width=320, height=min(400, 60 + 16 * (len(note) // 40)))
        ws.column_dimensions[letter].width = max(12, min(48, len(col.name) + 4))
        cells = f"{letter}2:{letter}{LIST_ROWS}"
        error = _both(lambda c=col: _kind(c))
        if col.type in ("enum", "bool"):
            values = col.choices if col.type == "enum" else YES_NO
            dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True,
                                errorStyle="stop" if col.type == "enum" else "warning")
        elif col.type == "date":
            ws.column_dimensions[letter].number_format = "yyyy-mm-dd"
            dv = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True,
                                errorStyle="warning")  # (a date written as text, DD/MM/YYYY, is accepted too)
        else:
            continue
        dv.showErrorMessage = True
        dv.errorTitle, dv.error = col.name, error[:255]
        dv.add(cells)
        ws.add_data_validation(dv)
    ws.freeze_panes = "A2"


def template_xlsx() -> bytes:
    """The blank template: a read-me sheet, then every table as a sheet with its columns; each
    header cell carries a note with the column's rules in plain words (English and Lao), coded
    and yes/no columns a drop-down list, date columns the date format. (Small, so built in
    openpyxl's normal mode, which writes data validations; `workbook` streams.)"""
    wb = openpyxl.Workbook()
    readme = wb.active  # (a new workbook's one sheet)
    assert readme is not None
    _readme(readme)
    readme.title = README_SHEET
    for table in TABLES.values():
        _template_sheet(wb.create_sheet(title=table.name[:31]), table)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_csv_zip() -> bytes:
    """The blank template as <table>.csv files (UTF-8 with BOM, for Excel) in one zip."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, t in TABLES.items():
            zf.writestr(f"{name}.csv", ("\ufeff" + ",".join(t.column_names) + "\r\n").encode("utf-8"))
    return buf.getvalue()


def neutralise(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells that spreadsheet programs would run as formulas get a leading apostrophe."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v)
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """A table as CSV, UTF-8 with a byte-order mark (Excel then reads Lao script correctly),
    dates as YYYY-MM-DD, formula-like text neutralised."""
    buf = io.StringIO()
    out = neutralise(df)
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
    out.to_csv(buf, index=False)
    return buf.getvalue().encode("utf-8-sig")


def table_xlsx(df: pd.DataFrame, name: str) -> bytes:
    """A one-sheet workbook of one table; formula-like text is written as text (never run)."""
    return workbook({name[:31] or "table": df})
