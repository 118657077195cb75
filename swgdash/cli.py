"""Command line: python -m swgdash COMMAND ... (the same code paths as the app)."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import orjson

from swgdash import i18n, publishing
from swgdash.contract import ACTIVITIES, word
from swgdash.errors import BadDate, UnknownGroup, UnknownPlan, UserError, parse_date
from swgdash.ingest import quality
from swgdash.ingest.validate import validate_paths
from swgdash.query import metrics
from swgdash.store import FolderStore, HeadUnreadable, Version, VersionStore, open_store, operations

_PLAIN = (str, int, bool, type(None))


def _written_alike(doc) -> bool:
    """Whether orjson writes `doc` as Python's json does: it does for plain str, int, bool, None,
    dict, list and tuple (exact types: a subclass or anything else goes to json, which writes or
    refuses it as before), and floats but those under 1e-4 or from 1e16 (1e-05: orjson 0.00001;
    1e+16: orjson 1e16) and those not a number (json: NaN; orjson: null)."""
    kind = type(doc)
    if kind is dict:
        if not all(type(k) is str for k in doc):
            return False
        doc = doc.values()
    elif kind is not list and kind is not tuple:
        if kind is float:
            return doc == 0.0 or 1e-4 <= abs(doc) < 1e16
        return kind in _PLAIN
    for value in doc:  # (the common values passed over here: 40,000 groups' rows in a blink)
        kind = type(value)
        if kind is not str and kind is not int and value is not None and kind is not bool and not _written_alike(value):
            return False
    return True


def _encoded(doc) -> bytes:
    """`doc` as json.dumps(doc, indent=2, ensure_ascii=False) writes it, in C by orjson where it
    writes the same (_written_alike; not an integer past 64 bits nor a key that is not a string)."""
    if _written_alike(doc):
        try:
            return orjson.dumps(doc, option=orjson.OPT_INDENT_2)
        except TypeError:
            pass
    return json.dumps(doc, indent=2, ensure_ascii=False).encode()


def _writer(out) -> Callable[[bytes], None]:
    """Bytes onto `out`: straight to a real stream's buffer, decoded for a StringIO."""
    buffer = getattr(out, "buffer", None)
    if buffer is not None and (getattr(out, "encoding", "") or "").lower().replace("-", "") == "utf8":
        out.flush()
        return buffer.write
    return lambda data: out.write(data.decode())


def print_json(doc, out) -> None:
    """`doc` as JSON on `out`, byte for byte what print(json.dumps(doc, indent=2, ensure_ascii=False))
    writes, encoded in C by orjson (Python's own encoder with an indent is pure Python: the most of
    summary --json's time at 40,000 groups, and a list of millions of small strings in memory).
    A value of a dict `doc` that is an iterator (metrics.summary's streamed groups) is written item
    by item as it yields them, so the document is never whole in memory."""
    write = _writer(out)
    if isinstance(doc, dict) and not all(type(k) is str for k in doc):  # (keys json turns into text)
        doc = {k: list(v) if isinstance(v, Iterator) else v for k, v in doc.items()}
    if not (isinstance(doc, dict) and any(isinstance(v, Iterator) for v in doc.values())):
        write(_encoded(doc) + b"\n")
    elif not doc:
        write(b"{}\n")
    else:
        for i, (key, value) in enumerate(doc.items()):
            write((b"{" if i == 0 else b",") + b"\n  " + _encoded(key) + b": ")
            if isinstance(value, Iterator):
                n = 0
                for n, item in enumerate(value, 1):  # (inside a list inside the document: 4 spaces in)
                    write((b"[" if n == 1 else b",") + b"\n    " + _encoded(item).replace(b"\n", b"\n    "))
                write(b"\n  ]" if n else b"[]")
            else:
                write(_encoded(value).replace(b"\n", b"\n  "))
        write(b"\n}\n")
    if getattr(out, "buffer", None) is not None:
        out.buffer.flush()


def _date(text: str) -> dt.date:
    try:
        return parse_date(text)
    except BadDate as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _threshold(name: str):
    """The argument type of a threshold: a whole number within its bounds (metrics.THRESHOLDS, the
    same table the sidebar and the address read)."""
    bounds = metrics.THRESHOLDS[name]

    def read(text: str) -> int:
        n = bounds.read(text)
        if n is None:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of months from {bounds.low} "
                                             f"to {bounds.high}")
        return n
    read.__name__ = name
    return read


