"""Each definition once (issue 29): which groups count at a date, overdue, the role order, a meeting's
empty level, the Lao columns, the thresholds' defaults and bounds, the demo's as-of date, a page's
opening settings, table headings and the query database's build key, each written in one place and
read by every figure, page, command and slide that needs it."""
from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
from types import SimpleNamespace

import pytest

from factories import DEMO, ROOT, group, meeting
from swgdash import contract, fmt, site
from swgdash.present import sentences, slides
from swgdash.query import db as querydb, history, metrics
from swgdash.query.metrics import Params

D = dt.date
AS_OF = D(2026, 10, 31)
SQL = ROOT / "swgdash" / "query" / "sql"


def _sql_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in SQL.glob("*.sql")}


# -- 1. which groups count at a date ---------------------------------------------------------------
# Merged and discontinued groups closed before, on and after the as-of date, one of each with no
# closing date, an active group closed before it, and an active one: each met in the last months.
CLOSINGS = {"BEFORE": "2026-06-30", "ON": "2026-10-31", "AFTER": "2026-12-31", "NONE": None}
REGISTER = {
    "groups": [group("LIVE", established_on="2010-01-01"),
               group("ACTIVE-CLOSED", established_on="2010-01-01", closed_on="2026-06-30")]
    + [group(f"{status[:4].upper()}-{when}", status=status, established_on="2010-01-01", closed_on=closed)
       for status in ("merged", "discontinued") for when, closed in CLOSINGS.items()],
    "meetings": [meeting("L1", "LIVE", "2026-09-01"), meeting("AC1", "ACTIVE-CLOSED", "2026-05-01")]
    + [meeting(f"M-{status[:4]}-{when}", f"{status[:4].upper()}-{when}", "2026-05-15")
       for status in ("merged", "discontinued") for when in CLOSINGS],
}
COUNTING = {"LIVE", "MERG-AFTER", "DISC-AFTER"}  # still working on the as-of date


def test_a_group_counts_until_its_closing_date_whatever_its_status_now(tiny):
    cur = tiny(REGISTER)
    act = metrics.group_activity(cur, Params(as_of=AS_OF))
    assert set(act["group_id"]) == COUNTING
    assert dict(zip(act["group_id"], act["activity"], strict=True)) == dict.fromkeys(COUNTING, "active")


def test_the_overview_and_the_trends_last_point_agree_on_which_groups_count(tiny):
    cur = tiny(REGISTER)
    p = Params(as_of=AS_OF)
    o, last = metrics.overview(cur, p), metrics.trend(cur, p).iloc[-1]
    assert last["as_of"].date() == AS_OF
    assert (o.counting, o.activity["active"], o.activity["at_risk"], o.activity["dormant"], o.meetings_12m) == (
        3, 3, 0, 0, 3)
    assert (last["counting"], last["active"], last["at_risk"], last["dormant"], last["meetings_12m"]) == (
        o.counting, o.activity["active"], o.activity["at_risk"], o.activity["dormant"], o.meetings_12m)
    # the meetings of the groups that do not count are named, each with its reason
    apart = metrics.not_counted(cur, p)
    reasons = dict(zip(apart["group_id"], apart["reason"], strict=True))
    assert reasons == {"ACTIVE-CLOSED": "closed", "MERG-BEFORE": "status_merged", "MERG-ON": "status_merged",
                       "MERG-NONE": "status_merged", "DISC-BEFORE": "status_discontinued",
                       "DISC-ON": "status_discontinued", "DISC-NONE": "status_discontinued"}
    assert o.meetings_not_counted_12m == 7


@pytest.mark.parametrize("day, counting", [
    (D(2026, 6, 29), COUNTING | {"ACTIVE-CLOSED", "MERG-BEFORE", "MERG-ON", "DISC-BEFORE", "DISC-ON"}),
    (D(2026, 6, 30), COUNTING | {"MERG-ON", "DISC-ON"}),  # closed on the day itself: no longer
    (D(2026, 12, 31), {"LIVE"}),
])
def test_every_figure_counts_the_same_groups_at_any_date(tiny, day, counting):
    cur = tiny(REGISTER)
    p = Params(as_of=day)
    assert set(metrics.group_activity(cur, p)["group_id"]) == counting
    assert metrics.trend(cur, p, start=day).iloc[-1]["counting"] == len(counting) == metrics.overview(cur, p).counting


def test_the_group_profile_says_why_a_group_does_not_count(tiny):
    cur = tiny(REGISTER)
    why = {gid: sentences.why_not_counting(metrics.group_profile(cur, Params(as_of=AS_OF), gid)["info"])
           for gid in ("ACTIVE-CLOSED", "MERG-ON", "DISC-NONE")}
    assert why == {"ACTIVE-CLOSED": "it closed on 30 June 2026", "MERG-ON": "its status is merged",
                   "DISC-NONE": "its status is discontinued"}
    assert metrics.group_profile(cur, Params(as_of=AS_OF), "MERG-AFTER")["activity"]["activity"] == "active"


