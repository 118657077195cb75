"""Every rule of the extract contract: the exact table, row and column of each
error, and a valid counterpart that passes. Row numbers are as the user sees
them in the file (header = row 1, so the first data row is row 2)."""
import copy
import datetime as dt

import pytest

from factories import DEMO, group, meeting, write_csv
from swgdash.contract import TABLES
from swgdash.ingest.validate import validate_paths

D = dt.date.fromisoformat

# A small extract using all nine tables. The last row of each table (EXTRA) is
# referenced by nothing, so breaking it causes exactly one problem.
FULL = {
    "groups": [
        group("G1", chair_org="Ministry of Health", status="active", planned_meetings_per_year=4,
              established_on="2020-01-01"),
        group("G2", kind="sub_swg", parent_id="G1"),
        group("G3", kind="task_force", established_on="2021-01-01", closed_on="2022-06-30"),
        group("G9"),
    ],
    "meetings": [
        meeting("M1", "G1", "2024-04-03", format="joint", level="technical", participants=12,
                minutes_published="true", agenda_sent_on="2024-03-20"),
        meeting("M2", "G2", "2024-05-01"),
        meeting("M9", "G1", "2024-06-01"),
    ],
    "members": [
        {"group_id": "G1", "organisation": "Ministry of Health", "org_type": "government",
         "role": "chair", "start_on": "2020-01-01"},
        {"group_id": "G1", "organisation": "JICA", "org_type": "development_partner",
         "role": "co_chair", "start_on": "2020-01-01", "end_on": "2023-12-31"},
    ],
    "attendance": [
        {"meeting_id": "M1", "organisation": "Ministry of Health", "present": "true"},
        {"meeting_id": "M1", "organisation": "JICA"},
    ],
    "pillars": [
        {"plan": "9th NSEDP 2021-2025", "pillar_id": "P1", "name": "Growth"},
        {"plan": "9th NSEDP 2021-2025", "pillar_id": "P2", "name": "People"},
        {"plan": "10th NSEDP 2026-2030", "pillar_id": "P3", "name": "Economy"},
        {"pillar_id": "P9", "name": "Spare"},
    ],
    "alignment": [
        {"group_id": "G1", "pillar_id": "P1", "primary": "true"},
        {"group_id": "G2", "pillar_id": "P2"},
    ],
    "pillar_map": [
        {"from_pillar_id": "P1", "to_pillar_id": "P3", "note": "growth carries on"},
    ],
    "recommendations": [
        {"rec_id": "R1", "title": "Meet regularly", "source": "SWG review 2022"},
        {"rec_id": "R9", "title": "Spare"},
    ],
    "actions": [
        {"action_id": "A1", "rec_id": "R1", "group_id": "G1", "description": "Adopt a ToR",
         "owner": "DIC/MPI", "due_on": "2024-03-31", "status": "done", "updated_on": "2024-04-02"},
        {"action_id": "A2", "rec_id": "R1", "description": "Plan meetings", "status": "in_progress"},
    ],
    "documents": [
        {"group_id": "G1", "doc_type": "tor", "year": 2020, "issued_on": "2020-01-01",
         "title": "ToR", "url": "https://example.org/tor.pdf"},
        {"group_id": "G2", "doc_type": "minutes", "year": 2024},
    ],
    "organisations": [
        {"organisation": "JICA", "partner": "Japan", "org_type": "development_partner", "iati_ref": "XM-DAC-701-8"},
        {"organisation": "Spare Ministry", "partner": "Spare Ministry"},
    ],
    "group_sectors": [
        {"group_id": "G1", "dac_code": "121"},
        {"group_id": "G2", "dac_code": "12220"},
    ],
    "extract": [{"as_of": "2024-06-30"}],
}
EXTRA_ROW = {name: len(rows) + 1 for name, rows in FULL.items()}  # row number of the last row


def run(tmp_path, tables, columns=None):
    """Write {table: rows} as CSVs (columns: {table: header}) and validate the folder."""
    folder = tmp_path / "extract"
    for name, rows in tables.items():
        write_csv(folder, name, rows, (columns or {}).get(name))
    return validate_paths([folder])