def _thresholds(p: argparse.ArgumentParser) -> None:
    """--at-risk-months and --dormant-months, with their defaults and bounds from metrics.THRESHOLDS."""
    for name in ("at_risk_months", "dormant_months"):
        p.add_argument("--" + name.replace("_", "-"), type=_threshold(name), default=metrics.THRESHOLDS[name].default)


def _years(text: str) -> int:
    from swgdash.query.funding import MOST_YEARS

    t = text.strip()
    if not t.isdigit() or not 1 <= int(t) <= MOST_YEARS:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of years from 1 to {MOST_YEARS}")
    return int(t)


def _version(text: str) -> int:
    t = text.strip().lower().removeprefix("v")
    if not t.isdigit():
        raise argparse.ArgumentTypeError(f"'{text}' is not a version number")
    return int(t)


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m swgdash",
                                 description="SWG Dashboard: validate, publish and summarise extracts.")
    ap.add_argument("--home", help="the store folder (default: $SWGDASH_HOME or data/store)")
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check an extract; exit 1 with one problem per line if invalid")
    p.add_argument("paths", nargs="+", help=".xlsx, .zip, folder, or <table>.csv/.parquet files")

    p = sub.add_parser("publish", help="validate, then publish a new version (prints its number)")
    p.add_argument("paths", nargs="+")
    p.add_argument("--as-of", type=_date, help="the date the figures are as of (default: the extract's own "
                   "as_of, else its latest meeting, membership change or action update not after today)")
    p.add_argument("--note", default="", help="what changed, for the version history")

    p = sub.add_parser("versions", help="list published versions")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("verify", help="check the current version's files (every version's: --all) against their "
                       "checksums; exit 1 when any is damaged or HEAD.json cannot be read")
    p.add_argument("--all", action="store_true", help="every version, not only the current one")
    p.add_argument("--json", action="store_true")
    p.add_argument("--repair-head", action="store_true",
                   help="when HEAD.json cannot be read or names no version there is, rebuild it from the versions "
                        "folder (the newest intact version current; the old file kept beside it)")

    p = sub.add_parser("backup", help="write the whole store (versions, HEAD.json, audit log) to one archive")
    p.add_argument("--out", required=True, help="the .tar.gz file to write")

    p = sub.add_parser("restore", help="put a backup in place, after checking every checksum in it")
    p.add_argument("archive", help="a .tar.gz written by backup")
    p.add_argument("--force", action="store_true", help="replace a store that is not empty (kept beside it)")

    p = sub.add_parser("rollback", help="publish an earlier version again as a new version")
    p.add_argument("version", type=_version)
    p.add_argument("--note", default="", help="why, for the version history")

    p = sub.add_parser("deck", help="the briefing pack: a PowerPoint deck (and a PDF) of the committee's slides")
    p.add_argument("--out", required=True, help="the .pptx file to write")
    p.add_argument("--pdf", help="also write the same slides as this PDF")
    p.add_argument("--as-of", type=_date)
    p.add_argument("--group", help="only this SWG (id) and its sub-groups")
    p.add_argument("--group-slides", action="store_true", help="add one profile slide per SWG")
    p.add_argument("--plan", help="the national plan whose pillars to show (default: the one covering as-of)")
    p.add_argument("--lang", choices=i18n.LANGUAGES, default=None,
                   help="the language of the slides: en or lo (default: the SWGDASH_LANGUAGE setting, else en)")
    p.add_argument("--bilingual", action="store_true",
                   help="in Lao, put each slide's English headline under the Lao one")
    p.add_argument("--since", type=_date, help="the 'since the last retreat' slide compares with the version current "
                   "on this date (default: the version before the one shown)")

    p = sub.add_parser("summary", help="the contract's figures for the current version")
    p.add_argument("--as-of", type=_date)
    _thresholds(p)
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("crosswalk", help="how the counting groups carry over from one national plan to the next "
                       "(the extract's pillar_map): per new pillar, the groups aligned directly and those carried, "
                       "the gaps, the old pillars mapped to nothing and the groups to realign")
    p.add_argument("--from", dest="from_plan", help="the earlier plan (default: the one before --to, by start)")
    p.add_argument("--to", dest="to_plan", help="the later plan (default: the one in force at the as-of date, "
                   "else the latest)")
    p.add_argument("--as-of", type=_date)
    _thresholds(p)
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("iati", help="the partners' IATI activity files: import a new IATI set, or list the sets")
    iati_sub = p.add_subparsers(dest="iati_command", required=True)
    q = iati_sub.add_parser("import", help="read IATI activity XML files (versions 2.01-2.03; several, or a .zip) "
                            "and keep the activities in the country as the new current IATI set")
    q.add_argument("paths", nargs="+", help=".xml or .zip files (as downloaded from d-portal or a publisher)")
    q.add_argument("--country", help="the recipient country kept, ISO 3166-1 alpha-2 (default: "
                   "$SWGDASH_IATI_COUNTRY or LA)")
    q.add_argument("--note", default="", help="a note for the history of IATI sets")
    q = iati_sub.add_parser("sets", help="list the IATI sets imported, the current one marked")
    q.add_argument("--json", action="store_true")
    p = sub.add_parser("funding", help="who funds each group's sectors, from the current IATI set: per group with "
                       "sector codes, the funders (members or not), members without IATI evidence, and funders "
                       "that are not members")
    p.add_argument("--as-of", type=_date)
    p.add_argument("--years", type=_years, default=3, help="the years before the as-of date whose disbursements "
                   "and expenditure count (default: 3)")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("trend", help="the groups counting, active, at risk and dormant, and meetings in 12 months, "
                       "at every period end between two dates (the current version's records)")
    p.add_argument("--from", dest="start", type=_date,
                   help=f"the first date (default: {metrics.TREND_YEARS} years before --to)")
    p.add_argument("--to", dest="end", type=_date, help="the last date (default: the version's as-of date)")
    p.add_argument("--every", choices=metrics.PERIODS, default="quarter", help="the period (default: quarter)")
    _thresholds(p)
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("changes", help="what changed between two published versions, each at its own as-of date")
    p.add_argument("--from", dest="source", type=_version,
                   help="the earlier version (default: the one before --to)")
    p.add_argument("--since", type=_date, help="instead of --from: the version current on this date "
                   "(e.g. the last retreat's)")
    p.add_argument("--to", dest="target", type=_version, help="the later version (default: the current one)")
    _thresholds(p)
    p.add_argument("--plan", help="the national plan whose pillars to compare (default: the one the pages open with)")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("calendar", help="the meetings planned (and those held in the last 12 months) as an "
                       "iCalendar file people subscribe to; each meeting keeps its UID across versions")
    p.add_argument("--out", required=True, help="the .ics file to write (replaced whole, never half-written)")
    p.add_argument("--group", help="only this group (id)")
    p.add_argument("--lang", choices=i18n.LANGUAGES, default=None,
                   help="the language of the calendar's title and names (default: the SWGDASH_LANGUAGE setting)")
    for command in sub.choices.values():  # --home before or after the command (restore FILE --home DIR)
        command.add_argument("--home", default=argparse.SUPPRESS, help="the store folder (as before the command)")
    return ap


