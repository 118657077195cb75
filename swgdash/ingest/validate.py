"""Validating raw tables against the contract and typing their values.

Every problem is reported (not only the first), each naming table, row and
column. Values are parsed once per distinct value (pandas.factorize), so a
table of millions of rows with a few thousand distinct dates stays fast.
"""
from __future__ import annotations

import datetime as dt
import functools
import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from swgdash import settings
from swgdash.contract import TABLES, Column, Table
from swgdash.i18n import _
from swgdash.ingest import quality
from swgdash.ingest.extract import Limits, RawExtract, RawTable, Source, read_sources, sources_from_paths
from swgdash.ingest.problems import Problem

MAX_PROBLEMS_PER_RULE = 500


@functools.cache
def arrow_types() -> dict[str, pa.DataType]:
    """The Arrow type of each contract type. (Made on first use, as pyarrow.compute is imported in
    the functions that compute: the command line's read commands, which import this module through
    the store, never load pyarrow.)"""
    return {"text": pa.string(), "enum": pa.string(), "int": pa.int64(), "date": pa.date32(), "bool": pa.bool_()}

TRUE_WORDS = {"true", "yes", "y", "1"}
FALSE_WORDS = {"false", "no", "n", "0"}
# digits are ASCII only (re.ASCII): Python's \d and int() would also read Lao, Thai or
# full-width digits, which the contract does not allow
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", re.ASCII)
DMY_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", re.ASCII)
ISO_DATETIME_MIDNIGHT = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})[ T]00:00(:00)?$", re.ASCII)
WHOLE = re.compile(r"[+-]?\d+", re.ASCII)
WHOLE_POINT_ZERO = re.compile(r"[+-]?\d+\.0*", re.ASCII)


class Invalid(ValueError):
    """A cell that cannot be read as its column's type; the text is for the user."""


def schema(table: Table) -> pa.Schema:
    return pa.schema([pa.field(c.name, arrow_types()[c.type]) for c in table.columns])


def empty_table(name: str) -> pa.Table:
    return schema(TABLES[name]).empty_table()


def conform(name: str, table: pa.Table) -> pa.Table:
    """A stored table with every column the contract now gives it, in the contract's order: a
    version published before a column was added (e.g. the Lao name_lo) gets it empty. Columns
    the contract does not know are kept, after the others."""
    full = schema(TABLES[name])
    if table.column_names == full.names:
        return table
    columns, fields = [], []
    for f in full:
        columns.append(table.column(f.name) if f.name in table.column_names else pa.nulls(table.num_rows, f.type))
        fields.append(table.schema.field(f.name) if f.name in table.column_names else f)
    for f in table.schema:
        if f.name not in full.names:
            columns.append(table.column(f.name))
            fields.append(f)
    return pa.table(columns, schema=pa.schema(fields))


@dataclass
class Result:
    tables: dict[str, pa.Table] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    as_of: quality.AsOf | None = None  # the as-of date the extract implies (when valid), and why
    upload_day: dt.date | None = None
    about: dict = field(default_factory=dict)  # recorded in the manifest as it is (reference data: what was read)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


def upload_day() -> dt.date:
    """Today in the deployment's time zone, as a publish records it (Version.published_on)."""
    return dt.datetime.now(settings.timezone()).date()


def validate_paths(paths, limits: Limits | None = None, today: dt.date | None = None) -> Result:
    sources, problems = sources_from_paths(paths, limits)
    result = validate_sources(sources, limits, today, let_go=True)  # (the files are read once: let go)
    result.problems[:0] = problems
    return result


def validate_sources(sources: list[Source], limits: Limits | None = None, today: dt.date | None = None,
                     let_go: bool = False) -> Result:
    """Read and check an extract uploaded `today` (the upload day; default: today): every
    problem, with data-quality warnings (swgdash.ingest.quality) and the as-of date it implies."""
    raw = read_sources(sources, limits, let_go)
    result = validate_raw(raw, today or upload_day())
    result.sources = raw.sources
    return result


