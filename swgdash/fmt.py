"""Formatting for people, without Streamlit: dates, months, names, escaped text, links,
file names. The pages, the slides and the downloads all format through here."""
from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

import pandas as pd

from swgdash import i18n, settings
from swgdash.i18n import N_, _, ngettext


def md(text) -> str:
    """Escape extract text for Streamlit markdown (no links, no formatting, no directives)."""
    out = []
    for ch in str(text):
        if ch in "\\`*_{}[]()#+-.!|<>~$:=":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def excerpt(text, most: int = 40) -> str:
    """What a person typed or sent, safe to quote back: control, format and bidirectional characters
    (U+202E and the like, which would reorder the words around them) removed, runs of spaces made
    one, at most `most` characters (then '…'). Escape it with `md` before markdown."""
    clean = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in str(text if text is not None else ""))
    clean = " ".join(clean.split())
    return clean if len(clean) <= most else clean[: most - 1] + "…"


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")


def number_word(n: int) -> str:
    """A small count in words ('ten'), a larger one in digits."""
    if i18n.current() != "en":  # in words in English only
        return i18n.digits(str(n))
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)


def years_label(n: int) -> str:
    return ngettext("{n} year", "{n} years", n).format(n=i18n.digits(str(n)))


def months_label(n: int) -> str:
    return ngettext("{n} month", "{n} months", n).format(n=n)


def is_missing(v) -> bool:
    """None, NaN, NaT or pandas' NA (plain Python values answered without pandas: the command line's
    read commands never load it)."""
    if v is None:
        return True
    kind = type(v)  # (exact types: pandas' NaT is a datetime too)
    if kind is str or kind is int or kind is bool or kind is dt.date or kind is dt.datetime:
        return False
    if kind is float:
        return math.isnan(v)
    return bool(pd.isna(v))


def date_str(v, missing: str | None = None) -> str:
    """A day for people ('05 Nov 2026'); `missing` (default: 'never') when there is none."""
    if is_missing(v):
        return _("never") if missing is None else missing
    return i18n.date_text(v if isinstance(v, dt.date) else pd.Timestamp(v).date(), short=True)


def local_time(iso: str | None, zone: str) -> str:
    """A recorded time (ISO 8601, with its offset) in the deployment's time zone, to the minute,
    with the zone's offset: '2026-11-23 18:42 (+07)'. Blank when there is none."""
    if not iso:
        return ""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    tz: dt.tzinfo
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):  # (settings.timezone() does the same for the setting)
        tz = dt.timezone.utc
    when = dt.datetime.fromisoformat(str(iso))
    when = (when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)).astimezone(tz)
    offset = when.strftime("%z")
    return when.strftime("%Y-%m-%d %H:%M") + f" ({offset[:3]}{'' if offset[3:] == '00' else ':' + offset[3:]})"


# What a version's manifest records in English, shown in the reader's language: who published
# the bundled demo and its note; a rollback's note and source.
FIRST_START = N_("swgdash (first start)")
DEMO_NOTE = N_("Bundled demo extract (fictional figures)")
_ROLLBACK = re.compile(r"rollback to version (\d+)(?:: (.*))?", re.S)
_VERSION = re.compile(r"version (\d+)")


def publisher(by: str) -> str:
    """Who published a version, as recorded; the app's own first start in the reader's language."""
    return _(by) if by == FIRST_START else by


def kept_warning(entry: dict) -> str:
    """A data-quality warning a version keeps (its manifest's `quality`), in the reader's language
    when it was written in it, else in English."""
    return entry.get("messages", {}).get(i18n.current()) or entry.get("message", "")


def recorded(text: str) -> str:
    """A note or source the app itself recorded (in English), in the reader's language; anything
    a person wrote, as written."""
    if text in (FIRST_START, DEMO_NOTE):
        return _(text)
    if m := _ROLLBACK.fullmatch(text or ""):
        return (_("rollback to version {version}: {why}").format(version=int(m[1]), why=m[2]) if m[2] is not None
                else _("rollback to version {version}").format(version=int(m[1])))
    if m := _VERSION.fullmatch(text or ""):
        return _("version {version}").format(version=int(m[1]))
    return text


def name_and_id(names: dict[str, str], gid: str) -> str:
    """"Name (ID)"; a name shared by several groups already carries its id (metrics.display_names)."""
    name = names.get(gid, gid)
    return name if name.endswith(f" ({gid})") else f"{name} ({gid})"


