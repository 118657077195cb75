"""Reading extracts: files, folders, zips and uploads into raw tables.

Everything becomes a list of `Source` (a file name and its bytes) first, so the
CLI (paths) and the upload page (files in memory) share one code path. Reading
never interprets values: that is `validate`'s job. Row numbers are the row as
the user sees it in the file (the header is row 1).
"""
from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd

from swgdash import settings
from swgdash.contract import TABLES, normalise_name
from swgdash.i18n import _
from swgdash.ingest.problems import Problem

csv.field_size_limit(16 * 1024 * 1024)  # long free-text cells (minutes, action descriptions) are fine


_MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Guards against oversize and hostile input; each from its setting (swgdash.settings),
    read when the Limits are made, or given."""
    max_file_bytes: int = field(default_factory=lambda: settings.get("SWGDASH_MAX_FILE_MB") * _MB)
    max_rows: int = field(default_factory=lambda: settings.get("SWGDASH_MAX_ROWS"))
    max_zip_entries: int = 200
    max_inflated_bytes: int = field(default_factory=lambda: settings.get("SWGDASH_MAX_INFLATED_MB") * _MB)


# The blank template's first sheet (swgdash.present.excel): it explains the workbook, so an upload
# that keeps it ignores it without a word (any other sheet not named like a table is warned of).
README_SHEET = "read me"


@dataclass
class Source:
    name: str
    data: bytes
    inside: str | None = None  # the zip file it was unpacked from


def _place(src: Source) -> str:
    """Where a file came from, for a message: its name, and the zip it was inside."""
    if src.inside:
        return _("{name} inside {zip}").format(name=src.name, zip=src.inside)
    return src.name


@dataclass
class RawTable:
    """A table as read: every contract column present in the file, values
    untouched (strings from CSV, cells from Excel, typed values from Parquet)."""
    name: str
    source: str
    frame: pd.DataFrame  # columns: normalised contract names present in the file
    rows: "list[int] | np.ndarray"  # the user-visible row number of each frame row


@dataclass
class RawExtract:
    tables: dict[str, RawTable] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def sources_from_paths(paths, limits: Limits | None = None) -> tuple[list[Source], list[Problem]]:
    """Files as given; folders contribute their files (not recursively)."""
    limits = limits or Limits()
    out: list[Source] = []
    problems: list[Problem] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files = sorted(f for f in p.iterdir() if f.is_file() and not f.name.startswith("."))
            if not files:
                problems.append(Problem(None, None, None, _("the folder {value} holds no files").format(value=p)))
        elif p.is_file():
            files = [p]
        else:
            problems.append(Problem(None, None, None, _("{value} does not exist").format(value=p)))
            continue
        for f in files:
            size = f.stat().st_size
            if size > limits.max_file_bytes:
                problems.append(Problem(None, None, None, _too_big(f.name, size, limits)))
                continue
            out.append(Source(f.name, f.read_bytes()))
    return out, problems


def _why(exc: Exception) -> str:
    """A library's error text on one line (some span several), for a problem message."""
    return " ".join(str(exc).split())


def _too_big(name: str, size: int, limits: Limits) -> str:
    return (_("{name} is {size:.1f} MB, over the limit of {max_file_bytes:.0f} MB").format(name=name, size=size / 1048576, max_file_bytes=limits.max_file_bytes / 1048576))


def sniff_kind(src: Source) -> str:
    """What a file really is, by content: xlsx, zip, parquet, csv or unknown."""
    head = src.data[:8]
    suffix = PurePosixPath(src.name).suffix.lower()
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        if suffix == ".xlsx":
            return "xlsx"
        return "zip"
    if head.startswith(b"PAR1") and src.data[-4:] == b"PAR1":
        return "parquet"
    if b"\x00" in src.data:  # the whole file: a NUL anywhere means it is not text
        return "unknown"
    return "csv"


