"""Make the bundled demo extract of the SWG Dashboard (``data/demo/*.csv``).

The demo is a realistic but *invented* extract of the registers that the
secretariat of the Lao Round Table Process (DIC, Ministry of Planning and
Investment) keeps on its Sector Working Groups.  It follows the "SWG extract
format, version 1" and writes nine CSV files:

    groups, meetings, members, attendance, pillars, alignment,
    recommendations, actions, documents

The groups, chairs, co-chairs, sub-SWGs, national plans and the nine
recommendations of the 2022 SWG review are the real ones, kept as data in
``scripts/demo_facts/*.json`` (each file says what its records are); meetings,
members' terms, attendance, actions and documents are made up (deterministically, with
``random.Random(2022)``) so that the dashboard has something to show:

* the extract is published as of ``DEMO_AS_OF`` (2026-10-31); no meeting after
  that date is held: about half of the counting groups have their next meeting
  scheduled in the 90 days after it, some meetings of the last 12 months were
  cancelled or postponed (``make_planned``, from its own random stream: the held meetings are as before);
* among the groups that count (status ``active``, established on or before the
  as-of date) about 58 % are active, 18 % at risk and 24 % dormant, including
  two groups that never met and two boundary cases (a meeting on exactly
  2026-04-30 -> active; a last meeting on exactly 2025-10-31 -> at risk);
* in each plan exactly one pillar (regional and international integration) is
  a gap: only dormant, closed or not-yet-established groups are aligned to it;
* 9 of the 37 follow-up actions are overdue; one is due on the as-of date;
* one task force is established after the as-of date and must not count;
* some documents have Lao titles, empty links or share paths (not http);
* every group, pillar, recommendation and action has its Lao text (``name_lo``,
  ``title_lo``, ``description_lo``), from ``demo_facts/lao_names.json`` keyed by id
  (no random number is drawn for them).

Re-run it (from the repository root) with::

    .venv/bin/python scripts/make_demo.py            # writes data/demo/
    .venv/bin/python scripts/make_demo.py --out DIR  # writes DIR/

Running it twice gives byte-identical files (UTF-8 without BOM, comma
separated, ``\\n`` line ends, dates YYYY-MM-DD, booleans true/false, empty cell
for missing).  It uses only the standard library and never reads the clock.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from swgdash.contract import DEMO_AS_OF as DEMO_DAY, TABLES  # noqa: E402

DEMO_AS_OF = DEMO_DAY.isoformat()  # (swgdash.contract.DEMO_AS_OF: the store publishes the demo as of it)
SEED = 2022
FIRST_YEAR = 2019          # meetings are generated from this year on
MEMBER_HISTORY_FROM = "2018-01-01"  # leadership terms are recorded back to here

FACTS = Path(__file__).resolve().parent / "demo_facts"  # the real groups, members, plans and actions


def facts(name: str):
    """The facts of one file of demo_facts/ (each says what its records are)."""
    return json.loads((FACTS / f"{name}.json").read_text(encoding="utf-8"))["facts"]


COLUMNS = {name: list(table.column_names) for name, table in TABLES.items()}  # the contract's, in its order

_orgs = facts("organisations")
FUNDING = facts("funding")
DIC = _orgs["secretariat"]
DEVELOPMENT_PARTNERS, CIVIL_SOCIETY = _orgs["development_partners"], _orgs["civil_society"]
PRIVATE_SECTOR, OTHER_ORGS = _orgs["private_sector"], _orgs["other"]
SUCCESSORS = _orgs["successors"]  # {organisation: (successor, since)}: the 2025 ministry mergers
GROUPS = facts("groups")
LAST_MEETING = facts("last_meetings")
NATIONAL_EVENTS = facts("national_events")
DONORS_ONLY_SUBS = facts("donors_only_subs")
MEMBERS = facts("members")
RARELY_PRESENT = tuple(json.loads((FACTS / "members.json").read_text(encoding="utf-8"))["rarely_present"])
PILLARS = facts("pillars")
ALIGNMENT = facts("alignment")
PILLAR_MAP = facts("pillar_map")
RECOMMENDATIONS = facts("recommendations")
REC_SOURCE = json.loads((FACTS / "recommendations.json").read_text(encoding="utf-8"))["source"]
ACTIONS = facts("actions")
LAO = facts("lao_names")  # {table: {id: the Lao name, title or description}}
_docs = facts("documents")
URL_BASE, SHARE_BASE = _docs["url_base"], _docs["share_base"]
TOR_MISSING, TOR_REVISED_2023 = _docs["tor_missing"], _docs["tor_revised_2023"]
ANNUAL_REPORTS = {int(year): groups for year, groups in _docs["annual_reports"].items()}
LAO_TITLES = {tuple(key): title for key, title in _docs["lao_titles"]}
LAO_MINUTES_GROUP, LAO_MINUTES = _docs["lao_minutes_group"], _docs["lao_minutes"]
OTHER_DOCUMENTS = _docs["other"]

# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------


def d(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:          # 29 February
        return day.replace(year=day.year + years, day=28)


def weekday(day: dt.date) -> dt.date:
    """Move New Year's Day to the 3rd, a Saturday or Sunday back to the Friday before."""
    if (day.month, day.day) == (1, 1):
        day = day.replace(day=3)
    return day - dt.timedelta(days=max(0, day.weekday() - 4))


