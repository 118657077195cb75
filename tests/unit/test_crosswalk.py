"""The carry-over between two national plans (issue 32) at its boundaries: a group aligned to both plans
(direct, never carried), one-to-many and many-to-one maps, an old pillar mapped to nothing, a group with
no alignment (not to realign), a dormant carried group (not functioning), the default pair of plans,
the refusals of pillar_map, and `crosswalk --json`'s keys."""
import datetime as dt
import json

import pandas as pd
import pytest

from factories import group, meeting, write_csv
from swgdash import cli
from swgdash.errors import UnknownPlan
from swgdash.ingest.validate import validate_paths
from swgdash.query import crosswalk, metrics

OLD, NEW = "9th NSEDP 2021-2025", "10th NSEDP 2026-2030"
AS_OF = dt.date(2026, 10, 31)


def pillar(pid, plan):
    return {"plan": plan, "pillar_id": pid, "name": f"Pillar {pid}"}


def register(pillar_map, alignment, groups=None, meetings=None):
    """Old pillars O1-O4, new N1-N3; groups A (active), D (dormant: last met 2024), Z (never aligned)."""
    return {
        "groups": groups or [group("A"), group("D"), group("Z"), group("C", status="merged", closed_on="2025-06-30")],
        "meetings": meetings or [meeting("M1", "A", "2026-10-01"), meeting("M2", "D", "2024-05-01"),
                                 meeting("M3", "Z", "2026-09-01"), meeting("M4", "C", "2025-05-01")],
        "pillars": [pillar(p, OLD) for p in ("O1", "O2", "O3", "O4")] + [pillar(p, NEW) for p in ("N1", "N2", "N3")],
        "alignment": [{"group_id": g, "pillar_id": p} for g, p in alignment],
        "pillar_map": [{"from_pillar_id": a, "to_pillar_id": b} for a, b in pillar_map],
    }


def carried(cur, **kw):
    return crosswalk.carry_over(cur, metrics.Params(as_of=AS_OF), **kw)


def by_pillar(co):
    return {r.pillar_id: (list(r.direct), list(r.carried), int(r.functioning), bool(r.gap))
            for r in co.pillars.itertuples()}


def test_a_group_aligned_to_both_plans_is_direct_and_never_carried(tiny):
    cur = tiny(register([("O1", "N1")], [("A", "O1"), ("A", "N1")]))
    co = carried(cur)
    assert (co.from_plan, co.to_plan) == (OLD, NEW)
    assert by_pillar(co)["N1"] == (["A"], [], 1, False)
    assert co.document()["to_realign"] == []


def test_one_to_many_and_many_to_one(tiny):
    # O1 -> N1 and N2 (one to many); O2 and O3 -> N3 (many to one)
    cur = tiny(register([("O1", "N1"), ("O1", "N2"), ("O2", "N3"), ("O3", "N3")],
                        [("A", "O1"), ("A", "O2"), ("D", "O3")]))
    got = by_pillar(carried(cur))
    assert got["N1"] == ([], ["A"], 1, False)
    assert got["N2"] == ([], ["A"], 1, False)
    assert got["N3"] == ([], ["A", "D"], 1, False)  # A once, though two of its old pillars map here


def test_an_old_pillar_mapped_to_nothing_and_a_new_pillar_nothing_reaches(tiny):
    cur = tiny(register([("O1", "N1")], [("A", "O1"), ("A", "O4")]))
    doc = carried(cur).document()
    assert doc["unmapped"] == ["O2", "O3", "O4"]
    assert {p["pillar_id"]: p["gap"] for p in doc["pillars"]} == {"N1": False, "N2": True, "N3": True}


def test_a_dormant_carried_group_is_not_functioning_and_leaves_a_gap(tiny):
    cur = tiny(register([("O2", "N2")], [("D", "O2")]))
    co = carried(cur)
    assert by_pillar(co)["N2"] == ([], ["D"], 0, True)
    assert bool(co.pillars.set_index("pillar_id").loc["N2", "gap_before"])


def test_gap_before_and_after_realignment(tiny):
    cur = tiny(register([("O1", "N1")], [("A", "O1"), ("D", "N1")]))
    row = carried(cur).pillars.set_index("pillar_id").loc["N1"]
    assert bool(row["gap_before"]) and not bool(row["gap"])  # D (dormant) alone was direct; A carries over


def test_groups_to_realign_are_aligned_to_the_old_plan_only_and_count(tiny):
    # A: old only (to realign); D: old and new (not); Z: no alignment at all (not); C: old only but closed
    cur = tiny(register([("O1", "N1")], [("A", "O1"), ("D", "O2"), ("D", "N3"), ("C", "O1")]))
    co = carried(cur)
    assert co.document()["to_realign"] == ["A"]
    a = co.to_realign.set_index("group_id").loc["A"]
    assert list(a["old_pillars"]) == ["O1"] and list(a["suggested"]) == ["N1"]
    assert "C" not in set(co.groups["group_id"])  # a group that does not count is in no list
    assert by_pillar(co)["N1"] == ([], ["A"], 1, False)


