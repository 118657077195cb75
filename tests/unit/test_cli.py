"""python -m swgdash: validate, publish, versions, rollback, summary --json."""
import datetime as dt
import io
import json
import subprocess
import sys

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from factories import DEMO, ROOT, group, meeting, write_csv
from swgdash import cli
from swgdash.cli import main


def run(*argv):
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def test_validate_demo_ok():
    code, out = run("validate", str(DEMO))
    assert code == 0 and out.startswith("valid: groups ")


def test_validate_reports_every_problem_one_per_line(tmp_path):
    write_csv(tmp_path, "groups", [group("A", kind="club"), group("A"), group("B", kind="sub_swg")])
    write_csv(tmp_path, "meetings", [meeting("M1", "ZZZ", "2026-02-30")])
    code, out = run("validate", str(tmp_path))
    lines = out.strip().splitlines()
    assert code == 1 and lines[-1] == "invalid: 5 problems"
    assert "table groups, row 2, column kind: 'club' is not allowed" in out
    assert "table groups, row 3, column group_id: 'A' is already used in row 2" in out
    assert "table groups, row 4, column parent_id: required for a sub_swg" in out
    assert "table meetings, row 2, column group_id: 'ZZZ' is not a group_id" in out
    assert "table meetings, row 2, column date: '2026-02-30' is not a real calendar date" in out


def test_publish_versions_rollback(home, tmp_path):
    code, out = run("publish", str(DEMO), "--as-of", "2026-06-30", "--note", "first")
    assert (code, out.strip()) == (0, "1")
    code, out = run("publish", str(DEMO), "--note", "second")
    assert (code, out.strip()) == (0, "2")
    code, out = run("versions", "--json")
    rows = json.loads(out)
    assert [(r["version"], r["note"], r["current"]) for r in rows] == [(1, "first", False), (2, "second", True)]
    assert rows[0]["as_of"] == "2026-06-30" and rows[1]["as_of"] == "2026-10-31"  # the extract's own as_of
    code, out = run("rollback", "v1")
    assert (code, out.strip()) == (0, "3")
    code, out = run("versions")
    assert out.splitlines()[-1].startswith("*    3  as of 2026-06-30")


def test_a_publisher_whose_version_lost_the_race_is_told_which_is_current(home, tmp_path, monkeypatch, capsys):
    """Two officers publish at once; the slower one's version 2 switches last, while version 3 (the
    other's) is current: the command still prints its own version, and says on stderr which one the
    pages show (issue 29: HEAD never moves to a lower number)."""
    from swgdash import publishing

    assert run("publish", str(DEMO))[0] == 0
    real = publishing.publish_paths

    def racing(store, *args, **kwargs):
        result, version = real(store, *args, **kwargs)  # version 2 ...
        real(store, [str(DEMO)], None, "the other officer's")  # ... and version 3, published meanwhile
        return result, version

    monkeypatch.setattr(publishing, "publish_paths", racing)
    code, out = run("publish", str(DEMO), "--note", "mine")
    assert (code, out.strip()) == (0, "2")
    said = capsys.readouterr().err
    assert "warning: version 3, published at the same time, is later and is the current one" in said
    assert "version 2 is in the history" in said
    assert json.loads(run("versions", "--json")[1])[-1]["current"] is True


def test_publish_invalid_changes_nothing(home, tmp_path):
    assert run("publish", str(DEMO))[0] == 0
    before = (home / "HEAD.json").read_bytes()
    write_csv(tmp_path, "groups", [group("A")])
    code, out = run("publish", str(tmp_path))
    assert code == 1 and "table meetings: the meetings table is required" in out
    assert out.strip().endswith("nothing changed")
    assert (home / "HEAD.json").read_bytes() == before


def test_rollback_unknown_version(home, capsys):
    run("publish", str(DEMO))
    code, _ = run("rollback", "7")
    assert code == 1 and "there is no version 7" in capsys.readouterr().err


def test_summary_json_shape(home):
    code, out = run("summary", "--json")
    doc = json.loads(out)
    assert code == 0
    assert {"as_of", "version", "groups", "pillars", "recommendations"} <= set(doc)
    assert doc["as_of"] == "2026-10-31" and doc["version"] == 1
    g = doc["groups"]
    assert [x["group_id"] for x in g] == sorted(x["group_id"] for x in g)
    assert set(g[0]) >= {"group_id", "name", "kind", "parent_id", "activity", "last_meeting", "meetings_12m"}
    assert {x["activity"] for x in g} == {"active", "at_risk", "dormant"}
    for x in g:
        assert x["last_meeting"] is None or dt.date.fromisoformat(x["last_meeting"])
    assert set(doc["pillars"][0]) >= {"pillar_id", "name", "groups", "functioning_groups"}
    assert set(doc["recommendations"][0]) >= {"rec_id", "title", "actions", "done", "overdue"}