def random_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return weekday(start + dt.timedelta(days=rng.randint(0, (end - start).days)))


def fmt(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def org_type(org: str) -> str:
    if org in DEVELOPMENT_PARTNERS:
        return "development_partner"
    if org in CIVIL_SOCIETY:
        return "civil_society"
    if org in PRIVATE_SECTOR:
        return "private_sector"
    if org in OTHER_ORGS:
        return "other"
    return "government"


GROUP_BY_ID = {g[0]: g for g in GROUPS}


def group_kind(gid: str) -> str:
    return GROUP_BY_ID[gid][2]


def group_name(gid: str) -> str:
    return GROUP_BY_ID[gid][1]


def group_span(gid: str) -> tuple[dt.date, dt.date | None]:
    g = GROUP_BY_ID[gid]
    return d(g[7]), d(g[8])


# --------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------


# The columns of each record of demo_facts/ (its "about" says so); the contract's columns
# may be more (the Lao ones, filled from LAO) and in another order.
GROUP_FACTS = ["group_id", "name", "kind", "parent_id", "chair_org", "status", "planned_meetings_per_year",
               "established_on", "closed_on"]
PILLAR_FACTS = ["plan", "pillar_id", "name", "plan_start", "plan_end"]
ACTION_FACTS = ["action_id", "rec_id", "group_id", "description", "owner", "due_on", "status", "updated_on"]


def lao(table: str, key: str) -> str:
    """The Lao text of one record (every record of the demo has one)."""
    return LAO[table][key]


def make_groups() -> list[dict]:
    return [{**dict(zip(GROUP_FACTS, g, strict=True)), "name_lo": lao("groups", g[0])} for g in GROUPS]


def plenary_candidates(rng: random.Random) -> list[tuple[dt.date, str]]:
    """SWG plenaries: before national events, a mid-year meeting, few in 2020."""
    out = []
    for event, _label in NATIONAL_EVENTS:
        if rng.random() < 0.9:
            day = weekday(d(event) - dt.timedelta(days=rng.randint(7, 42)))
            out.append((day, "minister" if rng.random() < 0.55 else "vice_minister"))
    for year in range(FIRST_YEAR, 2027):
        if year == 2020:    # COVID-19: one virtual plenary at most
            if rng.random() < 0.5:
                out.append((random_day(rng, dt.date(2020, 9, 1), dt.date(2020, 12, 15)), "vice_minister"))
            continue
        if rng.random() < 0.6:
            out.append((random_day(rng, dt.date(year, 5, 1), dt.date(year, 8, 31)),
                        "vice_minister" if rng.random() < 0.7 else "minister"))
        if rng.random() < 0.15:
            out.append((random_day(rng, dt.date(year, 2, 1), dt.date(year, 4, 15)), "vice_minister"))
    return out


def quarterly_candidates(rng: random.Random, start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
    """Sub-SWGs: about one meeting a quarter, sometimes two; fewer in 2020."""
    out = []
    for year in range(start.year, end.year + 1):
        for quarter in range(4):
            covid = year == 2020 and quarter > 0
            q_start = dt.date(year, 3 * quarter + 1, 1)
            q_end = dt.date(year + (quarter == 3), (3 * quarter + 3) % 12 + 1, 1) - dt.timedelta(days=1)
            for chance in ((0.35, 0.05) if covid else (0.9, 0.6)):
                if rng.random() < chance:
                    out.append((random_day(rng, q_start, q_end),
                                "director_general" if rng.random() < 0.55 else "technical"))
    return out


def monthly_candidates(rng: random.Random, start: dt.date, end: dt.date, chance: float) -> list[tuple[dt.date, str]]:
    """Task forces meet often while they exist."""
    out = []
    month = dt.date(start.year, start.month, 1)
    while month <= end:
        nxt = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
        if rng.random() < chance:
            out.append((random_day(rng, month, nxt - dt.timedelta(days=1)),
                        "director_general" if rng.random() < 0.4 else "technical"))
        month = nxt
    return out


PARTICIPANTS = {"minister": (45, 90), "vice_minister": (30, 75),
                "director_general": (15, 45), "technical": (8, 30), None: (8, 22)}


def meeting_details(rng: random.Random, day: dt.date, form: str, level: str | None) -> dict:
    low, high = PARTICIPANTS[level]
    participants = None if rng.random() < 0.02 else rng.randint(low, high)
    r = rng.random()
    if form == "joint":
        minutes = True if r < 0.8 else (False if r < 0.95 else None)
    else:
        minutes = True if r < 0.2 else (False if r < 0.9 else None)
    r = rng.random()
    on_time, late = (0.85, 0.93) if form == "joint" else (0.5, 0.75)
    if r < on_time:
        agenda = day - dt.timedelta(days=rng.randint(7, 21 if form == "joint" else 14))
    elif r < late:
        agenda = day - dt.timedelta(days=rng.randint(2, 6))
    else:
        agenda = None
    return {"date": day, "format": form, "level": level, "participants": participants,
            "minutes_published": minutes, "agenda_sent_on": agenda}


def group_meetings(rng: random.Random, gid: str) -> list[dict]:
    last = d(LAST_MEETING[gid])
    if last is None:
        return []
    established, _closed = group_span(gid)
    start = max(established, dt.date(FIRST_YEAR, 1, 1))
    kind = group_kind(gid)
    if kind == "swg":
        candidates = plenary_candidates(rng)
        first_level = "vice_minister"
    elif kind == "sub_swg":
        candidates = quarterly_candidates(rng, start, last)
        first_level = "director_general"
    else:
        candidates = monthly_candidates(rng, start, last, 0.85 if gid == "TF-RTIM2024" else 0.55)
        first_level = "director_general"
    # keep candidates inside the group's life, well before its last meeting
    joint = {}
    for day, level in sorted(candidates):
        if start <= day <= last - dt.timedelta(days=14) and day not in joint:
            joint[day] = level
    joint[last] = first_level if kind != "swg" else "vice_minister"
    if kind == "swg":
        donors_chance = 0.4
    elif gid in DONORS_ONLY_SUBS:
        donors_chance = 0.35
    else:
        donors_chance = 0.0
    meetings = []
    for day in sorted(joint):
        meetings.append(meeting_details(rng, day, "joint", joint[day]))
        if rng.random() < donors_chance:
            prep = weekday(day - dt.timedelta(days=rng.randint(3, 14)))
            if prep >= start and prep not in joint and prep != day:
                meetings.append(meeting_details(rng, prep, "donors_only", None))
    for m in meetings:
        m["group_id"] = gid
    return meetings


def make_planned(meetings: list[dict]) -> list[dict]:
    """The register's meetings not held (status scheduled, cancelled, postponed), as real
    registers list them: about half of the counting groups have their next meeting scheduled in
    the 90 days after the as-of date, and some meetings of the last 12 months were cancelled or
    postponed. Drawn from their own random stream, so the held meetings, and every figure
    made of them, stay as they were."""
    rng = random.Random(SEED + 28)
    as_of = d(DEMO_AS_OF)
    held = {(m["group_id"], m["date"]) for m in meetings}
    out: list[dict] = []
    for g in GROUPS:
        facts = dict(zip(GROUP_FACTS, g, strict=True))
        if facts["status"] != "active" or (facts["established_on"] and d(facts["established_on"]) > as_of):
            continue
        if rng.random() < 0.5:
            out.append({"group_id": facts["group_id"], "status": "scheduled",
                        "date": weekday(as_of + dt.timedelta(days=rng.randint(4, 88)))})
        if rng.random() < 0.2:
            out.append({"group_id": facts["group_id"], "status": rng.choice(["cancelled", "cancelled", "postponed"]),
                        "date": weekday(as_of - dt.timedelta(days=rng.randint(20, 330)))})
    out = [m for m in out if (m["group_id"], m["date"]) not in held]
    out.sort(key=lambda m: (m["date"], m["group_id"]))
    for i, m in enumerate(out, start=1):
        m.update(meeting_id=f"P-{i:04d}", format="joint")
    return out


def make_meetings(rng: random.Random) -> list[dict]:
    order = {g[0]: i for i, g in enumerate(GROUPS)}
    meetings = []
    for g in GROUPS:
        meetings.extend(group_meetings(rng, g[0]))
    meetings.sort(key=lambda m: (m["date"], order[m["group_id"]], m["format"]))
    for i, m in enumerate(meetings, start=1):
        m["meeting_id"] = f"M-{i:05d}"
    return meetings


def seat_terms(gid: str, holders: list[str], current_end: str | None, years: int,
               successor: str | None) -> list[tuple[str, dt.date, dt.date | None]]:
    """Terms of one leadership seat, oldest first, as (organisation, start, end)."""
    established, closed = group_span(gid)
    floor = max(established, d(MEMBER_HISTORY_FROM))
    if closed is not None or current_end is None:
        start = max(established, min(floor, dt.date(2020, 1, 1)))
        return [(holders[-1], start, closed)]
    terms = []
    end = d(current_end)
    while True:
        start = add_years(end, -years) + dt.timedelta(days=1)
        holder = holders[-1 - len(terms) % len(holders)]
        terms.append((holder, max(start, established), end))
        if start <= floor:
            break
        end = start - dt.timedelta(days=1)
    terms.reverse()
    if successor:
        end = d(current_end)
        terms.append((successor, end + dt.timedelta(days=1), add_years(end, years)))
    return terms


def make_members(rng: random.Random) -> list[dict]:
    rows = []
    for g in GROUPS:
        gid, kind, chair = g[0], g[2], g[4]
        established, closed = group_span(gid)
        spec = MEMBERS[gid]

        def add(org, role, start, end, gid=gid, closed=closed):  # (this group's, bound now)
            if closed is not None:
                end = closed if end is None or end > closed else end
            rows.append({"group_id": gid, "organisation": org, "org_type": org_type(org),
                         "role": role, "start_on": start, "end_on": end})

        add(chair, "chair", established, None)
        if kind == "swg":
            add(DIC, "secretariat", established, None)
        future_start = {}
        for role, holders, current_end, successor, years in spec["leaders"]:
            for org, start, end in seat_terms(gid, holders, current_end, years, successor):
                add(org, role, start, end)
                if start > d(DEMO_AS_OF):
                    future_start[org] = start
        for other in spec["others"]:
            org, role = other[0], other[1]
            if len(other) == 4:
                start, end = d(other[2]), d(other[3])
            else:
                r = rng.random()
                if r < 0.6 or closed is not None or established > dt.date(2022, 1, 1):
                    start = established
                elif r < 0.9:
                    start = random_day(rng, max(established, dt.date(2016, 1, 1)), dt.date(2024, 6, 30))
                else:
                    start = None
                end = None
            if org in future_start:          # becomes a leader later
                end = future_start[org] - dt.timedelta(days=1)
            add(org, role, start, end)
    return rows


PRESENCE = {"chair": 0.95, "secretariat": 0.85, "co_chair": 0.92, "focal_point": 0.92,
            "vice_focal_point": 0.8, "active": 0.8, "attending": 0.5, "informed": 0.08}


def covers(member: dict, day: dt.date) -> bool:
    start, end = member["start_on"], member["end_on"]
    return (start is None or start <= day) and (end is None or day <= end)


def make_attendance(rng: random.Random, meetings: list[dict], members: list[dict]) -> list[dict]:
    by_group = {}
    for m in members:
        by_group.setdefault(m["group_id"], []).append(m)
    rows = []
    for meeting in meetings:
        seen = set()
        for m in by_group[meeting["group_id"]]:
            org = m["organisation"]
            if org in seen or not covers(m, meeting["date"]):
                continue
            seen.add(org)
            chance = PRESENCE[m["role"]]
            if (meeting["group_id"], org) == RARELY_PRESENT:
                chance = 0.12
            if meeting["format"] == "donors_only" and m["org_type"] != "development_partner":
                chance = 0.0
            rows.append({"meeting_id": meeting["meeting_id"], "organisation": org,
                         "present": rng.random() < chance})
    return rows


def make_pillars() -> list[dict]:
    return [{**dict(zip(PILLAR_FACTS, p, strict=True)), "name_lo": lao("pillars", p[1])} for p in PILLARS]


def make_organisations(members: list[dict]) -> list[dict]:
    """One partner, one name: every organisation of the demo counts as itself, with its type; the
    ministries merged in 2025 name their successors."""
    types = {m["organisation"]: m["org_type"] for m in members}
    return [{"organisation": org, "partner": org, "org_type": types[org],
             **dict(zip(("successor", "successor_since"), SUCCESSORS.get(org, ("", "")), strict=True)),
             "iati_ref": FUNDING["iati_refs"].get(org, "")}
            for org in sorted(types)]


def make_group_sectors() -> list[dict]:
    return [{"group_id": gid, "dac_code": code} for gid, codes in FUNDING["group_sectors"].items() for code in codes]


def make_alignment() -> list[dict]:
    rows = []
    for gid, (outcomes, goals) in ALIGNMENT.items():
        for prefix, pillars in (("NSEDP9-", outcomes), ("NSEDP10-", goals)):
            for i, pillar in enumerate(pillars):
                rows.append({"group_id": gid, "pillar_id": prefix + pillar, "primary": i == 0})
    return rows


def make_pillar_map() -> list[dict]:
    return [{"from_pillar_id": old, "to_pillar_id": new, "note": note} for old, new, note in PILLAR_MAP]


def make_recommendations() -> list[dict]:
    return [{"rec_id": r, "title": t, "title_lo": lao("recommendations", r), "source": REC_SOURCE, "text": x}
            for r, t, x in RECOMMENDATIONS]


def make_actions() -> list[dict]:
    return [{**dict(zip(ACTION_FACTS, a, strict=True)), "description_lo": lao("actions", a[0])} for a in ACTIONS]


def document_url(rng: random.Random, gid: str, stem: str) -> str:
    r = rng.random()
    if r < 0.10:
        return ""
    if r < 0.12:
        return f"{SHARE_BASE}\\{gid}\\{stem.replace('-', '_')}.docx"
    return f"{URL_BASE}/{gid.lower()}/{stem}.pdf"


def make_documents(rng: random.Random, meetings: list[dict]) -> list[dict]:
    as_of = d(DEMO_AS_OF)
    rows = []

    def add(gid, doc_type, year, issued, title, url):
        title = LAO_TITLES.get((gid, doc_type, year), title)
        rows.append({"group_id": gid, "doc_type": doc_type, "year": year,
                     "issued_on": issued, "title": title, "url": url})

    joint_by_group_year = {}
    for m in meetings:
        if m["format"] == "joint":
            key = (m["group_id"], m["date"].year)
            joint_by_group_year[key] = joint_by_group_year.get(key, 0) + 1

    for g in GROUPS:
        gid, name = g[0], g[1]
        established, closed = group_span(gid)
        if gid not in TOR_MISSING:
            add(gid, "tor", established.year, established, f"Terms of reference — {name}",
                document_url(rng, gid, f"tor-{established.year}"))
            if gid in TOR_REVISED_2023:
                add(gid, "tor", 2023, random_day(rng, dt.date(2023, 7, 1), dt.date(2023, 12, 15)),
                    f"Revised terms of reference (2023) — {name}", document_url(rng, gid, "tor-2023"))
        for year in range(FIRST_YEAR, 2027):
            forced = (gid, "workplan", year) in LAO_TITLES
            if forced or (joint_by_group_year.get((gid, year), 0) >= 2 and rng.random() < 0.65):
                add(gid, "workplan", year, random_day(rng, dt.date(year, 1, 10), dt.date(year, 3, 31)),
                    f"Annual work plan {year} — {name}", document_url(rng, gid, f"workplan-{year}"))
        for year, groups in ANNUAL_REPORTS.items():
            if gid in groups:
                add(gid, "annual_report", year,
                    random_day(rng, dt.date(year + 1, 1, 15), dt.date(year + 1, 3, 31)),
                    f"Annual report {year} — {name}", document_url(rng, gid, f"annual-report-{year}"))

    minutes = []
    for m in meetings:
        if m["format"] == "joint" and m["minutes_published"] and rng.random() < 0.3:
            issued = m["date"] + dt.timedelta(days=rng.randint(5, 30))
            if issued <= as_of:
                minutes.append((m, issued))
    lao_minutes = max((m["date"] for m, _ in minutes if m["group_id"] == LAO_MINUTES_GROUP), default=None)
    for m, issued in minutes:
        gid, day = m["group_id"], m["date"]
        title = f"Minutes of the {group_name(gid)} meeting of {day.isoformat()}"
        if gid == LAO_MINUTES_GROUP and day == lao_minutes:
            title = LAO_MINUTES.format(date=day.isoformat())
        add(gid, "minutes", day.year, issued, title, document_url(rng, gid, f"minutes-{day.isoformat()}"))

    for gid, doc_type, year, issued, title, url in OTHER_DOCUMENTS:
        add(gid, doc_type, year, d(issued), title, url)
    order = {g[0]: i for i, g in enumerate(GROUPS)}
    rows.sort(key=lambda r: (order[r["group_id"]], r["year"], r["doc_type"],
                             r["issued_on"] or dt.date.min))
    return rows


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------


def write_table(out_dir: Path, table: str, rows: list[dict]) -> None:
    cols = COLUMNS[table]
    with open(out_dir / f"{table}.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(cols)
        for row in rows:
            writer.writerow([fmt(row.get(c)) for c in cols])
    print(f"wrote {out_dir / (table + '.csv')} ({len(rows)} rows)")


def make_all() -> dict[str, list[dict]]:
    rng = random.Random(SEED)
    meetings = make_meetings(rng)
    members = make_members(rng)
    return {
        "groups": make_groups(),
        "meetings": meetings + make_planned(meetings),  # (attendance and minutes: of held meetings only)
        "members": members,
        "attendance": make_attendance(rng, meetings, members),
        "organisations": make_organisations(members),
        "pillars": make_pillars(),
        "alignment": make_alignment(),
        "pillar_map": make_pillar_map(),
        "group_sectors": make_group_sectors(),
        "recommendations": make_recommendations(),
        "actions": make_actions(),
        "documents": make_documents(rng, meetings),
        "extract": [{"as_of": DEMO_AS_OF}],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).resolve().parent.parent / "data" / "demo",
                        help="folder to write the CSV files to (default: data/demo)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for table, rows in make_all().items():
        write_table(args.out, table, rows)


if __name__ == "__main__":
    main()