def _show(value) -> str:
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _is_missing(v) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    if v is pd.NaT:
        return True
    return isinstance(v, str) and not v.strip()


def parse_text(v):
    if isinstance(v, str):
        return v.strip()
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (dt.datetime, pd.Timestamp)):
        return v.date().isoformat() if v.time() == dt.time(0) else v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v).strip()


def parse_int(v):
    n = _parse_int(v)
    if not -2**63 <= n < 2**63:  # what the int64 column can hold
        raise Invalid(_("{value} is too large a number").format(value=_show(v)))
    return n


def _parse_int(v):
    if isinstance(v, bool):
        raise Invalid(_("{value} is not a whole number").format(value=_show(v)))
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return int(v)
    if isinstance(v, str):
        s = v.strip()
        if WHOLE.fullmatch(s):
            return int(s)
        if WHOLE_POINT_ZERO.fullmatch(s):
            return int(s.split(".")[0])
    raise Invalid(_("{value} is not a whole number").format(value=_show(v)))


def parse_date(v):
    if isinstance(v, (dt.datetime, pd.Timestamp)):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str):
        s = v.strip()
        m = ISO_DATETIME_MIDNIGHT.match(s)
        if m:
            s = m.group(1)
        m = ISO_DATE.match(s)
        try:
            if m:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            m = DMY_DATE.match(s)
            if m:
                return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            raise Invalid(_("{value} is not a real calendar date").format(value=_show(v))) from None
    raise Invalid(_("{value} is not a date; write YYYY-MM-DD or DD/MM/YYYY").format(value=_show(v)))


def parse_bool(v):
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, float, np.integer, np.floating)) and v in (0, 1):
        return bool(v)
    if isinstance(v, str):
        s = v.strip().lower()
        if s in TRUE_WORDS:
            return True
        if s in FALSE_WORDS:
            return False
    raise Invalid(_("{value} is not true or false; write true/false, yes/no, y/n or 1/0").format(value=_show(v)))


def _parse_enum(col: Column):
    def parse(v):
        s = parse_text(v)
        if s in col.choices:
            return s
        raise Invalid(_("{value} is not allowed; write one of: {choices}").format(value=_show(s), choices=', '.join(col.choices)))
    return parse


PARSERS = {"text": parse_text, "int": parse_int, "date": parse_date, "bool": parse_bool}


class _Collector:
    """Collects problems, at most MAX_PROBLEMS_PER_RULE per (table, column, rule)."""

    def __init__(self):
        self.problems: list[Problem] = []
        self._counts: dict[tuple, int] = {}

    def add(self, table, row, column, message, rule=None, severity="error"):
        key = (table, column, rule or message)
        n = self._counts.get(key, 0) + 1
        self._counts[key] = n
        if n <= MAX_PROBLEMS_PER_RULE:
            self.problems.append(Problem(table, None if row is None else int(row), column, message, severity))

    def finish(self):
        for (table, column, rule), n in self._counts.items():
            if n > MAX_PROBLEMS_PER_RULE:
                self.problems.append(Problem(
                    table, None, column,
                    _("{n:,} more rows have the same problem ({rule})").format(n=n - MAX_PROBLEMS_PER_RULE, rule=rule)))


