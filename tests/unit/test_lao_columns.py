"""The optional Lao columns of the extract (groups.name_lo, pillars.name_lo, recommendations.title_lo,
actions.description_lo): an extract with them keeps their text, byte for byte, from CSV, .xlsx and
Parquet into the stored version, its query database and its downloads; one without them is accepted
exactly as before."""
import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile

import openpyxl
import pandas as pd
import pyarrow as pa
import pytest

from factories import DEMO, ROOT, write_csv
from swgdash.contract import LAO_TEXTS, TABLES
from swgdash.ingest.extract import Source
from swgdash.ingest.validate import conform, validate_paths, validate_sources
from swgdash.present import excel
from swgdash.query import diff
from swgdash.query.db import Database
from swgdash.store import FolderStore

D = dt.date.fromisoformat
AS_OF = D("2026-10-31")

# Lao with its vowel and tone marks (combining characters), a zero-width space between words (as
# Lao word processors insert), the ligature ໜ and the sign ຳ; none of it may be changed.
HEALTH_LO = "ກຸ່ມວຽກງານຂະແໜງການສາທາລະນະສຸກ"
PILLAR_LO = "ຊັບພະຍາກອນມະນຸດມີຄຸນນະພາບສູງຂຶ້ນ"
REC_LO = "ການສ້າງຄວາມອາດສາມາດ\u200bດ້ານວິຊາການ ແລະ ພາສາອັງກິດ"
ACTION_LO = "ຮັບຮອງແບບຟອມຂໍ້ກຳນົດໜ້າທີ່ສະບັບປັບປຸງ"

# Written as a secretariat would: spaces around a cell, and one row with its Lao cell left empty.
WITH_LAO = {
    "groups": [{"group_id": "SWG-HEALTH", "name": "Health SWG", "name_lo": f"  {HEALTH_LO} ", "kind": "swg"},
               {"group_id": "SWG-EDU", "name": "Education SWG", "name_lo": "", "kind": "swg"}],
    "meetings": [{"meeting_id": "M1", "group_id": "SWG-HEALTH", "date": "2026-05-01"}],
    "pillars": [{"plan": "10th NSEDP 2026-2030", "pillar_id": "P2", "name": "High-quality human resources",
                 "name_lo": PILLAR_LO}],
    "alignment": [{"group_id": "SWG-HEALTH", "pillar_id": "P2"}],
    "recommendations": [{"rec_id": "REC-03", "title": "Capacity building", "title_lo": REC_LO}],
    "actions": [{"action_id": "A-1", "rec_id": "REC-03", "group_id": "SWG-HEALTH", "description": "Adopt the ToR",
                 "description_lo": ACTION_LO, "status": "done"}],
}
EXPECTED = {("groups", "name_lo"): [HEALTH_LO, None], ("pillars", "name_lo"): [PILLAR_LO],
            ("recommendations", "title_lo"): [REC_LO], ("actions", "description_lo"): [ACTION_LO]}
LAO_COLUMNS = {lao for _table, _english, lao in LAO_TEXTS}
KEYS = {"groups": "group_id", "pillars": "pillar_id", "recommendations": "rec_id", "actions": "action_id"}


def columns_without_lao(table):
    return [c for c in TABLES[table].column_names if c not in LAO_COLUMNS]


def csv_folder(folder, tables=WITH_LAO, lao=True):
    for name, rows in tables.items():
        write_csv(folder, name, rows, columns=None if lao else columns_without_lao(name))
    return folder


