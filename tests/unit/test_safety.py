"""The store stays safe.

- A corpus of defective and hostile extracts: each is refused with plain
  messages, nothing is written anywhere, and the store is left exactly as it was.
- Nasty but valid text (script, HTML, spreadsheet formulas, any script, very
  long) is accepted and read back from the store verbatim.
- A publish killed at any moment leaves the store on the previous version or on
  the new one, never between, and the next publish works.
- Publishes at the same time are serialised by the lock.
"""
from __future__ import annotations

import copy
import csv
import datetime as dt
import hashlib
import io
import json
import select
import signal
import subprocess
import sys
import textwrap
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from factories import DEMO, ROOT, group, meeting
from swgdash.contract import TABLES
from swgdash.ingest.extract import Limits, Source
from swgdash.ingest.validate import validate_paths, validate_sources
from swgdash.store import FolderStore, StoreError

D = dt.date.fromisoformat
AS_OF = D("2026-10-31")

# ---- a small valid extract with every table ------------------------------------

FULL = {
    "groups": [
        group("G1", name="Health", chair_org="Ministry of Health", planned_meetings_per_year=4,
              established_on="2020-01-15"),
        group("G2", name="Nutrition", kind="sub_swg", parent_id="G1", established_on="2021-03-01",
              closed_on="2024-12-31", status="merged"),
    ],
    "meetings": [
        meeting("M1", "G1", "2026-01-10", format="joint", level="technical", participants=12,
                minutes_published="yes", agenda_sent_on="2026-01-02"),
        meeting("M2", "G2", "2024-05-01"),
    ],
    "members": [{"group_id": "G1", "organisation": "WHO", "org_type": "development_partner",
                 "role": "co_chair", "start_on": "2020-01-15", "end_on": "2025-01-01"}],
    "attendance": [{"meeting_id": "M1", "organisation": "WHO", "present": "true"}],
    "pillars": [{"plan": "9th NSEDP 2021-2025", "pillar_id": "P1", "name": "Human development"},
                {"plan": "10th NSEDP 2026-2030", "pillar_id": "P2", "name": "High-quality human resources"}],
    "alignment": [{"group_id": "G1", "pillar_id": "P1", "primary": "yes"}],
    "pillar_map": [{"from_pillar_id": "P1", "to_pillar_id": "P2"}],
    "recommendations": [{"rec_id": "R1", "title": "Meet more", "source": "SWG review 2022"}],
    "actions": [{"action_id": "A1", "rec_id": "R1", "group_id": "G1", "description": "Plan meetings",
                 "status": "in_progress", "due_on": "2026-06-30"}],
    "documents": [{"group_id": "G1", "doc_type": "tor", "year": 2020, "title": "Terms of reference",
                   "url": "https://example.org/tor.pdf"}],
    "group_sectors": [{"group_id": "G1", "dac_code": "121"}],
}


def csv_bytes(table: str, rows: list[dict], columns=None, sep=",") -> bytes:
    columns = columns or list(TABLES[table].column_names)
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow(["" if r.get(c) is None else r.get(c) for c in columns])
    return buf.getvalue().encode("utf-8")


def sources(tables: dict[str, list[dict]], **columns) -> list[Source]:
    """CSV sources of {table: rows}; columns=... overrides a table's header."""
    return [Source(f"{n}.csv", csv_bytes(n, rows, columns.get(n))) for n, rows in tables.items()]


def full(**changes) -> dict[str, list[dict]]:
    """A copy of FULL; table=rows replaces a table, table=None drops it."""
    tables = copy.deepcopy(FULL)
    for name, rows in changes.items():
        if rows is None:
            tables.pop(name)
        else:
            tables[name] = rows
    return tables


def cell(table: str, column: str, value, row: int = 0) -> dict[str, list[dict]]:
    """FULL with one cell changed."""
    tables = full()
    tables[table][row][column] = value
    return tables


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()


def flagged_encrypted(data: bytes) -> bytes:
    """The zip with its entries marked encrypted (zipfile cannot write real encryption)."""
    out = bytearray(data)
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = out.find(sig)
        while at != -1:
            out[at + offset] |= 0x01
            at = out.find(sig, at + 4)
    return bytes(out)


def zeros_zip(name: str, header: bytes, megabytes: int) -> bytes:
    """A zip bomb built streaming: one entry of `megabytes` MB of zeros, ~1000:1."""
    buf = io.BytesIO()
    chunk = bytes(1 << 20)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as fh:
            fh.write(header)
            for _ in range(megabytes):
                fh.write(chunk)
    return buf.getvalue()