def _typed_column(raw: RawTable, col: Column, out: _Collector):
    """Parse one column into an Arrow array of its type; returns (array, given mask):
    `given` where the cell was not blank (even if unreadable). Each distinct value is
    parsed once and the column is then gathered from the distinct values, so a table
    of millions of rows never holds a Python object per cell."""
    n = len(raw.frame)
    kind = arrow_types()[col.type]
    if col.name not in raw.frame.columns:
        return pa.nulls(n, kind) if col.default is None else pa.array([col.default] * n, kind), np.zeros(n, bool)
    series = raw.frame[col.name]
    if col.type == "text" and isinstance(series.dtype, pd.StringDtype):
        return _text_column(series, kind, col.default)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    uniques = np.asarray(uniques, dtype=object).tolist()  # not element by element through pandas
    failed: dict[int, str] = {}
    parser = _parse_enum(col) if col.type == "enum" else PARSERS[col.type]
    parsed: list[object] = []
    blank_u: list[bool] = []
    for k, v in enumerate(uniques):
        blank_u.append(_is_missing(v))
        if blank_u[-1]:
            parsed.append(None)
            continue
        try:
            parsed.append(parser(v))
        except Invalid as exc:
            parsed.append(None)
            failed[k] = str(exc)
    codes = np.where(codes < 0, len(parsed), codes)  # the last entry stands for an empty cell
    lookup = parsed + [None]
    if col.default is not None:  # empty cells take the default; unreadable ones stay empty
        lookup = [col.default if v is None and k not in failed else v for k, v in enumerate(lookup)]
    for i in np.flatnonzero(np.isin(codes, list(failed))) if failed else ():
        out.add(raw.name, raw.rows[i], col.name, failed[codes[i]], rule=_("{type} value").format(type=col.type))
    blank = np.array(blank_u + [True], dtype=bool)[codes]
    return pa.array(lookup, kind).take(pa.array(codes)), ~blank


# The characters str.strip() removes (none lies above U+3000; tests/test_validate.py checks).
WHITESPACE = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace())


def _text_column(series: pd.Series, kind: pa.DataType, default: object):
    """Text cells as _typed_column gives them, computed in Arrow without a Python string per
    cell or per distinct value: stripped as str.strip() strips, and a blank or missing cell
    empty (or the column's default)."""
    import pyarrow.compute as pc
    trimmed = pc.utf8_trim(pa.array(series.array), WHITESPACE)
    blank = pc.fill_null(pc.equal(trimmed, ""), True)
    values = pc.if_else(blank, pa.scalar(default, kind), trimmed.cast(kind))
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    return values, ~blank.to_numpy(zero_copy_only=False)


def _mask(arrow_bools) -> np.ndarray:
    """An Arrow boolean result as a numpy mask, null counting as false."""
    import pyarrow.compute as pc
    return pc.fill_null(arrow_bools, False).to_numpy(zero_copy_only=False)


def validate_raw(raw: RawExtract, today: dt.date | None = None) -> Result:
    import pyarrow.compute as pc
    out = _Collector()
    typed: dict[str, dict[str, pa.Array]] = {}
    for name, table in TABLES.items():
        if name not in raw.tables:
            if table.required and name not in _refused(raw):  # given, but already refused
                out.add(name, None, None,
                        _("the {name} table is required; add a sheet or file named '{name}'").format(name=name))
            continue
        rt = raw.tables[name]
        cols: dict[str, pa.Array] = {}
        for col in table.columns:
            values, given = _typed_column(rt, col, out)
            cols[col.name] = values
            if col.required and col.name in rt.frame.columns:  # (a missing column is reported once, by extract)
                for i in np.flatnonzero(_mask(pc.is_null(values)) & ~given):
                    out.add(name, rt.rows[i], col.name, _("required but empty"), rule="required")
            if col.min is not None:
                for i in np.flatnonzero(_mask(pc.less(values, col.min))):
                    out.add(name, rt.rows[i], col.name, _("{as_py} is below the minimum of {min}").format(as_py=values[i].as_py(), min=col.min),
                            rule="minimum")
        typed[name] = cols
        if name == "extract" and len(rt.frame) > 1:
            out.add(name, rt.rows[1], None, _("the extract table has one row (its as_of); remove "
                                              "the others"))
        if name == "groups" and not len(rt.frame):
            out.add(name, 2, "group_id", _("the groups table has no rows; an extract needs at "
                                           "least one group"))
        rt.frame = rt.frame.iloc[:0]  # typed now: the cells as read are let go (their columns' names stay)
    _check_rows(raw, typed, out)
    out.finish()
    result = Result(problems=[p for p in raw.problems] + out.problems)
    if result.ok:
        for name, cols in typed.items():
            result.tables[name] = pa.table(cols, schema=schema(TABLES[name]))
        result.upload_day = today or upload_day()
        result.as_of = quality.default_as_of(result.tables, result.upload_day)
        given = result.as_of.date if result.as_of.given else None
        rows = {n: raw.tables[n].rows for n in result.tables}
        result.problems.extend(quality.warnings(result.tables, rows, result.upload_day, given))
    return result


