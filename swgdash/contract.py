"""The extract contract, version 1, as data.

This module is the single source of truth for what an extract may contain:
the reader, the validator, the store's Parquet schemas, the blank template and
the docs table are all derived from TABLES below.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from swgdash.i18n import N_, _

CONTRACT_VERSION = 1
# The date the bundled demo extract (data/demo/, written by scripts/make_demo.py) is as of: its
# extract table says so, and the store publishes it as of this date on first start.
DEMO_AS_OF = dt.date(2026, 10, 31)


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # "text" | "int" | "date" | "bool" | "enum"
    required: bool = False
    unique: bool = False
    choices: tuple[str, ...] = ()
    default: object = None
    min: int | None = None
    ref: tuple[str, str] | None = None  # (table, column) it must name
    not_before: str | None = None  # column of the same row this may not precede
    not_after: str | None = None  # column of the same row this may not follow
    doc: str = ""


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    required: bool = False
    doc: str = ""
    column_names: tuple[str, ...] = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "column_names", tuple(c.name for c in self.columns))

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


# Every code, with the words a reader sees beside it: the extract's codes (the choices of its
# columns) and the codes of the figures (activity, ratings). Pages, charts, slides, tables,
# downloads and the deck all read them through `words` (one lookup; nothing is worded twice).
CODE_WORDS: dict[str, dict[str, str]] = {
    "kind": {"swg": N_("SWG"), "sub_swg": N_("Sub-SWG"), "task_force": N_("Task force")},
    "group_status": {"active": N_("Active"), "merged": N_("Merged"), "discontinued": N_("Discontinued")},
    "format": {"joint": N_("Joint (government and partners)"), "donors_only": N_("Donors only")},
    "level": {"minister": N_("Minister"), "vice_minister": N_("Vice minister"), "director_general": N_("Director general"),
              "technical": N_("Technical")},
    "org_type": {"government": N_("Government"), "development_partner": N_("Development partner"),
                 "civil_society": N_("Civil society"), "private_sector": N_("Private sector"), "other": N_("Other")},
    "role": {"chair": N_("Chair"), "co_chair": N_("Co-chair"), "focal_point": N_("Focal point"),
             "vice_focal_point": N_("Vice focal point"), "secretariat": N_("Secretariat"), "active": N_("Active"),
             "attending": N_("Attending"), "informed": N_("Informed")},
    "meeting_status": {"held": N_("Held"), "scheduled": N_("Scheduled"), "cancelled": N_("Cancelled"),
                       "postponed": N_("Postponed")},
    "action_status": {"not_started": N_("Not started"), "in_progress": N_("In progress"), "done": N_("Done"),
                      "dropped": N_("Dropped")},
    "doc_type": {"tor": N_("Terms of reference"), "workplan": N_("Work plan"), "annual_report": N_("Annual report"),
                 "minutes": N_("Minutes"), "other": N_("Other")},
    # the figures' own codes
    "activity": {"active": N_("Active"), "at_risk": N_("At risk"), "dormant": N_("Dormant")},
    "rating": {"good": N_("✔ good"), "partial": N_("◐ partly"), "poor": N_("✘ missing"), "na": N_("– n/a")},  # a document
    "rating_share": {"good": N_("✔ good"), "partial": N_("◐ partly"), "poor": N_("✘ under half"), "na": N_("– n/a")},  # a share
    # (of meetings held as planned, with minutes, with the agenda sent in time)
    "level_recorded": {"not recorded": N_("Not recorded")},  # a meeting whose level is empty
    "unit": {"month": N_("month"), "quarter": N_("quarter")},  # a period of the meeting charts
    # why a meeting counts in no figure (swgdash.query.metrics.not_counted)
    "not_counted": {"status_discontinued": N_("its group is discontinued"), "status_merged": N_("its group was merged"),
                    "established_later": N_("its group was established after the as-of date"),
                    "closed": N_("its group closed on or before the as-of date"),
                    "before_established": N_("held before its group was established"),
                    "after_closed": N_("held after its group closed"), "after_upload": N_("dated after the upload day")},
}
GROUP_KINDS = tuple(CODE_WORDS["kind"])
GROUP_STATUSES = tuple(CODE_WORDS["group_status"])
MEETING_FORMATS = tuple(CODE_WORDS["format"])
MEETING_LEVELS = tuple(CODE_WORDS["level"])
MEETING_STATUSES = tuple(CODE_WORDS["meeting_status"])
HELD = "held"  # the one meeting status that counts in figures (empty means held)
ORG_TYPES = tuple(CODE_WORDS["org_type"])
MEMBER_ROLES = tuple(CODE_WORDS["role"])
ACTION_STATUSES = tuple(CODE_WORDS["action_status"])
DOC_TYPES = tuple(CODE_WORDS["doc_type"])
ACTIVITIES = tuple(CODE_WORDS["activity"])  # the order of every activity chart and count
LEVEL_NOT_RECORDED = "not recorded"  # a meeting's empty level, as the figures and filters name it
# The roles that count as active participation (the query database's is_active_role, the
# participation figures and the benchmark's baseline all read this one list).
ACTIVE_ROLES = ("chair", "co_chair", "focal_point", "vice_focal_point", "active")
# Every role from the highest down: a partner holding several roles in one group is shown in the
# highest (the query database's role_rank reads this list).
ROLE_RANK = ("chair", "co_chair", "focal_point", "vice_focal_point", "active", "attending", "informed", "secretariat")
# The roles that lead a group (its leadership terms: is_leadership_role), and those a development
# partner chairs with (the donor load's chair roles: is_partner_chair_role).
LEADERSHIP_ROLES = ("chair", "co_chair", "focal_point", "vice_focal_point")
PARTNER_CHAIR_ROLES = ("co_chair", "focal_point")
DEFAULT_FORMAT = "joint"  # a meeting whose format is not given (meeting_format)

# The code domains a table column can hold, by the column's name (a status is a group's or an
# action's: the two share no code).
COLUMN_DOMAINS = {"kind": ("kind",), "status": ("group_status", "action_status", "meeting_status"), "format": ("format",),
                  "level": ("level", "level_recorded"), "highest_level_12m": ("level", "level_recorded"),
                  "org_type": ("org_type",), "role": ("role",), "doc_type": ("doc_type",),
                  "activity": ("activity",), "tor_rating": ("rating",), "workplan_rating": ("rating",),
                  "annual_report_rating": ("rating",), "meetings_rating": ("rating_share",),
                  "minutes_rating": ("rating_share",), "agenda_rating": ("rating_share",)}


def words(name: str) -> dict[str, str]:
    """Code -> words of a table column (every domain it can hold: COLUMN_DOMAINS), or of a
    domain of CODE_WORDS."""
    if name not in COLUMN_DOMAINS:
        return {code: _(text) for code, text in CODE_WORDS.get(name, {}).items()}
    out: dict[str, str] = {}
    for d in COLUMN_DOMAINS[name]:
        out.update((code, _(text)) for code, text in CODE_WORDS[d].items())
    return out


def word(name: str, code) -> str:
    """The words for one code of a column or domain (`words`); the code itself when it has
    none, and an empty cell as '—'."""
    if code is None or (not isinstance(code, str) and code != code):
        return "—"
    domains = COLUMN_DOMAINS.get(name, (name,))
    for d in domains:
        if code in CODE_WORDS.get(d, {}):
            return _(CODE_WORDS[d][code])
    return str(code)


# The optional Lao columns (name_lo, title_lo, description_lo), each right after the English
# column it translates: pages, charts and the briefing pack show the Lao text where it is
# filled and the English one where it is not; the app never translates a name itself.
LAO_DOC = "the {what} in Lao (ພາສາລາວ); empty: the English {what} is shown"

C = Column
TABLES: dict[str, Table] = {t.name: t for t in (
    Table("groups", required=True, doc="Sector working groups, sub-groups and task forces.", columns=(
        C("group_id", "text", required=True, unique=True, doc="identifier, e.g. SWG-HEALTH"),
        C("name", "text", required=True),
        C("name_lo", "text", doc=LAO_DOC.format(what="name")),
        C("kind", "enum", required=True, choices=GROUP_KINDS),
        C("parent_id", "text", ref=("groups", "group_id"),
          doc="another group; required for sub_swg"),
        C("chair_org", "text", doc="chairing ministry or agency"),
        C("status", "enum", choices=GROUP_STATUSES, default="active",
          doc="formal status; dormancy is computed, never entered"),
        C("planned_meetings_per_year", "int", min=0, doc="from the terms of reference"),
        C("established_on", "date"),
        C("closed_on", "date", not_before="established_on"),
    )),
    Table("meetings", required=True, doc="One row per meeting: held, or only planned (its status says which; "
          "only held meetings count in any figure).", columns=(
        C("meeting_id", "text", required=True, unique=True),
        C("group_id", "text", required=True, ref=("groups", "group_id")),
        C("date", "date", required=True),
        C("format", "enum", choices=MEETING_FORMATS, default=DEFAULT_FORMAT),
        C("level", "enum", choices=MEETING_LEVELS, doc="highest level chairing"),
        C("participants", "int", min=0),
        C("minutes_published", "bool"),
        C("agenda_sent_on", "date", not_after="date"),
        C("status", "enum", choices=MEETING_STATUSES, default="held",
          doc="scheduled, cancelled and postponed meetings count in no figure: they give the next "
              "meetings and the calendar"),
    )),
    Table("members", doc="Who belongs to each group, in which role, when.", columns=(
        C("group_id", "text", required=True, ref=("groups", "group_id")),
        C("organisation", "text", required=True),
        C("org_type", "enum", required=True, choices=ORG_TYPES),
        C("role", "enum", required=True, choices=MEMBER_ROLES),
        C("start_on", "date"),
        C("end_on", "date", not_before="start_on"),
    )),
    Table("attendance", doc="Who was present at each meeting.", columns=(
        C("meeting_id", "text", required=True, ref=("meetings", "meeting_id")),
        C("organisation", "text", required=True),
        C("present", "bool", default=True),
    )),
    Table("organisations", doc="One partner, one name: how each organisation written in members and "
          "attendance counts (participation, donor load, the cap and chair rotation use it), and which "
          "organisation took over from it, from when (a chain A -> B -> C is followed).", columns=(
        C("organisation", "text", required=True, unique=True, doc="the name as written, e.g. Embassy of Japan"),
        C("partner", "text", required=True, doc="the partner it counts as, e.g. Japan"),
        C("org_type", "enum", choices=ORG_TYPES, doc="the partner's type; empty: as the members table says"),
        C("successor", "text", doc="the organisation that took over from it (a merged ministry's new one), e.g. "
                                   "Ministry of Finance; from successor_since every figure counts it as its successor"),
        C("successor_since", "date", doc="the day its successor took over; empty with a successor: always counted as it"),
        C("iati_ref", "text", doc="the partner's IATI organisation identifier, e.g. XM-DAC-701-8 (Japan); the funding "
                                  "figures (/funding) match IATI activities to the register through it"),
    )),
    Table("pillars", doc="Pillars (outcomes, goals) of national plans.", columns=(
        C("plan", "text", doc="e.g. 9th NSEDP 2021-2025"),
        C("pillar_id", "text", required=True, unique=True),
        C("name", "text", required=True),
        C("name_lo", "text", doc=LAO_DOC.format(what="name")),
        C("plan_start", "date", doc="the plan's first day; empty: the first year its name gives, 1 January"),
        C("plan_end", "date", not_before="plan_start",
          doc="the plan's last day; empty: the last year its name gives, 31 December"),
    )),
    Table("alignment", doc="Which group contributes to which pillar.", columns=(
        C("group_id", "text", required=True, ref=("groups", "group_id")),
        C("pillar_id", "text", required=True, ref=("pillars", "pillar_id")),
        C("primary", "bool", default=False),
    )),
    Table("pillar_map", doc="A crosswalk between two plans: which pillar of the earlier plan carries over to which "
          "pillar of the later one (a pillar may map to several, and several to one). Groups aligned to an old "
          "pillar are then counted as carried to the new ones it maps to (/alignment, `crosswalk`).", columns=(
        C("from_pillar_id", "text", required=True, ref=("pillars", "pillar_id"),
          doc="a pillar of the plan carried from (normally the earlier one)"),
        C("to_pillar_id", "text", required=True, ref=("pillars", "pillar_id"),
          doc="a pillar of another plan, the one that carries it on; a crosswalk is read from one plan to the "
              "other as its rows are written"),
        C("note", "text", doc="why, in a few words (shown beside the mapping)"),
    )),
    Table("group_sectors", doc="Which sectors of the partners' IATI activities each group covers (/funding): an "
          "activity whose sector code starts with one of a group's codes counts for that group.", columns=(
        C("group_id", "text", required=True, ref=("groups", "group_id")),
        C("dac_code", "text", required=True,
          doc="a DAC purpose code (five digits, e.g. 12220 basic health care), a DAC category (three digits, e.g. "
              "121 health, general) or a prefix of four digits (1222); a category matches every code in it"),
    )),
    Table("recommendations", doc="Recommendations to follow up, e.g. of the 2022 SWG review.", columns=(
        C("rec_id", "text", required=True, unique=True),
        C("title", "text", required=True),
        C("title_lo", "text", doc=LAO_DOC.format(what="title")),
        C("source", "text", doc="e.g. SWG review 2022"),
        C("text", "text"),
    )),
    Table("actions", doc="Follow-up actions on recommendations.", columns=(
        C("action_id", "text", required=True, unique=True),
        C("rec_id", "text", required=True, ref=("recommendations", "rec_id")),
        C("group_id", "text", ref=("groups", "group_id")),
        C("description", "text", required=True),
        C("description_lo", "text", doc=LAO_DOC.format(what="description")),
        C("owner", "text"),
        C("due_on", "date"),
        C("status", "enum", required=True, choices=ACTION_STATUSES),
        C("updated_on", "date"),
    )),
    Table("documents", doc="Terms of reference, work plans, reports and minutes.", columns=(
        C("group_id", "text", required=True, ref=("groups", "group_id")),
        C("doc_type", "enum", required=True, choices=DOC_TYPES),
        C("year", "int", required=True),
        C("issued_on", "date"),
        C("title", "text"),
        C("url", "text", doc="shown as a link only when it starts with http:// or https://"),
    )),
    Table("extract", doc="About the extract itself: one row.", columns=(
        C("as_of", "date", doc="the date the figures are as of; empty: the latest meeting, membership change "
                               "or action update not after the upload day"),
    )),
)}
del C
assert set(ROLE_RANK) == set(MEMBER_ROLES)

# The texts that have a Lao column (name_lo, title_lo, description_lo: each right after the
# English column it translates), read from the tables above: (table, English column, Lao column).
# The query database's Lao names (swgdash.query.db.lao_names) and the tests read this one list.
LAO_TEXTS = tuple((t.name, t.columns[i - 1].name, c.name)
                  for t in TABLES.values() for i, c in enumerate(t.columns) if c.name.endswith("_lo"))


def id_column(table: str) -> str:
    """The column that names each row of a table (its first unique column)."""
    return next(c.name for c in TABLES[table].columns if c.unique)


def normalise_name(name: object) -> str:
    """Header and table names are matched ignoring case and surrounding spaces,
    with spaces and hyphens read as underscores (`Group ID` = `group_id`)."""
    text = "" if name is None else str(name)
    text = text.strip().lower()
    for ch in (" ", "-"):
        text = text.replace(ch, "_")
    return text


TYPE_WORDS = {"text": "text", "int": "whole number", "date": "date", "bool": "yes/no", "enum": "one of"}


def describe(col: Column) -> str:
    """A column's rules in plain words, for the docs and the blank template."""
    rules = []
    if col.required:
        rules.append("required")
    if col.unique:
        rules.append("unique")
    if col.choices:
        rules.append("one of " + ", ".join(f"`{c}`" for c in col.choices))
    if col.min is not None:
        rules.append(f"{col.min} or more")
    if col.ref:
        rules.append(f"must be a `{col.ref[1]}` of `{col.ref[0]}`")
    if col.not_before:
        rules.append(f"not before `{col.not_before}`")
    if col.not_after:
        rules.append(f"not after `{col.not_after}`")
    if col.default is not None:
        rules.append(f"empty means `{str(col.default).lower()}`")
    if col.doc:
        rules.append(col.doc)
    return "; ".join(rules)


def markdown_tables() -> str:
    """The column tables of docs/extract-format.md, generated from TABLES."""
    out = []
    for t in TABLES.values():
        out.append(f"### {t.name} ({'required' if t.required else 'optional'})\n\n{t.doc}\n")
        out.append("| column | type | rules |\n|---|---|---|")
        for c in t.columns:
            kind = "text" if c.type == "enum" else TYPE_WORDS[c.type]
            out.append(f"| `{c.name}` | {kind} | {describe(c)} |")
        out.append("")
    return "\n".join(out)
