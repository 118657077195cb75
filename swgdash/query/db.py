"""DuckDB over one published version, and the named SQL queries.

Each query is a file in swgdash/sql/ (an Evidence-style named artefact) with
`$name` parameters that DuckDB binds; no SQL is ever built from user text.
One `Database` is opened per version; each Streamlit session takes its own
cursor from it (DuckDB cursors are separate connections to the same database).
"""
from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import inspect
import json
import logging
import os
import re
import shutil
import tempfile
import threading
import uuid
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Callable, Iterator

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from swgdash import i18n
from swgdash.contract import (
    ACTIVE_ROLES,
    CONTRACT_VERSION,
    DEFAULT_FORMAT,
    HELD,
    LAO_TEXTS,
    LEADERSHIP_ROLES,
    LEVEL_NOT_RECORDED,
    PARTNER_CHAIR_ROLES,
    ROLE_RANK,
    TABLES,
    id_column,
)
from swgdash.ingest.validate import conform, empty_table
from swgdash.store import Version

log = logging.getLogger(__name__)
ROWS_AT_A_TIME = 4096  # Cursor.each's batch
SQL_DIR = Path(__file__).resolve().parent / "sql"
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")


@cache
def sql_text(name: str) -> str:
    if not re.fullmatch(r"[a-z_]+", name):
        raise KeyError(name)
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def _words(codes) -> str:
    """Codes of the contract as SQL strings, 'a', 'b' (plain lower-case words, checked here:
    constants of the contract, never user text)."""
    assert all(re.fullmatch(r"[a-z_ ]+", c) for c in codes), codes
    return ", ".join(f"'{c}'" for c in codes)


def macros_sql() -> str:
    """The shared macros (sql/macros.sql), and those written from the contract's codes:
    is_active_role(r) (ACTIVE_ROLES), role_rank(r) (ROLE_RANK: 1 for the highest role) and
    level_recorded(level) (a meeting's level, LEVEL_NOT_RECORDED when empty), is_leadership_role(r)
    (LEADERSHIP_ROLES), is_partner_chair_role(r) (PARTNER_CHAIR_ROLES) and meeting_format(f)
    (DEFAULT_FORMAT when empty)."""
    return sql_text("macros") + f"""
CREATE OR REPLACE MACRO is_active_role(r) AS r IN ({_words(ACTIVE_ROLES)});
CREATE OR REPLACE MACRO role_rank(r) AS coalesce(list_position([{_words(ROLE_RANK)}], r), {len(ROLE_RANK) + 1});
CREATE OR REPLACE MACRO level_recorded(level) AS coalesce(level, {_words([LEVEL_NOT_RECORDED])});
CREATE OR REPLACE MACRO is_leadership_role(r) AS r IN ({_words(LEADERSHIP_ROLES)});
CREATE OR REPLACE MACRO is_partner_chair_role(r) AS r IN ({_words(PARTNER_CHAIR_ROLES)});
CREATE OR REPLACE MACRO meeting_format(f) AS coalesce(f, {_words([DEFAULT_FORMAT])});
"""


def query_names() -> list[str]:
    return sorted(p.stem for p in SQL_DIR.glob("*.sql") if p.stem != "macros")


# The version's tables live in a DuckDB file derived from its Parquet files, built
# once (at publish, or on first open) under cache/ in the store. Its name carries a
# digest of the version's checksums and of how it is built (`recipe`), so a file is never
# reused for other data, older queries or an older layout; it can always be deleted and rebuilt.
def recipe() -> str:
    """A digest of everything the query database is built from, besides the version's data: the
    macros and every query's text (prepared results hold what the queries answered), the source
    of this module (which writes the database), of the functions that give each table its columns
    (swgdash.ingest.validate.conform, empty_table), and the contract's version and tables. Nothing
    to bump by hand: any change to them names a new file. (The views a publish prepares,
    swgdash.site.default_views, only decide which results are ready, never what a query answers.)"""
    h = hashlib.sha256()
    h.update(f"contract {CONTRACT_VERSION}\0{TABLES!r}\0".encode())
    h.update(macros_sql().encode() + b"\0")
    for name in query_names():
        h.update(name.encode() + b"\0" + sql_text(name).encode() + b"\0")
    for code in (Path(__file__).read_text(encoding="utf-8"), inspect.getsource(conform),
                 inspect.getsource(empty_table)):
        h.update(code.encode() + b"\0")
    return h.hexdigest()