def cmd_validate(args, out) -> int:
    result = validate_paths(args.paths)
    for problem in result.problems:
        print(problem, file=out)
    if result.ok:
        rows = ", ".join(f"{name} {t.num_rows}" for name, t in result.tables.items())
        print(f"valid: {rows}", file=out)
        return 0
    print(f"invalid: {len(result.errors)} problems", file=out)
    return 1


def cmd_publish(args, out, store: VersionStore) -> int:
    result, version = publishing.publish_paths(store, args.paths, args.as_of, args.note)
    if version is None:
        for problem in result.problems:
            print(problem, file=out)
        print(f"not published: {len(result.errors)} problems; nothing changed", file=out)
        return 1
    for problem in result.warnings:
        print(problem, file=sys.stderr)
    # (a published extract is valid: validation gave it its upload day and the as-of it implies)
    assert result.as_of is not None and result.upload_day is not None
    if args.as_of is None:
        print(f"as of {version.as_of.isoformat()}: {result.as_of.source}", file=sys.stderr)
    for warning in quality.as_of_warnings(version.as_of, result.tables, result.upload_day):
        print(f"warning: {warning}", file=sys.stderr)
    current = store.current()
    if current is not None and current.id != version.id:  # another publisher's later version won
        print(f"warning: version {current.id}, published at the same time, is later and is the current one "
              f"(the pages show it); version {version.id} is in the history", file=sys.stderr)
    print(version.id, file=out)
    return 0