def _drained(items: list):
    """Each item of the list, taken out of it as it is given."""
    items.reverse()
    while items:
        yield items.pop()


def read_sources(sources: list[Source], limits: Limits | None = None, let_go: bool = False) -> RawExtract:
    """The tables of the files given. With `let_go`, the list is emptied and each file's bytes are let
    go once it is read (a publish of hundreds of MB does not keep them beside the tables)."""
    limits = limits or Limits()
    result = RawExtract()
    expanded: list[Source] = []
    for src in sources:
        result.sources.append(src.name)
        if len(src.data) > limits.max_file_bytes:
            result.problems.append(Problem(None, None, None, _too_big(src.name, len(src.data), limits)))
            continue
        kind = sniff_kind(src)
        if kind == "zip" and PurePosixPath(src.name).suffix.lower() not in (".csv", ".parquet"):
            expanded.extend(_unzip(src, limits, result.problems))  # a zip named .csv is refused below
        else:
            expanded.append(src)
    if not expanded and not result.problems:
        result.problems.append(Problem(None, None, None, _("no files were given")))
    if let_go:
        sources.clear()
    for src in _drained(expanded) if let_go else expanded:
        kind = sniff_kind(src)
        suffix = PurePosixPath(src.name).suffix.lower()
        if kind == "xlsx":
            for raw in _read_xlsx(src, limits, result.problems):
                _add(result, raw)
            continue
        if suffix not in (".csv", ".parquet", ".xlsx"):
            result.problems.append(Problem(
                None, None, None,
                _("{name}: not a file type the extract format knows, so it was ignored; use "
                  "one .xlsx workbook, or files named <table>.csv or <table>.parquet").format(name=src.name),
                severity="warning"))
            continue
        expected = {".csv": "csv", ".parquet": "parquet", ".xlsx": "xlsx"}[suffix]
        table = normalise_name(PurePosixPath(src.name).stem)
        if kind != expected:
            result.problems.append(Problem(
                table if table in TABLES and expected != "xlsx" else None, None, None,
                _("{name}: the name says {upper} but the content is not a {upper} file").format(name=src.name, upper=expected.upper())))
            continue
        if table not in TABLES:
            result.problems.append(Problem(
                None, None, None,
                _("{name}: no table is called '{stem}'; the tables are {tables}").format(name=src.name, stem=PurePosixPath(src.name).stem, tables=', '.join(TABLES)), severity="warning"))
            continue
        if kind == "parquet" and not _parquet_rows_ok(src, table, limits, result.problems):
            continue
        reader = _read_csv if kind == "csv" else _read_parquet
        read = reader(src, table, result.problems)
        if read is not None:
            read.source = _place(src)
            _add(result, read)
    for raw in result.tables.values():
        if len(raw.frame) > limits.max_rows:
            result.problems.append(Problem(
                raw.name, None, None,
                _("{frame:,} rows, over the limit of {max_rows:,} rows per table").format(frame=len(raw.frame), max_rows=limits.max_rows)))
    return result


def _add(result: RawExtract, raw: RawTable) -> None:
    if raw.name in result.tables:
        result.problems.append(Problem(
            raw.name, None, None,
            _("given twice, in {first} and in {second}; remove one of the two").format(
                first=result.tables[raw.name].source, second=raw.source)))
        return
    result.tables[raw.name] = raw