def safe_link(url) -> str | None:
    """A document link is shown only when it starts with http:// or https:// (never javascript: etc.)."""
    if isinstance(url, str) and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def file_stem(name: str, as_of: dt.date) -> str:
    """A download's file name: words of its title, then the as-of date."""
    # letters of any script with their marks (a Lao title stays Lao), digits; anything else one '_'
    kept = "".join(ch if unicodedata.category(ch)[0] in "LMN" else "_" for ch in name)
    words = re.sub(r"_+", "_", kept).strip("_").lower()
    cut = 60
    while cut < len(words) and unicodedata.category(words[cut]).startswith("M"):  # not inside a syllable
        cut += 1
    words = words[:cut] or "download"
    return f"{words}_as-of_{as_of.isoformat()}"


# Table column headings, each worded once: a heading's key -> its words (in English, marked for the
# catalog; `headings` gives them in the reader's language). The pages' tables and downloads, and
# the widgets', name their columns through `headings`.
HEADINGS: dict[str, str] = {
    # groups
    "group": N_("Group"), "id": "ID", "kind": N_("Kind"), "activity": N_("Activity"), "chair": N_("Chair"),
    "parent": N_("Parent SWG"), "status": N_("Status"), "formal_status": N_("Formal status"),
    "established_on": N_("Established"), "closed_on": N_("Closed"), "profile": N_("Profile"),
    # meetings
    "last_meeting": N_("Last meeting"), "last_met": N_("Last met"), "next_meeting": N_("Next meeting"),
    "days_since_last": N_("Days since last meeting"), "meetings_12m": N_("Meetings in 12 months"),
    "date": N_("Date"), "format": N_("Format"), "level": N_("Level"), "participants": N_("Participants"),
    "minutes_published": N_("Minutes published"), "minutes": N_("Minutes"), "agenda_sent_on": N_("Agenda sent"),
    "planned": N_("Planned a year"), "actual": N_("Held in 12 months"), "shortfall": N_("Shortfall"),
    "meetings": N_("Meetings"), "meeting": N_("Meeting"), "first": N_("First"), "last": N_("Last"),
    "why_not_counted": N_("Why not counted"), "why_set_aside": N_("Why set aside"),
    # pillars
    "pillar": N_("Pillar"), "pillar_name": N_("Name"), "plan": N_("Plan"), "primary": N_("Primary"),
    "groups_aligned": N_("Groups aligned"), "groups_none_functioning": N_("Groups (none functioning)"),
    "functioning_groups": N_("Functioning"), "dormant_groups": N_("Dormant"), "gap": N_("Gap"),
    "gap_here": N_("None functioning here"),
    "aligned_directly": N_("Aligned directly"), "carried_over": N_("Carried over"), "carried_to": N_("Carried to"),
    "from_pillar": N_("Pillar of {from_plan}"), "to_pillar": N_("Pillar of {to_plan}"),
    "gap_before": N_("Gap before realignment"), "gap_after": N_("Gap after realignment"),
    "old_pillars": N_("Pillars of {plan}"), "suggested": N_("Suggested pillars of {plan}"),
    # recommendations and actions
    "action": N_("Action"), "owner": N_("Owner"), "due": N_("Due"), "days_overdue": N_("Days overdue"),
    "recommendation": N_("Recommendation"), "rec": N_("Rec."), "updated_on": N_("Updated"),
    "overdue": N_("Overdue"), "history": N_("Status across versions"), "title": N_("Title"),
    "source": N_("Source"), "text": N_("Text"),
    # partners and members
    "partner": N_("Partner"), "organisation": N_("Organisation"), "type": N_("Type"), "role": N_("Role"),
    "declared_role": N_("Declared role"), "start_on": N_("From"), "end_on": N_("To"), "ends": N_("Ends"),
    "within": N_("Within"), "successor_recorded": N_("Successor recorded"),
    "terms": N_("Terms ending without successor"), "first_end": N_("First ends"), "current": N_("Current"),
    "chair_roles": N_("Chair roles"), "chair_roles_of": N_("Co-chair or focal point of"),
    "active_groups": N_("Active in groups"), "active_in": N_("Active in"), "active_dps": N_("Active partners"),
    "problem": N_("Problem"), "rate": N_("Attendance (%)"), "presence": N_("Present (%)"), "present": N_("Present"),
    "meetings_with_attendance": N_("Meetings with attendance (12 months)"),
    "rarely_present": N_("Active but rarely present"), "over_cap": N_("Over the cap of {cap}"),
    # funding (IATI)
    "member": N_("Sits in the group"), "disbursed_usd": N_("US$ disbursed or spent"),
    "activities": N_("IATI activities"), "iati_identifier": N_("IATI identifier"), "funders": N_("Funders"),
    "usd": N_("US$ in the group's sectors"), "unconverted": N_("Not converted (no rate)"),
    "codes": N_("Sector codes (DAC)"), "not_members": N_("Funders not in the group"),
    "without_evidence": N_("Members with no IATI evidence"), "generated": N_("Generated"),
    "iati_version": N_("IATI version"), "iati_activities_read": N_("Activities in the file"), "funds_sectors_of": N_("Groups funded (IATI)"),
    "imported": N_("Imported"), "data_of": N_("Data of"),
    # documents
    "link": N_("Link"), "where": N_("Location"), "year": N_("Year"),
    # the scorecard
    "score": N_("Score"), "tor_rating": N_("Terms of reference"), "workplan_rating": N_("Work plan {year}"),
    "annual_report_rating": N_("Annual report {year}"), "meetings_rating": N_("Meetings as planned"),
    "agenda_rating": N_("Agenda 7+ days ahead"), "format_mix": N_("Joint / donors-only (12 months)"),
    "highest_level_12m": N_("Highest chairing level"), "called_off": N_("Called off (12 months)"),
    # data quality
    "table": N_("Table"), "row": N_("Row"), "column": N_("Column"), "warning": N_("Warning"),
    "severity": N_("Severity"), "message": N_("Message"),
    # what changed (an upload's preview, the changes between versions)
    "change": N_("Change"), "before": N_("Before"), "after": N_("After"), "now": N_("Now"),
    "before_lo": N_("Before (Lao)"), "after_lo": N_("After (Lao)"), "name_before": N_("Name before"),
    "name_now": N_("Name now"), "group_before": N_("Group before"), "group_now": N_("Group now"),
    "action_before": N_("Action before"), "action_now": N_("Action now"), "rec_before": N_("Rec. before"),
    "rec_after": N_("Rec. after"), "rec_now": N_("Rec. now"), "parent_before": N_("Parent before"),
    "parent_after": N_("Parent after"),
    "status_before": N_("Status before"),
    # versions and the audit log
    "version": N_("Version"), "state": N_("State"), "published": N_("Published"), "note": N_("Note"),
    "by": N_("By"), "files": N_("Files"), "rows": N_("Rows"), "time": N_("Time"), "event": N_("Event"),
    "sources": N_("Sources"), "errors": N_("Errors"), "reason": N_("Reason"), "as_of": N_("As of"),
    "rollback_of": N_("Rollback of"), "warnings": N_("Warnings"), "stage": N_("Stage"), "address": N_("Address"),
    "attempts": N_("Attempts this hour"),
}
# A result column's heading where its key is not the column's own name.
COLUMN_HEADINGS = {"name": "group", "group_name": "group", "group_id": "id", "action_id": "id", "rec_id": "rec",
                   "chair_org": "chair", "description": "action", "due_on": "due", "org_type": "type",
                   "doc_type": "type", "minutes_rating": "minutes_published", "meeting_id": "meeting",
                   "first_date": "first", "last_date": "last", "message": "warning", "present_12m": "present",
                   "meetings_recorded": "meetings", "pillar_id": "pillar"}


