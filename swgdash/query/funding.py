"""Who funds what in each group's sectors (issue 33), from the partners' IATI activities (the current
IATI set: swgdash.ingest.iati, kept in the store's `iati` series) and the register's map of groups to
DAC sector codes (`group_sectors`) and of partners to IATI identifiers (`organisations.iati_ref`).

Over the `years` before the as-of date, an organisation funds a group's sector when an activity it
reports, or funds or extends (IATI roles 1 and 3), has a sector matching one of the group's codes,
with disbursements or expenditure in the window (funding_flows.sql says how each is split). An
activity with two funders counts for each of them; a group's total counts it once (and splits in
two: the activities with a funder in the group, and the others). `funding --json`,
/funding, the group profile, /participation and the pack's slide all read `funding`.
"""
from __future__ import annotations

import datetime as dt
import functools
import math
import threading
from dataclasses import dataclass

import pandas as pd

from swgdash.query.db import Cursor

FUNDER_COLUMNS = ["organisation", "member", "role", "disbursed_usd", "activities", "titles", "unconverted"]
DEFAULT_YEARS = 3
MOST_YEARS = 30
YEARS_OFFERED = (1, 2, 3, 5)  # /funding's choices of window


@dataclass(frozen=True)
class IatiInfo:
    """The IATI set the figures read: its number in the series, the date its data are of (the
    newest file's generated-datetime, else the import day), when and by whom it was imported,
    its files and activities (those in the country)."""
    version: int
    data_date: dt.date
    imported_at: str
    imported_by: str
    files: tuple[str, ...]
    activities: int
    country: str

    @property
    def imported_on(self) -> dt.date:
        from swgdash import settings

        return dt.datetime.fromisoformat(self.imported_at).astimezone(settings.timezone()).date()


def iati_info(version) -> IatiInfo | None:
    """An IATI set's description from its version (swgdash.store.Version), None for none."""
    if version is None:
        return None
    m, about = version.manifest, version.manifest.get("about", {})
    return IatiInfo(version.id, version.as_of, m["published_at"], m.get("published_by") or "",
                    tuple(f["name"] for f in about.get("files", [])), int(about.get("activities", 0)),
                    str(about.get("country", "")))


def since(as_of: dt.date, years: int) -> dt.date:
    """The day before the window of `years` years up to `as_of` begins (the window is after it)."""
    try:
        return as_of.replace(year=as_of.year - years)
    except ValueError:  # 29 February
        return as_of.replace(year=as_of.year - years, day=28)


_held: dict[tuple[str, str], dict] = {}  # the last sets read: (folder, fingerprint) -> their tables
_held_lock = threading.Lock()


def _tables(version) -> dict:
    """The four IATI tables of a set (read once per set and process; the two last sets kept)."""
    from swgdash.ingest.iati import TABLES

    key = (str(version.path), version.fingerprint)
    with _held_lock:
        found = _held.get(key)
    if found is None:
        found = {name: version.read(name) for name in TABLES}
        with _held_lock:
            _held[key] = found
            while len(_held) > 2:
                del _held[next(iter(_held))]
    return found


def _empty_tables() -> dict:
    from swgdash.ingest.iati import SCHEMAS

    return {name: schema.empty_table() for name, schema in SCHEMAS.items()}