def _unzip(src: Source, limits: Limits, problems: list[Problem]) -> list[Source]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(src.data))
        infos = [i for i in zf.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        problems.append(Problem(None, None, None, _("{name}: not a readable zip file ({exc})").format(name=src.name, exc=_why(exc))))
        return []
    infos = [i for i in infos
             if not PurePosixPath(i.filename.replace("\\", "/")).name.startswith(".")
             and "__MACOSX" not in PurePosixPath(i.filename.replace("\\", "/")).parts]
    if len(infos) > limits.max_zip_entries:
        problems.append(Problem(None, None, None,
                                _("{name}: {infos} files inside, over the limit of "
                                  "{max_zip_entries}").format(name=src.name, infos=len(infos), max_zip_entries=limits.max_zip_entries)))
        return []
    out: list[Source] = []
    total = 0
    for info in infos:
        # Only the base name is used, and nothing is ever written to disk, so an
        # entry name like ../../etc/passwd cannot escape anywhere.
        name = PurePosixPath(info.filename.replace("\\", "/")).name
        if info.flag_bits & 0x1:
            problems.append(Problem(None, None, None, _("{name}: {name2} is encrypted").format(name=src.name, name2=name)))
            continue
        budget = min(limits.max_file_bytes, limits.max_inflated_bytes - total)
        try:
            with zf.open(info) as fh:
                data = fh.read(budget + 1)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
            problems.append(Problem(None, None, None, _("{name}: cannot unpack {name2} ({exc})").format(name=src.name, name2=name, exc=_why(exc))))
            continue
        if len(data) > budget:
            problems.append(Problem(
                None, None, None,
                _("{name}: {name2} unpacks to more than the allowed size ({max_file_bytes:.0f} "
                  "MB a file, {max_inflated_bytes:.0f} MB in all)").format(name=src.name, name2=name, max_file_bytes=limits.max_file_bytes / 1048576, max_inflated_bytes=limits.max_inflated_bytes / 1048576)))
            return out
        total += len(data)
        out.append(Source(name, data, inside=src.name))
    if not out and not problems:
        problems.append(Problem(None, None, None, _("{name}: the zip file holds no files").format(name=src.name)))
    return out


def _header(table: str, source: str, cells: list, header_row: int,
            problems: list[Problem]) -> dict[int, str] | None:
    """Map of cell position -> contract column; unknown columns warn, a missing required
    column is reported (the others are read on), a column given twice fails the table."""
    known = TABLES[table].column_names
    seen: dict[str, int] = {}
    keep: dict[int, str] = {}
    ok = True
    for pos, cell in enumerate(cells):
        name = normalise_name(cell)
        if not name:
            continue
        if name in seen and name in known:
            problems.append(Problem(table, header_row, name,
                                    _("the column appears twice in the header (in {source})").format(source=source)))
            ok = False
            continue
        seen.setdefault(name, pos)
        if name in known:
            keep[pos] = name
        else:
            problems.append(Problem(table, header_row, str(cell).strip(),
                                    _("not a column of this table; ignored"), severity="warning"))
    for col in TABLES[table].columns:  # (the table's other columns are still read and checked)
        if col.required and col.name not in seen:
            problems.append(Problem(table, header_row, col.name,
                                    _("required column missing from the header (in {source})").format(source=source)))
    return keep if ok else None


def _frame(table: str, source: str, body: list[tuple[int, list]], keep: dict[int, str]) -> RawTable:
    rows, records = [], []
    for number, cells in body:
        values = [cells[pos] if pos < len(cells) else None for pos in keep]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
            continue  # empty rows are skipped
        rows.append(number)
        records.append(values)
    frame = pd.DataFrame(records, columns=list(keep.values()), dtype=object)
    return RawTable(table, source, frame, rows)


def _decode(src: Source, problems: list[Problem], table: str) -> str | None:
    try:
        return src.data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = src.data[: exc.start].count(b"\n") + 1
        problems.append(Problem(table, line, None,
                                _("{name} is not UTF-8 text (byte {start}); save it as 'CSV "
                                  "UTF-8' and upload it again").format(name=src.name, start=exc.start + 1)))
        return None


def _grid_arrow(data: bytes, delimiter: str) -> pd.DataFrame | None:
    """Every cell as text, by pyarrow's multithreaded reader, for rectangular UTF-8 files
    (blank lines are kept as empty rows, so row numbers hold); None otherwise."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(autogenerate_column_names=True),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True,
                                             ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types={f"f{i}": pa.string() for i in range(1024)}, null_values=[],
                strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowKeyError):
        return None  # ragged rows, not UTF-8, ...: the other readers handle (and report) it
    if table.num_columns > 1024 or any(not pa.types.is_string(t) for t in table.schema.types):
        return None
    grid = table.to_pandas()
    grid.columns = range(grid.shape[1])
    return grid


def _grid_pandas(text: str, delimiter: str) -> pd.DataFrame | None:
    """Every cell as text, by pandas' C parser (tolerates short rows); None when it cannot."""
    try:
        return pd.read_csv(io.StringIO(text), sep=delimiter, header=None, dtype=str, keep_default_na=False,
                           na_filter=False, skip_blank_lines=False, engine="c")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError):
        return None


