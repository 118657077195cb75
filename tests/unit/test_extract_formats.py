"""Delivery formats (folder, uploads, zip, Parquet, Excel) and reading rules
(encoding, separators, headers, empty rows, row numbers, hostile files)."""
import datetime as dt
import io
import re
import zipfile

import openpyxl
import pandas as pd
import pytest

from factories import group, meeting, write_csv
from swgdash.contract import TABLES
from swgdash.ingest.extract import Limits, Source
from swgdash.ingest.validate import validate_paths, validate_sources

D = dt.date.fromisoformat

NAMES = ["ກະຊວງສາທາລະນະສຸກ", "Ministério da Saúde", "Coopération française"]
LAO_NAME = "ກຸ່ມວຽກງານຂະແໜງການສາທາລະນະສຸກ"  # an optional Lao column (name_lo), combining marks and all
SMALL = {
    "groups": [
        group("G1", name=NAMES[0], name_lo=LAO_NAME, chair_org=NAMES[1], planned_meetings_per_year=4,
              established_on="2020-01-15"),
        group("G2", name=NAMES[2], kind="sub_swg", parent_id="G1", status="merged",
              established_on="2021-03-01", closed_on="2023-12-31"),
    ],
    "meetings": [
        meeting("M1", "G1", "2024-04-03", format="donors_only", level="technical", participants=12,
                minutes_published="true", agenda_sent_on="2024-03-20"),
        meeting("M2", "G2", "2023-05-01", participants=0, minutes_published="false"),  # (before G2 closed)
        meeting("M3", "G1", "2024-06-10"),
    ],
    "attendance": [
        {"meeting_id": "M1", "organisation": NAMES[1], "present": "false"},
        {"meeting_id": "M1", "organisation": NAMES[2]},
    ],
}


def where(problems):
    return [(p.table, p.row, p.column) for p in problems]


def csv_text(rows, sep=","):
    """CSV text from lists of cells (a list item that is a str is one raw line)."""
    return "".join((r if isinstance(r, str) else sep.join(map(str, r))) + "\n" for r in rows)


def check_csv(text, table="groups", others=None, **kw):
    """Validate one table given as CSV text, with valid groups/meetings alongside."""
    sources = {"groups": csv_text([["group_id", "name", "kind"], ["G1", "One", "swg"]]),
               "meetings": csv_text([["meeting_id", "group_id", "date"]]), **(others or {})}
    sources[table] = text
    return validate_sources([Source(f"{n}.csv", t.encode("utf-8")) for n, t in sources.items()], **kw)


# ---- the same extract in every delivery format -----------------------------

def csv_folder(tmp_path):
    folder = tmp_path / "csv"
    for name, rows in SMALL.items():
        write_csv(folder, name, rows)
    return folder


def typed_value(column, value):
    """A cell as a typed tool would store it (Parquet column type, Excel cell)."""
    if value is None or value == "":
        return None
    if column.type == "date":
        return dt.datetime.fromisoformat(value)
    if column.type == "int":
        return int(value)
    if column.type == "bool":
        return value == "true"
    return value


def frames(typed):
    out = {}
    for name, rows in SMALL.items():
        cols = TABLES[name].columns
        out[name] = pd.DataFrame(
            [[(typed_value(c, r.get(c.name)) if typed else r.get(c.name)) for c in cols] for r in rows],
            columns=[c.name for c in cols])
        if typed:  # proper column types, as a program writing Parquet would give them
            for c in cols:
                kind = {"int": "Int64", "bool": "boolean", "date": "datetime64[ns]"}.get(c.type)
                if kind:
                    out[name][c.name] = out[name][c.name].astype(kind)
    return out


def parquet_bytes(frame):
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    return buf.getvalue()