def cmd_verify(args, out, store: VersionStore) -> int:
    with store.for_checking() as checked:  # the store's own files, not this machine's copies of them
        report = operations.verify(checked, every=args.all, repair_head=args.repair_head)
    publishing.verify_database(store, report)
    if args.json:
        print_json(report, out)
    else:
        if report["head"] != "ok":
            print(f"HEAD.json: {report['head']}", file=out)
        if report.get("repaired"):
            print(f"HEAD.json rebuilt from the versions folder: version {report['repaired']['current']} is "
                  "current (the unreadable file is kept beside it)", file=out)
        for v in report["versions"]:
            state = "intact" if v["intact"] else "DAMAGED: " + "; ".join(v["problems"])
            print(f"version {v['version']}: {state}", file=out)
        for place in report["unfinished"]:
            print(f"unfinished publish (not a version; the next publish sweeps it, in object storage once it is an hour old): {place}", file=out)
        for name, found in report.get("series", {}).items():
            if found["head"] != "ok":
                print(f"{name} sets, HEAD.json: {found['head']}", file=out)
            for v in found["versions"]:
                state = "intact" if v["intact"] else "DAMAGED: " + "; ".join(v["problems"])
                print(f"{name} set {v['version']}: {state}", file=out)
    return 0 if report["ok"] else 1


def _folder_only(store: VersionStore, what: str) -> FolderStore:
    """The store, when it is a folder store (`backup` and `restore` read and write its files)."""
    if not store.archivable or not isinstance(store, FolderStore):
        raise UserError(f"{what} works on a folder store; an object store ({store.location}) keeps its own copies: "
                        "turn on the bucket's versioning or replication (docs/deploy.md)")
    return store


def cmd_backup(args, out, store: VersionStore) -> int:
    info = operations.backup(_folder_only(store, "backup"), Path(args.out))
    series = "".join(f", {n} {name} sets" for name, n in info["series"].items())
    print(f"{args.out}: {info['versions']} versions{series}, HEAD.json and the audit log ({info['bytes']:,} bytes)",
          file=out)
    for version, problems in info["damaged"].items():
        print(f"warning: version {version} is damaged ({'; '.join(problems)}); it is in the backup as it is, and "
              "named there as damaged", file=sys.stderr)
    for name, why in info["skipped"].items():
        print(f"warning: the {name} sets are not in the backup: {why}", file=sys.stderr)
    return 0


def cmd_restore(args, out, store: VersionStore) -> int:
    _folder_only(store, "restore")
    info = operations.restore(Path(args.archive), store.root, force=args.force)
    series = "".join(f" and {n} {name} sets" for name, n in info["series"].items())
    print(f"restored {info['versions']} versions{series} into {store.root}"
          + (f"; the store that was there is kept in {info['kept']}" if info.get("kept") else ""), file=out)
    if info["damaged"]:
        print(f"warning: versions {', '.join(map(str, info['damaged']))} were damaged when the backup was taken, "
              "and are restored as they were", file=sys.stderr)
    return 0


def cmd_versions(args, out, store: VersionStore) -> int:
    try:
        current, versions = store.current(), store.versions()
    except HeadUnreadable as exc:  # list what the version folders hold, and say why
        print(f"warning: {exc}", file=sys.stderr)
        current, versions = None, store.versions_on_disk()
    rows = []
    for v in versions:
        problems = store.check(v)
        rows.append(dict(v.manifest, current=current is not None and v.id == current.id,
                         **({"damaged": problems} if problems else {})))
    if args.json:
        print_json(rows, out)
        return 0
    if not rows:
        print("no versions published yet", file=out)
    for r in rows:
        mark = "*" if r["current"] else " "
        nrows = sum(t["rows"] for t in r["tables"].values())
        damaged = f"  DAMAGED: {'; '.join(r['damaged'])}" if r.get("damaged") else ""
        print(f"{mark} {r['version']:>4}  as of {r['as_of']}  published {r['published_at']} "
              f"by {r['published_by']}  {len(r['tables'])} tables, {nrows} rows  {r['note']}{damaged}", file=out)
    return 0


