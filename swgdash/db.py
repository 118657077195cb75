"""DuckDB over one published version, and the named SQL queries.

Each query is a file in swgdash/sql/ (an Evidence-style named artefact) with
`$name` parameters that DuckDB binds; no SQL is ever built from user text.
One `Database` is opened per version; each Streamlit session takes its own
cursor from it (DuckDB cursors are separate connections to the same database).
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from .contract import TABLES
from .store import Version
from .validate import empty_table

SQL_DIR = Path(__file__).resolve().parent / "sql"
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")


@cache
def sql_text(name: str) -> str:
    if not re.fullmatch(r"[a-z_]+", name):
        raise KeyError(name)
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def query_names() -> list[str]:
    return sorted(p.stem for p in SQL_DIR.glob("*.sql") if p.stem != "macros")


class Database:
    """An in-memory DuckDB holding every table of one version."""

    def __init__(self, version: Version):
        self.version = version
        self.con = duckdb.connect(":memory:")
        present = set(version.tables)
        for name in TABLES:  # names come from the contract, never from user text
            if name in present:
                path = str(version.path / f"{name}.parquet")
                self.con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet(?)", [path])
            else:
                empty = empty_table(name)  # noqa: F841 (read by DuckDB's replacement scan)
                self.con.execute(f"CREATE TABLE {name} AS SELECT * FROM empty")
        self.con.execute(sql_text("macros"))
        self.present = present

    def cursor(self) -> "Cursor":
        return Cursor(self.con.cursor(), self.present, self.version)

    def close(self) -> None:
        self.con.close()


class Cursor:
    """One session's handle on a Database."""

    def __init__(self, cur: duckdb.DuckDBPyConnection, present: set[str], version: Version):
        self._cur = cur
        self.present = present
        self.version = version

    def has(self, table: str) -> bool:
        return table in self.present

    def query(self, name: str, **params) -> pd.DataFrame:
        text = sql_text(name)
        wanted = set(_PARAM.findall(text))
        missing = wanted - params.keys()
        if missing:
            raise KeyError(f"query {name} needs {', '.join(sorted(missing))}")
        bound = {k: (list(v) if isinstance(v, tuple) else v) for k, v in params.items() if k in wanted}
        return self._cur.execute(text, bound).df()