def _build_key(version: Version) -> str:
    h = hashlib.sha256()
    h.update(recipe().encode())
    h.update(version.fingerprint.encode())
    return h.hexdigest()[:20]


def database_file(version: Version) -> Path:
    return version.path.parent.parent / "cache" / f"{version.path.name}-{_build_key(version)}.duckdb"


# Derived tables, for the large ones: meetings in date order (so a date window reads
# only its part), and attendance with each meeting's date and group alongside.
DERIVED = {
    "meetings": "SELECT * FROM source ORDER BY date, group_id",
    "attendance": "SELECT a.*, m.date, m.group_id FROM source AS a JOIN meetings AS m USING (meeting_id) ORDER BY m.date",
}
# With an organisations table, attendance takes each partner's one name as it is written (ONE_NAME),
# in the same pass: an UPDATE of millions of rows afterwards rewrote the table (a second at x1000).
ATTENDANCE_ONE_NAME = ("SELECT a.* REPLACE (coalesce(o.partner, a.organisation) AS organisation), m.date, m.group_id "
                       "FROM source AS a JOIN meetings AS m USING (meeting_id) "
                       "LEFT JOIN organisations AS o ON o.organisation = a.organisation ORDER BY m.date")


# Prepared results: what the pages ask for with their controls as they open (the
# version's own as-of, no filter; swgdash.site.default_views), answered once when
# the database is written and kept as tables. A query asked with exactly those
# parameters reads its table; any other parameters run the query itself. The key is
# the query's name and bound parameters, so a result is only ever served for the
# question it answers (and the file's name changes with any query's text).
PREPARED = "prepared_results"
# Below this many rows in all (the demo has about 10,000) every query answers in
# milliseconds, and preparing would only slow publishing down (0.25 s -> 0.65 s).
PREPARE_MIN_ROWS = 100_000


def _json_value(v):
    if isinstance(v, dt.date):
        return {"date": v.isoformat()}
    raise TypeError(f"cannot key a query parameter of type {type(v).__name__}")


def result_key(name: str, bound: dict) -> str:
    return json.dumps([name, bound], sort_keys=True, default=_json_value)


# The figures to prepare: views(cursor, as_of) -> [(function, keyword arguments)], each called as
# function(cursor, **kwargs) (swgdash.site.default_views, passed in by the caller).
Views = Callable[["Cursor", dt.date], list]


