"""Factories of test extracts: rows of a table, written as the CSV files an extract is."""
from __future__ import annotations

import csv
from pathlib import Path

from swgdash.contract import TABLES

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "demo"


def write_csv(folder: Path, table: str, rows: list[dict], columns=None, delimiter=",",
              encoding="utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    columns = columns or list(TABLES[table].column_names)
    path = folder / f"{table}.csv"
    with open(path, "w", newline="", encoding=encoding) as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(columns)
        for r in rows:
            w.writerow(["" if r.get(c) is None else r.get(c) for c in columns])
    return path


def group(gid, **kw):
    return {"group_id": gid, "name": kw.pop("name", f"Group {gid}"), "kind": kw.pop("kind", "swg"), **kw}


def meeting(mid, gid, date, **kw):
    return {"meeting_id": mid, "group_id": gid, "date": date, **kw}