def where(problems):
    return [(p.table, p.row, p.column) for p in problems]


def changed(table, index=-1, **values):
    """FULL with row `index` of `table` updated."""
    tables = copy.deepcopy(FULL)
    tables[table][index].update(values)
    return tables


def columns_of(kind):
    return [(t.name, c.name) for t in TABLES.values() for c in t.columns if kind(c)]


def each_once(columns, values):
    """(table, column, value): every column with a bad value and every bad value in a column, the values
    taken in turn. Not every pair: one code path reads a type's values whatever the column (values are
    parsed once per distinct value), so the full product ran that path again and again."""
    n = max(len(columns), len(values))
    return [(*columns[i % len(columns)], values[i % len(values)]) for i in range(n)]


def typed(result, table, column, index=-1):
    return result.tables[table].column(column).to_pylist()[index]


# ---- the valid counterpart -------------------------------------------------

def test_full_extract_is_valid(tmp_path):
    result = run(tmp_path, FULL)
    assert (result.ok, result.errors, result.warnings) == (True, [], [])
    assert {n: t.num_rows for n, t in result.tables.items()} == {n: len(r) for n, r in FULL.items()}


# ---- tables ----------------------------------------------------------------

@pytest.mark.parametrize("missing,expected", [
    ("groups", [("groups", None, None), ("meetings", None, "group_id")]),
    ("meetings", [("meetings", None, None)]),
])
def test_required_table_missing(tmp_path, missing, expected):
    tables = {n: FULL[n] for n in ("groups", "meetings") if n != missing}
    result = run(tmp_path, tables)
    assert where(result.errors) == expected
    assert "required" in result.errors[0].message


@pytest.mark.parametrize("absent", [
    ("members",), ("attendance",), ("alignment",), ("pillar_map",), ("pillars", "alignment", "pillar_map"),
    ("actions",), ("recommendations", "actions"), ("documents",),
    ("members", "attendance", "pillars", "alignment", "pillar_map", "recommendations", "actions", "documents"),
])
def test_optional_tables_may_be_absent(tmp_path, absent):
    result = run(tmp_path, {n: r for n, r in FULL.items() if n not in absent})
    assert (result.ok, result.warnings) == (True, [])
    assert set(result.tables) == set(FULL) - set(absent)


# ---- columns and values ----------------------------------------------------

@pytest.mark.parametrize("table,column", columns_of(lambda c: c.required))
def test_required_column_missing_from_header(tmp_path, table, column):
    header = [c for c in TABLES[table].column_names if c != column]
    result = run(tmp_path, FULL, columns={table: header})
    assert where(result.errors) == [(table, 1, column)]
    assert "required column missing" in result.errors[0].message


@pytest.mark.parametrize("table,column", columns_of(lambda c: c.required))
def test_required_value_empty(tmp_path, table, column):
    result = run(tmp_path, changed(table, **{column: ""}))
    assert where(result.errors) == [(table, EXTRA_ROW[table], column)]
    assert result.errors[0].message == "required but empty"


@pytest.mark.parametrize("table,column", columns_of(lambda c: c.unique))
def test_unique(tmp_path, table, column):
    first = FULL[table][0][column]
    result = run(tmp_path, changed(table, **{column: first}))
    assert where(result.errors) == [(table, EXTRA_ROW[table], column)]
    assert f"'{first}'" in result.errors[0].message and "row 2" in result.errors[0].message


def test_unique_columns_are_the_contract_ones():
    assert columns_of(lambda c: c.unique) == [
        ("groups", "group_id"), ("meetings", "meeting_id"), ("organisations", "organisation"), ("pillars", "pillar_id"),
        ("recommendations", "rec_id"), ("actions", "action_id")]


ENUMS = columns_of(lambda c: c.type == "enum")


def test_enum_columns_are_the_contract_ones():
    assert ENUMS == [("groups", "kind"), ("groups", "status"), ("meetings", "format"),
                     ("meetings", "level"), ("meetings", "status"), ("members", "org_type"), ("members", "role"),
                     ("organisations", "org_type"), ("actions", "status"), ("documents", "doc_type")]