# Meetings only planned (scheduled, cancelled, postponed) count in no figure: they move from
# `meetings` to `meetings_planned` (the next meetings, the calendar, the share called off), so
# every query over `meetings` counts held meetings only. An empty status means held.
PLANNED = f"""
CREATE TABLE meetings_planned AS SELECT * FROM meetings WHERE coalesce(status, '{HELD}') <> '{HELD}';
DELETE FROM meetings WHERE coalesce(status, '{HELD}') <> '{HELD}';
"""
# Meetings no figure counts, whatever the date asked (the data-quality section lists them):
# held before their group was established, after it closed, or after the day the extract
# was uploaded. They move from `meetings` to `meetings_set_aside`, with the reason.
SET_ASIDE = """
CREATE TABLE meetings_set_aside AS
SELECT m.meeting_id, m.group_id, m.date,
       CASE WHEN m.date < g.established_on THEN 'before_established'
            WHEN m.date > g.closed_on THEN 'after_closed'
            ELSE 'after_upload' END AS reason
FROM meetings AS m JOIN groups AS g USING (group_id)
WHERE m.date < g.established_on OR m.date > g.closed_on OR m.date > $upload_day::DATE
ORDER BY m.date, m.group_id
"""
# One partner, one name: members and attendance count each organisation as the partner the
# organisations table names (and with its type, where given).
ONE_NAME = """
UPDATE members SET org_type = coalesce(o.org_type, members.org_type), organisation = o.partner
FROM organisations AS o WHERE members.organisation = o.organisation;
"""
# A register with no successor: the renaming macros of macros.sql as what they then give, every name
# as it stands, without their joins (live queries at x1000 were 15-20% slower with them).
NO_SUCCESSORS = """
CREATE OR REPLACE MACRO names_at(d) AS TABLE
    SELECT NULL::VARCHAR AS organisation, NULL::VARCHAR AS counts_as, NULL::DATE AS since WHERE false;
CREATE OR REPLACE MACRO members_named(d) AS TABLE
    SELECT *, NULL::VARCHAR AS formerly, NULL::DATE AS formerly_until FROM members;
CREATE OR REPLACE MACRO attendance_named(d) AS TABLE
    SELECT meeting_id, organisation, present, date, group_id FROM attendance;
"""
# organisations first: attendance reads it as it is written (ATTENDANCE_ONE_NAME)
BUILD_ORDER = sorted(TABLES, key=lambda name: name != "organisations")


def write_database(path: Path, present: set[str], table, as_of: dt.date | None = None,
                   views: Views | None = None, upload_day: dt.date | None = None) -> None:
    """Write a query database at `path` (a new file) from `table(name)`, an Arrow table
    of each present table, with the results of `views` prepared at `as_of` (none when
    either is None, or when the tables hold fewer than PREPARE_MIN_ROWS rows). Meetings
    after `upload_day`, or outside their group's life, are set aside (SET_ASIDE)."""
    con = duckdb.connect(str(path))
    try:
        con.execute("SET enable_progress_bar = false")  # no bar on the terminal of a publish
        for name in BUILD_ORDER:  # names come from the contract, never from user text
            if name in present:
                con.register("source", conform(name, table(name)))  # (an older version: the newer columns empty)
                derived = (ATTENDANCE_ONE_NAME if name == "attendance" and "organisations" in present
                           else DERIVED.get(name, "SELECT * FROM source"))
                con.execute(f"CREATE TABLE {name} AS {derived}")
                con.unregister("source")
                if name == "meetings":  # (groups come first, attendance after: it keeps only these)
                    con.execute(PLANNED)
                    con.execute(SET_ASIDE, {"upload_day": upload_day})
                    con.execute("DELETE FROM meetings WHERE meeting_id IN (SELECT meeting_id FROM meetings_set_aside)")
            else:
                empty = empty_table(name)  # noqa: F841 (read by DuckDB's replacement scan)
                con.execute(f"CREATE TABLE {name} AS SELECT * FROM empty")
                if name == "attendance":
                    con.execute("ALTER TABLE attendance ADD COLUMN date DATE")
                    con.execute("ALTER TABLE attendance ADD COLUMN group_id VARCHAR")
        if "organisations" in present:
            con.execute(ONE_NAME)
        steps = succession_steps(conform("organisations", table("organisations"))) if "organisations" in present else []
        con.execute("CREATE TABLE org_steps (organisation VARCHAR, step INTEGER, since DATE, counts_as VARCHAR)")
        if steps:
            con.executemany("INSERT INTO org_steps VALUES (?, ?, ?, ?)", steps)
        con.execute(macros_sql())
        if not steps:  # no successor in the register: every name stands (no join on the hot paths)
            con.execute(NO_SUCCESSORS)
        # every group's top-level group, worked out once here rather than in each query
        con.execute("CREATE TABLE group_roots_table AS SELECT * FROM group_roots()")
        con.execute("CREATE OR REPLACE MACRO group_roots() AS TABLE SELECT * FROM group_roots_table")
        rows = sum(_count(con, name)
                   for name in [*TABLES, "meetings_planned"] if name in present | {"meetings_planned"})
        made: dict[str, str] = {}
        if as_of is not None and views is not None and rows >= PREPARE_MIN_ROWS:
            made = _prepare(con, present, as_of, views)
        con.execute(f"CREATE TABLE {PREPARED} (key VARCHAR PRIMARY KEY, table_name VARCHAR NOT NULL)")
        if made:  # (executemany refuses an empty list)
            con.executemany(f"INSERT INTO {PREPARED} VALUES (?, ?)", list(made.items()))
        con.execute("CHECKPOINT")
    finally:
        con.close()