def test_the_slides_count_the_groups_the_overview_counts(tiny):
    cur = tiny({**REGISTER, "extract": [{"as_of": AS_OF.isoformat()}]})
    deck = {s.key: s for s in slides.build_slides(cur, Params(as_of=AS_OF))}
    assert dict(deck["kpis"].kpis)["Groups counting"] == "3"
    assert "3 at the end" in deck["trend"].notes  # the trend's last point


def test_the_changes_between_versions_count_a_group_closing_after_the_later_as_of(tmp_path):
    from factories import write_csv
    from swgdash.ingest.validate import validate_paths
    from swgdash.query.db import Database
    from swgdash.store import FolderStore

    store = FolderStore(tmp_path / "store")
    versions = []
    for i, (status, closed, met, as_of) in enumerate([("active", None, "2025-01-10", "2026-03-31"),
                                                       ("merged", "2026-12-31", "2026-09-01", "2026-09-30")]):
        folder = tmp_path / f"e{i}"
        write_csv(folder, "groups", [group("G", status=status, closed_on=closed, established_on="2010-01-01")])
        write_csv(folder, "meetings", [meeting("M1", "G", "2025-01-10"), meeting("M2", "G", met)])
        versions.append(store.publish(validate_paths([folder]), D.fromisoformat(as_of)))
    dbs = [Database(v) for v in versions]
    try:
        ch = history.changes(dbs[0].cursor(), versions[0], dbs[1].cursor(), versions[1])
    finally:
        for d in dbs:
            d.close()
    assert ch.doc()["groups"]["revived"] == ["G"]  # merged on 31 December: still working on 30 September


def test_counting_is_written_once_and_the_documented_exception_is_gone():
    texts = _sql_texts()
    assert "status = 'active'" not in "".join(t for name, t in texts.items() if name != "macros.sql")
    assert [name for name, t in texts.items() if "closed_on >" in t] == ["macros.sql"]
    assert "counts_at(" in texts["trend.sql"] and "counts_at(" in texts["macros.sql"]
    docs = (ROOT / "docs" / "extract-format.md").read_text(encoding="utf-8")
    assert "except for a group whose status is not" not in docs and "a closure entered ahead of time" not in docs


# -- 2. overdue ------------------------------------------------------------------------------------
def test_overdue_is_defined_once_and_every_view_agrees(tiny):
    texts = _sql_texts()
    assert [n for n, t in texts.items() if "'not_started', 'in_progress'" in t] == ["macros.sql"]
    assert all("is_overdue(" in texts[n] for n in ("actions.sql", "recommendation_followup.sql"))
    cur = tiny({"groups": [group("A")], "meetings": [],
                "recommendations": [{"rec_id": "R1", "title": "Keep functioning groups"}],
                "actions": [{"action_id": a, "rec_id": "R1", "description": a, "status": s, "due_on": due}
                            for a, s, due in [("X1", "in_progress", "2026-10-30"), ("X2", "not_started", "2026-10-31"),
                                              ("X3", "done", "2026-01-01"), ("X4", "not_started", None),
                                              ("X5", "not_started", "2025-01-01"), ("X6", "dropped", "2025-01-01")]]})
    p = Params(as_of=AS_OF)
    acts = metrics.actions(cur, p)
    assert sorted(acts.loc[acts["overdue"], "action_id"]) == ["X1", "X5"]
    assert int(metrics.recommendation_followup(cur, p)["overdue"].sum()) == 2 == metrics.overview(cur, p).overdue


# -- 3. the role order ------------------------------------------------------------------------------
def test_the_role_order_is_the_contracts(tiny, monkeypatch):
    assert not re.search(r"'(chair|co_chair|focal_point|active|informed)'", _sql_texts()["declared_vs_actual.sql"])
    assert set(contract.ROLE_RANK) == set(contract.MEMBER_ROLES)
    rows = {"groups": [group("A")], "meetings": [],
            "members": [{"group_id": "A", "organisation": "Japan", "org_type": "development_partner", "role": r}
                        for r in ("active", "co_chair", "informed")]}
    assert metrics.declared_vs_actual(tiny(rows), Params(as_of=AS_OF))["role"].tolist() == ["co_chair"]
    # the query database reads the order from the contract (a new database, with the order reversed)
    monkeypatch.setattr(querydb, "ROLE_RANK", tuple(reversed(contract.ROLE_RANK)))
    assert metrics.declared_vs_actual(tiny(rows), Params(as_of=AS_OF))["role"].tolist() == ["informed"]