@dataclass(frozen=True)
class Funding:
    as_of: dt.date
    years: int
    iati: IatiInfo | None
    groups: pd.DataFrame  # group_id, name, kind, codes (sorted list): counting groups with sector codes
    # group_id, organisation, in_register, ref, iati_identifier, title, title_lo, usd, unconverted
    # (list of {currency, value}), member (bool), role (the member's highest role, or None)
    flows: pd.DataFrame
    members: pd.DataFrame  # group_id, organisation, org_type, role, active

    @property
    def since(self) -> dt.date:
        return since(self.as_of, self.years)

    # Each figure is worked out for every group at once, on first use (a page asks for one group or
    # all; at hub scale a group at a time would be tens of thousands of passes over the flows).
    @functools.cached_property
    def _funder_rows(self) -> pd.DataFrame:
        """Every group's funders (Funding.funders' columns and group_id), each group's largest first."""
        rows = []
        f = self.flows
        for (gid, org), part in f.groupby(["group_id", "organisation"], sort=False):
            usd = part["usd"].dropna().sum()
            rows.append({"group_id": gid, "organisation": org, "member": bool(part["member"].iloc[0]),
                         "role": part["role"].iloc[0], "disbursed_usd": int(round(usd)) if math.isfinite(usd) else 0,
                         "activities": sorted(set(part["iati_identifier"])),
                         "titles": dict(zip(part["iati_identifier"], part["title"], strict=True)),
                         "unconverted": _by_currency(part["unconverted"])})
        out = pd.DataFrame(rows, columns=["group_id", *FUNDER_COLUMNS])
        return out.sort_values(["group_id", "disbursed_usd", "organisation"], ascending=[True, False, True],
                               ignore_index=True)

    @functools.cached_property
    def _where(self) -> dict[str, tuple[int, int]]:
        """{group_id: (first, end)}: its rows in _funder_rows."""
        ids = self._funder_rows["group_id"].tolist()
        out: dict[str, tuple[int, int]] = {}
        for i, gid in enumerate(ids):
            first, _end = out.get(gid, (i, i))
            out[gid] = (first, i + 1)
        return out

    @functools.cached_property
    def _activities(self) -> pd.DataFrame:
        """One row per group and activity: usd (once), member (one of its funders sits in the group)."""
        f = self.flows
        if f.empty:
            return pd.DataFrame(columns=["group_id", "iati_identifier", "usd", "member"])
        return f.groupby(["group_id", "iati_identifier"], sort=False).agg(
            usd=("usd", "first"), member=("member", "any")).reset_index()

    @functools.cached_property
    def _without(self) -> dict[str, list[str]]:
        m = self.members[self.members["active"] & (self.members["org_type"] == "development_partner")]
        funding: dict[str, set[str]] = {}
        for gid, org in zip(self.flows["group_id"], self.flows["organisation"], strict=True):
            funding.setdefault(gid, set()).add(str(org).casefold())  # (as _with_membership matches)
        out: dict[str, set[str]] = {}
        for gid, org in zip(m["group_id"], m["organisation"], strict=True):
            if str(org).casefold() not in funding.get(gid, ()):
                out.setdefault(gid, set()).add(org)
        return {gid: sorted(orgs) for gid, orgs in out.items()}

    def funders(self, group_id: str) -> pd.DataFrame:
        """The organisations funding a group's sectors, the largest first: organisation, member,
        role, disbursed_usd (whole dollars), activities (sorted identifiers), titles
        ({identifier: title}) and unconverted ({currency: amount})."""
        first, end = self._where.get(group_id, (0, 0))
        return self._funder_rows.iloc[first:end][FUNDER_COLUMNS].reset_index(drop=True)

    def members_without_evidence(self, group_id: str) -> list[str]:
        """The group's development-partner members in an active role with no funding found."""
        return list(self._without.get(group_id, []))

    def funders_not_members(self, group_id: str) -> list[str]:
        found = self.funders(group_id)
        return sorted(found.loc[~found["member"].astype(bool), "organisation"])

    def totals(self, group_id: str) -> tuple[int, float]:
        """(activities, US dollars) of a group's sectors, each activity counted once."""
        n, usd, _member, _other = self._sums.get(group_id, (0, 0.0, 0.0, 0.0))
        return n, usd

    def split(self, group_id: str) -> tuple[float, float]:
        """A group's total (each activity once) in two: the activities with a funder that sits in the
        group, and those whose funders all sit elsewhere."""
        _n, _usd, member, other = self._sums.get(group_id, (0, 0.0, 0.0, 0.0))
        return member, other

    @functools.cached_property
    def _sums(self) -> dict[str, tuple[int, float, float, float]]:
        """{group_id: (activities, usd, usd of those with a funder in the group, usd of the others)}."""
        a = self._activities
        out: dict[str, tuple[int, float, float, float]] = {}
        for gid, usd, member in zip(a["group_id"], a["usd"], a["member"], strict=True):
            n, total, inside, outside = out.get(gid, (0, 0.0, 0.0, 0.0))
            usd = 0.0 if usd is None or usd != usd else float(usd)
            out[gid] = (n + 1, total + usd, inside + (usd if member else 0.0), outside + (0.0 if member else usd))
        return out

    def unconverted(self) -> dict[str, float]:
        """Every amount that could not be converted, by currency: each activity once, at the most any
        one group's sectors took of it (a group and its sub-group often share a sector)."""
        f = self.flows[["group_id", "iati_identifier", "unconverted"]].drop_duplicates(["group_id", "iati_identifier"])
        most: dict[tuple[str, str], float] = {}
        for ident, cell in zip(f["iati_identifier"], f["unconverted"], strict=True):
            for currency, amount in _by_currency([cell]).items():
                most[(ident, currency)] = max(most.get((ident, currency), 0.0), amount)
        out: dict[str, float] = {}
        for (_ident, currency), amount in most.items():
            out[currency] = out.get(currency, 0.0) + amount
        return out

    @functools.cached_property
    def _by_group(self) -> pd.DataFrame:
        rows = []
        counts = self._funder_rows.groupby("group_id").agg(
            funders=("organisation", "size"), not_members=("member", lambda s: int((~s.astype(bool)).sum())))
        funders_of, outside_of = counts["funders"].to_dict(), counts["not_members"].to_dict()
        for gid, name, codes in zip(self.groups["group_id"], self.groups["name"], self.groups["codes"], strict=True):
            n, usd, member_usd, other_usd = self._sums.get(gid, (0, 0.0, 0.0, 0.0))
            rows.append({"group_id": gid, "name": name, "codes": list(codes), "activities": n, "usd": usd,
                         "member_usd": member_usd, "other_usd": other_usd, "funders": int(funders_of.get(gid, 0)),
                         "not_members": int(outside_of.get(gid, 0)),
                         "without_evidence": len(self._without.get(gid, []))})
        return pd.DataFrame(rows, columns=["group_id", "name", "codes", "activities", "usd", "member_usd", "other_usd",
                                           "funders", "not_members", "without_evidence"])

    def by_group(self) -> pd.DataFrame:
        """Per group with sector codes: group_id, name, codes, activities, usd (each activity once),
        member_usd and other_usd (usd in two: the activities with a funder in the group, and those
        funded from outside it only; Funding.split), funders, not_members and without_evidence (counts)."""
        return self._by_group.copy()

    def groups_funded(self) -> dict[str, list[str]]:
        """{organisation: the groups whose sectors it funds, sorted} (/participation's column)."""
        pairs = self.flows[["organisation", "group_id"]].drop_duplicates()
        return {str(o): sorted(g) for o, g in pairs.groupby("organisation", sort=True)["group_id"]}

    def outside_share(self) -> float | None:
        """The share of the groups' funding (each group's activities once) from activities none of
        whose funders sits in the group; None when nothing was disbursed."""
        by = self.by_group()
        total = float((by["member_usd"] + by["other_usd"]).sum())
        return float(by["other_usd"].sum()) / total if total > 0 else None

    def activities(self, group_id: str) -> pd.DataFrame:
        """A group's activities: iati_identifier, title (in Lao where the file gives it and the page
        is in Lao), funders (their names, joined), usd."""
        f = self.flows[self.flows["group_id"] == group_id]
        if f.empty:
            return pd.DataFrame(columns=["iati_identifier", "title", "funders", "usd"])
        from swgdash import i18n

        title = f["title_lo"].fillna(f["title"]) if i18n.current() == "lo" else f["title"]
        out = f.assign(title=title).groupby("iati_identifier", sort=True).agg(
            title=("title", "first"), funders=("organisation", lambda s: ", ".join(sorted(set(s)))),
            usd=("usd", "first")).reset_index()
        return out.sort_values(["usd", "iati_identifier"], ascending=[False, True], ignore_index=True)

    def restricted(self, groups) -> "Funding":
        """The figures for some groups only (the sidebar's SWG and its sub-groups; None: all)."""
        if groups is None:
            return self
        keep = set(groups)
        return Funding(self.as_of, self.years, self.iati, self.groups[self.groups["group_id"].isin(keep)],
                       self.flows[self.flows["group_id"].isin(keep)], self.members[self.members["group_id"].isin(keep)])

    def document(self) -> dict:
        """`funding --json`: its keys are a contract (README)."""
        iati = self.iati
        records = self._funder_rows.to_dict("records")  # (in groups, each its largest first)
        groups = []
        for gid in self.groups["group_id"]:
            first, end = self._where.get(gid, (0, 0))
            funders = records[first:end]
            groups.append({
                "group_id": gid,
                "funders": [{"organisation": r["organisation"], "member": bool(r["member"]),
                             "role": r["role"] if isinstance(r["role"], str) else None,
                             "disbursed_usd": int(r["disbursed_usd"]), "activities": list(r["activities"])}
                            for r in funders],
                "members_without_evidence": self.members_without_evidence(gid),
                "funders_not_members": sorted(r["organisation"] for r in funders if not r["member"])})
        return {"as_of": self.as_of.isoformat(), "years": self.years,
                "iati": {"activities": iati.activities if iati else 0,
                         "imported_on": iati.imported_on.isoformat() if iati else None,
                         "files": list(iati.files) if iati else []},
                "groups": groups}