def succession_steps(orgs) -> list[tuple[str, int, dt.date, str]]:
    """From the organisations table (Arrow): each partner's successors as (partner, step, since,
    counts_as), its steps numbered along the chain, their days never decreasing; chains followed (A -> B from t1, B -> C from t2: A counts as B from t1 and as C from the
    later of t1 and t2). Names are partners' one names, as members and attendance hold them after
    ONE_NAME, and each name written for a partner (a chair_org); a successor with no date counts from
    always. (Validation refuses circles, and one partner's rows naming different successors.)"""
    rows = orgs.select(["organisation", "partner", "successor", "successor_since"]).to_pylist()
    partner = {r["organisation"]: r["partner"] for r in rows}
    direct: dict[str, tuple[dt.date, str]] = {}
    for r in rows:
        if r["successor"] is not None:
            direct.setdefault(r["partner"], (r["successor_since"] or dt.date.min,
                                             partner.get(r["successor"], r["successor"])))

    def chain(name: str, since: dt.date, seen: frozenset) -> list[tuple[dt.date, str]]:
        if name not in direct or name in seen:
            return []
        day, successor = direct[name]
        day = max(day, since)
        return [(day, successor), *chain(successor, day, seen | {name})]

    # each partner's steps, and the same under each name written for it (a group's chair_org is
    # written as the register writes it, never turned into its partner)
    names = {name: [name] for name in direct}
    for r in rows:
        if r["partner"] in direct and r["organisation"] != r["partner"]:
            names[r["partner"]].append(r["organisation"])
    return [(written, step, day, counts_as) for name in sorted(direct)
            for step, (day, counts_as) in enumerate(chain(name, dt.date.min, frozenset()))
            for written in names[name]]


def _count(con: duckdb.DuckDBPyConnection, name: str) -> int:
    """How many rows the table `name` holds (a name from the contract, never from user text)."""
    row = con.execute(f"SELECT count(*) FROM {name}").fetchone()
    assert row is not None  # (count(*) always gives one row)
    return row[0]


def _prepare(con: duckdb.DuckDBPyConnection, present: set[str], as_of: dt.date, views: Views) -> dict[str, str]:
    """Run the views on a cursor that keeps each result as a table."""
    cur = _Preparing(con.cursor(), present)
    for fn, kwargs in views(cur, as_of):
        try:
            fn(cur, **kwargs)
        except Exception:  # that view's queries stay live: slower, never wrong
            log.exception("could not prepare %s", getattr(fn, "__name__", fn))
    return cur.made


def install(version: Version, built: Path) -> Path:
    """Move a database written for `version` into place (atomic), replacing older layouts."""
    target = database_file(version)
    os.replace(built, target)
    for old in target.parent.glob(f"{version.path.name}-*.duckdb"):
        if old != target:
            old.unlink(missing_ok=True)
    return target


def scratch_file(cache: Path) -> Path:
    cache.mkdir(parents=True, exist_ok=True)
    return cache / f".build-{uuid.uuid4().hex}.tmp"


