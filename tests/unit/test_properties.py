"""Property-based tests: random extracts either publish and read back exactly as
generated, or are refused with a message naming the right table and column, and
the store is left unchanged. CSV and Excel deliveries publish identical tables."""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from swgdash.contract import GROUP_KINDS, GROUP_STATUSES, MEETING_FORMATS, MEETING_LEVELS, MEETING_STATUSES, TABLES
from swgdash.ingest.extract import Source
from swgdash.ingest.validate import validate_sources
from swgdash.store import FolderStore, StoreError

AS_OF = dt.date(2026, 10, 31)
SETTINGS = settings(max_examples=50, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# Each property on 15 random extracts (make test-fast), and on 35 more in the variant marked slow (make test):
# 50 in all, as before the fast variant existed.
EXAMPLES = [pytest.param(15, id="15-examples"), pytest.param(35, id="35-examples", marks=pytest.mark.slow)]


def drawn(examples: int, prop) -> None:
    """Check the property `prop(data)` on `examples` random extracts (hypothesis)."""
    settings(SETTINGS, max_examples=examples)(given(data=st.data())(prop))()

# ---- generating valid extracts (typed values, as they must read back) -------------------

SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-."
TRICKY = ["NaN", "null", "None", "N/A", "#N/A", "TRUE", "0", "0001", "1e5", "-", "=1+1", "+cmd|' /C calc'!A0",
          "@SUM(A1)", "<script>alert(1)</script>", "a;b,c\"d'e", "line\nbreak", "ກະຊວງ ສາທາລະນະສຸກ",
          "Ministério da Saúde", "Coopération française", "👩🏽‍⚕️", "وزارة الصحة", "\u202eevil"]

ids = st.text(SAFE, min_size=1, max_size=10)
# any text a person could type (no control, surrogate or unassigned characters) with
# nothing that strip() removes around it: surrounding spaces are not part of a value
names = (st.text(st.characters(blacklist_categories=("Cc", "Cs", "Cn")), min_size=1, max_size=30)
         .filter(lambda s: s == s.strip() and s != "")
         | st.sampled_from(TRICKY))
dates = st.dates(dt.date(2000, 1, 1), dt.date(2035, 12, 31))
counts = st.integers(0, 10**9)


def opt(strategy):
    return st.none() | strategy


@st.composite
def extracts(draw):
    """{table: [row dict of typed values or None]} for groups, meetings and attendance."""
    gids = draw(st.lists(ids, min_size=1, max_size=8, unique=True))
    groups = []
    for i, gid in enumerate(gids):
        kind = draw(st.sampled_from(GROUP_KINDS if i else ("swg", "task_force")))
        if kind == "sub_swg":
            parent = draw(st.sampled_from(gids[:i]))
        else:
            parent = draw(opt(st.sampled_from(gids[:i]))) if i else None
        established = draw(opt(dates))
        closed = None
        if draw(st.booleans()):
            closed = (established + dt.timedelta(days=draw(st.integers(0, 3000)))) if established \
                else draw(dates)
        groups.append({"group_id": gid, "name": draw(names), "name_lo": draw(opt(names)), "kind": kind,
                       "parent_id": parent,
                       "chair_org": draw(opt(names)), "status": draw(opt(st.sampled_from(GROUP_STATUSES))),
                       "planned_meetings_per_year": draw(opt(counts)), "established_on": established,
                       "closed_on": closed})
    mids = draw(st.lists(ids, max_size=10, unique=True))
    meetings = []
    for mid in mids:
        date = draw(dates)
        agenda = draw(opt(st.integers(0, 60))) if draw(st.booleans()) else None
        meetings.append({"meeting_id": mid, "group_id": draw(st.sampled_from(gids)), "date": date,
                         "format": draw(opt(st.sampled_from(MEETING_FORMATS))),
                         "level": draw(opt(st.sampled_from(MEETING_LEVELS))),
                         "participants": draw(opt(counts)), "minutes_published": draw(opt(st.booleans())),
                         "agenda_sent_on": None if agenda is None else date - dt.timedelta(days=agenda),
                         "status": draw(opt(st.sampled_from(MEETING_STATUSES)))})
    attendance = []
    if mids:
        for _ in range(draw(st.integers(0, 6))):
            attendance.append({"meeting_id": draw(st.sampled_from(mids)), "organisation": draw(names),
                               "present": draw(opt(st.booleans()))})
    tables = {"groups": groups, "meetings": meetings}
    if attendance or draw(st.booleans()):
        tables["attendance"] = attendance
    return tables


def expected(tables, columns=None):
    """What the store must give back: every contract column in contract order, a
    column left out of the file read as empty, defaults filled in."""
    out = {}
    for name, rows in tables.items():
        given = (columns or {}).get(name, TABLES[name].column_names)
        out[name] = []
        for r in rows:
            row = {}
            for c in TABLES[name].columns:
                value = r[c.name] if c.name in given else None
                row[c.name] = c.default if value is None else value
            out[name].append(row)
    return out


# ---- writing them as the secretariat might ------------------------------------------------

@st.composite
def csv_styles(draw, tables, every_column=False):
    """How each cell is spelled: date style, yes/no words, spaces; which optional columns
    are given and in what order; separator, BOM and line ends."""
    spelled, columns = {}, {}
    for name, rows in tables.items():
        needed = {c.name for c in TABLES[name].columns if c.required}
        if any(r.get("kind") == "sub_swg" for r in rows):
            needed.add("parent_id")  # without it the extract would be invalid
        keep = [c for c in TABLES[name].column_names
                if every_column or c in needed or draw(st.integers(0, 3)) > 0]
        columns[name] = draw(st.permutations(keep))
        spelled[name] = [{c: spell(draw, TABLES[name].column(c), r[c]) for c in columns[name]} for r in rows]
    return {"cells": spelled, "columns": columns, "sep": draw(st.sampled_from([",", ";"])),
            "bom": draw(st.booleans()), "eol": draw(st.sampled_from(["\n", "\r\n"]))}


def spell(draw, col, value):
    if value is None:
        return draw(st.sampled_from(["", " ", "  "]))
    if col.type == "date":
        text = draw(st.sampled_from([value.isoformat(), value.strftime("%d/%m/%Y"),
                                     f"{value.day}/{value.month}/{value.year}"]))
    elif col.type == "bool":
        word = draw(st.sampled_from([("true", "false"), ("yes", "no"), ("y", "n"), ("1", "0")]))
        text = word[0] if value else word[1]
        text = draw(st.sampled_from([text, text.upper(), text.capitalize()]))
    else:
        text = str(value)
    pad = st.sampled_from(["", " ", "  "])
    return draw(pad) + text + draw(pad)


def csv_sources(style) -> list[Source]:
    out = []
    for name, rows in style["cells"].items():
        buf = io.StringIO()
        w = csv.writer(buf, delimiter=style["sep"], lineterminator=style["eol"])
        w.writerow(style["columns"][name])
        for r in rows:
            w.writerow([r[c] for c in style["columns"][name]])
        out.append(Source(f"{name}.csv", buf.getvalue().encode("utf-8-sig" if style["bom"] else "utf-8")))
    return out


def xlsx_source(tables) -> Source:
    """One workbook: real date, number and boolean cells; text cells never formulas."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in tables.items():
        ws = wb.create_sheet(name)
        ws.append(list(TABLES[name].column_names))
        for i, r in enumerate(rows, start=2):
            for j, c in enumerate(TABLES[name].column_names, start=1):
                if r[c] is not None:
                    x = ws.cell(i, j, r[c])
                    if isinstance(r[c], str):
                        x.data_type = "s"
    buf = io.BytesIO()
    wb.save(buf)
    return Source("extract.xlsx", buf.getvalue())


def plain_csv(tables) -> list[Source]:
    out = []
    for name, rows in tables.items():
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        cols = TABLES[name].column_names
        w.writerow(cols)
        for r in rows:
            w.writerow([text_of(r[c]) for c in cols])
        out.append(Source(f"{name}.csv", buf.getvalue().encode("utf-8")))
    return out


def text_of(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def snapshot(store: FolderStore) -> dict:
    return {"head": (store.root / "HEAD.json").read_bytes(),
            "files": {str(p.relative_to(store.root)): hashlib.sha256(p.read_bytes()).hexdigest()
                      for p in sorted((store.root / "versions").rglob("*")) if p.is_file()}}


# ---- properties -----------------------------------------------------------------------

@pytest.mark.parametrize("examples", EXAMPLES)
def test_random_valid_csv_extract_publishes_and_reads_back_identically(examples):
    drawn(examples, random_valid_csv_extract_publishes_and_reads_back_identically)


def random_valid_csv_extract_publishes_and_reads_back_identically(data):
    tables = data.draw(extracts(), label="extract")
    style = data.draw(csv_styles(tables), label="style")
    result = validate_sources(csv_sources(style))
    assert result.ok, [str(p) for p in result.errors]
    with tempfile.TemporaryDirectory() as tmp:
        store = FolderStore(Path(tmp) / "store")
        v = store.publish(result, AS_OF, note="random", by="hypothesis")
        again = FolderStore(store.root).current()
        assert again.id == v.id == 1 and store.check(again) == []
        assert sorted(again.tables) == sorted(tables)
        want = expected(tables, style["columns"])
        for name in tables:
            assert again.read(name).to_pylist() == want[name], name


MUTATIONS = [  # (table, column, bad value) for one cell of one row of that table
    ("groups", "kind", "committee"),
    ("groups", "status", "Active"),
    ("groups", "kind", ""),
    ("groups", "name", ""),
    ("groups", "name", "   "),
    ("groups", "group_id", ""),
    ("groups", "parent_id", "NO SUCH GROUP"),
    ("groups", "parent_id", lambda row: row["group_id"]),  # its own parent
    ("groups", "kind", "sub_swg", "parent_id"),  # a sub_swg without parent (parent emptied)
    ("groups", "established_on", "2023-02-29"),
    ("groups", "planned_meetings_per_year", "four"),
    ("groups", "planned_meetings_per_year", "-1"),
    ("meetings", "meeting_id", ""),
    ("meetings", "group_id", "NO SUCH GROUP"),
    ("meetings", "group_id", ""),
    ("meetings", "date", ""),
    ("meetings", "date", "31/04/2024"),
    ("meetings", "date", "2024/01/31"),
    ("meetings", "date", "tomorrow"),
    ("meetings", "format", "hybrid"),
    ("meetings", "level", "Minister"),
    ("meetings", "participants", "12.5"),
    ("meetings", "minutes_published", "maybe"),
    ("attendance", "meeting_id", "NO SUCH MEETING"),
    ("attendance", "present", "absent"),
    ("attendance", "organisation", ""),
]


@pytest.mark.parametrize("examples", EXAMPLES)
def test_random_broken_extract_is_refused_naming_table_and_column(examples):
    drawn(examples, random_broken_extract_is_refused_naming_table_and_column)


def random_broken_extract_is_refused_naming_table_and_column(data):
    tables = data.draw(extracts(), label="extract")
    possible = [m for m in MUTATIONS if tables.get(m[0])]
    table, column, bad, *blamed = data.draw(st.sampled_from(possible), label="mutation")
    row = data.draw(st.integers(0, len(tables[table]) - 1), label="row")
    good = plain_csv(tables)
    broken_tables = {n: [dict(r) for r in rows] for n, rows in tables.items()}
    cells = broken_tables[table][row]
    cells[column] = bad(cells) if callable(bad) else bad
    if blamed:  # the cell the rule blames is emptied
        cells[blamed[0]] = None
        column = blamed[0]
    broken = plain_csv(broken_tables)

    with tempfile.TemporaryDirectory() as tmp:
        store = FolderStore(Path(tmp) / "store")
        first = validate_sources(good)
        assert first.ok, [str(p) for p in first.errors]
        store.publish(first, AS_OF, "good")
        before = snapshot(store)

        result = validate_sources(broken)
        assert not result.ok and result.tables == {}
        assert (table, row + 2, column) in [(p.table, p.row, p.column) for p in result.errors], \
            [str(p) for p in result.errors]
        assert all(p.message.strip() and "\n" not in p.message for p in result.problems)
        with pytest.raises(StoreError):
            store.publish(result, AS_OF, "broken")
        assert snapshot(store) == before
        assert store.current().id == 1 and store.audit()[-1]["event"] == "refused"


@pytest.mark.parametrize("examples", EXAMPLES)
def test_the_same_extract_as_xlsx_and_as_csv_publishes_identical_tables(examples):
    drawn(examples, the_same_extract_as_xlsx_and_as_csv_publishes_identical_tables)


def the_same_extract_as_xlsx_and_as_csv_publishes_identical_tables(data):
    tables = data.draw(extracts(), label="extract")
    style = data.draw(csv_styles(tables, every_column=True), label="style")
    from_csv = validate_sources(csv_sources(style))
    from_xlsx = validate_sources([xlsx_source(tables)])
    assert from_csv.ok, [str(p) for p in from_csv.errors]
    assert from_xlsx.ok, [str(p) for p in from_xlsx.errors]
    with tempfile.TemporaryDirectory() as tmp:
        a = FolderStore(Path(tmp) / "a").publish(from_csv, AS_OF)
        b = FolderStore(Path(tmp) / "b").publish(from_xlsx, AS_OF)
        assert sorted(a.tables) == sorted(b.tables) == sorted(tables)
        for name in tables:
            ta, tb = a.read(name), b.read(name)
            assert ta.schema == tb.schema
            assert ta.equals(tb), (name, ta.to_pylist(), tb.to_pylist())
            assert tb.to_pylist() == expected(tables)[name]