def _by_currency(cells) -> dict[str, float]:
    """{currency: amount} added up from cells of `unconverted` (each a list of {currency, value}, or empty)."""
    out: dict[str, float] = {}
    for items in cells:
        if items is None or (isinstance(items, float) and math.isnan(items)):
            continue
        for item in items:
            key = item["currency"] or "?"
            out[key] = out.get(key, 0.0) + float(item["value"])
    return out


def funding(db: Cursor, iati_version, as_of: dt.date, years: int = DEFAULT_YEARS) -> Funding:
    """The funding figures at `as_of` over `years` years from the IATI set `iati_version` (a
    swgdash.store.Version of the `iati` series, or None: no set, no funders)."""
    years = max(1, min(int(years), MOST_YEARS))
    tables = _tables(iati_version) if iati_version is not None else _empty_tables()
    db.attach(tables)
    params = {"as_of": as_of}
    groups = db.query("funding_groups", **params)
    flows = db.query("funding_flows", as_of=as_of, since=since(as_of, years))
    members = db.query("funding_members", **params)
    members["active"] = members["active"].astype(bool) if len(members) else pd.Series(dtype=bool)
    flows = _with_membership(flows, members)
    return Funding(as_of, years, iati_info(iati_version), groups, flows, members)


def _with_membership(flows: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """Each flow's member (whether its organisation is a member of the group at the as-of: by the
    register's name, or by the IATI name written as the register writes it) and that member's role."""
    role = {(g, o.casefold()): r for g, o, r in zip(members["group_id"], members["organisation"], members["role"],
                                                    strict=True)}
    keys = [(g, str(o).casefold()) for g, o in zip(flows["group_id"], flows["organisation"], strict=True)]
    flows = flows.copy()
    flows["member"] = [k in role for k in keys]
    flows["role"] = [role.get(k) for k in keys]
    return flows