def _filled_cells(grid: pd.DataFrame) -> np.ndarray:
    """Per row of a grid of text cells (no missing ones): has it a cell that is not blank?
    Blank is empty or whitespace only, as pandas' str.strip() sees it, tested in Arrow
    without making a stripped copy of every cell."""
    import pyarrow as pa
    import pyarrow.compute as pc

    filled = np.zeros(len(grid), dtype=bool)
    for col in grid.columns:
        cells = pa.array(grid[col].array, type=pa.large_string())
        blank = pc.or_(pc.equal(cells, ""), pc.utf8_is_space(cells))
        filled |= ~pc.fill_null(blank, True).to_numpy(zero_copy_only=False)
    return filled


def _read_csv_fast(src: Source, table: str, grid: pd.DataFrame | None, problems: list[Problem]):
    """A table from a grid of text cells read by a fast parser; False hands over to the
    csv-module reader, which reports ragged rows by their row number."""
    if grid is None or grid.empty:
        return False
    filled = grid.fillna("")
    nonempty = _filled_cells(filled)
    if not nonempty.any():
        return False
    h = int(nonempty.argmax())
    header = filled.iloc[h].tolist()
    while header and not header[-1].strip():
        header.pop()  # a header's trailing empty cells are not columns
    keep = _header(table, src.name, header, h + 1, problems)
    if keep is None:
        return None
    body = filled.iloc[h + 1:]
    mask = nonempty[h + 1:]
    if len(header) < filled.shape[1]:
        extra = _filled_cells(body.iloc[:, len(header):])
        for i in (extra & mask).nonzero()[0][:500]:
            problems.append(Problem(table, h + 2 + int(i), None,
                                    _("the row has more cells than the header ({header})").format(header=len(header))))
    body = body[mask]
    frame = body.iloc[:, list(keep)]  # still pandas' Arrow-backed strings: no Python object per cell
    frame.columns = list(keep.values())
    return RawTable(table, src.name, frame.reset_index(drop=True), body.index.to_numpy(dtype=np.int64) + 1)


def sniff_delimiter(data: bytes, table: str) -> str:
    """Comma or semicolon: the one that splits the header (the first line with a cell, after
    any byte-order mark) into more of the table's columns, as a header's own text may hold
    either; when that does not decide, the one the header holds more of."""
    first = next((line for line in io.BytesIO(data.removeprefix(codecs.BOM_UTF8))
                  if line.strip(b" \t\r\n,;")), b"")
    text = first.decode("utf-8", "replace").rstrip("\r\n")
    known = set(TABLES[table].column_names)

    def columns(sep: str) -> int:
        try:
            cells = next(csv.reader([text], delimiter=sep), [])
        except csv.Error:
            return 0
        return len(known.intersection(map(normalise_name, cells)))

    semicolon, comma = columns(";"), columns(",")
    if semicolon != comma:
        return ";" if semicolon > comma else ","
    return ";" if first.count(b";") > first.count(b",") else ","