def _refused(raw: RawExtract) -> set[str]:
    """Tables that were given but could not be read (their problem is already reported)."""
    return {p.table for p in raw.problems if p.severity == "error" and p.table}


def _check_rows(raw: RawExtract, typed: dict[str, dict[str, pa.Array]], out: _Collector) -> None:
    """Rules across cells: uniqueness, references, date order, parent rules. Each rule is
    one vectorised test; only offending rows are visited one by one."""
    import pyarrow.compute as pc
    for name, cols in typed.items():
        table, rows = TABLES[name], raw.tables[name].rows
        for col in table.columns:
            values = cols[col.name]
            given = values.is_valid().to_numpy(zero_copy_only=False)
            if col.unique and pc.count_distinct(values).as_py() < len(values) - values.null_count:
                s = values.to_pandas()
                repeat = s.duplicated(keep="first").to_numpy() & given
                firsts = ~s.duplicated(keep="first").to_numpy() & given
                first_at = dict(zip(s[firsts], np.flatnonzero(firsts), strict=True))
                for i in np.flatnonzero(repeat):
                    v = s.iloc[i]
                    out.add(name, rows[i], col.name,
                            _("{value} is already used in row {rows}; it must be unique").format(value=_show(v), rows=rows[first_at[v]]),
                            rule="unique")
            if col.ref:
                target, target_col = col.ref
                if target not in typed:
                    if given.any() and target not in _refused(raw):
                        out.add(name, None, col.name,
                                _("names a {target_col} of the {target} table, but the extract "
                                  "has no {target} table; add it").format(target_col=target_col, target=target))
                    continue
                if target_col not in raw.tables[target].frame.columns:
                    continue  # the target column is missing (reported): nothing to check against
                unknown = given & ~_mask(pc.is_in(values, value_set=pc.unique(typed[target][target_col])))
                for i in np.flatnonzero(unknown):
                    out.add(name, rows[i], col.name,
                            _("{as_py} is not a {target_col} in the {target} table").format(as_py=_show(values[i].as_py()), target_col=target_col, target=target), rule="ref")
            for other, word in ((col.not_before, "before"), (col.not_after, "after")):
                if other is None:
                    continue
                wrong = (pc.less if word == "before" else pc.greater)(values, cols[other])  # empty: null
                for i in np.flatnonzero(_mask(wrong)):
                    out.add(name, rows[i], col.name,
                            (_("{day} is before {other} ({other_day})") if word == "before" else _("{day} is after {other} ({other_day})")).format(
                                day=values[i].as_py().isoformat(), other=other, other_day=cols[other][i].as_py().isoformat()), rule=word)
    if "groups" in typed:
        groups = {k: v.to_pylist() for k, v in typed["groups"].items()}
        _check_parents(groups, raw.tables["groups"].rows, out)
    if "organisations" in typed:
        _check_successors(typed["organisations"], raw.tables["organisations"].rows, out)
    if "pillar_map" in typed and "pillars" in typed:
        _check_pillar_map(typed["pillar_map"], typed["pillars"], raw.tables["pillar_map"].rows, out)
    if "group_sectors" in typed:
        _check_dac_codes(typed["group_sectors"], raw.tables["group_sectors"].rows, out)