def months_before(day, n):
    return (pd.Timestamp(day) - pd.DateOffset(months=n)).date()


def oracle(as_of, at_risk=6, dormant=12):
    """An independent plain-pandas reading of the contract's definitions, from the demo CSVs."""
    g = pd.read_csv(DEMO / "groups.csv", dtype=str, keep_default_na=False)
    m = pd.read_csv(DEMO / "meetings.csv", dtype=str, keep_default_na=False)
    m = m[m["status"].isin(["", "held"])]  # meetings only planned count in no figure
    m["date"] = pd.to_datetime(m["date"]).dt.date
    day = as_of.isoformat()  # counting: established by the day, and closed after it (or never, and active)
    still_open = (g["closed_on"] > day) | ((g["closed_on"] == "") & (g["status"].replace("", "active") == "active"))
    counting = g[still_open & ((g["established_on"] == "") | (g["established_on"] <= day))]
    out = {}
    for gid in counting["group_id"]:
        dates = [d for d in m.loc[m["group_id"] == gid, "date"] if d <= as_of]
        if any(d >= months_before(as_of, at_risk) for d in dates):
            act = "active"
        elif not any(d >= months_before(as_of, dormant) for d in dates):
            act = "dormant"
        else:
            act = "at_risk"
        out[gid] = (act, max(dates).isoformat() if dates else None,
                    sum(d >= months_before(as_of, 12) for d in dates))
    return out


@pytest.mark.parametrize("as_of,at_risk,dormant", [
    ("2026-10-31", 6, 12), ("2024-02-29", 6, 12), ("2021-11-17", 3, 9), ("2025-10-31", 12, 24)])
def test_summary_matches_an_independent_computation(home, as_of, at_risk, dormant):
    code, out = run("summary", "--json", "--as-of", as_of, "--at-risk-months", str(at_risk),
                    "--dormant-months", str(dormant))
    doc = json.loads(out)
    got = {x["group_id"]: (x["activity"], x["last_meeting"], x["meetings_12m"]) for x in doc["groups"]}
    assert got == oracle(dt.date.fromisoformat(as_of), at_risk, dormant)


def test_summary_pillars_and_recommendations_match_csvs(home):
    doc = json.loads(run("summary", "--json")[1])
    activity = {x["group_id"]: x["activity"] for x in doc["groups"]}
    al = pd.read_csv(DEMO / "alignment.csv", dtype=str)
    for p in doc["pillars"]:
        aligned = {gid for gid in al.loc[al["pillar_id"] == p["pillar_id"], "group_id"] if gid in activity}
        assert p["groups"] == len(aligned)
        assert p["functioning_groups"] == sum(activity[gid] != "dormant" for gid in aligned)
    acts = pd.read_csv(DEMO / "actions.csv", dtype=str, keep_default_na=False)
    for r in doc["recommendations"]:
        mine = acts[acts["rec_id"] == r["rec_id"]]
        overdue = mine[(mine["due_on"] != "") & (mine["due_on"] < "2026-10-31")
                       & mine["status"].isin(["not_started", "in_progress"])]
        assert (r["actions"], r["done"], r["overdue"]) == (len(mine), int((mine["status"] == "done").sum()), len(overdue))


def test_demo_has_every_kind_of_group(home):
    doc = json.loads(run("summary", "--json")[1])
    assert {x["activity"] for x in doc["groups"]} == {"active", "at_risk", "dormant"}
    assert any(p["functioning_groups"] == 0 for p in doc["pillars"])
    assert sum(r["overdue"] for r in doc["recommendations"]) > 0
    g = pd.read_csv(DEMO / "groups.csv", dtype=str, keep_default_na=False)
    assert {"merged", "discontinued"} <= set(g["status"])
    assert (g["established_on"] > doc["as_of"]).any()         # one group established after as-of
    m = pd.read_csv(DEMO / "meetings.csv", dtype=str)
    assert m["date"].min() <= "2020-10-31"                     # at least six years of meetings