def zip_bytes(files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def xlsx_bytes(tables):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in tables.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def as_folder(tmp_path):
    return validate_paths([csv_folder(tmp_path)])


def as_csv_sources(tmp_path):
    return validate_sources([Source(p.name, p.read_bytes()) for p in sorted(csv_folder(tmp_path).iterdir())])


def as_csv_zip(tmp_path, prefix=""):
    files = {prefix + p.name: p.read_bytes() for p in csv_folder(tmp_path).iterdir()}
    (tmp_path / "extract.zip").write_bytes(zip_bytes(files))
    return validate_paths([tmp_path / "extract.zip"])


def as_csv_zip_in_subfolder(tmp_path):
    return as_csv_zip(tmp_path, prefix="SWG extract 2024/data/")


def as_parquet_files(tmp_path, typed=True):
    folder = tmp_path / "parquet"
    folder.mkdir()
    for name, frame in frames(typed).items():
        frame.to_parquet(folder / f"{name}.parquet", index=False)
    return validate_paths([folder])


def as_text_parquet_files(tmp_path):
    return as_parquet_files(tmp_path, typed=False)


def as_parquet_zip(tmp_path):
    data = zip_bytes({f"{n}.parquet": parquet_bytes(f) for n, f in frames(True).items()})
    return validate_sources([Source("extract.zip", data)])


def as_xlsx(tmp_path):
    tables = {}
    for name, frame in frames(True).items():
        rows = [list(frame.columns)]
        for rec in frame.astype(object).itertuples(index=False):
            rows.append([None if pd.isna(v) else (v.to_pydatetime() if isinstance(v, pd.Timestamp) else v)
                         for v in rec])
        tables[name] = rows
    (tmp_path / "extract.xlsx").write_bytes(xlsx_bytes(tables))
    return validate_paths([tmp_path / "extract.xlsx"])


def as_xlsx_of_text(tmp_path):
    tables = {n: [list(TABLES[n].column_names)] + [[r.get(c) for c in TABLES[n].column_names] for r in rows]
              for n, rows in SMALL.items()}
    return validate_sources([Source("extract.xlsx", xlsx_bytes(tables))])


FORMATS = [as_folder, as_csv_sources, as_csv_zip, as_csv_zip_in_subfolder, as_parquet_files,
           as_text_parquet_files, as_parquet_zip, as_xlsx, as_xlsx_of_text]


@pytest.fixture
def reference(tmp_path_factory):
    return as_folder(tmp_path_factory.mktemp("reference")).tables


def test_reference_tables_are_typed(reference):
    assert reference["groups"].column("name_lo").to_pylist() == [LAO_NAME, None]
    assert reference["groups"].to_pylist()[1] == {
        "group_id": "G2", "name": NAMES[2], "name_lo": None, "kind": "sub_swg", "parent_id": "G1", "chair_org": None,
        "status": "merged", "planned_meetings_per_year": None, "established_on": D("2021-03-01"),
        "closed_on": D("2023-12-31")}
    assert reference["meetings"].column("minutes_published").to_pylist() == [True, False, None]
    assert reference["attendance"].column("present").to_pylist() == [False, True]


@pytest.mark.parametrize("deliver", FORMATS, ids=lambda f: f.__name__)
def test_every_format_gives_identical_tables(tmp_path, reference, deliver):
    result = deliver(tmp_path)
    assert (result.errors, result.warnings) == ([], [])
    assert set(result.tables) == set(reference)
    for name, table in reference.items():
        assert result.tables[name].equals(table), name


def test_xlsx_really_holds_date_and_number_cells(tmp_path):
    as_xlsx(tmp_path)
    ws = openpyxl.load_workbook(tmp_path / "extract.xlsx")["meetings"]
    assert isinstance(ws["C2"].value, dt.datetime) and ws["C2"].is_date
    assert ws["F2"].value == 12 and ws["F2"].data_type == "n"


# ---- encoding and separators -----------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_encoding_and_separator(tmp_path, reference, encoding, delimiter):
    for name, rows in SMALL.items():
        write_csv(tmp_path, name, rows, delimiter=delimiter, encoding=encoding)
    result = validate_paths([tmp_path])
    assert (result.errors, result.warnings) == ([], [])
    for name, table in reference.items():
        assert result.tables[name].equals(table), name
    assert result.tables["groups"].column("name").to_pylist() == [NAMES[0], NAMES[2]]
    assert result.tables["groups"].column("chair_org").to_pylist() == [NAMES[1], None]


def test_semicolon_csv_with_commas_in_text(tmp_path):
    text = csv_text([["group_id", "name", "kind"], ["G1", "Health, Nutrition and HIV", "swg"]], sep=";")
    result = check_csv(text)
    assert result.tables["groups"].column("name").to_pylist() == ["Health, Nutrition and HIV"]


def test_latin1_csv_is_refused_naming_the_file(tmp_path):
    write_csv(tmp_path, "groups", [group("G1"), group("G2", name="Ministério da Saúde")], encoding="latin-1")
    write_csv(tmp_path, "meetings", [])
    result = validate_paths([tmp_path])
    assert where(result.errors) == [("groups", 3, None)]
    assert "groups.csv" in result.errors[0].message and "UTF-8" in result.errors[0].message


# ---- headers ---------------------------------------------------------------

@pytest.mark.parametrize("header", ["group_id", "Group ID", " GROUP-ID ", "group id", "Group_Id", "GROUP ID"])
def test_header_names_are_matched_loosely(header):
    result = check_csv(csv_text([[f'"{header}"', "Name", " KIND"], ["G1", "One", "swg"]]))
    assert (result.errors, result.warnings) == ([], [])
    assert result.tables["groups"].column("group_id").to_pylist() == ["G1"]


@pytest.mark.parametrize("second", ["group_id", "Group ID", "GROUP-ID"])
def test_header_twice_is_refused(second):
    result = check_csv(csv_text([["group_id", "name", "kind", second], ["G1", "One", "swg", "G1"]]))
    assert where(result.errors) == [("groups", 1, "group_id")]
    assert "twice" in result.errors[0].message


# ---- empty rows and row numbers --------------------------------------------

@pytest.mark.parametrize("lines,row", [
    (["group_id,name,kind", "G1,One,bogus"], 2),
    (["group_id,name,kind", "", "G1,One,bogus"], 3),              # blank line
    (["group_id,name,kind", ",,", "G1,One,bogus"], 3),            # only separators
    (["group_id,name,kind", "  ", ", ,", "G1,One,bogus"], 4),     # only spaces
    (["group_id;name;kind", ";;", "", "G1;One;bogus"], 4),
    (["", "group_id,name,kind", "G1,One,bogus"], 3),              # blank line before the header
    (["", "group_id;name;kind", "G1;One;bogus"], 3),
    (["group_id,name,kind", "G0,Zero,swg", "", "", "G1,One,bogus", ""], 5),
    (['group_id,name,kind', 'G0,"Line one', 'line two",swg', "G1,One,bogus"], 3),  # a multi-line cell is one row
])
def test_empty_rows_are_skipped_and_rows_counted_as_seen(lines, row):
    result = check_csv("\n".join(lines) + "\n")
    assert where(result.errors) == [("groups", row, "kind")]


def test_empty_rows_are_not_in_the_table():
    result = check_csv("group_id,name,kind\n\nG1,One,swg\n,,\nG2,Two,swg\n\n")
    assert result.tables["groups"].column("group_id").to_pylist() == ["G1", "G2"]


def test_multi_line_cell_is_kept():
    result = check_csv('group_id,name,kind\r\nG1,"Line one\nline two",swg\r\n')
    assert result.tables["groups"].column("name").to_pylist() == ["Line one\nline two"]


@pytest.mark.parametrize("header_row", [1, 3])
def test_xlsx_row_numbers_are_sheet_rows(header_row):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "groups"
    cells = [["group_id", "name", "kind", "established_on"], ["G1", "One", "swg", dt.datetime(2020, 1, 1)],
             [], ["G2", "Two", "bogus", "2020/01/01"]]
    for i, r in enumerate(cells):
        for j, v in enumerate(r):
            ws.cell(row=header_row + i, column=j + 1, value=v)
    wb.create_sheet("meetings").append(["meeting_id", "group_id", "date"])
    buf = io.BytesIO()
    wb.save(buf)
    result = validate_sources([Source("extract.xlsx", buf.getvalue())])
    assert where(result.errors) == [("groups", header_row + 3, "kind"), ("groups", header_row + 3, "established_on")]


def test_xlsx_with_a_stale_size_record_is_read_in_full():
    """Some tools write a wrong <dimension ref="A1"/>; every cell must still be read."""
    data = xlsx_bytes({"groups": [["group_id", "name", "kind"], ["G1", "One", "swg"], ["G2", "Two", "bogus"]],
                       "meetings": [["meeting_id", "group_id", "date"]]})
    zin, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            xml = zin.read(info)
            if info.filename.startswith("xl/worksheets/"):
                xml = re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1"/>', xml)
            zout.writestr(info, xml)
    result = validate_sources([Source("extract.xlsx", out.getvalue())])
    assert where(result.errors) == [("groups", 3, "kind")]


def test_parquet_row_numbers_count_the_header():
    frame = pd.DataFrame({"group_id": ["G1", None, "G3"], "name": ["One", None, "Three"],
                          "kind": ["swg", None, "bogus"]})
    result = validate_sources([Source("groups.parquet", parquet_bytes(frame)),
                               Source("meetings.csv", b"meeting_id,group_id,date\n")])
    assert where(result.errors) == [("groups", 4, "kind")]


# ---- hostile or broken files -----------------------------------------------

MEETINGS = Source("meetings.csv", b"meeting_id,group_id,date\n")
GROUPS = Source("groups.csv", b"group_id,name,kind\nG1,One,swg\n")


@pytest.mark.parametrize("name,data", [
    ("groups.parquet", bytes(range(256)) * 4),          # random bytes
    ("groups.parquet", b"group_id,name,kind\nG1,One,swg\n"),  # text named .parquet
    ("groups.parquet", b"PAR1 truncated"),
    ("groups.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),  # an image
    ("groups.csv", b""),                                 # empty
    ("groups.csv", b"\n\n  \n"),                         # only blank lines
    ("groups.parquet", b""),
])
def test_file_not_matching_its_name_is_refused(name, data):
    result = validate_sources([Source(name, data), MEETINGS])
    assert not result.ok
    assert len(result.errors) == 1 and name in result.errors[0].message
    assert result.errors[0].table == "groups"


@pytest.mark.parametrize("name,data", [
    ("x.xlsx", b"group_id,name,kind\nG1,One,swg\n"),
    ("x.xlsx", bytes(range(256))),
    ("x.xlsx", zip_bytes({"groups.csv": b"group_id,name,kind\n"})),  # a zip, not a workbook
    ("extract.zip", zip_bytes({"a.csv": b"x"})[:30]),  # a broken zip
    ("extract.zip", zip_bytes({})),  # an empty zip
], ids=["csv-named-xlsx", "binary-named-xlsx", "zip-named-xlsx", "broken-zip", "empty-zip"])  # (a zip's bytes hold
# the time it was made: ids from them differ between pytest-xdist's workers)
def test_stray_unreadable_file_is_refused(name, data):
    result = validate_sources([GROUPS, MEETINGS, Source(name, data)])
    assert len(result.errors) == 1 and name in result.errors[0].message


def test_a_file_of_another_type_is_ignored_with_a_warning():
    result = validate_sources([GROUPS, MEETINGS, Source("groups.json", b'{"group_id": "G1"}')])
    assert result.ok and len(result.warnings) == 1 and "groups.json" in result.warnings[0].message
    alone = validate_sources([Source("groups.json", b'{"group_id": "G1"}')])
    assert not alone.ok  # with nothing else, the required tables are missing


def test_zip_path_traversal_reads_base_name_only(tmp_path, monkeypatch):
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    data = zip_bytes({"../../groups.csv": GROUPS.data, "/tmp/../meetings.csv": MEETINGS.data,
                      "..\\..\\attendance.csv": b"meeting_id,organisation\n"})
    before = sorted(tmp_path.rglob("*"))
    result = validate_sources([Source("extract.zip", data)])
    assert (result.errors, result.warnings) == ([], [])
    assert set(result.tables) == {"groups", "meetings", "attendance"}
    assert sorted(tmp_path.rglob("*")) == before


def test_zip_entry_inflating_past_the_limit_is_refused():
    big = b"group_id,name,kind\nG1," + b"x" * 100_000 + b",swg\n"  # 100 kB, compresses to ~1 kB
    data = zip_bytes({"groups.csv": big, "meetings.csv": MEETINGS.data})
    limits = Limits(max_file_bytes=64 * 1024, max_inflated_bytes=128 * 1024)
    assert len(data) < limits.max_file_bytes
    result = validate_sources([Source("extract.zip", data)], limits)
    assert not result.ok
    assert any("groups.csv" in p.message and "unpacks" in p.message for p in result.errors)
    assert validate_sources([Source("extract.zip", data)]).ok  # fine under the default limits


def test_zip_total_inflated_size_is_limited():
    rows = b"group_id,name,kind\n" + b"G1,One,swg\n" * 5_000  # 55 kB each
    data = zip_bytes({"groups.csv": rows, "meetings.csv": MEETINGS.data, "members.csv": rows})
    result = validate_sources([Source("extract.zip", data)],
                              Limits(max_file_bytes=64 * 1024, max_inflated_bytes=100 * 1024))
    assert not result.ok


def test_file_over_the_size_limit_is_refused():
    result = validate_sources([GROUPS, MEETINGS], Limits(max_file_bytes=28))
    assert not result.ok and "groups.csv" in result.errors[0].message


@pytest.mark.parametrize("second", [
    Source("groups.parquet", parquet_bytes(pd.DataFrame({"group_id": ["G1"], "name": ["One"], "kind": ["swg"]}))),
    Source("Groups.csv", GROUPS.data),
    Source("extract.zip", zip_bytes({"groups.csv": GROUPS.data})),
    Source("extract.xlsx", xlsx_bytes({"groups": [["group_id", "name", "kind"], ["G1", "One", "swg"]]})),
])
def test_table_given_twice_is_refused(second):
    result = validate_sources([GROUPS, MEETINGS, second])
    assert where(result.errors) == [("groups", None, None)]
    assert "twice" in result.errors[0].message


# ---- text is stored verbatim -----------------------------------------------

@pytest.mark.parametrize("value", ["=1+1", "+cmd|' /C calc'!A0", "-2", "@SUM(A1:A2)",
                                   "<script>alert(1)</script>", "<b>bold</b> & \"quoted\"",
                                   "'quoted'", "  ກະຊວງ  ສາທາລະນະສຸກ  "])
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_text_is_stored_verbatim(tmp_path, value, fmt):
    rows = [group("G1", name=value, chair_org=value)]
    if fmt == "csv":
        write_csv(tmp_path, "groups", rows)
    else:
        pd.DataFrame(rows).to_parquet(tmp_path / "groups.parquet", index=False)
    write_csv(tmp_path, "meetings", [])
    result = validate_paths([tmp_path])
    assert (result.errors, result.warnings) == ([], [])
    assert result.tables["groups"].to_pylist()[0]["name"] == value.strip()
    assert result.tables["groups"].to_pylist()[0]["chair_org"] == value.strip()


def test_unknown_file_types_beside_the_tables_are_ignored_with_a_warning(tmp_path):
    from factories import group, meeting, write_csv
    from swgdash.ingest.validate import validate_paths

    write_csv(tmp_path, "groups", [group("G")])
    write_csv(tmp_path, "meetings", [meeting("M", "G", "2026-01-01")])
    (tmp_path / "README.txt").write_text("notes for the secretariat")
    result = validate_paths([tmp_path])
    assert result.ok
    assert [(p.severity, "README.txt" in p.message) for p in result.problems] == [("warning", True)]


def test_a_long_text_cell_is_accepted(tmp_path):
    from factories import group, meeting, write_csv
    from swgdash.ingest.validate import validate_paths

    long = "ທ" * 200_000
    write_csv(tmp_path, "groups", [group("G", name=long)])
    write_csv(tmp_path, "meetings", [meeting("M", "G", "2026-01-01")])
    result = validate_paths([tmp_path])
    assert result.ok and result.tables["groups"].column("name").to_pylist() == [long]


@pytest.mark.parametrize("dtype", ["str", object])
def test_blank_rows_are_found_as_str_strip_finds_them(dtype):
    """A row is blank when every cell is empty or whitespace only. The fast reader tests this
    in Arrow; it must agree with stripping each cell, for every character up to U+3000."""
    from swgdash.ingest.extract import _filled_cells

    chars = [chr(c) for c in range(0x3001)] + ["\u200b", "\ufeff", " \u3000 ", "", "  "]
    grid = pd.DataFrame({0: chars, 1: [""] * len(chars)}, dtype=dtype)
    expected = [bool(c.strip()) for c in chars]
    assert _filled_cells(grid).tolist() == expected
    assert _filled_cells(grid[[1, 0]]).tolist() == expected  # a filled cell in any column counts
    assert not _filled_cells(grid[[1]]).any()


# ---- what other writers put in files the contract allows --------------------

def arrow_parquet(table):
    import pyarrow.parquet as pq

    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


def with_meetings(*sources):
    return validate_sources([*sources, Source("meetings.csv", b"meeting_id,group_id,date\n")])


def test_parquet_text_stored_as_bytes_is_read_as_utf8():
    import pyarrow as pa

    groups = pa.table({"group_id": pa.array([b"G1"], pa.binary()), "name": pa.array([NAMES[0].encode()], pa.binary()),
                       "kind": pa.array([b"swg"], pa.large_binary())})
    result = with_meetings(Source("groups.parquet", arrow_parquet(groups)))
    assert (result.errors, result.warnings) == ([], [])
    row = result.tables["groups"].to_pylist()[0]
    assert (row["group_id"], row["name"], row["kind"]) == ("G1", NAMES[0], "swg")


def test_parquet_bytes_that_are_not_utf8_are_refused_naming_the_cell():
    import pyarrow as pa

    groups = pa.table({"group_id": ["G1", "G2"], "name": pa.array([b"One", b"Tw\xff"], pa.binary()),
                       "kind": ["swg", "swg"]})
    result = with_meetings(Source("groups.parquet", arrow_parquet(groups)))
    assert where(result.errors) == [("groups", 3, "name")]
    assert "not UTF-8" in result.errors[0].message


@pytest.mark.parametrize("values,kind", [
    ([None, [12, 3]], "list"), ([None, {"n": 12}], "struct"), ([None, [("n", 12)]], "map")])
def test_parquet_columns_of_lists_or_records_are_refused_naming_the_cell(values, kind):
    import pyarrow as pa

    typ = {"list": pa.list_(pa.int64()), "struct": pa.struct([("n", pa.int64())]),
           "map": pa.map_(pa.string(), pa.int64())}[kind]
    meetings = pa.table({"meeting_id": ["M1", "M2"], "group_id": ["G1", "G1"], "date": ["2024-04-03"] * 2,
                         "participants": pa.array(values, typ)})
    result = validate_sources([GROUPS, Source("meetings.parquet", arrow_parquet(meetings))])
    assert where(result.errors) == [("meetings", 3, "participants")]   # the first cell with a value
    assert "lists or records" in result.errors[0].message


@pytest.mark.parametrize("index", ["meeting_id", None])
def test_parquet_written_with_a_pandas_index_keeps_its_columns(index):
    frame = pd.DataFrame({"meeting_id": ["M1", "M2"], "group_id": ["G1", "G1"], "date": ["2024-04-03", "2024-05-01"]})
    frame = frame.set_index("meeting_id") if index else frame.set_index(pd.Index([7, 9]))  # unnamed: __index_level_0__
    buf = io.BytesIO()
    frame.to_parquet(buf)
    result = validate_sources([GROUPS, Source("meetings.parquet", buf.getvalue())])
    assert (result.errors, result.warnings) == ([], [])   # pandas' own index column is not an unknown column
    assert result.tables["meetings"].column("meeting_id").to_pylist() == ["M1", "M2"]


@pytest.mark.parametrize("typ,value,expected", [
    ("decimal128(10, 0)", "12", 12), ("decimal128(10, 2)", "12.00", 12), ("decimal128(38, 0)", "7", 7),
    ("decimal128(10, 2)", "12.50", None)])
def test_parquet_decimals_are_read_as_numbers(typ, value, expected):
    import decimal

    import pyarrow as pa

    p, s = map(int, typ[len("decimal128("):-1].split(","))
    meetings = pa.table({"meeting_id": ["M1"], "group_id": ["G1"], "date": ["2024-04-03"],
                         "participants": pa.array([decimal.Decimal(value)], pa.decimal128(p, s))})
    result = validate_sources([GROUPS, Source("meetings.parquet", arrow_parquet(meetings))])
    if expected is None:
        assert where(result.errors) == [("meetings", 2, "participants")]
        assert "12.5" in result.errors[0].message and "whole number" in result.errors[0].message
    else:
        assert result.errors == []
        assert result.tables["meetings"].column("participants").to_pylist() == [expected]


@pytest.mark.parametrize("text", [
    "\ufeff\ngroup_id;name;kind\nG1;One, Two;swg\n",                        # byte-order mark, then a blank line
    "\ufeff\r\n\r\ngroup_id;name;kind\r\nG1;One, Two;swg\r\n",
    "group_id;name;kind;Remarks (who, what, when, why)\nG1;One, Two;swg;x\n",  # commas in an unknown column's name
    'group_id,name,kind,"Notes; who; when; why"\nG1,"One, Two",swg,x\n',      # semicolons in a quoted header cell
    "group_id;name;kind;a,b;c,d;e,f,g\nG1;One, Two;swg;;;\n",
])
def test_the_separator_is_the_one_that_splits_the_header_into_columns(text):
    result = check_csv(text)
    assert result.errors == [], where(result.errors)
    assert result.tables["groups"].column("name").to_pylist() == ["One, Two"]


def test_an_unknown_column_given_twice_is_ignored_with_warnings():
    result = check_csv(csv_text([["group_id", "name", "kind", "Notes", "notes"], ["G1", "One", "swg", "a", "b"]]))
    assert result.errors == []
    assert where(result.warnings) == [("groups", 1, "Notes"), ("groups", 1, "notes")]
    assert result.tables["groups"].column("group_id").to_pylist() == ["G1"]


@pytest.mark.parametrize("column,value", [
    ("planned_meetings_per_year", "໑໒"), ("planned_meetings_per_year", "１２"),   # Lao and full-width digits
    ("established_on", "໒໐໒໔-໐໔-໐໓"), ("established_on", "03/04/２０２４"), ("closed_on", "٢٠٢٤-04-03")])
def test_digits_other_than_ascii_are_refused(column, value):
    result = check_csv(csv_text([["group_id", "name", "kind", column], ["G1", "One", "swg", value]]))
    assert where(result.errors) == [("groups", 2, column)]
