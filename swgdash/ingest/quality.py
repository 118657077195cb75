"""Data quality: what a valid extract may still get wrong, as warnings (never refusals), each
naming table, row and column; and the as-of date an extract implies.

Real registers are messy: a meeting dated before its group existed or after it closed, or
after the day the extract was uploaded; the same meeting entered twice; an active group under
a closed parent; a document dated in the future; one partner written several ways. The
validation report, the upload preview and the data-quality page list them. Meetings outside
their group's life or after the upload day count in no figure (swgdash.query.db sets them aside).
"""
from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa

from swgdash import i18n, settings
from swgdash.contract import HELD, word
from swgdash.i18n import N_, _, ngettext
from swgdash.ingest.problems import Problem

AGENCIES_FILE = Path(__file__).resolve().parent / "agencies.csv"
LATE_AS_OF_DAYS = 92  # an as-of date this long after the last recorded meeting makes groups look dormant


@dataclass(frozen=True)
class AsOf:
    """The date an extract's figures are as of, and where it came from (for the upload form)."""
    date: dt.date
    source: str
    given: bool = False  # the extract's own as_of


def held(meetings: pa.Table) -> pa.Table:
    """The meetings held (status `held` or empty): the only ones any figure or date counts."""
    import pyarrow.compute as pc
    if "status" not in meetings.column_names:
        return meetings
    status = pc.fill_null(meetings.column("status"), HELD)
    return meetings.filter(pc.equal(status, HELD))