def xlsx_bytes(tables: dict[str, list[list]]) -> bytes:
    """A workbook, one sheet per table; every str cell is a text cell (never a formula)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in tables.items():
        ws = wb.create_sheet(name)
        for r, values in enumerate(rows, start=1):
            for c, v in enumerate(values, start=1):
                if v is None:
                    continue
                x = ws.cell(r, c, v)
                if isinstance(v, str):
                    x.data_type = "s"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_of(tables: dict[str, list[dict]]) -> bytes:
    return xlsx_bytes({n: [list(TABLES[n].column_names)]
                       + [[r.get(c) for c in TABLES[n].column_names] for r in rows]
                       for n, rows in tables.items()})


def xlsx_bomb(megabytes: int) -> bytes:
    """A valid workbook whose groups sheet inflates to `megabytes` MB of empty rows."""
    plain = xlsx_bytes({"groups": [["group_id", "name", "kind"], ["G1", "One", "swg"]],
                        "meetings": [["meeting_id", "group_id", "date"]]})
    src = zipfile.ZipFile(io.BytesIO(plain))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zo:
        for info in src.infolist():
            data = src.read(info)
            if info.filename != "xl/worksheets/sheet1.xml":
                zo.writestr(info, data)
                continue
            head, tail = data.split(b"</sheetData>")
            sheet = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            sheet.compress_type = zipfile.ZIP_DEFLATED
            with zo.open(sheet, "w", force_zip64=True) as fh:
                fh.write(head)
                block = b"<row/>" * (1 << 17)  # 768 kB
                for _ in range(megabytes * 4 // 3):
                    fh.write(block)
                fh.write(b"</sheetData>" + tail)
    return out.getvalue()


# ---- the corpus -------------------------------------------------------------------

@dataclass
class Case:
    build: object  # (tmp_path) -> list[Source] | list[Path]
    where: tuple | None = None  # (table, column) that at least one error must name
    limits: Limits | None = None
    mention: str | None = None  # a text at least one error message must contain


def refs():
    return [(t.name, c.name) for t in TABLES.values() for c in t.columns if c.ref]


def dangling(table, column):
    return Case(lambda p: sources(cell(table, column, "NOPE-404")), (table, column))


def traversal_zip(tmp_path):
    """Entry names that try to leave: ../, an absolute path, Windows separators.
    The groups table is also defective, so the extract as a whole is refused."""
    absolute = str(tmp_path / "escaped" / "meetings.csv")
    groups = csv_bytes("groups", [group("G1", kind="committee")])
    return [Source("extract.zip", zip_bytes({
        "../../../groups.csv": groups,
        absolute: csv_bytes("meetings", FULL["meetings"][:1]),
        "..\\..\\attendance.csv": csv_bytes("attendance", FULL["attendance"]),
    }))]


def oversize_on_disk(tmp_path):
    folder = tmp_path / "oversize"
    folder.mkdir()
    (folder / "groups.csv").write_bytes(csv_bytes("groups", [group(f"G{i}") for i in range(200)]))
    (folder / "meetings.csv").write_bytes(csv_bytes("meetings", []))
    return [folder]


def latin1(tmp_path):
    rows = [group("G1", name="Coopération française", chair_org="Ministério da Saúde")]
    text = csv_bytes("groups", rows).decode("utf-8").encode("latin-1")
    return [Source("groups.csv", text), Source("meetings.csv", csv_bytes("meetings", []))]


def with_bytes(name: str, data: bytes, keep_meetings=True):
    def build(tmp_path):
        out = [Source(name, data)]
        if keep_meetings:
            out.append(Source("meetings.csv", csv_bytes("meetings", [])))
        return out
    return build


GROUPS_CSV = csv_bytes("groups", FULL["groups"])


def _parquet_groups(column: str, values: pa.Array) -> bytes:
    """One group as Parquet, with `column` replaced by `values` (of another Arrow type)."""
    cells = {"group_id": pa.array(["G1"]), "name": pa.array(["One"]), "kind": pa.array(["swg"]), column: values}
    buf = io.BytesIO()
    pq.write_table(pa.table(cells), buf)
    return buf.getvalue()
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00" + bytes(64)

CORPUS: dict[str, Case] = {
    # -- each rule of the contract broken once --
    "required column missing": Case(lambda p: sources(full(), groups=["group_id", "name", "status"]),
                                    ("groups", "kind")),
    "required value empty": Case(lambda p: sources(cell("meetings", "date", "")), ("meetings", "date")),
    "required value only spaces": Case(lambda p: sources(cell("groups", "name", "   ")), ("groups", "name")),
    "duplicate id": Case(lambda p: sources(full(groups=FULL["groups"] + [group("G1", name="Again")])),
                         ("groups", "group_id")),
    "duplicate id after trimming": Case(lambda p: sources(full(meetings=FULL["meetings"] + [
        meeting(" M1 ", "G1", "2026-02-01")])), ("meetings", "meeting_id")),
    "bad enum": Case(lambda p: sources(cell("groups", "kind", "committee")), ("groups", "kind")),
    "enum in the wrong case": Case(lambda p: sources(cell("actions", "status", "Done")), ("actions", "status")),
    "bad int": Case(lambda p: sources(cell("groups", "planned_meetings_per_year", "four")),
                    ("groups", "planned_meetings_per_year")),
    "negative int": Case(lambda p: sources(cell("meetings", "participants", "-3")), ("meetings", "participants")),
    "int too large": Case(lambda p: sources(cell("documents", "year", "99999999999999999999")),
                          ("documents", "year")),
    "bad date": Case(lambda p: sources(cell("meetings", "date", "next Tuesday")), ("meetings", "date")),
    "impossible date": Case(lambda p: sources(cell("meetings", "date", "31/02/2024")), ("meetings", "date")),
    "month first date": Case(lambda p: sources(cell("groups", "established_on", "12/31/2020")),
                             ("groups", "established_on")),
    "bad boolean": Case(lambda p: sources(cell("meetings", "minutes_published", "maybe")),
                        ("meetings", "minutes_published")),
    **{f"dangling {t}.{c}": dangling(t, c) for t, c in refs()},
    "closed before established": Case(lambda p: sources(cell("groups", "closed_on", "2019-12-31", row=1)),
                                      ("groups", "closed_on")),
    "end before start": Case(lambda p: sources(cell("members", "end_on", "2019-01-01")), ("members", "end_on")),
    "agenda after the meeting": Case(lambda p: sources(cell("meetings", "agenda_sent_on", "2026-01-11")),
                                     ("meetings", "agenda_sent_on")),
    "sub_swg without parent": Case(lambda p: sources(cell("groups", "parent_id", "", row=1)),
                                   ("groups", "parent_id")),
    "own parent": Case(lambda p: sources(cell("groups", "parent_id", "G1")), ("groups", "parent_id")),
    "parent cycle": Case(lambda p: sources(full(groups=[
        group("A", parent_id="C"), group("B", parent_id="A"), group("C", parent_id="B")],
        meetings=[], members=None, attendance=None, alignment=None, actions=None, documents=None)),
        ("groups", "parent_id"), mention="circle"),
    "missing meetings table": Case(lambda p: sources(full(meetings=None, attendance=None)), ("meetings", None)),
    "missing groups table": Case(lambda p: sources({"meetings": []}), ("groups", None)),
    "reference to an absent pillars table": Case(lambda p: sources(full(pillars=None)),
                                                 ("alignment", "pillar_id")),
    "reference to an absent recommendations table": Case(lambda p: sources(full(recommendations=None)),
                                                         ("actions", "rec_id")),
    "groups without rows": Case(lambda p: sources({"groups": [], "meetings": []}), ("groups", "group_id")),
    "row longer than the header": Case(with_bytes(
        "groups.csv", b"group_id,name,kind\nG1,One,swg,extra,cells\n"), ("groups", None)),
    "table given twice": Case(lambda p: sources(full()) + [Source("Groups.CSV", GROUPS_CSV)],
                              ("groups", None), mention="twice"),
    # -- broken and hostile files --
    "empty file": Case(with_bytes("groups.csv", b""), ("groups", None)),
    "zero-byte zip": Case(with_bytes("extract.zip", b"", keep_meetings=False), ("groups", None)),
    "truncated zip": Case(with_bytes("extract.zip", zip_bytes({"groups.csv": GROUPS_CSV})[:40]),
                          mention="extract.zip"),
    "binary file named groups.csv": Case(with_bytes("groups.csv", bytes(range(256)) * 64), ("groups", None)),
    "PNG named groups.xlsx": Case(with_bytes("groups.xlsx", PNG), mention="groups.xlsx"),
    "zip named groups.csv": Case(with_bytes("groups.csv", zip_bytes({"groups.csv": GROUPS_CSV})),
                                 ("groups", None)),
    "parquet that is not": Case(with_bytes("groups.parquet", b"PAR1" + bytes(100) + b"PAR1"), ("groups", None)),
    "parquet column of lists": Case(with_bytes("groups.parquet", _parquet_groups(
        "kind", pa.array([["swg"]], pa.list_(pa.string())))), ("groups", "kind")),
    "parquet bytes that are not UTF-8": Case(with_bytes("groups.parquet", _parquet_groups(
        "name", pa.array([b"\xff\xfe"], pa.binary()))), ("groups", "name")),
    "HTML page named groups.csv": Case(with_bytes(
        "groups.csv", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n"),
        ("groups", "group_id")),
    "duplicate headers": Case(with_bytes("groups.csv", b"group_id,name,kind,Group ID\nG1,One,swg,G2\n"),
                              ("groups", "group_id")),
    "zip path traversal and absolute entry": Case(traversal_zip, ("groups", "kind")),
    "zip bomb (200 MB of zeros)": Case(lambda p: [Source("extract.zip", ZIP_BOMB)], mention="unpacks"),
    "zip bomb spread over entries": Case(
        lambda p: [Source("extract.zip", zip_bytes({f"{n}.csv": bytes(900_000) for n in TABLES}))],
        limits=Limits(max_file_bytes=1 << 20, max_inflated_bytes=2 << 20), mention="unpacks"),
    "xlsx bomb": Case(lambda p: [Source("extract.xlsx", XLSX_BOMB)],
                      limits=Limits(max_inflated_bytes=2 << 20), mention="extract.xlsx"),
    "too many zip entries": Case(
        lambda p: [Source("extract.zip", zip_bytes({f"part{i}.txt": b"x" for i in range(201)}))],
        mention="201 files"),
    "encrypted zip entry": Case(
        lambda p: [Source("extract.zip", flagged_encrypted(zip_bytes({"groups.csv": GROUPS_CSV})))],
        mention="encrypted"),
    "oversize file": Case(oversize_on_disk, limits=Limits(max_file_bytes=1024), mention="over the limit"),
    "oversize upload": Case(lambda p: sources(full()), limits=Limits(max_file_bytes=200),
                            mention="over the limit"),
    "too many rows": Case(lambda p: sources(full(groups=[group(f"G{i}") for i in range(5)] + FULL["groups"])),
                          ("groups", None), limits=Limits(max_rows=5), mention="rows"),
    "Latin-1 text": Case(latin1, ("groups", None), mention="UTF-8"),
    "UTF-16 text": Case(with_bytes("groups.csv", GROUPS_CSV.decode().encode("utf-16")), ("groups", None)),
    "NUL byte": Case(with_bytes("groups.csv", GROUPS_CSV.replace(b"Health", b"Hea\x00lth")), ("groups", None)),
    "NUL byte after 64 kB": Case(with_bytes(
        "groups.csv", GROUPS_CSV + b"G9,\"" + b"x" * 70_000 + b"\x00\",swg\n"), ("groups", None)),
    "formula cell with no value in xlsx": Case(lambda p: [Source("extract.xlsx", _formula_xlsx())],
                                               ("groups", "name")),
    "workbook without table sheets": Case(with_bytes(
        "extract.xlsx", xlsx_bytes({"Sheet1": [["group_id"], ["G1"]]}), keep_meetings=False), ("groups", None)),
}


def _formula_xlsx() -> bytes:
    """A workbook whose name cell is a real formula: it has no value, so the cell is empty."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "groups"
    ws.append(["group_id", "name", "kind"])
    ws.append(["G1", '=HYPERLINK("http://x","y")', "swg"])
    wb.create_sheet("meetings").append(["meeting_id", "group_id", "date"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


ZIP_BOMB = zeros_zip("groups.csv", b"group_id,name,kind\nG1,", 200)
XLSX_BOMB = xlsx_bomb(8)


def test_corpus_is_large_enough():
    assert len(CORPUS) >= 30
    assert len(ZIP_BOMB) < 1 << 20 and len(XLSX_BOMB) < 1 << 20  # small on disk, huge inflated


# ---- the store and its snapshot ----------------------------------------------------

def good_store(root: Path) -> FolderStore:
    store = FolderStore(root)
    result = validate_sources(sources(full()))
    assert result.ok, [str(p) for p in result.errors]
    store.publish(result, AS_OF, "good", by="test")
    return store


def snapshot(store: FolderStore) -> dict:
    files = {str(p.relative_to(store.root)): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted((store.root / "versions").rglob("*")) if p.is_file()}
    return {"head": (store.root / "HEAD.json").read_bytes(), "files": files}


def tree(path: Path) -> set[str]:
    return {str(p.relative_to(path)) for p in path.rglob("*")}


def plain(problem) -> bool:
    m = problem.message
    return (isinstance(m, str) and m.strip() != "" and "Traceback" not in m and "\n" not in m
            and 'File "' not in m and len(m) < 600)


def validate(inputs, limits):
    if inputs and isinstance(inputs[0], Path):
        return validate_paths(inputs, limits)
    return validate_sources(inputs, limits)


@pytest.mark.parametrize("name", list(CORPUS))
def test_hostile_extract_is_refused_and_the_store_is_unchanged(tmp_path, name):
    case = CORPUS[name]
    store = good_store(tmp_path / "store")
    inputs = case.build(tmp_path)
    before_store, before_tree = snapshot(store), tree(tmp_path)

    result = validate(inputs, case.limits)

    assert not result.ok
    assert result.tables == {}
    assert all(plain(p) for p in result.problems), [str(p) for p in result.problems]
    shown = [str(p) for p in result.errors]
    if case.where:
        assert case.where in [(p.table, p.column) for p in result.errors], shown
    if case.mention:
        assert any(case.mention in p.message for p in result.errors), shown
    with pytest.raises(StoreError, match="nothing was published"):
        store.publish(result, AS_OF, f"attempt: {name}", by="test")

    assert snapshot(store) == before_store
    assert store.current().id == 1 and [v.id for v in store.versions()] == [1]
    assert tree(tmp_path) == before_tree  # nothing written anywhere, in or out of the store
    last = store.audit()[-1]
    assert last["event"] == "refused" and last["errors"] == len(result.errors)
    assert last["note"] == f"attempt: {name}"


def test_zip_entry_names_cannot_write_outside_the_store(tmp_path, monkeypatch):
    """A valid extract whose zip entry names try to escape: read by base name only,
    published, and the only new files are the store's own."""
    work = tmp_path / "cwd" / "deep"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    absolute = tmp_path / "escaped" / "meetings.csv"
    data = zip_bytes({"../../../groups.csv": GROUPS_CSV,
                      str(absolute): csv_bytes("meetings", FULL["meetings"]),
                      "..\\..\\..\\escaped\\pillars.csv": csv_bytes("pillars", FULL["pillars"])})
    store = FolderStore(tmp_path / "store")
    before = tree(tmp_path)
    result = validate_sources([Source("extract.zip", data)])
    assert result.ok, [str(p) for p in result.errors]
    v = store.publish(result, AS_OF)
    new = tree(tmp_path) - before
    assert all(p == "store" or p.startswith("store/") for p in new), new
    assert not absolute.exists() and not (tmp_path / "escaped").exists()
    assert sorted(v.tables) == ["groups", "meetings", "pillars"]
    assert v.manifest["sources"] == ["extract.zip"]


# ---- nasty but valid text is stored verbatim -------------------------------------------

NASTY = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(document.cookie)>',
    '=HYPERLINK("http://x","y")',
    "+cmd|' /C calc'!A0",
    "-1+1",
    "@SUM(A1)",
    "=1+1",
    "ກະຊວງສາທາລະນະສຸກ",
    "กระทรวงสาธารณสุข",
    "وزارة الصحة",
    "שלום \u202eevil\u202c text",
    "👩🏽‍⚕️ Santé 🇱🇦",
    "**x** [a](javascript:alert(1))",
    "{{7*7}} ${7*7} %s %n",
    "Robert'); DROP TABLE groups;--",
    "a;b,c\"d'e",
    "line one\nline two",
    "NaN",
    "null",
    "0001",
    "x" * 100_000,
    "ສ" * 20_000 + " end",
]


# an Excel cell holds at most 32,767 characters, so longer text is tried in CSV only; every value in
# CSV and every third in Excel while working, all of them in Excel too in `make test`
NASTY_CASES = [pytest.param(v, f, id=f"{f}-{i}:{v[:20]!r}", marks=[pytest.mark.slow] if f == "xlsx" and i % 3 else [])
               for i, v in enumerate(NASTY) for f in ("csv", "xlsx") if f == "csv" or len(v) <= 32_767]


@pytest.mark.parametrize("value,fmt", NASTY_CASES)
def test_nasty_valid_text_is_published_verbatim(tmp_path, value, fmt):
    tables = full()
    tables["groups"][0].update(name=value, chair_org=value)
    tables["members"][0]["organisation"] = value
    tables["attendance"][0]["organisation"] = value
    tables["recommendations"][0].update(title=value, text=value, source=value)
    tables["actions"][0].update(description=value, owner=value)
    tables["documents"][0].update(title=value, url=value)
    if fmt == "csv":
        result = validate_sources(sources(tables))
    else:
        result = validate_sources([Source("extract.xlsx", xlsx_of(tables))])
    assert result.ok, [str(p) for p in result.errors]
    store = good_store(tmp_path / "store")
    v = store.publish(result, AS_OF, note=value[:200], by=value[:50])
    again = FolderStore(store.root).current()
    assert again.id == v.id == 2 and store.check(again) == []
    assert again.manifest["note"] == value[:200] and again.manifest["published_by"] == value[:50]
    read = {n: again.read(n).to_pylist() for n in again.tables}
    assert read["groups"][0]["name"] == value and read["groups"][0]["chair_org"] == value
    assert read["members"][0]["organisation"] == value
    assert read["attendance"][0]["organisation"] == value
    assert [read["recommendations"][0][c] for c in ("title", "text", "source")] == [value] * 3
    assert [read["actions"][0][c] for c in ("description", "owner")] == [value] * 2
    assert [read["documents"][0][c] for c in ("title", "url")] == [value] * 2
    assert read["groups"][1]["name"] == "Nutrition"  # the other cells untouched


# ---- killed while publishing ----------------------------------------------------------

CHILD = textwrap.dedent("""
    import datetime as dt, os, signal, sys
    # (sys.argv[1] is the repository, the child's working directory: swgdash imports from there)
    root, folder, moment = sys.argv[2:5]
    import pyarrow.parquet as pq
    import swgdash.store.folder as store_mod
    from swgdash.store import FolderStore
    from swgdash.ingest.validate import validate_paths

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    def wrap(obj, attr, before=False, when=lambda *a, **k: True):
        orig = getattr(obj, attr)
        def wrapper(*a, **k):
            if before and when(*a, **k):
                die()
            out = orig(*a, **k)
            if not before and when(*a, **k):
                die()
            return out
        setattr(obj, attr, wrapper)

    def half_written(table, where, *a, **k):
        data = open(where, "wb")
        data.write(b"PAR1 half a parquet file")
        data.flush()
        die()

    def torn_audit_line(self, event, **fields):
        with open(self.root / "audit.jsonl", "ab") as fh:
            fh.write(b'{"time": "2026-10-31T00:00:00+00:00", "event": "pub')
            fh.flush()
        die()

    result = validate_paths([folder])
    assert result.ok, result.errors
    if moment == "lock taken, before anything":
        wrap(FolderStore, "_sweep", before=True)
    elif moment == "temp folder made, empty":
        wrap(pq, "write_table", before=True)
    elif moment == "half a parquet file written":
        pq.write_table = half_written
    elif moment == "first parquet file written":
        wrap(pq, "write_table")
    elif moment == "all files written":
        wrap(store_mod, "_fsync_dir", when=lambda path: path.name.startswith(".tmp-"))
    elif moment == "right before rename":
        wrap(os, "rename", before=True)
    elif moment == "right after rename":
        wrap(os, "rename")
    elif moment == "HEAD temp written, before replace":
        wrap(os, "replace", before=True)
    elif moment == "right after replace":
        wrap(os, "replace")
    elif moment == "audit line half written":
        FolderStore.log = torn_audit_line
    elif moment == "loop":
        print("ready", flush=True)
        for i in range(1000):
            FolderStore(root).publish(result, dt.date(2026, 10, 31), note=f"loop {i}", by="child")
    else:
        raise SystemExit("unknown moment " + moment)
    FolderStore(root).publish(result, dt.date(2026, 10, 31), note="killed", by="child")
    print("survived")
    sys.exit(3)
""")

BEFORE_SWITCH = ["lock taken, before anything", "temp folder made, empty", "half a parquet file written",
                 "first parquet file written", "all files written", "right before rename",
                 "right after rename", "HEAD temp written, before replace"]
AFTER_SWITCH = ["right after replace", "audit line half written"]


def child(root: Path, folder: Path, moment: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CHILD, str(ROOT), str(root), str(folder), moment],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def write_extract(folder: Path, tables: dict[str, list[dict]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        (folder / f"{name}.csv").write_bytes(csv_bytes(name, rows))
    return folder


def check_store(root: Path, expected_rows: dict[int, dict[str, int]] | None = None) -> FolderStore:
    """The invariants a kill must never break; returns the store after a normal publish."""
    store = FolderStore(root)
    versions = store.versions()
    ids = [v.id for v in versions]
    assert ids == list(range(1, len(ids) + 1))
    current = store.current()
    assert current is not None and current.id == ids[-1]
    for v in versions:
        assert store.check(v) == [], v.id  # every file intact
    for v in versions[-2:]:  # the current and the previous version read back in full
        for name in v.tables:
            assert v.read(name).num_rows == v.manifest["tables"][name]["rows"]
    if expected_rows:
        for vid, rows in expected_rows.items():
            if vid in ids:
                assert {n: store.get(vid).read(n).num_rows for n in store.get(vid).tables} == rows
    store.audit()  # readable, whatever the kill left
    # the next publish works, takes the next number and leaves no leftovers
    nxt = store.publish(validate_sources(sources(full())), AS_OF, "after the kill", by="test")
    assert nxt.id == current.id + 1 and store.current().id == nxt.id and store.check(nxt) == []
    assert sorted(p.name for p in (root / "versions").iterdir()) == [f"{i:06d}" for i in range(1, nxt.id + 1)]
    assert not list(root.glob(".HEAD.json.*")), "a temp HEAD file was left behind"
    assert store.audit()[-1]["event"] == "publish" and store.audit()[-1]["version"] == nxt.id
    return store


@pytest.fixture(scope="module")
def killed_at_moments(tmp_path_factory):
    """One store per moment, each with one good version; all children run at once
    (each costs a second of imports), then every moment is checked by its own test."""
    runs = {}
    for moment in BEFORE_SWITCH + AFTER_SWITCH:
        base = tmp_path_factory.mktemp("killed")
        store = good_store(base / "store")
        folder = write_extract(base / "next", full(groups=FULL["groups"] + [group("G3", name="New")]))
        runs[moment] = (store.root, child(store.root, folder, moment))
    out = {}
    for moment, (root, proc) in runs.items():
        stdout, stderr = proc.communicate(timeout=120)
        out[moment] = (root, proc.returncode, stdout + stderr)
    return out


@pytest.mark.parametrize("moment", BEFORE_SWITCH + AFTER_SWITCH)
def test_publish_killed_at_a_given_moment(killed_at_moments, moment):
    root, returncode, output = killed_at_moments[moment]
    assert returncode == -signal.SIGKILL, output  # it died at that moment, not before or after

    current = FolderStore(root).current()
    expected = 2 if moment in AFTER_SWITCH else 1  # the previous version, or the new one
    assert current.id == expected
    assert current.read("groups").num_rows == (3 if expected == 2 else 2)
    check_store(root)


DELAYS = [0.05, 0.1, 0.2, 0.35, 0.6, 1.0, 1.5]


@pytest.fixture(scope="module")
def killed_after_delays(tmp_path_factory):
    """Children publish the demo again and again (~30 ms each, more when they share
    the CPU); each is killed a given time after it is ready, so the kill lands at a
    different point of a publish each time."""
    runs = {}
    for delay in DELAYS:
        store = good_store(tmp_path_factory.mktemp("delay") / "store")
        runs[delay] = (store.root, child(store.root, DEMO, "loop"))

    was_ready = {}

    def kill_later(proc, delay):
        ready, _, _ = select.select([proc.stdout], [], [], 120)
        was_ready[delay] = bool(ready) and proc.stdout.readline().strip() == b"ready"
        if was_ready[delay]:
            time.sleep(delay)
        proc.kill()

    threads = [threading.Thread(target=kill_later, args=(proc, delay)) for delay, (_, proc) in runs.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(180)
    out = {}
    for delay, (root, proc) in runs.items():
        stdout, stderr = proc.communicate(timeout=60)
        out[delay] = (root, was_ready.get(delay, False), proc.returncode, stdout + stderr)
    return out


@pytest.fixture(scope="module")
def demo_rows():
    result = validate_paths([DEMO])
    return {n: t.num_rows for n, t in result.tables.items()}


@pytest.mark.parametrize("delay", DELAYS)
def test_publishing_the_demo_killed_after_a_delay(killed_after_delays, delay, demo_rows):
    root, ready, returncode, output = killed_after_delays[delay]
    assert ready and returncode == -signal.SIGKILL, output  # killed while publishing, after it was ready
    versions = FolderStore(root).versions()
    check_store(root, {v.id: demo_rows for v in versions[-2:] if v.id > 1})


# ---- publishes at the same time -------------------------------------------------------

def test_threads_publishing_at_once_are_serialised(tmp_path):
    store = good_store(tmp_path / "store")
    n = 6
    results = [validate_sources(sources(full(groups=FULL["groups"] + [group(f"T{i}")]))) for i in range(n)]
    barrier = threading.Barrier(n)
    got: dict[int, object] = {}

    def run(i):
        barrier.wait()
        try:
            got[i] = FolderStore(store.root).publish(results[i], AS_OF, f"thread {i}", by=f"t{i}")
        except BaseException as exc:  # noqa: BLE001 - reported below
            got[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert all(not isinstance(v, BaseException) for v in got.values()), got
    assert sorted(v.id for v in got.values()) == list(range(2, n + 2))
    head = json.loads((store.root / "HEAD.json").read_text())
    assert [m["version"] for m in head["versions"]] == list(range(1, n + 2))
    assert head["current"] == max(v.id for v in got.values())
    for i, v in got.items():
        assert v.manifest["note"] == f"thread {i}"
        assert f"T{i}" in v.read("groups").column("group_id").to_pylist()
        assert store.check(v) == []
    assert sorted(e.get("version") for e in store.audit() if e["event"] == "publish") == list(range(1, n + 2))


def test_processes_publishing_at_once_are_serialised(tmp_path):
    store = good_store(tmp_path / "store")
    folder = write_extract(tmp_path / "extract", full())
    script = textwrap.dedent("""
        import datetime as dt, sys
        # (sys.argv[1] is the repository, the child's working directory: swgdash imports from there)
        from swgdash.store import FolderStore
        from swgdash.ingest.validate import validate_paths
        result = validate_paths([sys.argv[3]])
        for i in range(3):
            FolderStore(sys.argv[2]).publish(result, dt.date(2026, 10, 31), note=sys.argv[4], by=sys.argv[4])
    """)
    procs = [subprocess.Popen([sys.executable, "-c", script, str(ROOT), str(store.root), str(folder), f"p{k}"], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for k in range(3)]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    versions = store.versions()
    assert [v.id for v in versions] == list(range(1, 11))
    assert sorted(v.manifest["note"] for v in versions[1:]) == sorted([f"p{k}" for k in range(3)] * 3)
    assert all(store.check(v) == [] for v in versions)
    assert store.current().id == 10


def test_second_publisher_is_refused_or_waits_while_the_lock_is_held(tmp_path):
    store = good_store(tmp_path / "store")
    other = FolderStore(store.root)
    result = validate_sources(sources(full()))
    done = {}
    with store._lock():
        with pytest.raises(StoreError, match="another publish is under way"):
            with other._lock(wait=False):
                pass
        worker = threading.Thread(target=lambda: done.setdefault("v", other.publish(result, AS_OF, "waited")))
        worker.start()
        worker.join(0.5)
        assert worker.is_alive() and "v" not in done  # it waits for the lock...
        assert store.current().id == 1  # ...and has not switched anything
    worker.join(30)
    assert done["v"].id == 2 and store.current().id == 2
    with other._lock(wait=False):  # free again
        pass


def test_lock_held_by_another_process_refuses_the_lock_free_path(tmp_path):
    store = good_store(tmp_path / "store")
    script = textwrap.dedent("""
        import sys, time
        # (sys.argv[1] is the repository, the child's working directory: swgdash imports from there)
        from swgdash.store import FolderStore
        with FolderStore(sys.argv[2])._lock():
            print("locked", flush=True)
            sys.stdin.readline()
    """)
    proc = subprocess.Popen([sys.executable, "-c", script, str(ROOT), str(store.root)], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert proc.stdout.readline().strip() == b"locked"
        with pytest.raises(StoreError) as info:
            with store._lock(wait=False):
                pass
        assert str(info.value) == "another publish is under way; try again in a moment"
    finally:
        proc.stdin.close()
        proc.wait(30)
    with store._lock(wait=False):
        pass


def test_lock_of_a_killed_holder_is_released(tmp_path):
    store = good_store(tmp_path / "store")
    script = textwrap.dedent("""
        import os, signal, sys
        # (sys.argv[1] is the repository, the child's working directory: swgdash imports from there)
        from swgdash.store import FolderStore
        with FolderStore(sys.argv[2])._lock():
            os.kill(os.getpid(), signal.SIGKILL)
    """)
    proc = subprocess.run([sys.executable, "-c", script, str(ROOT), str(store.root)], cwd=ROOT, timeout=60)
    assert proc.returncode == -signal.SIGKILL
    with store._lock(wait=False):
        pass
    assert store.publish(validate_sources(sources(full())), AS_OF).id == 2


def test_audit_survives_a_torn_line(tmp_path):
    store = good_store(tmp_path / "store")
    with open(store.root / "audit.jsonl", "ab") as fh:
        fh.write(b'{"time": "2026-10-31T00:00:00+00:00", "ev')
    store.publish(validate_sources(sources(full())), AS_OF, "after", by="test")
    assert [(e["event"], e.get("version")) for e in store.audit()] == [("publish", 1), ("publish", 2)]


def test_a_parquet_row_bomb_is_refused_before_reading():
    import io as _io

    import pyarrow as _pa
    import pyarrow.parquet as _pq

    from swgdash.ingest.extract import Limits as _Limits, Source as _Source
    from swgdash.ingest.validate import validate_sources as _validate

    buf = _io.BytesIO()
    _pq.write_table(_pa.table({"group_id": _pa.array(["G"] * 200_000), "name": ["x"] * 200_000,
                               "kind": ["swg"] * 200_000}), buf, compression="zstd")
    result = _validate([_Source("groups.parquet", buf.getvalue())], _Limits(max_rows=1000))
    assert not result.ok
    assert any("200,000 rows, over the limit of 1,000" in p.message and p.table == "groups" for p in result.errors)