def usd(amount) -> str:
    """An amount in US dollars as a reader takes it in: 'US$ 48.9 million', 'US$ 850,000'."""
    if is_missing(amount):
        return "—"
    if abs(amount) >= 1e6:
        return _("US$ {amount} million").format(amount=i18n.decimal(amount / 1e6, 1))
    return _("US$ {amount}").format(amount=i18n.number(amount))


def amounts(by_currency: dict) -> str:
    """Amounts in other currencies, largest first: '61,202,569,726 LAK' ('' for none)."""
    return ", ".join(f"{i18n.number(v)} {k}" for k, v in sorted(by_currency.items(), key=lambda kv: -abs(kv[1])))


COUNTRY_NAMES = {"LA": N_("Lao PDR")}  # the official short name (glossary); other countries as CLDR names them


def country_name(code: str) -> str:
    """A country as the reader names it: 'Lao PDR' for LA, else its name in the page's language."""
    if code in COUNTRY_NAMES:
        return _(COUNTRY_NAMES[code])
    return i18n.territory_name(code)


def iso_day(text: str | None) -> str:
    """An IATI date-time ('2026-03-03T06:00:00Z') as its day, as the reader writes days; '—' for none."""
    try:
        return i18n.date_text(dt.date.fromisoformat(str(text)[:10]))
    except ValueError:
        return str(text) if text else "—"


