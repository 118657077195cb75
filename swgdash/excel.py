"""Spreadsheet-safe export: the workbooks and CSV files people download (a blank template,
any version as the .xlsx it represents, for editing and re-uploading, and every table).

Text that a spreadsheet would run as a formula (leading =, +, -, @, tab, return) never
runs: in a workbook it is plain text with Excel's quote prefix (it shows and re-reads
verbatim), in a CSV file it gets a leading apostrophe (`neutralise`).
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pandas as pd
import pyarrow as pa
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from .i18n import _
from .contract import TABLES, describe
from .validate import conform

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
    t = TABLES.get(table)
    if t is None:
        return {}
    return {c.name: (describe(c) or c.type).replace("`", "") for c in t.columns}


def workbook(tables: dict[str, pa.Table | pd.DataFrame], notes: bool = False) -> bytes:
    """One sheet per table, in contract order; extra frames (not tables) after them. A table of
    an extract (Arrow, named like a contract table, with only its columns) has every column the
    contract now gives it, so a version published before a column existed (e.g. the Lao
    name_lo) downloads with it, empty, ready to fill in."""
    wb = openpyxl.Workbook(write_only=True)
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


def template_xlsx() -> bytes:
    """The blank template: every table as a sheet with its columns; each header
    cell carries a note with the column's rules."""
    return workbook(blank_tables(), notes=True)


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