@pytest.mark.parametrize("table,column,value", each_once(ENUMS, ["bogus", "x", "1"]))
def test_enum_bad_value(tmp_path, table, column, value):
    result = run(tmp_path, changed(table, **{column: value}))
    assert where(result.errors) == [(table, EXTRA_ROW[table], column)]
    assert ", ".join(TABLES[table].column(column).choices) in result.errors[0].message


@pytest.mark.parametrize("table,column,choice", [
    (t, c, choice) for t, c in ENUMS for choice in TABLES[t].column(c).choices])
def test_enum_every_choice_accepted(tmp_path, table, column, choice):
    tables = changed(table, **{column: f" {choice} "})
    if table == "groups":
        tables["groups"][-1]["parent_id"] = "G1"  # a sub_swg needs a parent
    result = run(tmp_path, tables)
    assert result.errors == []
    assert typed(result, table, column) == choice


# ---- integers --------------------------------------------------------------

INTS = columns_of(lambda c: c.type == "int")


def test_int_columns_are_the_contract_ones():
    assert INTS == [("groups", "planned_meetings_per_year"), ("meetings", "participants"),
                    ("documents", "year")]


@pytest.mark.parametrize("table,column,value", each_once(
    INTS, ["abc", "2.5", "1,000", "3 meetings", "true", "99999999999999999999"]))
def test_int_not_a_whole_number(tmp_path, table, column, value):
    result = run(tmp_path, changed(table, **{column: value}))
    assert where(result.errors) == [(table, EXTRA_ROW[table], column)]


@pytest.mark.parametrize("table,column,value,expected", [
    ("groups", "planned_meetings_per_year", "-1", None),
    ("meetings", "participants", "-1", None),
    ("groups", "planned_meetings_per_year", "0", 0),
    ("meetings", "participants", "0", 0),
    ("meetings", "participants", " 250 ", 250),
    ("documents", "year", "2024", 2024),
    ("documents", "year", "0", 0),
    ("documents", "year", "-5", -5),  # year has no minimum
])
def test_int_minimum(tmp_path, table, column, value, expected):
    result = run(tmp_path, changed(table, **{column: value}))
    if expected is None:
        assert where(result.errors) == [(table, EXTRA_ROW[table], column)]
        assert "below the minimum of 0" in result.errors[0].message
    else:
        assert result.errors == []
        assert typed(result, table, column) == expected


# ---- dates -----------------------------------------------------------------

DATES = columns_of(lambda c: c.type == "date")


@pytest.mark.parametrize("value,expected", [
    ("2024-04-03", D("2024-04-03")),
    ("03/04/2024", D("2024-04-03")),  # day first: 3 April
    ("13/04/2024", D("2024-04-13")),
    ("29/02/2024", D("2024-02-29")),
    (" 2024-12-31 ", D("2024-12-31")),
])
def test_date_accepted(tmp_path, value, expected):
    result = run(tmp_path, changed("meetings", date=value))
    assert result.errors == []
    assert typed(result, "meetings", "date") == expected


@pytest.mark.parametrize("table,column,value", each_once(
    DATES, ["31/02/2024", "2024-13-01", "29/02/2023", "2024/04/03", "03-04-2024", "April 3, 2024", "20240403",
            "03/04/24"]))
def test_date_refused(tmp_path, table, column, value):
    result = run(tmp_path, changed(table, **{column: value}))
    assert where(result.errors) == [(table, EXTRA_ROW[table], column)]
    assert repr(value) in result.errors[0].message


# ---- booleans --------------------------------------------------------------

BOOL_WORDS = [(w, True) for w in ("true", "yes", "y", "1")] + [(w, False) for w in ("false", "no", "n", "0")]


@pytest.mark.parametrize("word,expected", [(f(w), e) for w, e in BOOL_WORDS
                                           for f in (str.lower, str.upper, str.title)])
def test_bool_accepted(tmp_path, word, expected):
    result = run(tmp_path, changed("meetings", minutes_published=word))
    assert result.errors == []
    assert typed(result, "meetings", "minutes_published") is expected