def _read_csv(src: Source, table: str, problems: list[Problem]) -> RawTable | None:
    delimiter = sniff_delimiter(src.data, table)
    fast = _read_csv_fast(src, table, _grid_arrow(src.data, delimiter), problems)
    if fast is not False:
        return fast
    text = _decode(src, problems, table)
    if text is None:
        return None
    fast = _read_csv_fast(src, table, _grid_pandas(text, delimiter), problems)
    if fast is not False:
        return fast
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        problems.append(Problem(table, None, None, _("{name} is not readable CSV ({exc})").format(name=src.name, exc=_why(exc))))
        return None
    numbered = [(i + 1, r) for i, r in enumerate(records)]
    while numbered and not any(c.strip() for c in numbered[0][1]):
        numbered.pop(0)
    if not numbered:
        problems.append(Problem(table, 1, None, _("{name} is empty: it has no header row").format(name=src.name)))
        return None
    header_row, header = numbered[0]
    keep = _header(table, src.name, header, header_row, problems)
    if keep is None:
        return None
    width = len(header)
    for number, cells in numbered[1:]:
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            problems.append(Problem(table, number, None,
                                    _("the row has {cells} cells but the header has {width}").format(cells=len(cells), width=width)))
    return _frame(table, src.name, numbered[1:], keep)


def _parquet_rows_ok(src: Source, table: str, limits: Limits, problems: list[Problem]) -> bool:
    """Check the row count in the Parquet footer before reading: a small, highly
    compressed file must not expand to millions of rows in memory."""
    import pyarrow.parquet as pq

    try:
        rows = pq.ParquetFile(io.BytesIO(src.data)).metadata.num_rows
    except Exception as exc:  # pyarrow raises many kinds; all mean "unreadable"
        problems.append(Problem(table, None, None, _("{name} is not readable Parquet ({exc})").format(name=src.name, exc=_why(exc))))
        return False
    if rows > limits.max_rows:
        problems.append(Problem(table, None, None,
                                _("{rows:,} rows, over the limit of {max_rows:,} rows per table").format(rows=rows, max_rows=limits.max_rows)))
        return False
    return True


PANDAS_INDEX = re.compile(r"__index_level_\d+__")  # an unnamed index pandas wrote beside the columns


def _read_parquet(src: Source, table: str, problems: list[Problem]) -> RawTable | None:
    """The file's own columns (a pandas index written into the file is a column like any
    other, not restored as an index), each as plain values: text stored as bytes decoded as
    UTF-8, dictionary-encoded columns decoded, decimals as numbers; a column of lists or
    records is refused."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        arrow = pq.read_table(io.BytesIO(src.data))
    except Exception as exc:  # pyarrow raises many kinds; all mean "unreadable"
        problems.append(Problem(table, None, None, _("{name} is not readable Parquet ({exc})").format(name=src.name, exc=_why(exc))))
        return None
    names = ["" if PANDAS_INDEX.fullmatch(n) else n for n in arrow.column_names]
    keep = _header(table, src.name, names, 1, problems)
    if keep is None:
        return None
    columns, ok = {}, True
    for pos, name in keep.items():
        try:
            columns[name] = _plain_column(arrow.column(pos))
        except _NotPlain as exc:
            problems.append(Problem(table, exc.index + 2, name, _("{exc} (in {name})").format(exc=exc, name=src.name)))
            ok = False
    if not ok:
        return None
    sub = pa.table(columns).to_pandas().astype(object)  # no pandas metadata: nothing becomes an index
    sub = sub.where(sub.notna(), None)
    blank = sub.map(lambda v: v is None or (isinstance(v, str) and not v.strip())).all(axis=1)
    numbers = [i + 2 for i in range(len(sub))]
    sub = sub[~blank.to_numpy()].reset_index(drop=True)
    rows = [n for n, b in zip(numbers, blank.to_numpy(), strict=True) if not b]
    return RawTable(table, src.name, sub, rows)


class _NotPlain(ValueError):
    """A Parquet column whose values are not single values a cell can hold; `index` is the
    first such value's position (0 for the first row)."""

    def __init__(self, message: str, index: int):
        super().__init__(message)
        self.index = index