def iati_source(info) -> str:
    """'IATI data of 3 March 2026': where a chart's amounts come from."""
    return _("IATI data of {day}").format(day=i18n.date_text(info.data_date))


def iati_note(info, since: dt.date, as_of: dt.date) -> str:
    """What the funding figures read: 'IATI data of 3 March 2026, 46 activities in Lao PDR (imported
    on 8 December 2026); disbursements and expenditure from 1 November 2023 to 31 October 2026.',
    and, when the data are older than the window's end, that its last months hold none yet."""
    text = ngettext("IATI data of {day}, {activities} activity in {country} (imported on {imported}); disbursements "
                    "and expenditure from {start} to {end}.",
                    "IATI data of {day}, {activities} activities in {country} (imported on {imported}); disbursements "
                    "and expenditure from {start} to {end}.", info.activities).format(
        day=i18n.date_text(info.data_date), activities=i18n.number(info.activities), country=country_name(info.country),
        imported=i18n.date_text(info.imported_on), start=i18n.date_text(since + dt.timedelta(days=1)),
        end=i18n.date_text(as_of))
    months = (as_of.year - info.data_date.year) * 12 + as_of.month - info.data_date.month
    if months >= 1:
        text += " " + ngettext("The data end {n} month before the window does: its last month holds no IATI data yet.",
                               "The data end {n} months before the window does: its last months hold no IATI data "
                               "yet.", months).format(n=i18n.number(months))
    return text


def unconverted_note(by_currency: dict) -> str:
    """The amounts the US dollar figures leave out, for want of a reference rate."""
    return _("Not in the US dollar figures, for want of a reference rate: {amounts}.").format(
        amounts=amounts(by_currency))


def no_iati_evidence(info) -> str:
    """The caveat beside members with no IATI evidence."""
    return _("No IATI evidence found in the data of {day}: not every partner publishes to IATI, and a partner may "
             "publish under an identifier the register does not give, so this is not proof of no funding.").format(
        day=i18n.date_text(info.data_date))


def secretariat() -> str:
    """The secretariat as the pages name it: the deployment's SWGDASH_SECRETARIAT_NAME, else 'the secretariat'."""
    return settings.get("SWGDASH_SECRETARIAT_NAME") or _("the secretariat")


def formerly(name, before, until) -> str:
    """An organisation's name as it counts now, with the name it had where a successor took over from it:
    'Ministry of Finance (formerly Ministry of Planning and Investment, until 20 March 2025)'."""
    if is_missing(before):
        return "" if is_missing(name) else str(name)
    if is_missing(until):  # (a successor given without a date)
        return _("{name} (formerly {before})").format(name=name, before=before)
    day = until if isinstance(until, dt.date) else pd.Timestamp(until).date()
    return _("{name} (formerly {before}, until {until})").format(name=name, before=before, until=i18n.date_text(day))


# The columns a result names organisations in, with those that say what each was formerly called
# (a merged ministry's successor: the query database's names_at).
FORMER_NAMES = {"organisation": ("formerly", "formerly_until"), "chair_org": ("chair_formerly", "chair_formerly_until")}


def with_former_names(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with each organisation column that has them written as formerly() writes it (from
    its FORMER_NAMES columns, which it drops)."""
    for column, (before, until) in FORMER_NAMES.items():
        if column in df.columns and before in df.columns and until in df.columns:
            df = df.assign(**{column: [formerly(n, b, u) for n, b, u in zip(df[column], df[before], df[until],
                                                                              strict=True)]}
                           ).drop(columns=[before, until])
    return df


def lists_as_text(df: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """The frame with each of these columns' lists (of ids) written as one text: 'A, B' ('—' when empty)."""
    return df.assign(**{col: [", ".join(map(str, v)) if len(v) else "—" for v in df[col]] for col in columns})


def heading(key: str) -> str:
    """One heading of HEADINGS, in the reader's language."""
    return _(HEADINGS[key])


def headings(*columns: str, fill: dict | None = None, **keys: str) -> dict[str, str]:
    """{column: its heading in the reader's language}, for these result columns in this order: the
    HEADINGS entry of the column's key (`keys` names it where the table heads the column otherwise,
    e.g. organisation="partner"; else COLUMN_HEADINGS, else the column's name). `fill`: the values
    of placeholders ('Over the cap of {cap}': fill={"cap": 3})."""
    out = {}
    for col in columns:
        text = _(HEADINGS[keys.get(col) or COLUMN_HEADINGS.get(col, col)])
        out[col] = text.format(**fill) if fill else text
    return out