@pytest.mark.parametrize("table,column,value", each_once(columns_of(lambda c: c.type == "bool"),
                                                        ["maybe", "2", "ok", "-1"]))
def test_bool_refused(tmp_path, table, column, value):
    result = run(tmp_path, changed(table, **{column: value}))
    assert where(result.errors) == [(table, EXTRA_ROW[table], column)]


@pytest.mark.parametrize("table,column,default", [
    ("attendance", "present", True),
    ("alignment", "primary", False),
    ("groups", "status", "active"),
    ("meetings", "format", "joint"),
    ("meetings", "minutes_published", None),
    ("meetings", "level", None),
])
@pytest.mark.parametrize("how", ["empty cell", "no column"])
def test_defaults(tmp_path, table, column, default, how):
    tables = changed(table, **{column: ""})
    header = [c for c in TABLES[table].column_names if how == "empty cell" or c != column]
    result = run(tmp_path, tables, columns={table: header})
    assert result.errors == []
    assert typed(result, table, column) == default


# ---- references ------------------------------------------------------------

REFS = columns_of(lambda c: c.ref)


def test_ref_columns_are_the_contract_ones():
    assert REFS == [("groups", "parent_id"), ("meetings", "group_id"), ("members", "group_id"),
                    ("attendance", "meeting_id"), ("alignment", "group_id"), ("alignment", "pillar_id"),
                    ("pillar_map", "from_pillar_id"), ("pillar_map", "to_pillar_id"),
                    ("group_sectors", "group_id"), ("actions", "rec_id"), ("actions", "group_id"),
                    ("documents", "group_id")]


@pytest.mark.parametrize("table,column", REFS)
def test_reference_must_resolve(tmp_path, table, column):
    result = run(tmp_path, changed(table, **{column: "NOPE"}))
    assert where(result.errors) == [(table, EXTRA_ROW[table], column)]
    assert "'NOPE'" in result.errors[0].message


@pytest.mark.parametrize("table,column", REFS)
def test_reference_resolves_with_surrounding_spaces(tmp_path, table, column):
    target, target_column = TABLES[table].column(column).ref
    value = FULL[target][0][target_column]
    if (table, column) == ("pillar_map", "to_pillar_id"):  # (a crosswalk goes to a pillar of another plan)
        value = "P3"
    result = run(tmp_path, changed(table, **{column: f"  {value} "}))
    assert result.errors == []
    assert typed(result, table, column) == value


def test_optional_reference_may_be_empty(tmp_path):
    result = run(tmp_path, changed("actions", group_id=""))
    assert result.errors == []
    assert typed(result, "actions", "group_id") is None


@pytest.mark.parametrize("groups,expected_row", [
    ([group("G1"), group("S", kind="sub_swg")], 3),                          # sub_swg needs a parent
    ([group("G1"), group("S", parent_id="S")], 3),                           # its own parent
    ([group("G1"), group("A", parent_id="B"), group("B", parent_id="A")], 3),  # A -> B -> A
    ([group("A", parent_id="B"), group("B", parent_id="C"), group("C", parent_id="A")], 2),
])
def test_parent_rules(tmp_path, groups, expected_row):
    result = run(tmp_path, {"groups": groups, "meetings": []})
    assert where(result.errors) == [("groups", expected_row, "parent_id")]


def test_parent_cycle_message_names_the_groups(tmp_path):
    result = run(tmp_path, {"groups": [group("A", parent_id="B"), group("B", parent_id="A")],
                            "meetings": []})
    assert "A → B → A" in result.errors[0].message


@pytest.mark.parametrize("groups", [
    [group("A"), group("S", kind="sub_swg", parent_id="A")],
    [group("A"), group("T", kind="task_force", parent_id="A"), group("S", kind="sub_swg", parent_id="T")],
    [group("S", kind="sub_swg", parent_id="A"), group("A")],  # parent given after its child
])
def test_parent_valid(tmp_path, groups):
    assert run(tmp_path, {"groups": groups, "meetings": []}).errors == []