def build(version: Version, views: Views | None = None) -> Path:
    """The version's DuckDB file, written from its Parquet files (with `views` prepared) when missing.
    When the cache folder cannot be written (a read-only disk), it is written to the system's
    temporary folder for this process instead: pages still work, each server building it once."""
    target = database_file(version)
    if target.exists():
        return target
    try:
        tmp = scratch_file(target.parent)
        tmp.write_bytes(b"")  # can the cache be written? (DuckDB then makes the file anew)
        tmp.unlink()
    except OSError:
        return _private_build(version, views)
    try:
        write_database(tmp, set(version.tables), version.read, version.as_of, views, version.published_on)
        return install(version, tmp)
    except OSError:  # the cache became unwritable (full, read-only) while building
        log.warning("could not write the query database of version %s under %s; using a private copy",
                    version.id, target.parent)
        return _private_build(version, views)
    finally:
        tmp.unlink(missing_ok=True)
        tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)


def _discard(path: Path) -> None:
    """Remove a damaged query database (or move it aside when it cannot be removed)."""
    try:
        path.unlink(missing_ok=True)
        path.with_name(path.name + ".wal").unlink(missing_ok=True)
    except OSError:
        _PRIVATE.pop(path.name, None)


_PRIVATE: dict[str, Path] = {}  # query databases of this process, where the cache cannot be written


@atexit.register
def _remove_private_copies() -> None:
    for path in _PRIVATE.values():
        shutil.rmtree(path.parent, ignore_errors=True)


def _private_build(version: Version, views: Views | None) -> Path:
    key = database_file(version).name
    if key not in _PRIVATE or not _PRIVATE[key].exists():
        folder = Path(tempfile.mkdtemp(prefix="swgdash-cache-"))
        path = folder / key
        write_database(path, set(version.tables), version.read, version.as_of, views, version.published_on)
        _PRIVATE[key] = path
    return _PRIVATE[key]


class Database:
    """One version's tables, opened read-only from its DuckDB file (built when missing, with
    `views` prepared). The app, the CLI and the benchmarks open it through
    swgdash.publishing.open_database, which passes the site's figures: a file built here
    without them (views=None, as some tests do) is kept until the version is published again."""

    def __init__(self, version: Version, views: Views | None = None):
        self.version = version
        self.present = set(version.tables)
        try:
            self._open(build(version, views))
        except duckdb.Error as exc:  # a damaged query database: it is derived, so it is built again
            log.warning("the query database of version %s cannot be read (%s); building it again",
                        version.id, " ".join(str(exc).split())[:200])
            _discard(database_file(version))
            self._open(build(version, views))

    def _open(self, path: Path) -> None:
        # (no replacement scans: a query reads the database's tables, never a Python variable of the
        # same name; and binding a query looks for none, which would load pandas to ask)
        self.con = duckdb.connect(str(path), read_only=True, config={"python_enable_replacements": False})
        try:
            self.prepared = dict(self.con.execute(f"SELECT key, table_name FROM {PREPARED}").fetchall())
        except duckdb.Error:
            self.con.close()
            raise
        self._lao: dict[str, dict[str, str]] | None = None
        self._lao_lock = threading.Lock()

    def lao(self) -> dict[str, dict[str, str]]:
        """The extract's Lao texts (lao_names), read at the first query in Lao: an English page or
        the command line never holds them."""
        if self._lao is None:
            with self._lao_lock:  # (one Database serves every session: the first Lao pages may come at once)
                if self._lao is None:
                    cur = self.con.cursor()  # (its own connection: never the one another thread is reading)
                    try:
                        self._lao = lao_names(cur)
                    finally:
                        cur.close()
        return self._lao

    def cursor(self) -> "Cursor":
        return Cursor(self.con.cursor(), self.present, self.version, self.prepared, self.lao)

    def close(self) -> None:
        self.con.close()


