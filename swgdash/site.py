"""The site map: every page once, with its address, file, words and the figures it opens.

The entry point (dashboard.py) builds its navigation from PAGES; the tests, the
screenshots and the benchmarks read their page lists from it; and `default_views`, the
figures a version's query database prepares at publish, is the union of what the pages,
their shared header, the slides and `summary` ask for as they open.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable

from swgdash.contract import LEVEL_NOT_RECORDED, MEETING_FORMATS, MEETING_LEVELS
from swgdash.i18n import N_
from swgdash.present import sentences
from swgdash.query import crosswalk, metrics
from swgdash.query.metrics import Params

# A figure a page opens: metrics function and its keyword arguments besides the cursor and Params.
Figure = tuple[Callable, dict]
EVERY_FORMAT_AND_LEVEL = {"formats": tuple(MEETING_FORMATS), "levels": (*MEETING_LEVELS, LEVEL_NOT_RECORDED)}
EXAMPLE_GROUP = "SWG-HEALTH"  # the demo's group in example addresses (tests, screenshots, benchmarks)

# The pages' own controls: the choices each offers, and the one it opens with (its figures below are
# asked with these; the page draws its controls from them).
MEETING_UNITS = ("month", "quarter")  # /meetings: by month or quarter
MEETING_PERIODS = (12, 24, 36, 60, 96)  # /meetings: the months it can show
MEETINGS_OPEN: dict[str, Any] = {"unit": "quarter", "months": 36, **EVERY_FORMAT_AND_LEVEL}
TIMELINE_WHICH = ("not_active", "all")  # /dormant's meeting timeline: dormant and at risk, or every counting group
TIMELINE_YEARS = (3, 5, 8)
TIMELINE_OPEN: dict[str, Any] = {"which": "not_active", "years": 5}
TREND_OPEN = {"every": "quarter"}  # /changes: the trend's points (metrics.PERIODS); the overview draws these


@dataclass(frozen=True)
class Page:
    path: str  # the address, "" for the overview at /
    file: str  # under pages/
    title: str  # in the navigation
    heading: str | None  # the page's h1 (None: /present, whose h1 is its slide's headline)
    intro: str  # the sentence under the heading
    section: str  # the navigation's heading above it
    icon: str
    figures: tuple[Figure, ...] = ()  # what it opens with, its controls as they are
    charts: bool = True  # whether it draws at least one chart as it opens
    prepared: bool = True  # whether its figures are prepared at publish (not a profile: one group of many)
    example: dict = field(default_factory=dict)  # query parameters of its example address
    sidebar: str = "auto"  # its sidebar as it opens: "auto" (folded on a phone), or "collapsed" (slides)

    @property
    def url(self) -> str:
        """Its address, as /path."""
        return "/" + self.path

    @property
    def example_url(self) -> str:
        return self.url + ("?" + "&".join(f"{k}={v}" for k, v in self.example.items()) if self.example else "")


COMMITTEE, WORK, RETREATS, SECRETARIAT = (N_("For the steering committee"), N_("Who does the work"),
                                          N_("Retreats and meetings"), N_("Secretariat"))
m = metrics
PAGES: tuple[Page, ...] = (
    Page("", "overview.py", N_("Overview"), N_("How the sector working groups function"),
         N_("Key figures for the National Steering Committee of the Round Table Process."), COMMITTEE,
         ":material/dashboard:", ((m.overview, {}), (m.group_activity, {}), (m.trend, TREND_OPEN))),
    Page("meetings", "meetings.py", N_("Meeting frequency"), N_("Meeting frequency"),
         N_("How often each group meets, against what its terms of reference plan."), COMMITTEE,
         ":material/calendar_month:",
         ((m.meetings_by_period, MEETINGS_OPEN),
          (m.group_activity, {}), (m.meeting_list, {k: v for k, v in MEETINGS_OPEN.items() if k != "unit"}),
          (m.not_counted, {"months": MEETINGS_OPEN["months"]}), (m.upcoming, {}))),
    Page("dormant", "dormant.py", N_("Dormant groups"), N_("Dormant groups"),
         N_("Which groups still meet: the evidence for recommendation 8 (keep only functioning groups)."), COMMITTEE,
         ":material/bedtime:", ((m.group_activity, {}), (m.timeline_meetings, {"months": 12 * TIMELINE_OPEN["years"],
                                                                               "which": TIMELINE_OPEN["which"]}))),
    Page("alignment", "alignment.py", N_("NSEDP alignment"), N_("NSEDP alignment"),
         N_("Which groups work on each pillar of the National Socio-Economic Development Plan."), COMMITTEE,
         ":material/account_tree:", ((m.pillar_coverage, {}), (m.alignment_matrix, {}), (m.unaligned_groups, {}),
                                     (crosswalk.default_carry_over, {}))),
    Page("recommendations", "recommendations.py", N_("Recommendation follow-up"), N_("Recommendation follow-up"),
         N_("Progress of the actions agreed on each recommendation."), COMMITTEE, ":material/task_alt:",
         ((m.actions, {}), (m.recommendation_followup, {}), (m.recommendation_texts, {}))),
    Page("participation", "participation.py", N_("Participation and donor load"), N_("Participation and donor load"),
         N_("Which development partners are active where, where there are too few or too many, "
         "and who actually attends."), WORK, ":material/diversity_3:",
         ((m.group_practice, {}), (m.organisation_load, {}), (m.declared_vs_actual, {}))),
    Page("funding", "funding.py", N_("Who funds what"), N_("Who funds each group's sectors"),
         N_("The partners' activities from their IATI files, mapped to the groups' sectors: who funds each sector, "
            "whether they sit in its group, and who sits there with no funding found."), WORK, ":material/payments:",
         prepared=False),
    Page("rotation", "rotation.py", N_("Chair rotation"), N_("Chair and focal-point rotation"),
         N_("Terms of chairs, co-chairs and focal points: plan the rotation two to three years ahead."), WORK,
         ":material/autorenew:", ((m.leadership_terms, {}), (m.organisation_load, {}))),
    Page("scorecard", "scorecard.py", N_("Good-practice scorecard"), N_("Good-practice scorecard"),
         N_("What a secretariat checks of each group: terms of reference, work plan, annual report, "
         "meetings as planned, minutes, agendas sent in time."), WORK, ":material/fact_check:",
         ((m.group_practice, {}),), charts=False),
    Page("group", "group.py", N_("Group profile"), N_("Group profile"), N_("Everything about one group."), WORK,
         ":material/badge:", ((m.group_profile, {"group_id": EXAMPLE_GROUP}),), prepared=False,
         example={"id": EXAMPLE_GROUP}),
    Page("changes", "changes.py", N_("What changed"), N_("What changed, and over the years"),
         N_("What changed between two published versions (by default the one before the current one, and the "
            "current one), and how the groups fared over the years."), RETREATS, ":material/history:",
         ((m.trend, TREND_OPEN), (m.first_meeting, {}))),
    Page("present", "present.py", N_("Presentation mode"), None,
         N_("The committee's story as a slide show, and the briefing pack."), RETREATS, ":material/co_present:",
         charts=False, sidebar="collapsed"),
    Page("quality", "quality.py", N_("Data quality"), N_("Data quality"),
         N_("What the published extract may get wrong, and what the figures leave out because of it: each "
         "warning names its table, row and column."), SECRETARIAT, ":material/rule:",
         ((m.set_aside, {}), (m.not_counted, {})), charts=False),
    Page("upload", "upload.py", N_("Publish data"), N_("Publish data"),
         N_("The secretariat's page: check an updated extract, see what it changes, publish it. Every version "
         "is kept; any can be shown again."), SECRETARIAT, ":material/upload_file:", charts=False),
)
del m
BY_PATH = {p.path: p for p in PAGES}

# Every page's header asks for these (the group list, plans and the as-of caveats); the slides
# add the quarterly totals of their meetings slide.
HEADER_FIGURES: tuple[Figure, ...] = ((metrics.groups_all, {}), (metrics.plans, {}))
SUMMARY_FIGURES = (metrics.pillar_coverage, metrics.recommendation_followup, metrics.meeting_totals)
SLIDE_FIGURES: tuple[Figure, ...] = ((metrics.meetings_by_period, {"unit": "quarter", "months": 36}),
                                     (metrics.meeting_totals, {}))


def default_views(db, as_of: dt.date) -> list[tuple[Callable, dict]]:
    """The figures the pages, the retreat slides and `summary` compute with their controls as
    they open: the version's own as-of, every group, the default plan. Each is a (function,
    keyword arguments) called as function(db, **kwargs); swgdash.publishing has their results
    prepared when it writes a version's query database (tests/app/test_pages.py checks that
    every page opens without a live query). Not the six years of meetings behind the optional
    per-SWG slides, nor a group's profile: built on request."""
    p = Params(as_of=as_of, plan=metrics.default_plan(metrics.plans(db), as_of, metrics.plan_periods(db)))
    views: list[tuple[Callable, dict]] = [(fn, dict(kw)) for fn, kw in HEADER_FIGURES]
    views.append((sentences.as_of_caveats, {"p": p, "published": as_of}))
    for fn, kwargs in [f for page in PAGES if page.prepared for f in page.figures] + list(SLIDE_FIGURES):
        view = (fn, {"p": p, **kwargs})
        if view not in views:
            views.append(view)
    every_plan = Params(as_of=as_of)  # summary's pillars are every plan's (its other figures are above)
    views += [(fn, {"p": every_plan}) for fn in SUMMARY_FIGURES]
    return views