def test_bad_arguments_exit_cleanly():
    r = subprocess.run([sys.executable, "-m", "swgdash", "summary", "--as-of", "31-10-2026"],
                       cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 2 and "is not a date" in r.stderr and "Traceback" not in r.stderr


def test_module_entry_point(home):
    r = subprocess.run([sys.executable, "-m", "swgdash", "summary"], cwd=ROOT, capture_output=True, text=True,
                       env={**__import__("os").environ, "SWGDASH_HOME": str(home)})
    assert r.returncode == 0 and r.stdout.startswith("version 1, as of 2026-10-31:")


def test_missing_path(home, capsys):
    code, out = run("validate", "/no/such/extract")
    assert code == 1 and "/no/such/extract does not exist" in out


def test_participation_figures_match_an_independent_computation(home):
    """active_dps, documents, ratios and the organisations list, recomputed in plain pandas."""
    doc = json.loads(run("summary", "--json")[1])
    as_of = "2026-10-31"
    start12 = "2025-10-31"
    mem = pd.read_csv(DEMO / "members.csv", dtype=str, keep_default_na=False)
    covers = ((mem["start_on"] == "") | (mem["start_on"] <= as_of)) & ((mem["end_on"] == "") | (mem["end_on"] >= as_of))
    active_role = mem["role"].isin(["chair", "co_chair", "focal_point", "vice_focal_point", "active"])
    dp = mem["org_type"] == "development_partner"
    docs = pd.read_csv(DEMO / "documents.csv", dtype=str, keep_default_na=False)
    meets = pd.read_csv(DEMO / "meetings.csv", dtype=str, keep_default_na=False)
    m12 = meets[(meets["date"] >= start12) & (meets["date"] <= as_of)]
    groups = pd.read_csv(DEMO / "groups.csv", dtype=str, keep_default_na=False).set_index("group_id")
    counting = {g["group_id"] for g in doc["groups"]}
    for g in doc["groups"]:
        gid = g["group_id"]
        assert g["active_dps"] == mem[(mem["group_id"] == gid) & covers & active_role & dp]["organisation"].nunique()
        d = docs[docs["group_id"] == gid]
        assert g["has_tor"] == bool((d["doc_type"] == "tor").any())
        assert g["workplan_current"] == bool(((d["doc_type"] == "workplan") & (d["year"] == "2026")).any())
        assert g["annual_report_previous"] == bool(((d["doc_type"] == "annual_report") & (d["year"] == "2025")).any())
        known = m12[(m12["group_id"] == gid) & (m12["minutes_published"] != "")]
        share = None if known.empty else round((known["minutes_published"] == "true").sum() / len(known), 4)
        assert g["minutes_share_12m"] == share
        planned = groups.loc[gid, "planned_meetings_per_year"]
        ratio = None if planned in ("", "0") else round(g["meetings_12m"] / int(planned), 4)
        assert g["planned_ratio"] == ratio
    att = pd.read_csv(DEMO / "attendance.csv", dtype=str, keep_default_na=False).merge(meets, on="meeting_id")
    att12 = att[(att["date"] >= start12) & (att["date"] <= as_of)]
    orgs = {o["organisation"]: o for o in doc["organisations"]}
    assert set(orgs) == set(mem.loc[dp, "organisation"])
    for name, o in orgs.items():
        mine = mem[(mem["organisation"] == name) & covers & mem["group_id"].isin(counting)]
        assert o["active_groups"] == mine[mine["role"].isin(["chair", "co_chair", "focal_point", "vice_focal_point",
                                                             "active"])]["group_id"].nunique()
        assert o["chair_roles"] == mine[mine["role"].isin(["co_chair", "focal_point"])]["group_id"].nunique()
        rows = att12[att12["organisation"] == name]
        rate = None if rows.empty else round((rows["present"].str.lower() != "false").sum() / len(rows), 4)
        assert o["attendance_rate_12m"] == rate, name


@pytest.mark.parametrize("command", [["summary", "--json"], ["summary"], ["deck", "--out", "{tmp}/d.pptx"]])
def test_reading_an_empty_store_publishes_nothing(home, tmp_path, capsys, command):
    """summary and deck read: on an empty store they show the bundled demo, say so, and leave
    the store as it was (only `publish` and the app's first start publish)."""
    code, out = run("--home", str(home), *[a.format(tmp=tmp_path) for a in command])
    assert code == 0, capsys.readouterr().err
    assert "nothing was published" in capsys.readouterr().err
    assert not home.exists() or not any(home.iterdir())
    if command == ["summary", "--json"]:
        assert json.loads(out)["groups"]  # the demo's figures


def test_a_fault_that_is_not_the_users_is_reported_without_a_traceback(home, monkeypatch, capsys):
    from swgdash.query import metrics

    run("publish", str(DEMO))
    capsys.readouterr()
    monkeypatch.setattr(metrics, "summary", lambda *a, **kw: {}["boom"])
    code, _ = run("summary", "--json")
    err = capsys.readouterr().err
    assert code == 1 and err.startswith("internal error (KeyError)") and "Traceback" not in err


def test_what_the_user_asked_wrongly_is_one_kind_of_error():
    from swgdash import errors
    from swgdash.present import deck
    from swgdash.store import protocol as store

    for cls in (store.StoreError, store.ExtractRefused, deck.DeckError, errors.UnknownGroup, errors.UnknownPlan,
                errors.BadDate, errors.BadThresholds):
        assert issubclass(cls, errors.UserError)
    with pytest.raises(errors.BadDate, match="'31/12/2026' is not a date; write YYYY-MM-DD"):
        errors.parse_date("31/12/2026")


# -- trend and changes (issue 19): the JSON keys are a contract ------------------------------------
TREND_KEYS = {"as_of", "counting", "active", "at_risk", "dormant", "meetings_12m"}


def test_trend_json_has_a_point_at_every_period_end_then_the_end(home):
    from factories import demo_home

    demo_home(home.parent)
    code, out = run("--home", str(home), "trend", "--json", "--from", "2025-12-31", "--to", "2026-05-15",
                    "--every", "month")
    doc = json.loads(out)
    assert code == 0 and list(doc) == ["points"]
    assert [p["as_of"] for p in doc["points"]] == ["2025-12-31", "2026-01-31", "2026-02-28", "2026-03-31",
                                                   "2026-04-30", "2026-05-15"]
    assert all(set(p) == TREND_KEYS and p["counting"] == p["active"] + p["at_risk"] + p["dormant"]
               for p in doc["points"])
    default = json.loads(run("--home", str(home), "trend", "--json", "--dormant-months", "24")[1])["points"]
    assert len(default) == 21 and default[-1]["as_of"] == "2026-10-31"  # five years of quarter ends, then the as-of
    summary = json.loads(run("--home", str(home), "summary", "--json", "--dormant-months", "24")[1])
    assert default[-1]["dormant"] == sum(g["activity"] == "dormant" for g in summary["groups"])
    code, _ = run("--home", str(home), "trend", "--from", "2026-12-01", "--to", "2026-01-01")
    assert code == 1


def _publish_day(home, version: int, day: str) -> None:
    """Say a version was published on `day` (HEAD.json and its manifest), as if it had been then."""
    for path in (home / "HEAD.json", home / "versions" / f"{version:06d}" / "manifest.json"):
        doc = json.loads(path.read_text())
        for m in doc.get("versions", [doc]):
            if m["version"] == version:
                m["published_at"] = f"{day}T03:00:00+00:00"
        path.write_text(json.dumps(doc))


def test_changes_json_keys_and_the_version_current_on_a_date(home, tmp_path, capsys):
    from factories import demo_home, later_version

    demo_home(home.parent)
    _version, facts = later_version(home, tmp_path / "later")
    code, out = run("--home", str(home), "changes", "--json")
    doc = json.loads(out)
    assert code == 0 and list(doc) == ["from", "to", "groups", "actions", "pillars"]
    assert doc["from"] == {"version": 1, "as_of": "2026-10-31"} and doc["to"] == {"version": 2, "as_of": "2026-11-15"}
    assert list(doc["groups"]) == ["added", "removed", "renamed", "became_dormant", "revived", "activity_changed",
                                   "replaced"]
    assert list(doc["actions"]) == ["added", "removed", "done_since", "newly_overdue", "status_changed", "replaced"]
    assert doc["groups"]["replaced"] == [] and doc["actions"]["replaced"] == []  # a rename is not a reuse
    assert list(doc["pillars"]) == ["gaps_opened", "gaps_closed"]
    assert (doc["groups"]["added"], doc["groups"]["removed"], doc["groups"]["renamed"], doc["groups"]["revived"]) == (
        [facts["added"]], [facts["removed"]], [facts["renamed"]], [facts["revived"]])
    assert doc["actions"]["status_changed"] == [{"action_id": facts["done"], "from": "in_progress", "to": "done"}]
    assert all(set(c) == {"group_id", "from", "to"} for c in doc["groups"]["activity_changed"])
    # both published today: the version current today is version 2 itself ("today" in the deployment's
    # time zone, as a version's publishing day is: the machine's date differs from it for hours each day)
    from swgdash.store import FolderStore

    today = FolderStore(home).current().published_on
    assert abs((today - dt.date.today()).days) <= 1
    code, _ = run("--home", str(home), "changes", "--since", today.isoformat())
    assert code == 1 and "is version 2 itself" in capsys.readouterr().err
    _publish_day(home, 1, "2026-11-01")  # as if version 1 had been shown at a retreat on 2 November
    code, out = run("--home", str(home), "changes", "--since", "2026-11-02")
    assert code == 0 and out.startswith("from version 1 (as of 2026-10-31) to version 2")
    assert "1 group revived, 2 fell dormant, 1 action done since 02 November 2026." in out
    code, _ = run("--home", str(home), "changes", "--since", "2026-10-31")
    assert code == 1 and "no version had been published by 2026-10-31" in capsys.readouterr().err


def test_the_deck_opens_with_what_changed_and_goes_on_without_a_damaged_version(home, tmp_path, capsys):
    from pptx import Presentation

    from factories import demo_home, later_version

    demo_home(home.parent)
    later_version(home, tmp_path / "later")
    _publish_day(home, 1, "2026-11-01")  # (after its data's as-of: a publication day is the upload day too)

    def headlines(path):
        return [[sh.text_frame.text for sh in s.shapes if sh.has_text_frame][0] for s in Presentation(path).slides]

    assert run("--home", str(home), "deck", "--out", str(tmp_path / "a.pptx"), "--since", "2026-11-02")[0] == 0
    said = headlines(tmp_path / "a.pptx")
    assert said[2] == "1 group revived, 2 fell dormant, 1 action done since 02 November 2026"
    assert said[3].startswith("Dormant groups: ")
    (home / "versions" / "000001" / "actions.parquet").write_bytes(b"damaged")
    for cached in (home / "cache").glob("000001-*"):
        cached.unlink()
    assert run("--home", str(home), "deck", "--out", str(tmp_path / "b.pptx"))[0] == 0
    assert "no 'since' slide: version 1 is damaged" in capsys.readouterr().err
    assert not any("revived" in h for h in headlines(tmp_path / "b.pptx"))


JSON_SCALARS = (st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
                | st.floats(allow_nan=False, allow_infinity=False) | st.text())
JSON_DOCS = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=4)
                         | st.dictionaries(st.text(max_size=6), inner, max_size=4), max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(JSON_DOCS)