@pytest.mark.parametrize("absent,refs", [
    ("pillars", [("alignment", "pillar_id"), ("pillar_map", "from_pillar_id"), ("pillar_map", "to_pillar_id")]),
    ("recommendations", [("actions", "rec_id")]),
])
def test_reference_to_an_absent_table(tmp_path, absent, refs):
    result = run(tmp_path, {n: r for n, r in FULL.items() if n != absent})
    assert where(result.errors) == [(table, None, column) for table, column in refs]
    assert all(f"no {absent} table" in e.message for e in result.errors)


# ---- date order ------------------------------------------------------------

@pytest.mark.parametrize("table,column,other,value,other_value,ok", [
    ("groups", "closed_on", "established_on", "2019-12-31", "2020-01-01", False),
    ("groups", "closed_on", "established_on", "2020-01-01", "2020-01-01", True),
    ("groups", "closed_on", "established_on", "02/01/2020", "2020-01-01", True),
    ("members", "end_on", "start_on", "2019-12-31", "2020-01-01", False),
    ("members", "end_on", "start_on", "01/01/2020", "2020-01-01", True),
    ("members", "end_on", "start_on", "2020-01-02", "2020-01-01", True),
    ("meetings", "agenda_sent_on", "date", "2024-06-02", "2024-06-01", False),
    ("meetings", "agenda_sent_on", "date", "2024-06-01", "01/06/2024", True),
    ("meetings", "agenda_sent_on", "date", "2024-05-31", "2024-06-01", True),
])
def test_date_order(tmp_path, table, column, other, value, other_value, ok):
    result = run(tmp_path, changed(table, **{column: value, other: other_value}))
    assert where(result.errors) == ([] if ok else [(table, EXTRA_ROW[table], column)])


# ---- every problem is reported ---------------------------------------------

def test_all_problems_are_reported(tmp_path):
    tables = {
        "groups": [group("G1"), group("G2", kind="swgg"), group("G1"), group("G4", planned_meetings_per_year="x")],
        "meetings": [meeting("M1", "G1", "31/02/2024"), meeting("M2", "NOPE", "2024-01-01"),
                     meeting("M3", "G1", "", participants="-3")],
    }
    result = run(tmp_path, tables)
    assert sorted(where(result.errors)) == [
        ("groups", 3, "kind"), ("groups", 4, "group_id"), ("groups", 5, "planned_meetings_per_year"),
        ("meetings", 2, "date"), ("meetings", 3, "group_id"), ("meetings", 4, "date"),
        ("meetings", 4, "participants")]


def test_each_problem_is_one_line_naming_table_row_column(tmp_path):
    result = run(tmp_path, changed("meetings", level="Director\nGeneral"))
    [problem] = result.errors
    assert str(problem).startswith("table meetings, row 4, column level: ")
    assert "\n" not in str(problem)


# ---- warnings --------------------------------------------------------------

def test_unknown_column_is_a_warning(tmp_path):
    tables = copy.deepcopy(FULL)
    tables["groups"][0]["colour"] = "blue"
    result = run(tmp_path, tables, columns={"groups": [*TABLES["groups"].column_names, "colour"]})
    assert result.ok
    assert where(result.warnings) == [("groups", 1, "colour")]
    assert result.tables["groups"].column_names == list(TABLES["groups"].column_names)