def xlsx_bytes(tables=WITH_LAO) -> bytes:
    """A workbook as Excel writes it: one sheet per table, every contract column, text cells."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in tables.items():
        ws = wb.create_sheet(name)
        ws.append(list(TABLES[name].column_names))
        for r in rows:
            ws.append([r.get(c) or None for c in TABLES[name].column_names])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def parquet_sources(tables=WITH_LAO) -> list[Source]:
    out = []
    for name, rows in tables.items():
        buf = io.BytesIO()
        pd.DataFrame([{c: r.get(c) or None for c in TABLES[name].column_names} for r in rows],
                     columns=list(TABLES[name].column_names), dtype=object).to_parquet(buf, index=False)
        out.append(Source(f"{name}.parquet", buf.getvalue()))
    return out


def deliveries(tmp_path):
    return {"csv": validate_paths([csv_folder(tmp_path / "csv")]),
            "xlsx": validate_sources([Source("extract.xlsx", xlsx_bytes())]),
            "parquet": validate_sources(parquet_sources())}


def assert_lao_kept(tables):
    for (table, column), want in EXPECTED.items():
        got = tables[table].column(column).to_pylist()
        assert got == want, (table, column)
        for text in got:  # byte for byte: nothing normalised, no mark lost
            assert text is None or unicodedata.is_normalized("NFC", text)


# ---- the contract -------------------------------------------------------------------------

def test_each_lao_column_is_optional_text_right_after_the_english_column_it_translates():
    assert [(t, en, lo) for t, en, lo in LAO_TEXTS] == [
        ("groups", "name", "name_lo"), ("pillars", "name", "name_lo"),
        ("recommendations", "title", "title_lo"), ("actions", "description", "description_lo")]
    for table, english, lao in LAO_TEXTS:
        names = TABLES[table].column_names
        assert names.index(lao) == names.index(english) + 1, table
        col = TABLES[table].column(lao)
        assert (col.type, col.required, col.unique, col.default, col.ref) == ("text", False, False, None, None)
        assert "Lao (ພາສາລາວ)" in col.doc and "English" in col.doc
    every_lo = {(t.name, c) for t in TABLES.values() for c in t.column_names if c.endswith("_lo")}
    assert every_lo == {(t, lo) for t, _en, lo in LAO_TEXTS}


# ---- with the Lao columns -----------------------------------------------------------------

@pytest.mark.parametrize("delivery", ["csv", "xlsx", "parquet"])
def test_an_extract_with_lao_columns_validates_publishes_and_keeps_the_text(tmp_path, delivery):
    result = deliveries(tmp_path)[delivery]
    assert result.ok and result.warnings == [], [str(p) for p in result.problems]
    assert_lao_kept(result.tables)
    version = FolderStore(tmp_path / "store").publish(result, AS_OF, note=delivery)
    assert_lao_kept({name: version.read(name) for name in version.tables})  # the stored Parquet files
    db = Database(version)  # and the version's query database
    try:
        for (table, column), want in EXPECTED.items():
            key = KEYS[table]
            got = db.con.execute(f"SELECT {column} FROM {table} ORDER BY {key} DESC").fetchall()  # SWG-HEALTH first
            assert [r[0] for r in got] == want, (table, column)
    finally:
        db.close()


def test_every_delivery_gives_identical_tables(tmp_path):
    results = deliveries(tmp_path)
    for name in WITH_LAO:
        assert results["xlsx"].tables[name].equals(results["csv"].tables[name]), name
        assert results["parquet"].tables[name].equals(results["csv"].tables[name]), name


def test_lao_text_survives_a_csv_saved_by_excel_with_a_bom_and_semicolons(tmp_path):
    folder = tmp_path / "semicolons"
    for name, rows in WITH_LAO.items():
        write_csv(folder, name, rows, delimiter=";", encoding="utf-8-sig")
    result = validate_paths([folder])
    assert result.ok and result.warnings == []
    assert_lao_kept(result.tables)


# ---- without them: exactly as before ------------------------------------------------------

def test_an_extract_without_the_lao_columns_is_accepted_exactly_as_before(tmp_path):
    folder = csv_folder(tmp_path / "old", lao=False)
    assert "name_lo" not in (folder / "groups.csv").read_text(encoding="utf-8")
    result = validate_paths([folder])
    assert result.ok and result.problems == [], [str(p) for p in result.problems]  # no error, no warning
    for table, _english, lao in LAO_TEXTS:
        assert result.tables[table].column(lao).null_count == result.tables[table].num_rows
    version = FolderStore(tmp_path / "store").publish(result, AS_OF, note="no Lao")
    assert version.read("groups").column("name").to_pylist() == ["Health SWG", "Education SWG"]
    db = Database(version)
    try:
        assert db.con.execute("SELECT count(*), count(name_lo) FROM groups").fetchone() == (2, 0)
    finally:
        db.close()


def test_a_workbook_of_the_old_template_is_accepted_as_before():
    tables = {n: [{c: r.get(c) for c in columns_without_lao(n)} for r in rows] for n, rows in WITH_LAO.items()}
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in tables.items():
        ws = wb.create_sheet(name)
        ws.append(columns_without_lao(name))
        for r in rows:
            ws.append([r[c] or None for c in columns_without_lao(name)])
    buf = io.BytesIO()
    wb.save(buf)
    result = validate_sources([Source("old.xlsx", buf.getvalue())])
    assert result.ok and result.problems == []


def test_the_bundled_demo_without_its_lao_columns_publishes_the_same_figures(tmp_path):
    """The demo with its Lao columns cut out (an extract made before they existed) is valid and
    gives the same tables but for the empty Lao columns."""
    folder = tmp_path / "demo-old"
    folder.mkdir()
    for path in DEMO.iterdir():
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        keep = [i for i, c in enumerate(rows[0]) if c not in LAO_COLUMNS]
        with open(folder / path.name, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows([[r[i] for i in keep] for r in rows])
    old, new = validate_paths([folder]), validate_paths([DEMO])
    assert old.ok and new.ok
    assert [str(p) for p in old.problems] == [str(p) for p in new.problems]
    for name in new.tables:
        lao = [c for c in new.tables[name].column_names if c in LAO_COLUMNS]
        assert old.tables[name].drop_columns(lao).equals(new.tables[name].drop_columns(lao)), name
        for c in lao:
            assert old.tables[name].column(c).null_count == old.tables[name].num_rows


# ---- the template, the downloads and the preview ------------------------------------------

def test_the_blank_template_has_the_lao_columns_with_their_notes():
    wb = openpyxl.load_workbook(io.BytesIO(excel.template_xlsx()))
    zf = zipfile.ZipFile(io.BytesIO(excel.template_csv_zip()))
    for table, english, lao in LAO_TEXTS:
        header = [c.value for c in wb[table][1]]
        assert header.index(lao) == header.index(english) + 1
        assert "ພາສາລາວ" in wb[table].cell(1, header.index(lao) + 1).comment.text
        csv_header = zf.read(f"{table}.csv").decode("utf-8-sig").strip().split(",")
        assert csv_header.index(lao) == csv_header.index(english) + 1
    result = validate_sources([Source("template.xlsx", excel.template_xlsx())])
    assert {p.message for p in result.problems} == {
        "the groups table has no rows; an extract needs at least one group"}


def old_version(store: FolderStore):
    """The demo as a version published before the Lao columns existed: its Parquet files lack them."""
    result = validate_paths([DEMO])
    result.tables = {n: t.drop_columns([c for c in t.column_names if c in LAO_COLUMNS])
                     for n, t in result.tables.items()}
    return store.publish(result, AS_OF, note="before the Lao columns")


def test_a_version_downloaded_as_xlsx_has_the_lao_columns_and_re_uploads_with_the_text(tmp_path):
    v = FolderStore(tmp_path / "s").publish(validate_paths([DEMO]), AS_OF)
    data = excel.workbook({n: v.read(n) for n in v.tables})
    ws = openpyxl.load_workbook(io.BytesIO(data))["groups"]
    assert [c.value for c in ws[1]][:3] == ["group_id", "name", "name_lo"]
    assert ws["C2"].value == "ກຸ່ມວຽກງານຂະແໜງການສາທາລະນະສຸກ"
    again = validate_sources([Source("version.xlsx", data)])
    assert again.ok
    for table, _english, lao in LAO_TEXTS:
        assert again.tables[table].column(lao).equals(v.read(table).column(lao)), table


def test_a_version_stored_before_the_lao_columns_downloads_with_them_empty(tmp_path):
    v = old_version(FolderStore(tmp_path / "s"))
    assert "name_lo" not in v.read("groups").column_names
    data = excel.workbook({n: v.read(n) for n in v.tables})
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for table, _english, lao in LAO_TEXTS:
        header = [c.value for c in wb[table][1]]
        assert header == list(TABLES[table].column_names), table
        assert all(row[header.index(lao)] is None for row in wb[table].iter_rows(min_row=2, values_only=True))
    again = validate_sources([Source("version.xlsx", data)])
    assert again.ok and again.warnings == []
    for name in v.tables:
        assert again.tables[name].equals(conform(name, v.read(name))), name


def test_a_version_stored_before_the_lao_columns_has_them_empty_in_its_query_database(tmp_path):
    db = Database(old_version(FolderStore(tmp_path / "s")))
    try:
        for table, _english, lao in LAO_TEXTS:
            assert db.con.execute(f"SELECT count(*) > 0 AND count({lao}) = 0 FROM {table}").fetchone()[0], table
    finally:
        db.close()


def test_a_table_a_page_downloads_is_never_given_contract_columns():
    df = pd.DataFrame({"Group": ["Health"], "name": ["x"]})
    ws = openpyxl.load_workbook(io.BytesIO(excel.table_xlsx(df, "groups")))["groups"]
    assert [c.value for c in ws[1]] == ["Group", "name"]


def test_the_preview_shows_lao_names_and_counts_a_new_lao_name_as_a_change(tmp_path):
    store = FolderStore(tmp_path / "s")
    current = old_version(store)
    new = validate_paths([DEMO]).tables  # the same extract, now with its Lao columns
    p = diff.preview(current, new, AS_OF)
    assert len(p.groups_renamed) == new["groups"].num_rows
    row = p.groups_renamed.set_index("group_id").loc["SWG-HEALTH"]
    assert (row["before"], row["after"], row["before_lo"], row["after_lo"]) == (
        "Health Sector Working Group", "Health Sector Working Group", None, "ກຸ່ມວຽກງານຂະແໜງການສາທາລະນະສຸກ")
    assert set(p.tables_changed) == {"groups", "pillars", "recommendations", "actions"}
    assert not p.changes_nothing
    assert list(p.groups_added.columns) == ["group_id", "name", "name_lo"]
    assert list(p.status_changes.columns) == ["action_id", "description", "description_lo", "before", "after"]

    published = store.publish(validate_paths([DEMO]), AS_OF)
    same = diff.preview(published, validate_paths([DEMO]).tables, AS_OF)
    assert same.changes_nothing and same.groups_renamed.empty and same.tables_changed == []

    def retitled(t: pa.Table) -> pa.Table:  # only a recommendation's Lao title changes
        titles = t.column("title_lo").to_pylist()
        titles[0] = titles[0] + " (ສະບັບປັບປຸງ)"
        return t.set_column(t.column_names.index("title_lo"), "title_lo", pa.array(titles, pa.string()))

    tables = validate_paths([DEMO]).tables
    new = dict(tables, recommendations=retitled(tables["recommendations"]))
    p = diff.preview(published, new, AS_OF)
    assert p.tables_changed == ["recommendations"] and not p.changes_nothing


# ---- the demo and the docs ----------------------------------------------------------------

LAO_SCRIPT = re.compile(r"[\u0e80-\u0eff]")


def test_every_demo_group_pillar_recommendation_and_action_has_its_lao_text():
    result = validate_paths([DEMO])
    for table, english, lao in LAO_TEXTS:
        t = result.tables[table]
        assert t.column(lao).null_count == 0, table
        for en, lo in zip(t.column(english).to_pylist(), t.column(lao).to_pylist(), strict=True):
            assert LAO_SCRIPT.search(lo) and lo != en and lo == lo.strip(), (table, en)
            assert not re.search(r"[\u0e00-\u0e7f]", lo), (table, lo)  # no Thai letter slipped in
    groups = dict(zip(*(result.tables["groups"].column(c).to_pylist() for c in ("group_id", "name_lo")), strict=True))
    assert groups["SWG-HEALTH"] == "ກຸ່ມວຽກງານຂະແໜງການສາທາລະນະສຸກ"
    assert all(v.startswith("ກຸ່ມວຽກງານຂະແໜງການຍ່ອຍ") for k, v in groups.items() if k.startswith("SUB-"))


def test_the_extract_format_doc_explains_the_lao_columns():
    doc = (ROOT / "docs" / "extract-format.md").read_text(encoding="utf-8")
    section = doc.split("## Lao text", 1)[1].split("\n## ", 1)[0]
    words = " ".join(section.split())
    for table, english, lao in LAO_TEXTS:
        assert f"| `{table}` | `{english}` | `{lao}` |" in section
    assert "optional" in words and "never translates" in words and "stays in English" in words


def test_the_lao_names_read_at_once_by_many_sessions_are_read_whole(tmp_path):
    """Found by a cold review: one Database serves every session, and its Lao texts are read at
    the first query in Lao; eight threads asking at once all get the whole map, the same one."""
    import threading

    from factories import DEMO
    from swgdash import publishing
    from swgdash.query.db import Database
    from swgdash.store import FolderStore

    store = FolderStore(tmp_path / "s")
    publishing.publish_paths(store, [str(DEMO)], None, "demo")
    for _ in range(5):
        db = Database(store.current())
        got, start = [], threading.Barrier(8)

        def ask(db=db, got=got, start=start):
            start.wait()
            got.append(db.lao())

        threads = [threading.Thread(target=ask) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert all(g is got[0] for g in got) and len(got[0]["groups"]) > 30 and len(got[0]["actions"]) > 30
        db.close()