def cmd_rollback(args, out, store: VersionStore) -> int:
    version = publishing.rollback(store, args.version, note=(f"rollback to version {args.version}: {args.note}"
                                                             if args.note else ""))
    print(version.id, file=out)
    return 0


def _say_what_is_read(store: VersionStore, version, demo: bool, damage: list[str]) -> None:
    if demo:
        print(f"note: no version is published in {store.location}; these are the bundled demo figures "
              "(nothing was published: `publish` does that)", file=sys.stderr)
    for problem in damage:
        print(f"warning: {problem}", file=sys.stderr)
    if damage:
        print(f"warning: these are the figures of version {version.id}, the newest that can be read; "
              "`verify --all` lists the damage", file=sys.stderr)


def cmd_summary(args, out, store: VersionStore) -> int:
    with publishing.current_or_demo(store) as (version, demo, damage):
        _say_what_is_read(store, version, demo, damage)
        db = publishing.open_database(version)
        try:
            params = metrics.Params(as_of=args.as_of or version.as_of,
                                    at_risk_months=args.at_risk_months,
                                    dormant_months=args.dormant_months)
            doc = metrics.summary(db.cursor(), params, stream=args.json)
            if args.json:  # (the groups written as they are read, the database still open)
                print_json(doc, out)
                return 0
        finally:
            db.close()
    counts = {a: sum(g["activity"] == a for g in doc["groups"]) for a in ACTIVITIES}
    print(f"version {doc['version']}, as of {doc['as_of']}: {len(doc['groups'])} groups counting; "
          + ", ".join(f"{n} {word('activity', a).lower()}" for a, n in counts.items()), file=out)
    for g in doc["groups"]:
        print(f"  {g['group_id']:<24} {g['activity']:<8} last met {g['last_meeting'] or 'never':<10} "
              f"{g['meetings_12m']:>3} in 12 months  {g['name']}", file=out)
    gaps = [p for p in doc["pillars"] if p["functioning_groups"] == 0]
    if gaps:
        print("pillars with no functioning group: " + "; ".join(
            f"{p['pillar_id']} {p['name']}" for p in gaps), file=out)
    overdue = sum(r["overdue"] for r in doc["recommendations"])
    if doc["recommendations"]:
        print(f"recommendation actions overdue: {overdue}", file=out)
    return 0


def cmd_crosswalk(args, out, store: VersionStore) -> int:
    from swgdash.query import crosswalk

    with publishing.current_or_demo(store) as (version, demo, damage):
        _say_what_is_read(store, version, demo, damage)
        db = publishing.open_database(version)
        try:
            params = metrics.Params(as_of=args.as_of or version.as_of, at_risk_months=args.at_risk_months,
                                    dormant_months=args.dormant_months)
            carried = crosswalk.carry_over(db.cursor(), params, args.from_plan, args.to_plan)
        finally:
            db.close()
    doc = carried.document()
    if args.json:
        print_json(doc, out)
        return 0
    print(f"version {version.id}, as of {doc['as_of']}: from {doc['from_plan']} to {doc['to_plan']}", file=out)
    for r in carried.pillars.to_dict("records"):
        state = "GAP" if r["gap"] else ("gap closed by carry-over" if r["gap_before"] else "")
        print(f"  {r['pillar_id']:<16} {r['n_direct']:>3} direct {r['n_carried']:>3} carried "
              f"{r['functioning']:>3} functioning  {state:<24} {r['name']}", file=out)
    if doc["unmapped"]:
        print("old pillars mapped to nothing: " + ", ".join(doc["unmapped"]), file=out)
    print(f"groups to realign ({len(doc['to_realign'])}): " + (", ".join(doc["to_realign"]) or "none"), file=out)
    return 0