def _check_successors(orgs: dict[str, pa.Array], rows, out: _Collector) -> None:
    """A successor_since needs its successor; successors never go round in a circle (A -> B -> A)."""
    names = orgs["organisation"].to_pylist()
    successors = orgs["successor"].to_pylist()
    row_of = {name: i for i, name in enumerate(names) if name is not None}
    for i, (successor, since) in enumerate(zip(successors, orgs["successor_since"].to_pylist(), strict=True)):
        if since is not None and successor is None:
            out.add("organisations", rows[i], "successor_since",
                    _("a date a successor took over, but no successor; name it in the successor column"),
                    rule=_("successor"))
    partners = orgs["partner"].to_pylist()
    first_of: dict[str, int] = {}
    for i, (partner, successor) in enumerate(zip(partners, successors, strict=True)):
        if successor is None or partner is None:
            continue
        j = first_of.setdefault(partner, i)
        if successors[j] != successor:
            out.add("organisations", rows[i], "successor",
                    _("{partner} already has the successor {first} (row {row}); the rows of one partner name one "
                      "successor").format(partner=_show(partner), first=_show(successors[j]), row=rows[j]),
                    rule=_("successor"))
    reported: set[str] = set()
    for start in range(len(names)):
        seen: list[str] = []
        at: int | None = start
        while at is not None and names[at] not in seen:
            seen.append(names[at])
            nxt = successors[at]
            at = row_of.get(nxt) if nxt is not None else None
            if nxt is not None and nxt in seen and nxt not in reported:
                circle = seen[seen.index(nxt):]
                reported.update(circle)
                out.add("organisations", rows[row_of[nxt]], "successor",
                        _("successors go round in a circle: ") + " → ".join(circle + [nxt]), rule=_("circle"))
                break


def _check_pillar_map(crosswalk: dict[str, pa.Array], pillars: dict[str, pa.Array], rows, out: _Collector) -> None:
    """A crosswalk maps a pillar of one plan to a pillar of another (never of its own plan)."""
    plan_of = dict(zip(pillars["pillar_id"].to_pylist(), pillars["plan"].to_pylist(), strict=True))
    pairs = zip(crosswalk["from_pillar_id"].to_pylist(), crosswalk["to_pillar_id"].to_pylist(), strict=True)
    for i, (old, new) in enumerate(pairs):
        if old in plan_of and new in plan_of and plan_of[old] == plan_of[new]:
            out.add("pillar_map", rows[i], "to_pillar_id",
                    _("{new} is a pillar of the same plan as {old} ({plan}); map each pillar to a pillar of "
                      "another plan").format(new=_show(new), old=_show(old), plan=plan_of[old] or _("no plan named")),
                    rule=_("same plan"))


DAC_CODE = re.compile(r"^[0-9]{3,5}$", re.ASCII)


def _check_dac_codes(sectors: dict[str, pa.Array], rows, out: _Collector) -> None:
    """A group's sector is a DAC purpose code or category: three to five digits."""
    for i, code in enumerate(sectors["dac_code"].to_pylist()):
        if code is not None and not DAC_CODE.match(code):
            out.add("group_sectors", rows[i], "dac_code",
                    _("{value} is not a DAC sector code: write three to five digits, e.g. 121 or 12220").format(
                        value=_show(code)), rule=_("DAC code"))


def _check_parents(cols: dict[str, list], rows: list[int] | np.ndarray, out: _Collector) -> None:
    parent: dict[str, tuple[str, int]] = {}
    for i, (gid, kind, pid) in enumerate(zip(cols["group_id"], cols["kind"], cols["parent_id"], strict=True)):
        if kind == "sub_swg" and pid is None:
            out.add("groups", rows[i], "parent_id", _("required for a sub_swg (name its SWG)"),
                    rule=_("sub_swg parent"))
        if pid is not None and pid == gid:
            out.add("groups", rows[i], "parent_id", _("a group cannot be its own parent"), rule=_("self parent"))
        elif gid is not None and pid is not None:
            parent.setdefault(gid, (pid, i))
    reported = set()
    for start in parent:
        seen, g = [], start
        while g in parent and g not in seen:
            seen.append(g)
            g = parent[g][0]
        if g in seen and g not in reported:
            cycle = seen[seen.index(g):]
            reported.update(cycle)
            out.add("groups", rows[parent[g][1]], "parent_id",
                    _("parents go round in a circle: ") + " → ".join(cycle + [g]), rule="cycle")