def test_json_is_written_byte_for_byte_as_pythons_json_writes_it(doc):
    """The command line's JSON (encoded in C by orjson) is what print(json.dumps(doc, indent=2,
    ensure_ascii=False)) writes, for any document: Lao and control characters, floats tiny and huge,
    integers past 64 bits (issue 31: --json output unchanged)."""
    out = io.StringIO()
    cli.print_json(doc, out)
    assert out.getvalue() == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("doc", [[1e-05, 0.0001, 1e16, 0.5], {"ລາວ": "\x1f\u2028\"/"}, 2**65, [], {}])
def test_json_written_to_a_real_stream_is_the_same_bytes(doc, tmp_path):
    path = tmp_path / "out.json"
    with open(path, "w", encoding="utf-8") as out:
        out.write("before ")
        cli.print_json(doc, out)
        out.write("after")
    assert path.read_bytes() == ("before " + json.dumps(doc, indent=2, ensure_ascii=False) + "\nafter").encode()


def test_summary_json_is_the_document_as_json_writes_it(home):
    from swgdash.query import metrics
    from swgdash.store import open_store

    assert run("publish", str(DEMO))[0] == 0
    code, out = run("summary", "--json", "--as-of", "2025-06-30")
    version = open_store(home).current()
    from swgdash import publishing

    db = publishing.open_database(version)
    doc = metrics.summary(db.cursor(), metrics.Params(as_of=dt.date(2025, 6, 30)))
    db.close()
    assert code == 0 and out == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