def cmd_iati(args, out, store: VersionStore) -> int:
    if args.iati_command == "import":
        import pyarrow as pa

        # Arrow's default allocator (mimalloc) returns freed memory late, the later the busier the
        # machine: a 200 MB file peaked at 307 MB idle and 439 MB beside a test run; the system's
        # allocator, 260 MB (bench/RESULTS.md)
        pa.set_memory_pool(pa.system_memory_pool())
        found = publishing.read_iati(args.paths, args.country)
        version = publishing.import_iati(store, args.paths, note=args.note, read=found)
        for f in found.files:
            print(f"{f.name}: {f.kept} of {f.activities} activities in {found.country} "
                  f"(generated {f.generated or 'on a day not given'})", file=sys.stderr)
        if found.duplicates:
            print(f"{found.duplicates} activities given twice were kept once (the copy updated last)", file=sys.stderr)
        for said in found.said():
            print(f"note: {said}", file=sys.stderr)
        print(version.id, file=out)
        return 0
    series = publishing.iati_store(store)
    head = series.head()
    rows = [{"set": m["version"], "current": m["version"] == head["current"], "data_of": m["as_of"],
             "imported_at": m["published_at"], "imported_by": m.get("published_by"),
             "activities": m.get("about", {}).get("activities"), "files": m.get("sources", []),
             "note": m.get("note", "")} for m in head["versions"]]
    if args.json:
        print_json(rows, out)
        return 0
    if not rows:
        print("no IATI set imported yet: python -m swgdash iati import FILE...", file=out)
    for r in rows:
        print(f"{'*' if r['current'] else ' '} {r['set']:>3}  data of {r['data_of']}  {r['activities']:>6} activities  "
              f"imported {r['imported_at']} by {r['imported_by']}  {', '.join(r['files'])}", file=out)
    return 0


def cmd_funding(args, out, store: VersionStore) -> int:
    from swgdash.query import funding

    with publishing.current_or_demo(store) as (version, demo, damage):
        _say_what_is_read(store, version, demo, damage)
        used = publishing.iati_for(store, version)
        iati_version = used.version
        if used.withheld:
            print(f"note: no IATI set is read: {used.withheld}", file=sys.stderr)
        db = publishing.open_database(version)
        try:
            found = funding.funding(db.cursor(), iati_version, args.as_of or version.as_of, args.years)
        finally:
            db.close()
    if found.iati is None and not used.withheld:
        print("note: no IATI set has been imported: python -m swgdash iati import FILE...", file=sys.stderr)
    for currency, amount in sorted(found.unconverted().items()):
        print(f"note: {amount:,.0f} {currency} could not be converted to US dollars (no reference rate) and "
              "is not in disbursed_usd", file=sys.stderr)
    doc = found.document()
    if args.json:
        print_json(doc, out)
        return 0
    iati = found.iati
    print(f"version {version.id}, as of {doc['as_of']}, {doc['years']} years; "
          + (f"IATI data of {iati.data_date.isoformat()}, {iati.activities} activities" if iati else "no IATI set"),
          file=out)
    for g in doc["groups"]:
        print(f"{g['group_id']}:", file=out)
        for f in g["funders"]:
            print(f"  {f['disbursed_usd']:>14,} USD  {'member' if f['member'] else 'not a member':<13} "
                  f"{f['organisation']} ({len(f['activities'])} activities)", file=out)
        if g["members_without_evidence"]:
            print("  members with no IATI evidence: " + ", ".join(g["members_without_evidence"]), file=out)
    return 0