# -- 4. a meeting's empty level ---------------------------------------------------------------------
def test_a_meetings_empty_level_is_named_in_one_place(tiny):
    assert not any("not recorded" in t for t in _sql_texts().values())
    assert f"'{contract.LEVEL_NOT_RECORDED}'" in querydb.macros_sql()
    cur = tiny({"groups": [group("A")], "meetings": [meeting("M1", "A", "2026-09-01"),
                                                     meeting("M2", "A", "2026-09-02", level="minister")]})
    p = Params(as_of=AS_OF)
    assert metrics.meeting_list(cur, p, levels=(contract.LEVEL_NOT_RECORDED,))["meeting_id"].tolist() == ["M1"]
    assert int(metrics.meetings_by_period(cur, p, levels=(contract.LEVEL_NOT_RECORDED,))["meetings"].sum()) == 1


# -- 5. the Lao columns -----------------------------------------------------------------------------
def test_the_lao_columns_are_listed_once_in_the_contract():
    assert not hasattr(querydb, "LAO_SOURCES")
    assert contract.LAO_TEXTS == tuple((t.name, t.columns[i - 1].name, c.name) for t in contract.TABLES.values()
                                       for i, c in enumerate(t.columns) if c.name.endswith("_lo"))
    assert [contract.id_column(t) for t, _en, _lo in contract.LAO_TEXTS] == ["group_id", "pillar_id", "rec_id",
                                                                            "action_id"]


def test_the_query_database_reads_the_lao_names_the_contract_lists(tiny, monkeypatch):
    rows = {"groups": [group("A", name="Health", name_lo="ສາທາລະນະສຸກ")], "meetings": []}
    assert querydb.lao_names(tiny(rows)._cur)["groups"] == {"A": "ສາທາລະນະສຸກ"}
    monkeypatch.setattr(querydb, "LAO_TEXTS", ())
    assert "groups" not in querydb.lao_names(tiny(rows)._cur)


# -- 6. thresholds ----------------------------------------------------------------------------------
TRIED = ["0", "1", "6", "12", "59", "60", "61", "119", "120", "121", "-1", "+6", "6.0", "", "x", "٣", "1000000"]


@pytest.mark.parametrize("name", ["at_risk_months", "dormant_months"])
def test_the_command_line_and_the_address_take_the_same_thresholds(name):
    from swgdash import cli
    from swgdash.app import state

    parser = cli.build_parser()
    option = "--" + name.replace("_", "-")

    def cli_takes(text):
        try:
            args = parser.parse_args(["trend", f"{option}={text}"])
        except SystemExit:
            return None
        return getattr(args, name)

    for text in TRIED:
        by_address = state.parse_url({name: text}, [], []).get(name)
        assert cli_takes(text) == by_address, (name, text)
    bounds = metrics.THRESHOLDS[name]
    assert cli_takes(str(bounds.high)) == bounds.high and cli_takes(str(bounds.high + 1)) is None
    assert parser.parse_args(["trend"]).__dict__[name] == bounds.default == getattr(Params(as_of=AS_OF), name)


def test_every_threshold_has_one_default_and_one_pair_of_bounds(monkeypatch):
    from swgdash import cli
    from swgdash.app import state

    monkeypatch.setitem(metrics.THRESHOLDS, "at_risk_months", metrics.Threshold(4, 1, 90))
    assert state.defaults(SimpleNamespace(as_of=AS_OF), [])["at_risk_months"] == 4
    assert state.parse_url({"at_risk_months": "90"}, [], []) == {"at_risk_months": 90}
    assert cli.build_parser().parse_args(["summary", "--at-risk-months", "90"]).at_risk_months == 90
    assert cli.build_parser().parse_args(["summary"]).at_risk_months == 4
    assert metrics.PARTNER_CAP == metrics.THRESHOLDS["cap"].default
    assert (metrics.DP_GAP_BELOW, metrics.DP_DUPLICATION_ABOVE) == (metrics.THRESHOLDS["gap_below"].default,
                                                                   metrics.THRESHOLDS["duplication_above"].default)
    for path in (ROOT / "pages").glob("*.py"):
        assert not re.search(r"number_input\([^)]*\b\d+\s*,\s*\d+", path.read_text()), path
    assert not re.search(r"default=(6|12)\b", (ROOT / "swgdash" / "cli.py").read_text())
    with pytest.raises(argparse.ArgumentTypeError, match="from 1 to 90"):
        cli._threshold("at_risk_months")("91")