def test_unknown_file_is_a_warning(tmp_path):
    folder = tmp_path / "extract"
    for name, rows in FULL.items():
        write_csv(folder, name, rows)
    (folder / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    result = validate_paths([folder])
    assert result.ok
    assert where(result.warnings) == [(None, None, None)]
    assert "notes.csv" in result.warnings[0].message


def test_unknown_sheet_is_a_warning(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "groups"
    wb.active.append(["group_id", "name", "kind"])
    wb.active.append(["G1", "Health", "swg"])
    wb.create_sheet("meetings").append(["meeting_id", "group_id", "date"])
    wb.create_sheet("Read me").append(["This workbook is the SWG extract"])
    wb.save(tmp_path / "extract.xlsx")
    result = validate_paths([tmp_path / "extract.xlsx"])
    assert result.ok
    assert len(result.warnings) == 1 and "Read me" in result.warnings[0].message


# ---- the demo extract ------------------------------------------------------

def test_demo_extract_is_valid():
    result = validate_paths([DEMO])
    assert (result.errors, result.warnings) == ([], [])
    counts = {name: t.num_rows for name, t in result.tables.items()}
    assert set(counts) == set(TABLES)
    assert all(n > 0 for n in counts.values()), counts


def test_whitespace_is_what_str_strip_removes():
    """_text_column trims WHITESPACE: every character str.strip() removes, and no other."""
    from swgdash.ingest.validate import WHITESPACE

    every = "".join(ch for ch in map(chr, range(0x110000)) if ch.isspace())
    assert WHITESPACE == every


@pytest.mark.parametrize("default", [None, "yes"])
@pytest.mark.parametrize("storage", ["pyarrow", "python"])
def test_text_cells_in_arrow_equal_str_strip(default, storage):
    """Text cells are computed in Arrow (no Python string per cell); they must equal stripping
    each cell with str.strip(), blank or missing cells empty or the default."""
    import random

    import numpy as np
    import pandas as pd
    import pyarrow as pa

    from swgdash.ingest.validate import WHITESPACE, _text_column

    rng = random.Random(7)
    alphabet = list(WHITESPACE) + list("ab é\u0eaa\u0ec0-'\"=+") + ["\u200b", "\ufeff", "\x00"]
    cells = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6))) for _ in range(3000)]
    cells += [None, np.nan, "", " ", "\u3000x\u3000", "\x1cy\x1f", "\u200bz\u200b"]
    series = pd.Series(cells, dtype=pd.StringDtype(storage, na_value=np.nan))
    values, given = _text_column(series, pa.string(), default)
    stripped = [c.strip() if isinstance(c, str) else "" for c in cells]
    assert isinstance(values, pa.Array) and values.type == pa.string()
    assert values.to_pylist() == [s or default for s in stripped]
    assert given.tolist() == [bool(s) for s in stripped]


def test_every_problem_in_one_pass(tmp_path):
    """A required column renamed, an invalid status and an unknown group_id, in three tables:
    all are in the first report (the missing column used to stop its table's other checks)."""
    folder = tmp_path / "broken"
    write_csv(folder, "groups", [{"group_id": "G1", "title": "Health", "kind": "swg", "status": "sleeping"},
                                 {"group_id": "G2", "title": "Education", "kind": "swg"}],
              columns=["group_id", "title", "kind", "status"])
    write_csv(folder, "meetings", [meeting("M1", "G1", "2026-01-10"), meeting("M2", "NOPE", "2026-02-10")])
    write_csv(folder, "members", [{"group_id": "G2", "organisation": "Japan", "org_type": "donor",
                                   "role": "active"}])
    result = validate_paths([folder])
    found = {(p.table, p.row, p.column) for p in result.errors}
    assert ("groups", 1, "name") in found  # the renamed required column, named in the header row
    assert ("groups", 2, "status") in found  # checked although a column is missing
    assert ("meetings", 3, "group_id") in found  # references checked against the groups that can be read
    assert ("members", 2, "org_type") in found
    assert not any(p.column == "name" and p.row and p.row > 1 for p in result.errors)  # not once per row
    assert not any(p.table == "meetings" and p.row == 2 for p in result.errors)  # G1 is a group


@pytest.mark.parametrize("code,ok", [("121", True), ("1222", True), ("12220", True), (" 15250 ", True), ("12", False),
                                     ("122201", False), ("12A", False), ("health", False)])
def test_a_group_s_sector_is_a_dac_code_of_three_to_five_digits(tmp_path, code, ok):
    result = run(tmp_path, changed("group_sectors", dac_code=code))
    if ok:
        assert result.errors == [] and typed(result, "group_sectors", "dac_code") == code.strip()
    else:
        assert where(result.errors) == [("group_sectors", EXTRA_ROW["group_sectors"], "dac_code")]
        assert "is not a DAC sector code" in result.errors[0].message