def cmd_trend(args, out, store: VersionStore) -> int:
    with publishing.current_or_demo(store) as (version, demo, damage):
        _say_what_is_read(store, version, demo, damage)
        db = publishing.open_database(version)
        try:
            end = args.end or version.as_of
            params = metrics.Params(as_of=end, at_risk_months=args.at_risk_months, dormant_months=args.dormant_months)
            if end > version.as_of:
                print(f"warning: --to {end} is after the date version {version.id}'s data are as of ({version.as_of}): "
                      "meetings held since are not recorded, so the last points look less active than they may be",
                      file=sys.stderr)
            points = metrics.trend_points(metrics.trend(db.cursor(), params, args.start or metrics.trend_start(end),
                                                        args.every))
        finally:
            db.close()
    if args.json:
        print(json.dumps({"points": points}, indent=2), file=out)
        return 0
    print(f"version {version.id}: counting groups and their activity at each {args.every} end", file=out)
    print(f"{'as of':<12}{'counting':>9}{'active':>8}{'at risk':>9}{'dormant':>9}{'meetings 12m':>14}", file=out)
    for r in points:
        print(f"{r['as_of']:<12}{r['counting']:>9}{r['active']:>8}{r['at_risk']:>9}{r['dormant']:>9}"
              f"{r['meetings_12m']:>14}", file=out)
    return 0


def cmd_changes(args, out, store: VersionStore) -> int:
    from swgdash.query import history

    if args.source is not None and args.since is not None:
        raise UserError("give --from or --since, not both")
    versions = store.versions()
    if not versions:
        raise UserError("no version is published yet: changes compare two published versions")
    if args.target is not None:
        target = store.get(args.target)
    else:  # the version the dashboard shows (the newest intact one when the current one is damaged)
        shown = publishing.serving(store)
        for problem in shown.damage:
            print(f"warning: {problem}", file=sys.stderr)
        if shown.version is None:
            raise UserError("no version can be read")
        target = shown.version
    source: Version | None
    if args.source is not None:
        source = store.get(args.source)
        if source.id >= target.id:
            raise UserError(f"--from must name a version published before version {target.id} (--to)")
    else:
        source = history.compared_with(versions, target, args.since)
        if source is None:
            raise UserError(f"version {target.id} is the first: there is no version before it to compare with "
                            "(give --from)")
    dbs = [publishing.open_database(v) for v in (source, target)]
    try:
        with i18n.language("en"):
            plans = metrics.plans(dbs[1].cursor())
            if args.plan and args.plan not in plans:
                raise UnknownPlan(f"there is no plan '{args.plan}'; the plans are: {', '.join(plans) or 'none'}")
            ch = history.changes(dbs[0].cursor(), source, dbs[1].cursor(), target, args.at_risk_months,
                                 args.dormant_months, args.plan, args.since)
            lines = ch.headlines(args.since)
    finally:
        for d in dbs:
            d.close()
    if args.json:
        print_json(ch.doc(), out)
        return 0
    print(f"from version {source.id} (as of {source.as_of}) to version {target.id} (as of {target.as_of})", file=out)
    for line in lines:
        print(line, file=out)
    for note in ch.notes:
        print(f"note: {note}", file=out)
    doc = ch.doc()
    for part in ("groups", "actions", "pillars"):
        for key, items in doc[part].items():
            if items:
                listed: list[str] = [f"{i.get('group_id') or i.get('action_id')} {i['from']}->{i['to']}"
                                     if isinstance(i, dict) else i for i in items]
                print(f"  {part}.{key}: {', '.join(listed)}", file=out)
    return 0


def _changes_before(store: VersionStore, version, since, params, demo: bool):
    """The changes from the version before `version` (or the one current on `since`) to it, for the
    slide "since the last retreat"; None, said on stderr when it matters, when there is none to
    compare with or it cannot be read (the deck is built without that slide)."""
    from swgdash.query import history

    if demo:
        if since:
            print("note: --since is left aside: no version is published, so there is nothing to compare", file=sys.stderr)
        return None
    try:
        before = history.compared_with(store.versions(), version, since)
        if before is None:
            return None
        older, target = publishing.open_database(before), publishing.open_database(version)
    except UserError as exc:  # none current then, or that version damaged
        print(f"warning: no 'since' slide: {exc}", file=sys.stderr)
        return None
    try:
        return history.changes(older.cursor(), before, target.cursor(), version, params.at_risk_months,
                               params.dormant_months, params.plan, since)
    finally:
        older.close()
        target.close()


def _known_group(cur, group: str | None):
    """Every group (metrics.groups_all); UnknownGroup when `group` is given and is none of them."""
    groups = metrics.groups_all(cur)
    if group and group not in set(groups["group_id"]):
        raise UnknownGroup(f"there is no group {group}")
    return groups