# -- 7. the demo's as-of date -----------------------------------------------------------------------
DEMO_DAY = re.compile(r"2026, 10, 31|2026-10-31")
# where the date may still be written: an example of a date's format in the template, the demo's own
# facts (and what make_demo's docstring says of them). The store, the bench (bench/light.py's large
# extract takes the same day) and the tests import contract.DEMO_AS_OF.
NOT_THE_DEMOS = {"swgdash/present/excel.py", "scripts/make_demo.py"}
def test_the_demos_as_of_date_is_written_once():
    assert contract.DEMO_AS_OF.isoformat() == (DEMO / "extract.csv").read_text().split()[1]
    written = sorted(str(p.relative_to(ROOT)) for folder in ("swgdash", "scripts", "bench", "pages")
                     for p in (ROOT / folder).rglob("*.py") if DEMO_DAY.search(p.read_text(encoding="utf-8")))
    assert set(written) - NOT_THE_DEMOS == {"swgdash/contract.py"}
    make_demo = (ROOT / "scripts" / "make_demo.py").read_text()
    assert not re.search(r"DEMO_AS_OF\s*=\s*\"", make_demo)


# -- 8. a page's opening settings -------------------------------------------------------------------
def test_the_meetings_page_opens_with_the_site_maps_settings(home, monkeypatch):
    from streamlit.testing.v1 import AppTest

    assert site.MEETINGS_OPEN in [kw for fn, kw in site.BY_PATH["meetings"].figures if fn is metrics.meetings_by_period]
    text = (ROOT / "pages" / "meetings.py").read_text()
    assert "index=2" not in text and 'default="quarter"' not in text and "36" not in text
    monkeypatch.setattr(site, "MEETINGS_OPEN", {**site.MEETINGS_OPEN, "unit": "month", "months": 24,
                                                "formats": ("joint",)})
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
    at.switch_page("pages/meetings.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert (at.session_state["mt_months"], at.session_state["mt_unit"]) == (24, "month")
    assert list(at.session_state["mt_formats"]) == ["joint"]


# -- 9. table headings ------------------------------------------------------------------------------
def test_table_headings_are_worded_once():
    assert fmt.headings("organisation", "group_name", organisation="partner") == {"organisation": "Partner",
                                                                               "group_name": "Group"}
    words = {w for w in fmt.HEADINGS.values()}
    assert len(words) == len(fmt.HEADINGS), "a heading worded twice"
    for path in sorted((ROOT / "pages").glob("*.py")) + [ROOT / "swgdash" / "app" / "widgets.py"]:
        text = path.read_text(encoding="utf-8")
        for heading in ("Partner", "Organisation", "Group", "Chair", "Activity", "Due", "Owner", "Action", "Profile",
                        "Status", "Last meeting"):
            # (a picker's label may say "Group" or "Status": only table headings are checked)
            found = re.findall(r'"[a-z_0-9]+": _\("' + re.escape(heading) + r'"\)', text)
            assert not found, (path.name, heading)
        assert not re.search(r'"[a-z_]+": "ID"', text), path.name


# -- 10. the query database's build key -------------------------------------------------------------
def _sql_copy(tmp_path, monkeypatch):
    """The named queries copied to a folder the query database reads instead."""
    folder = tmp_path / "sql"
    shutil.copytree(SQL, folder)
    monkeypatch.setattr(querydb, "SQL_DIR", folder)
    querydb.sql_text.cache_clear()
    return folder


@pytest.fixture
def fresh_sql_cache():
    yield
    querydb.sql_text.cache_clear()  # (nothing reads a query before monkeypatch puts SQL_DIR back)


def test_the_build_key_follows_the_sql_and_the_code_that_writes_the_database(tmp_path, monkeypatch, fresh_sql_cache):
    assert not hasattr(querydb, "BUILD")
    before = querydb.recipe()
    folder = _sql_copy(tmp_path, monkeypatch)
    assert querydb.recipe() == before  # the same text: the same key
    (folder / "trend.sql").write_text((folder / "trend.sql").read_text() + "\n-- changed\n")
    querydb.sql_text.cache_clear()
    changed_sql = querydb.recipe()
    assert changed_sql != before
    source = tmp_path / "db.py"  # the code that writes the database
    source.write_text((ROOT / "swgdash" / "query" / "db.py").read_text() + "\n# changed\n")
    monkeypatch.setattr(querydb, "__file__", str(source))
    changed_code = querydb.recipe()
    assert changed_code not in (before, changed_sql)
    monkeypatch.setattr(querydb, "CONTRACT_VERSION", contract.CONTRACT_VERSION + 1)
    assert querydb.recipe() not in (before, changed_sql, changed_code)


def test_a_changed_query_names_a_new_database_file(tiny, tmp_path, monkeypatch, fresh_sql_cache):
    version = tiny({"groups": [group("A")], "meetings": []}).version
    first = querydb.database_file(version)
    folder = _sql_copy(tmp_path, monkeypatch)
    assert querydb.database_file(version) == first
    (folder / "actions.sql").write_text((folder / "actions.sql").read_text() + "\n-- changed\n")
    querydb.sql_text.cache_clear()
    assert querydb.database_file(version) != first
