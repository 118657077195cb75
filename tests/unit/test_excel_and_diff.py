"""Downloads the secretariat edits and re-uploads, and the preview of what a new extract changes."""
import datetime as dt
import io
import zipfile

import openpyxl
import pyarrow as pa

from factories import DEMO, group, meeting, write_csv
from swgdash.contract import TABLES
from swgdash.ingest.extract import Source
from swgdash.ingest.validate import validate_paths, validate_sources
from swgdash.present import excel
from swgdash.query import diff
from swgdash.store import FolderStore

D = dt.date.fromisoformat


def test_template_xlsx_has_every_table_with_its_columns_and_notes():
    wb = openpyxl.load_workbook(io.BytesIO(excel.template_xlsx()))
    assert wb.sheetnames == ["read me", *TABLES]
    for name, table in TABLES.items():
        header = [c.value for c in wb[name][1]]
        assert header == list(table.column_names)
    assert "required" in wb["groups"]["A1"].comment.text


def test_template_csv_zip_has_every_table():
    zf = zipfile.ZipFile(io.BytesIO(excel.template_csv_zip()))
    assert sorted(zf.namelist()) == sorted(f"{n}.csv" for n in TABLES)
    assert zf.read("groups.csv").decode("utf-8-sig").strip() == ",".join(TABLES["groups"].column_names)


def test_blank_template_is_refused_only_for_having_no_groups():
    result = validate_sources([Source("template.xlsx", excel.template_xlsx())])
    assert [(p.table, p.row, p.column, p.message) for p in result.errors] == [
        ("groups", 2, "group_id", "the groups table has no rows; an extract needs at least one group")]


def test_a_version_downloaded_as_xlsx_re_uploads_identically(tmp_path):
    v = FolderStore(tmp_path / "s").ensure_demo()
    data = excel.workbook({n: v.read(n) for n in v.tables})
    again = validate_sources([Source("version.xlsx", data)])
    assert again.ok and again.warnings == []
    for name in v.tables:
        assert again.tables[name].equals(v.read(name)), name


def test_formula_like_text_is_written_as_text_and_reads_back_verbatim(tmp_path):
    nasty = ["=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "-1+1", "@SUM(A1)", "<b>x</b>"]
    write_csv(tmp_path, "groups", [group(f"G{i}", name=n) for i, n in enumerate(nasty)])
    write_csv(tmp_path, "meetings", [meeting("M", "G0", "2026-01-01")])
    result = validate_paths([tmp_path])
    data = excel.workbook(result.tables)
    ws = openpyxl.load_workbook(io.BytesIO(data))["groups"]
    cells = [ws.cell(row=i + 2, column=2) for i in range(len(nasty))]
    assert [c.value for c in cells] == nasty
    assert all(c.data_type == "s" for c in cells)
    assert [c.quotePrefix for c in cells] == [True, True, True, True, False]
    back = validate_sources([Source("x.xlsx", data)])
    assert back.tables["groups"].column("name").to_pylist() == nasty


def tables_with(**changes):
    result = validate_paths([DEMO])
    tables = dict(result.tables)
    for name, fn in changes.items():
        tables[name] = pa.Table.from_pandas(fn(tables[name].to_pandas()), schema=tables[name].schema,
                                            preserve_index=False)
    return tables


def test_preview_of_the_first_version():
    p = diff.preview(None, validate_paths([DEMO]).tables, D("2026-10-31"))
    assert p.first and p.as_of_before is None
    assert len(p.groups_added) == p.rows.set_index("table").loc["groups", "after"]
    assert p.groups_removed.empty and p.status_changes.empty


def test_preview_finds_added_removed_renamed_groups_meetings_and_status_changes(tmp_path):
    store = FolderStore(tmp_path / "s")
    current = store.ensure_demo()

    def groups(df):
        df.loc[df["group_id"] == "SWG-HEALTH", "name"] = "Health SWG (renamed)"
        df = df[df["group_id"] != "TF-MAPPING"]
        extra = df.iloc[[0]].assign(group_id="TF-NEW", name="New task force", name_lo=None, kind="task_force",
                                    parent_id=None)
        return __import__("pandas").concat([df, extra])

    def meetings(df):
        df = df[df["meeting_id"] != df["meeting_id"].iloc[0]]
        return __import__("pandas").concat([df, df.iloc[[0]].assign(meeting_id="M-NEW")])

    def actions(df):
        first = df["action_id"].iloc[0]
        df.loc[df["action_id"] == first, "status"] = "dropped" if df["status"].iloc[0] != "dropped" else "done"
        return df

    new = tables_with(groups=groups, meetings=meetings, actions=actions)
    for name in ("alignment", "members", "documents", "actions"):   # keep references valid
        new[name] = new[name].filter(pa.compute.invert(pa.compute.is_in(
            new[name].column("group_id"), value_set=pa.array(["TF-MAPPING"]))))
    new.pop("documents")
    p = diff.preview(current, new, D("2026-11-30"))
    assert (p.as_of_before, p.as_of_after) == (D("2026-10-31"), D("2026-11-30"))
    assert p.groups_added.to_dict("records") == [{"group_id": "TF-NEW", "name": "New task force", "name_lo": None}]
    assert p.groups_removed["group_id"].tolist() == ["TF-MAPPING"]
    lao = "ກຸ່ມວຽກງານຂະແໜງການສາທາລະນະສຸກ"
    assert p.groups_renamed.to_dict("records") == [
        {"group_id": "SWG-HEALTH", "before": "Health Sector Working Group", "after": "Health SWG (renamed)",
         "before_lo": lao, "after_lo": lao}]
    assert p.meetings_added["meeting_id"].tolist() == ["M-NEW"] and len(p.meetings_removed) == 1
    assert len(p.status_changes) == 1
    assert p.tables_dropped == ["documents"]
    assert not p.changes_nothing


def test_preview_of_the_same_extract_changes_nothing(tmp_path):
    current = FolderStore(tmp_path / "s").ensure_demo()
    p = diff.preview(current, validate_paths([DEMO]).tables, current.as_of)
    assert p.changes_nothing and (p.rows["change"] == 0).all()