def _frame(table: pa.Table) -> pd.DataFrame:
    """A query result as a DataFrame with the dtypes DuckDB's own .df() gives, but by way of
    Arrow: text columns stay Arrow-backed, with no Python string per cell (much faster for
    large results)."""
    columns = {}
    for name, col in zip(table.column_names, table.columns, strict=True):
        t, nulls = col.type, col.null_count > 0
        if pa.types.is_decimal(t):
            col, t = col.cast(pa.float64()), pa.float64()
        if (pa.types.is_string(t) or pa.types.is_large_string(t)) and col.null_count == len(col):
            columns[name] = pd.Series([None] * len(col), dtype=object)  # as .df() gives an all-empty column
        elif pa.types.is_string(t) or pa.types.is_large_string(t):
            columns[name] = col.to_pandas(types_mapper={t: pd.StringDtype(na_value=np.nan)}.get)
        elif pa.types.is_date(t):
            columns[name] = col.to_pandas(date_as_object=False).astype("datetime64[us]")
        elif nulls and pa.types.is_integer(t):
            columns[name] = col.to_pandas(types_mapper={t: _nullable_int(t.bit_width)}.get)
        elif nulls and pa.types.is_boolean(t):
            columns[name] = col.to_pandas(types_mapper={t: pd.BooleanDtype()}.get)
        else:
            columns[name] = col.to_pandas()
    return pd.DataFrame(columns, index=pd.RangeIndex(table.num_rows))


@cache
def _nullable_int(bits: int):
    """pandas' nullable integer of so many bits (made on first use: reading a version for the command
    line's JSON never loads pandas)."""
    return {8: pd.Int8Dtype, 16: pd.Int16Dtype, 32: pd.Int32Dtype, 64: pd.Int64Dtype}[bits]()


# The extract's texts that have a Lao column: contract.LAO_TEXTS, each read by its table's id column.
# A result column holding one of them: (the table, the id column of the result naming the row).
# "name" is a pillar's where the result has a pillar_id, else a group's.
LAO_COLUMNS = {"group_name": ("groups", "group_id"), "root_name": ("groups", "root_id"),
               "parent_name": ("groups", "parent_id"), "pillar_name": ("pillars", "pillar_id"),
               "title": ("recommendations", "rec_id"), "recommendation": ("recommendations", "rec_id"),
               "description": ("actions", "action_id"), "from_name": ("pillars", "from_pillar_id"),
               "to_name": ("pillars", "to_pillar_id")}


def lao_names(con) -> dict[str, dict[str, str]]:
    """Per table, id -> its Lao text where the extract fills it; and under "text", a group's or
    pillar's English name -> its Lao one, for results that carry no id (only where one English
    name has one Lao name, and no other group or pillar of that name lacks one)."""
    out: dict[str, dict[str, str]] = {}
    by_text: dict[str, set] = {}
    for table, col, lao in LAO_TEXTS:  # names from the contract, never user text
        key = id_column(table)
        try:
            rows = con.execute(f"SELECT {key}, {col}, nullif(trim({lao}), '') FROM {table}").fetchall()
        except duckdb.Error:  # an older query database, or a table without the column
            continue
        out[table] = {k: lo for k, _en, lo in rows if lo}
        if table in ("groups", "pillars"):
            for _k, en, lo in rows:
                by_text.setdefault(en, set()).add(lo)
    out["text"] = {en: next(iter(lo)) for en, lo in by_text.items() if len(lo) == 1 and None not in lo}
    return out