def _held_tables(tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    return {**tables, "meetings": held(tables["meetings"])} if "meetings" in tables else tables


def default_as_of(tables: dict[str, pa.Table], upload_day: dt.date) -> AsOf:
    """The extract's own as-of (its `extract` table), else the latest meeting, membership change
    or action update not after the upload day, else the upload day."""
    if "extract" in tables and tables["extract"].num_rows:
        given = tables["extract"].column("as_of")[0].as_py()
        if given is not None:
            return AsOf(given, _("the extract's own as_of (extract table)"), given=True)
    latest: tuple[dt.date, str] | None = None
    tables = _held_tables(tables)  # a meeting only planned says nothing of how recent the data are
    for table, column, what in (("meetings", "date", _("the latest meeting held")),
                                ("members", "start_on", _("the latest membership change")),
                                ("members", "end_on", _("the latest membership change")),
                                ("actions", "updated_on", _("the latest action update"))):
        if table not in tables:
            continue
        days = [d for d in tables[table].column(column).to_pylist() if d is not None and d <= upload_day]
        if days and (latest is None or max(days) > latest[0]):
            latest = (max(days), what)
    if latest is None:
        return AsOf(upload_day, _("the upload day (nothing in the extract is dated)"))
    return AsOf(latest[0], _("{latest} not after the upload day ({upload_day:%d %B %Y})").format(latest=latest[1], upload_day=upload_day))


def as_of_warnings(chosen: dt.date, tables: dict[str, pa.Table], upload_day: dt.date) -> list[str]:
    """Plain warnings about a chosen as-of date: after the upload day (nothing later is recorded),
    before the latest recorded meeting (later meetings will not count), or long after it (groups
    will look less active than they are)."""
    out = []
    if chosen > upload_day:
        out.append(_("{chosen:%d %B %Y} is after the upload day ({upload_day:%d %B %Y}): "
                     "nothing after the upload day is recorded yet (meetings dated after it "
                     "are set aside), so groups will look less active than they are.").format(chosen=chosen, upload_day=upload_day))
    days = [d for d in held(tables["meetings"]).column("date").to_pylist() if d is not None and d <= upload_day] \
        if "meetings" in tables else []
    out.extend(overdue_plans(chosen, tables))
    if not days:
        return out
    last = max(days)
    if chosen < last:
        later = sum(1 for d in days if d > chosen)
        out.append(ngettext("{chosen:%d %B %Y} is before the latest recorded meeting ({last:%d %B %Y}): "
                            "{n} meeting after it will not count.",
                            "{chosen:%d %B %Y} is before the latest recorded meeting ({last:%d %B %Y}): "
                            "{n} meetings after it will not count.", later).format(chosen=chosen, last=last, n=later))
    elif (chosen - last).days > LATE_AS_OF_DAYS:
        out.append(_("{chosen:%d %B %Y} is {days} days after the latest recorded meeting "
                     "({last:%d %B %Y}): if meetings were held since, they are not in this "
                     "extract, and groups will look less active than they are.").format(chosen=chosen, days=(chosen - last).days, last=last))
    return out


def _planned(tables: dict[str, pa.Table]) -> pd.DataFrame:
    m = tables["meetings"]
    if "status" not in m.column_names:
        return pd.DataFrame(columns=["meeting_id", "group_id", "date", "status"])
    df = m.select(["meeting_id", "group_id", "date", "status"]).to_pandas()
    df["row"] = range(2, len(df) + 2)
    return df[df["status"].fillna(HELD) != HELD]


def overdue_plans(as_of: dt.date, tables: dict[str, pa.Table]) -> list[str]:
    """Meetings still marked scheduled on a date before the as-of date: held, cancelled or
    postponed, the register does not say (they count in no figure until it does)."""
    if "meetings" not in tables:
        return []
    p = _planned(tables)
    late = p[(p["status"] == "scheduled") & (pd.to_datetime(p["date"]) < pd.Timestamp(as_of))]
    if late.empty:
        return []
    late = late.sort_values(["date", "group_id"])
    named = "; ".join(_("{group_id} scheduled for {date:%d %B %Y}").format(group_id=r.group_id, date=r.date)
                      for r in late.head(5).itertuples())
    return [ngettext("{n} meeting is still marked scheduled on a date before the as-of date ({named}): it "
                     "is not recorded as held or cancelled, so it counts in no figure. Mark it held, "
                     "cancelled or postponed in the register.",
                     "{n} meetings are still marked scheduled on a date before the as-of date ({named}): "
                     "they are not recorded as held or cancelled, so they count in no figure. Mark each "
                     "held, cancelled or postponed in the register.", len(late)).format(
        n=len(late), named=named + ("; …" if len(late) > 5 else ""))]


# ---- one partner, one name ---------------------------------------------------------------

_PREFIXES = re.compile(r"^(the )?(embassy|government|consulate|mission|delegation|high commission)"
                       r"( general)? (of|to) (the )?")
COUNTRY_ALIASES = {"usa": "united states", "us": "united states", "united states of america": "united states",
                   "uk": "united kingdom", "great britain": "united kingdom", "republic of korea": "korea",
                   "south korea": "korea", "rok": "korea", "peoples republic of china": "china", "prc": "china",
                   "european union": "eu"}


def _agencies() -> dict[str, str]:
    """Agency -> country it counts as: the bundled list (swgdash/agencies.csv) and the
    secretariat's own (the SWGDASH_AGENCIES setting: a CSV file of agency,country)."""
    out = {}
    for path in (AGENCIES_FILE, settings.get("SWGDASH_AGENCIES")):
        if not path or not Path(path).is_file():
            continue
        with open(path, encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                if row.get("agency") and row.get("country"):
                    out[_plain(row["agency"])] = _plain(row["country"])
    return out


def _plain(name: str) -> str:
    text = unicodedata.normalize("NFKC", str(name)).casefold().replace(".", "")  # U.S.A. = usa
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def partner_key(name: str, agencies: dict[str, str]) -> str:
    """What a name probably means, for spotting one partner written several ways: case, spacing
    and punctuation ignored, 'Embassy of X' read as X, an agency as its country, 'X (Y)' as X
    or as Y's country."""
    plain = _plain(name)
    head = _PREFIXES.sub("", plain)
    inner = re.match(r"^(.*?)\s*\((.*)\)\s*$", unicodedata.normalize("NFKC", str(name)).casefold())
    if inner:  # "Switzerland (SDC)": the part outside the brackets, or the agency's country
        head = _PREFIXES.sub("", _plain(inner.group(1))) or agencies.get(_plain(inner.group(2)), "")
    head = agencies.get(head, head)
    return COUNTRY_ALIASES.get(head, head)


def name_variants(names: list[str], listed: set[str]) -> dict[str, list[str]]:
    """Names that look like one partner written several ways: {the key: its written forms},
    leaving out the names the organisations table lists (the secretariat has said what they
    count as)."""
    agencies = _agencies()
    forms: dict[str, list[str]] = {}
    for name in dict.fromkeys(names):
        if name is None or name in listed:
            continue
        forms.setdefault(partner_key(name, agencies), []).append(name)
    return {k: v for k, v in forms.items() if len(v) > 1 and k}


# ---- the warnings -------------------------------------------------------------------------

def warnings(tables: dict[str, pa.Table], rows: dict[str, list[int] | np.ndarray], upload_day: dt.date,
             as_of: dt.date | None = None) -> list[Problem]:
    """Every data-quality warning of a valid extract (`rows`: each table's row numbers as the
    user sees them). Vectorised: only the offending rows are visited one by one."""
    out: list[Problem] = []
    groups = tables["groups"].select(["group_id", "status", "established_on", "closed_on", "parent_id"]).to_pandas()
    m = tables["meetings"].select(["group_id", "date", "status"]).to_pandas()
    m["row"] = rows["meetings"]
    status = m.pop("status").fillna(HELD)
    if as_of:
        for r in m[(status == "scheduled") & (pd.to_datetime(m["date"]) < pd.Timestamp(as_of))].itertuples():
            out.append(_w("meetings", r.row, "status", N_("scheduled for {date:%d %B %Y}, before the as-of date "
                                                         "({as_of}), and not recorded as held or cancelled: "
                                                         "counted in no figure"), date=r.date, as_of=as_of))
    m = m[status == HELD]  # meetings only planned are never set aside: they count in no figure anyway
    m = m.merge(groups, on="group_id", how="left")
    day = pd.to_datetime(m["date"])
    before = day < pd.to_datetime(m["established_on"])
    after_closed = ~before & (day > pd.to_datetime(m["closed_on"]))
    after_upload = ~before & ~after_closed & (day > pd.Timestamp(upload_day))
    after_as_of = ~before & ~after_closed & ~after_upload & (day > pd.Timestamp(as_of)) if as_of else before & False
    for r in m[before].itertuples():
        out.append(_w("meetings", r.row, "date", N_("{date} is before its group {group_id} was "
                                                   "established ({established_on}): set aside, "
                                                   "counted in no figure"), "set_aside", date=r.date, group_id=r.group_id, established_on=r.established_on))
    for r in m[after_closed].itertuples():
        out.append(_w("meetings", r.row, "date", N_("{date} is after its group {group_id} closed "
                                                   "({closed_on}): set aside, counted in no figure"), "set_aside", date=r.date, group_id=r.group_id, closed_on=r.closed_on))
    for r in m[after_upload].itertuples():
        out.append(_w("meetings", r.row, "date", N_("{date} is after the upload day ({upload_day}): "
                                                    "set aside, counted in no figure"), "set_aside",
                      date=r.date, upload_day=upload_day))
    for r in m[after_as_of].itertuples():
        out.append(_w("meetings", r.row, "date", N_("{date} is after the as-of date ({as_of}): not "
                                                   "counted at that date"), date=r.date, as_of=as_of))
    twice = m.duplicated(["group_id", "date"], keep="first")
    first = m[~twice].set_index(["group_id", "date"])["row"]
    for r in m[twice].itertuples():
        out.append(_w("meetings", r.row, "date", N_("{group_id} has two meetings on {date} (rows "
                                                   "{first} and {row}); if it is one meeting entered "
                                                   "twice, remove one"), group_id=r.group_id, date=r.date, first=first[r.group_id, r.date], row=r.row))
    status = dict(zip(groups["group_id"], groups["status"], strict=True))
    closed_parent = (groups["status"] == "active") & groups["parent_id"].map(status).isin(["discontinued", "merged"])
    for i in closed_parent[closed_parent].index:
        g = groups.loc[i]
        out.append(_w("groups", rows["groups"][i], "parent_id",
                      N_("{group_id} is active but its parent {parent_id} is {status}"), group_id=g.group_id, parent_id=g.parent_id, status=_Word("group_status", status[g.parent_id])))
    if "documents" in tables:
        d = tables["documents"].select(["issued_on", "year"]).to_pandas()
        issued_late = pd.to_datetime(d["issued_on"]) > pd.Timestamp(upload_day)
        year_late = ~issued_late & (d["year"] > upload_day.year)
        for i in issued_late[issued_late].index:
            out.append(_w("documents", rows["documents"][i], "issued_on", N_("{loc} is after the upload day ({upload_day}): a "
                                                                            "document dated in the future"), loc=d.loc[i, 'issued_on'], upload_day=upload_day))
        for i in year_late[year_late].index:
            out.append(_w("documents", rows["documents"][i], "year", N_("{loc} is after the upload year ({year}): a "
                                                                       "document dated in the future"), loc=d.loc[i, 'year'], year=upload_day.year))
    out.extend(_variants(tables, rows))
    return out


def _variants(tables: dict[str, pa.Table], rows: dict[str, list[int] | np.ndarray]) -> list[Problem]:
    import pyarrow.compute as pc
    listed = set(tables["organisations"].column("organisation").to_pylist()) if "organisations" in tables else set()
    where: dict[str, tuple[str, int]] = {}
    for table in ("members", "attendance"):
        if table not in tables:
            continue
        names = tables[table].column("organisation")
        distinct = pc.unique(names)
        first = pc.index_in(distinct, value_set=names).to_pylist()  # each name's first row
        for name, i in zip(distinct.to_pylist(), first, strict=True):
            where.setdefault(name, (table, rows[table][i]))
    names = list(where)
    out = []
    for forms in name_variants(names, listed).values():
        for name in forms[1:]:
            table, row = where[name]
            others = ", ".join(f"'{f}'" for f in forms if f != name)
            out.append(_w(table, row, "organisation",
                          N_("'{name}' looks like the same partner as {others}: they count as "
                            "separate partners unless an organisations table says what each "
                            "counts as"), name=name, others=others))
    return out


class _Word(NamedTuple):
    """A code's word (`swgdash.contract.word`), written in each language of a warning, in lower case."""
    kind: str
    code: str


def _w(table: str, row, column: str, message: str, code: str = "", /, **values) -> Problem:
    """A warning whose message (marked with N_) is written in every language at once: a version keeps
    them, and each reader reads them in theirs. The check behind it runs once."""
    texts = []
    for lang in i18n.LANGUAGES:
        with i18n.language(lang):
            texts.append((lang, _(message).format(**{k: word(v.kind, v.code).lower() if isinstance(v, _Word) else v
                                                     for k, v in values.items()})))
    here = dict(texts)[i18n.current()]
    return Problem(table, int(row), column, here, severity="warning", code=code,
                   texts=tuple(sorted(texts, key=lambda t: t[0] != i18n.current())))