def _plain_column(col):
    """A Parquet column as values pandas and the validator read as cells."""
    import pyarrow as pa
    import pyarrow.compute as pc

    t = col.type
    if pa.types.is_dictionary(t):
        return _plain_column(col.cast(t.value_type))
    if pa.types.is_nested(t):  # lists, structs, maps, unions
        first = pc.index(pc.is_valid(col), True).as_py()  # -1 when every cell is empty
        raise _NotPlain(_("the column holds lists or records ({value}), not one value per cell").format(value=t), max(first, 0))
    if pa.types.is_fixed_size_binary(t):
        col, t = col.cast(pa.large_binary()), pa.large_binary()
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_binary_view(t):
        try:
            return col.cast(pa.large_string())  # checks the bytes are UTF-8
        except pa.ArrowInvalid:
            for i, value in enumerate(col.to_pylist()):
                try:
                    value is None or value.decode("utf-8")
                except UnicodeDecodeError:
                    raise _NotPlain(_("the cell holds bytes that are not UTF-8 text"), i) from None
            raise
    if pa.types.is_decimal(t):
        return col.cast(pa.int64() if t.scale <= 0 and t.precision <= 18 else pa.float64())
    return col


def _read_xlsx(src: Source, limits: Limits, problems: list[Problem]) -> list[RawTable]:
    import openpyxl

    # A workbook is a zip too: refuse it before inflating anything when its parts
    # would unpack past the limits (zipfile never inflates past an entry's declared size).
    try:
        with zipfile.ZipFile(io.BytesIO(src.data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        infos = []  # openpyxl reports it as unreadable below
    if (len(infos) > limits.max_zip_entries
            or sum(i.file_size for i in infos) > limits.max_inflated_bytes):
        problems.append(Problem(None, None, None,
                                _("{name} unpacks to more than the allowed size or number of "
                                  "parts ({max_inflated_bytes:.0f} MB, {max_zip_entries} "
                                  "parts); nothing was read").format(name=src.name, max_inflated_bytes=limits.max_inflated_bytes / 1048576, max_zip_entries=limits.max_zip_entries)))
        return []
    try:
        wb = openpyxl.load_workbook(io.BytesIO(src.data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds; all mean "unreadable"
        problems.append(Problem(None, None, None, _("{name} is not a readable Excel workbook ({exc})").format(name=src.name, exc=_why(exc))))
        return []
    out = []
    try:
        for ws in wb.worksheets:
            table = normalise_name(ws.title)
            if ws.title == README_SHEET:
                continue  # the template's explanation, not a table
            if table not in TABLES:
                problems.append(Problem(None, None, None,
                                        _("{name}: sheet '{title}' is not a table of the "
                                          "extract format; ignored").format(name=src.name, title=ws.title), severity="warning"))
                continue
            ws.reset_dimensions()  # some tools write a wrong size record; read every row
            numbered = [(i + 1, list(r)) for i, r in enumerate(ws.iter_rows(values_only=True))]
            while numbered and all(c is None or (isinstance(c, str) and not c.strip())
                                   for c in numbered[0][1]):
                numbered.pop(0)
            if not numbered:
                problems.append(Problem(table, 1, None, _("sheet '{title}' is empty: it has no header row").format(title=ws.title)))
                continue
            header_row, header = numbered[0]
            keep = _header(table, _("{name}, sheet {title}").format(name=src.name, title=ws.title), header, header_row, problems)
            if keep is None:
                continue
            out.append(_frame(table, _("sheet '{title}' of {name}").format(title=ws.title, name=_place(src)),
                              numbered[1:], keep))
    finally:
        wb.close()
    if not out and not any(p.severity == "error" for p in problems):
        problems.append(Problem(None, None, None,
                                _("{name}: no sheet is named like a table ({tables})").format(name=src.name, tables=', '.join(TABLES))))
    return out