TABLES_IN_PYTHON = ["pandas", "numpy", "pyarrow"]  # (trend and changes compare DataFrames: they use them)
# in this order, in one process: each command's modules are those loaded after it and the ones before
READ_COMMANDS = [(["summary", "--json"], []), (["summary", "--json", "--as-of", "2025-06-30"], []), (["summary"], []),
                 (["versions", "--json"], []), (["verify", "--json"], []),
                 (["trend", "--json"], TABLES_IN_PYTHON), (["changes", "--json"], TABLES_IN_PYTHON + ["babel"])]
LOADED = """
import runpy, sys, io, contextlib
heavy = ("pandas", "numpy", "pyarrow", "plotly", "streamlit", "openpyxl", "boto3", "pptx", "playwright", "babel")
for argv in {commands!r}:
    sys.argv = ["swgdash", "--home", {home!r}, *argv]
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            runpy.run_module("swgdash", run_name="__main__", alter_sys=True)
        except SystemExit as exc:
            assert exc.code in (0, None), (argv, exc.code)
    print(" ".join(n for n in heavy if n in sys.modules and type(sys.modules[n]).__name__ != "_OnFirstUse") or "-")
"""


def test_the_read_commands_load_only_what_they_use(home):
    """python -m swgdash summary, versions and verify compute in DuckDB and write with orjson: they
    load neither pandas, numpy nor pyarrow (half a second and a hundred megabytes), and no read
    command loads the app's or the pack's libraries (issue 31; python -X importtime, bench/RESULTS.md)."""
    assert run("publish", str(DEMO), "--as-of", "2026-06-30")[0] == 0
    assert run("publish", str(DEMO))[0] == 0
    commands = [argv for argv, _ in READ_COMMANDS]
    done = subprocess.run([sys.executable, "-c", LOADED.format(commands=commands, home=str(home))],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    loaded = [line.split() if line != "-" else [] for line in done.stdout.splitlines()]
    assert loaded == [uses for _, uses in READ_COMMANDS], done.stdout


def test_a_command_that_uses_pandas_still_gets_it(home, tmp_path):
    """The stand-ins load the real module at its first use: publishing (pandas and pyarrow) works."""
    code = f"""
import runpy, sys
sys.argv = ["swgdash", "--home", {str(home)!r}, "publish", {str(DEMO)!r}]
try:
    runpy.run_module("swgdash", run_name="__main__", alter_sys=True)
except SystemExit as exc:
    assert exc.code in (0, None), exc.code
import pandas
print(type(sys.modules["pandas"]).__name__, pandas.DataFrame.__name__)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-2:] == ["module", "DataFrame"]


@pytest.mark.parametrize("items", [[], [{"a": 1}], [{"a": [1, {"b": "ລາວ\n"}]}, {}, [], 1e-05, None]])
def test_a_streamed_list_in_the_document_is_written_as_the_whole_document_would_be(items):
    """summary --json writes its groups as they are read (an iterator in the document): the bytes
    are those of the same document with the list whole."""
    doc = {"as_of": "2026-10-31", "totals": {"n": 1, "m": []}, "groups": iter(items), "pillars": [{"x": 0.5}]}
    out = io.StringIO()
    cli.print_json(doc, out)
    assert out.getvalue() == json.dumps({**doc, "groups": items}, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("made", [
    lambda: __import__("collections").OrderedDict(a=1e-05),
    lambda: {"a": __import__("collections").defaultdict(int, b=1e-07)},
    lambda: {1: "a", 2.5: [1e16]}, lambda: {"k": iter([1, 2]), 7: iter([{"x": 1e-05}])}])
def test_json_of_subclasses_and_keys_json_turns_to_text_is_as_json_writes_it(made):
    """Found by a cold review: a dict subclass's floats, and keys that are not strings (json writes
    them as text), in a whole or a streamed document."""
    whole = {k: list(v) if hasattr(v, "__next__") else v for k, v in made().items()}
    out = io.StringIO()
    cli.print_json(made(), out)
    assert out.getvalue() == json.dumps(whole, indent=2, ensure_ascii=False) + "\n"


def test_json_refuses_what_json_refuses():
    with pytest.raises(TypeError):
        cli.print_json({"day": dt.date(2026, 1, 1)}, io.StringIO())


def test_a_summary_whose_groups_cannot_be_read_writes_nothing_to_stdout(home, monkeypatch, capsys):
    """The groups are streamed, but their query runs before the document is begun: a failing one
    leaves stdout empty (never half a document) and says so on stderr."""
    from swgdash.query import db as querydb

    assert run("publish", str(DEMO))[0] == 0
    real = querydb.Cursor.each

    def failing(self, name, **kw):
        if name == "group_practice":
            raise querydb.duckdb.IOException("the disk went away")
        return real(self, name, **kw)

    monkeypatch.setattr(querydb.Cursor, "each", failing)
    code, out = run("summary", "--json")
    assert code == 1 and out == "" and "internal error" in capsys.readouterr().err