def cmd_deck(args, out, store: VersionStore) -> int:
    from swgdash.present import deck, slides

    with publishing.current_or_demo(store) as (version, demo, damage):
        _say_what_is_read(store, version, demo, damage)
        db = publishing.open_database(version)
        try:
            cur = db.cursor()
            groups = _known_group(cur, args.group)
            as_of = args.as_of or version.as_of
            plans = metrics.plans(cur)
            if args.plan and args.plan not in plans:
                raise UnknownPlan(f"there is no plan '{args.plan}'; the plans are: {', '.join(plans) or 'none'}")
            params = metrics.Params(as_of=as_of, groups=metrics.filter_groups(groups, args.group),
                                    plan=args.plan or metrics.default_plan(plans, as_of, metrics.plan_periods(cur)))
            lang = args.lang or i18n.default_language()
            with i18n.language(lang):
                shown = metrics.groups_all(cur)  # (the names in the slides' language)
                scope = None if not args.group else dict(zip(shown["group_id"], shown["name"], strict=True))[args.group]
                ch = _changes_before(store, version, args.since, params, demo)
            deck_slides = slides.deck_slides(cur, params, scope, args.group_slides, lang, args.bilingual, ch,
                                             publishing.iati_for(store, version).version)
        finally:
            db.close()
    with i18n.language(lang):
        footer = deck.footer_text(version.id, as_of, version.is_demo)
        images = deck.chart_pngs(deck_slides)
        pptx = deck.pptx_bytes(deck_slides, footer, images)
        pdf = deck.pdf_bytes(deck_slides, footer, images) if args.pdf else None  # (both made before either is written)
    Path(args.out).write_bytes(pptx)
    if pdf is not None:
        Path(args.pdf).write_bytes(pdf)
    print(f"{len(deck_slides)} slides: {args.out}" + (f" and {args.pdf}" if args.pdf else ""), file=out)
    return 0


def cmd_calendar(args, out, store: VersionStore) -> int:
    import os
    import tempfile

    from swgdash.present import ical

    with publishing.current_or_demo(store) as (version, demo, damage):
        _say_what_is_read(store, version, demo, damage)
        db = publishing.open_database(version)
        try:
            cur = db.cursor()
            _known_group(cur, args.group)
            params = metrics.Params(as_of=version.as_of, groups=(args.group,) if args.group else None)
            with i18n.language(args.lang or i18n.default_language()):
                names = dict(zip(*metrics.groups_all(cur)[["group_id", "name"]].T.values, strict=True))
                data = ical.calendar_file(cur, params, ical.calendar_title(names.get(args.group)))
                events = len(metrics.calendar_meetings(cur, params))
        finally:
            db.close()
    target = Path(args.out)
    fd, tmp = tempfile.mkstemp(dir=target.parent if str(target.parent) else ".", prefix=".calendar-", suffix=".ics")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(tmp, 0o644)  # (mkstemp's 0600 would hide it from the web server serving it)
    os.replace(tmp, target)
    print(f"{events} meetings: {args.out}", file=out)
    return 0


def main(argv=None, out=None) -> int:
    out = out or sys.stdout
    args = build_parser().parse_args(argv)
    try:
        store = open_store(args.home)
        if args.command == "validate":
            return cmd_validate(args, out)
        handler = {"publish": cmd_publish, "versions": cmd_versions, "rollback": cmd_rollback,
                   "summary": cmd_summary, "deck": cmd_deck, "verify": cmd_verify, "backup": cmd_backup,
                   "restore": cmd_restore, "trend": cmd_trend, "changes": cmd_changes, "crosswalk": cmd_crosswalk,
                   "calendar": cmd_calendar, "iati": cmd_iati, "funding": cmd_funding}[args.command]
        code = handler(args, out, store)
        if store.outage is not None:  # what was read is what this machine holds
            print(f"warning: {publishing.outage_note(store, None)} What was read is the copy this machine "
                  "holds.", file=sys.stderr)
        return code
    except UserError as exc:  # what was asked cannot be done as asked: say why
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1
    except Exception as exc:  # a fault of the program or of its store, not of what was asked
        print(f"internal error ({type(exc).__name__}): {exc}", file=sys.stderr)
        return 1