def test_the_default_pair_follows_the_plan_in_force(tiny):
    plans = {"pillars": [pillar("O1", OLD), pillar("N1", NEW), pillar("F1", "11th NSEDP 2031-2035")]}
    cur = tiny({**register([], []), **plans})
    assert crosswalk.plan_pair(cur, AS_OF) == (OLD, NEW)
    assert crosswalk.plan_pair(cur, dt.date(2031, 1, 1)) == (NEW, "11th NSEDP 2031-2035")
    assert crosswalk.plan_pair(cur, dt.date(2040, 1, 1)) == (NEW, "11th NSEDP 2031-2035")  # else the latest
    assert crosswalk.plan_pair(cur, dt.date(2022, 1, 1)) is None  # nothing before the plan in force
    with pytest.raises(UnknownPlan, match="name the plans with --from and --to"):
        crosswalk.carry_over(cur, metrics.Params(as_of=dt.date(2022, 1, 1)))
    assert carried(cur, from_plan=OLD, to_plan="11th NSEDP 2031-2035").to_plan == "11th NSEDP 2031-2035"


@pytest.mark.parametrize("asked", [{"from_plan": "8th NSEDP"}, {"to_plan": "nope"}])
def test_an_unknown_plan_names_the_plans_there_are(tiny, asked):
    cur = tiny(register([], []))
    with pytest.raises(UnknownPlan, match=f"the plans are: {NEW}, {OLD}"):
        carried(cur, **asked)


def test_the_same_plan_twice_is_refused(tiny):
    cur = tiny(register([], []))
    with pytest.raises(UnknownPlan, match="from one plan to another"):
        carried(cur, from_plan=OLD, to_plan=OLD)


def validate(tmp_path, tables):
    for name, rows in tables.items():
        write_csv(tmp_path / "x", name, rows)
    return validate_paths([tmp_path / "x"])


def test_a_map_within_one_plan_is_refused_with_its_row_and_column(tmp_path):
    r = validate(tmp_path, register([("O1", "N1"), ("O1", "O2")], []))
    assert not r.ok
    [p] = r.errors
    assert (p.table, p.row, p.column) == ("pillar_map", 3, "to_pillar_id")
    assert "same plan" in p.message and OLD in p.message


def test_a_map_naming_an_unknown_pillar_is_refused_with_its_row_and_column(tmp_path):
    r = validate(tmp_path, register([("O1", "N9")], []))
    assert [(p.table, p.row, p.column) for p in r.errors] == [("pillar_map", 2, "to_pillar_id")]