class Cursor:
    """One session's handle on a Database. In Lao (swgdash.i18n), the names and titles of its
    results are the extract's Lao ones where it gives them (`lao`), the English ones elsewhere."""

    def __init__(self, cur: duckdb.DuckDBPyConnection, present: set[str], version: Version | None,
                 prepared: dict[str, str] | None = None, lao: Callable[[], dict[str, dict[str, str]]] | None = None):
        self._cur = cur
        self.present = present
        self.version = version
        self._prepared = prepared or {}
        self.lao = lao or dict  # (Database.lao: the Lao texts, read when first asked for)
        self.live: Counter[str] = Counter()  # queries run live (not answered from a prepared result), by name

    def has(self, table: str) -> bool:
        return table in self.present

    def attach(self, tables: dict) -> None:
        """Make reference tables (Arrow) readable by name on this cursor alone: the IATI set's
        (swgdash.query.funding), whose names come from swgdash.ingest.iati, never from user text."""
        from swgdash.ingest.iati import TABLES as IATI_TABLES

        for name, table in tables.items():
            if name not in IATI_TABLES:
                raise ValueError(f"no reference table {name!r}")
            self._cur.register(name, table)

    def query(self, name: str, **params) -> pd.DataFrame:
        df = _frame(self._relation(name, params).to_arrow_table())
        if i18n.current() == "lo" and (lao := self.lao()):
            df = localise(df, lao)
        return df

    def records(self, name: str, **params) -> list[dict]:
        """The query's rows as plain Python dicts (no DataFrame: for building JSON)."""
        return list(self.each(name, **params))

    def each(self, name: str, *, only: tuple[str, ...] | None = None, **params) -> Iterator[dict]:
        """The query's rows one by one as plain dicts, fetched a few thousand at a time: a document
        built from 40,000 groups never holds their rows twice. `only`: just these columns (names
        written in the code, never user text)."""
        rel = self._relation(name, params)
        if only:
            rel = rel.project(", ".join(f'"{column}"' for column in only))
        columns = rel.columns
        for row in rel.iter_rows(ROWS_AT_A_TIME):
            yield dict(zip(columns, row, strict=True))

    def _relation(self, name: str, params: dict) -> duckdb.DuckDBPyRelation:
        text, bound = self._bind(name, params)
        table = self._prepared.get(result_key(name, bound))
        if table is not None:  # a name written by _Preparing, never user text
            return self._cur.sql(f"SELECT * FROM {table}")
        self.live[name] += 1
        return self._cur.sql(text, params=bound)

    def _bind(self, name: str, params: dict) -> tuple[str, dict]:
        text = sql_text(name)
        wanted = set(_PARAM.findall(text))
        missing = wanted - params.keys()
        if missing:
            raise KeyError(f"query {name} needs {', '.join(sorted(missing))}")
        return text, {k: (list(v) if isinstance(v, tuple) else v) for k, v in params.items() if k in wanted}



def localise(df: pd.DataFrame, lao: dict[str, dict[str, str]]) -> pd.DataFrame:
    """The frame with its names and titles in Lao where the extract gives them, matched by the
    row's id (by the English name only in a result without one)."""
    out = {}
    for col in df.columns:
        if col == "name":
            table, key = ("pillars", "pillar_id") if "pillar_id" in df.columns else ("groups", "group_id")
        elif col in LAO_COLUMNS:
            table, key = LAO_COLUMNS[col]
        else:
            continue
        if df[col].dtype.kind in "biufcmM" or not len(df):
            continue
        if key in df.columns:
            names = lao.get(table, {})
            if not names:
                continue
            mapped = df[key].astype(object).map(names)  # (one lookup per row, in pandas)
            out[col] = mapped.where(mapped.notna(), df[col].astype(object)).astype(df[col].dtype)
        elif table in ("groups", "pillars") and lao.get("text"):
            codes, uniques = pd.factorize(df[col])
            if not any(u in lao["text"] for u in uniques):
                continue
            shown = np.array([lao["text"].get(u, u) for u in uniques] + [None], dtype=object)
            out[col] = pd.Series(shown[codes], index=df.index, dtype=df[col].dtype)
    return df.assign(**out) if out else df


class _Preparing(Cursor):
    """While a database is written: each query's result is also kept as a table."""

    def __init__(self, cur: duckdb.DuckDBPyConnection, present: set[str]):
        super().__init__(cur, present, None)
        self.made: dict[str, str] = {}  # result_key -> table

    def _relation(self, name: str, params: dict) -> duckdb.DuckDBPyRelation:
        text, bound = self._bind(name, params)
        key = result_key(name, bound)
        if key not in self.made:
            table = f"prepared_{len(self.made)}"
            self._cur.execute(f"CREATE TABLE {table} AS {text.strip().rstrip(';')}", bound)
            self.made[key] = table
        return self._cur.sql(f"SELECT * FROM {self.made[key]}")