def test_crosswalk_json_has_exactly_the_contracts_keys(tmp_path, capsys):
    folder = tmp_path / "x"
    for name, rows in register([("O1", "N1"), ("O2", "N1")], [("A", "O1"), ("D", "O2"), ("Z", "N2")]).items():
        write_csv(folder, name, rows)
    home = str(tmp_path / "home")
    assert cli.main(["--home", home, "publish", str(folder), "--as-of", "2026-10-31"]) == 0
    capsys.readouterr()
    assert cli.main(["--home", home, "crosswalk", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert list(doc) == ["from_plan", "to_plan", "as_of", "pillars", "unmapped", "to_realign"]
    assert [list(p) for p in doc["pillars"]] == [["pillar_id", "direct", "carried", "functioning", "gap"]] * 3
    assert doc["pillars"][0] == {"pillar_id": "N1", "direct": [], "carried": ["A", "D"], "functioning": 1,
                                 "gap": False}
    assert (doc["from_plan"], doc["to_plan"], doc["as_of"]) == (OLD, NEW, "2026-10-31")
    assert doc["unmapped"] == ["O3", "O4"] and doc["to_realign"] == ["A", "D"]
    assert cli.main(["--home", home, "crosswalk", "--json", "--to", "12th"]) == 1
    assert "error: there is no plan '12th'; the plans are: " in capsys.readouterr().err


EIGHTH = "8th NSEDP 2016-2020"


@pytest.mark.parametrize("asked,expected", [
    ({"to_plan": OLD}, (EIGHTH, OLD)),  # only the new plan: from the plan before it
    ({"to_plan": NEW}, (OLD, NEW)),
    ({"from_plan": EIGHTH}, (EIGHTH, NEW)),  # only the old plan: to the plan in force
    ({"from_plan": OLD}, (OLD, NEW)),
])
def test_one_plan_given_takes_the_other_from_the_plans_order(tiny, asked, expected):
    cur = tiny({**register([], []), "pillars": [pillar("E1", EIGHTH), pillar("O1", OLD), pillar("N1", NEW)]})
    co = carried(cur, **asked)
    assert (co.from_plan, co.to_plan) == expected


@pytest.mark.parametrize("asked,words", [
    ({"to_plan": EIGHTH}, f"no plan starts before '{EIGHTH}'"),
    ({"from_plan": NEW}, f"no plan starts after '{NEW}'"),
])
def test_one_plan_given_with_no_other_on_its_side_is_refused(tiny, asked, words):
    cur = tiny({**register([], []), "pillars": [pillar("E1", EIGHTH), pillar("O1", OLD), pillar("N1", NEW)]})
    with pytest.raises(UnknownPlan, match=words):
        carried(cur, **asked)


def test_plans_without_periods_say_so(tiny):
    cur = tiny({**register([], []), "pillars": [pillar("O1", "Old plan"), pillar("N1", "New plan")]})
    with pytest.raises(UnknownPlan, match="fewer than two plans have periods"):
        carried(cur)
    assert carried(cur, from_plan="Old plan", to_plan="New plan").to_plan == "New plan"


def test_the_carried_groups_and_the_crosswalks_rows_name_their_pillars(tiny):
    tables = register([("O1", "N1"), ("O1", "N2")], [("A", "O1"), ("A", "N2"), ("D", "O1")])
    tables["pillar_map"][0]["note"] = "growth carries on"
    co = carried(tiny(tables))
    assert co.carried[["pillar_id", "group_id"]].values.tolist() == [["N1", "A"], ["N1", "D"], ["N2", "D"]]
    assert list(co.carried["pillar"]) == ["N1 Pillar N1"] * 2 + ["N2 Pillar N2"]
    assert co.mapping[["from_pillar", "to_pillar"]].values.tolist() == [
        ["O1 Pillar O1", "N1 Pillar N1"], ["O1 Pillar O1", "N2 Pillar N2"]]
    assert co.mapping["note"].iloc[0] == "growth carries on" and pd.isna(co.mapping["note"].iloc[1])


def test_the_realignment_worksheet_round_trip(tmp_path):
    """The demo's worksheet, uploaded back as it is, publishes the crosswalk's suggestions as the new
    plan's alignment (nothing left to realign); a suggestion changed in the workbook is what is published."""
    import io

    import openpyxl

    from swgdash import publishing
    from swgdash.ingest.extract import README_SHEET, Source
    from swgdash.ingest.validate import validate_sources
    from swgdash.present import excel
    from swgdash.store import FolderStore

    store = FolderStore(tmp_path / "store")
    version = publishing.ensure_demo(store)
    db = publishing.open_database(version)
    p = metrics.Params(as_of=version.as_of)
    co = crosswalk.carry_over(db.cursor(), p)
    db.close()
    assert list(co.to_realign["group_id"]) == ["SUB-EDU-EMAPA", "SUB-GOV-LIO", "SUB-HEALTH-HPF"]
    book = excel.realignment_workbook({n: version.read(n) for n in version.tables}, version.as_of, co)

    listed = [row for row in openpyxl.load_workbook(io.BytesIO(book))[README_SHEET].iter_rows(values_only=True)]
    assert ("SUB-HEALTH-HPF", "Sub-SWG on Health Planning and Finance", "Active", "NSEDP9-O3", "NSEDP10-G3") in listed

    def published(data: bytes):
        result = validate_sources([Source("realignment.xlsx", data)])
        assert result.ok and not result.warnings, [str(w) for w in result.problems]
        new = publishing.publish(store, result, version.as_of, "realigned")
        d = publishing.open_database(new)
        try:
            return crosswalk.carry_over(d.cursor(), p), d.cursor().query("group_pillars", group_id="SUB-EDU-EMAPA",
                                                                       as_of=version.as_of)
        finally:
            d.close()

    after, emapa = published(book)
    assert after.document()["to_realign"] == []
    assert "NSEDP10-G2" in set(emapa["pillar_id"])
    assert int(after.pillars.set_index("pillar_id").loc["NSEDP10-G3", "n_direct"]) == \
        int(co.pillars.set_index("pillar_id").loc["NSEDP10-G3", "n_direct"]) + 1

    wb = openpyxl.load_workbook(io.BytesIO(book))  # the secretariat changes EMAPA's suggestion to G6
    sheet = wb["alignment"]
    changed = [r for r in sheet.iter_rows(min_row=2) if r[0].value == "SUB-EDU-EMAPA" and r[1].value == "NSEDP10-G2"]
    assert len(changed) == 1
    changed[0][1].value = "NSEDP10-G6"
    buf = io.BytesIO()
    wb.save(buf)
    after, emapa = published(buf.getvalue())
    assert {"NSEDP10-G6", "NSEDP9-O2"} <= set(emapa["pillar_id"]) and "NSEDP10-G2" not in set(emapa["pillar_id"])
    assert after.document()["to_realign"] == []
