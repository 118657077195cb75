"""Data-quality warnings at their boundaries, the as-of date an extract implies, and the messy
register of issue 21 (figures that stay true on it)."""
import datetime as dt

import pytest

from factories import group, meeting, messy_register, write_csv
from swgdash import publishing
from swgdash.ingest import quality
from swgdash.ingest.validate import validate_paths
from swgdash.present import sentences
from swgdash.query import metrics
from swgdash.store import FolderStore

UPLOAD = dt.date(2026, 11, 23)


def check(tmp_path, tables, today=UPLOAD):
    folder = tmp_path / "x"
    for name, rows in tables.items():
        write_csv(folder, name, rows)
    result = validate_paths([folder], today=today)
    assert result.ok, [str(p) for p in result.errors]
    return result


def found(result):
    return [(p.table, p.row, p.column) for p in result.warnings]


@pytest.mark.parametrize("date,warned", [("2020-01-01", False), ("2019-12-31", True),   # established 2020-01-01
                                         ("2024-06-30", False), ("2024-07-01", True),   # closed 2024-06-30
                                         ])
def test_a_meeting_outside_its_groups_life(tmp_path, date, warned):
    r = check(tmp_path, {"groups": [group("G", established_on="2020-01-01", closed_on="2024-06-30", status="merged")],
                         "meetings": [meeting("M", "G", date)]})
    assert found(r) == ([("meetings", 2, "date")] if warned else [])
    assert not warned or "set aside, counted in no figure" in r.warnings[0].message


@pytest.mark.parametrize("date,warned", [("2026-11-23", False), ("2026-11-24", True)])
def test_a_meeting_after_the_upload_day(tmp_path, date, warned):
    r = check(tmp_path, {"groups": [group("G")], "meetings": [meeting("M1", "G", "2026-01-01"), meeting("M2", "G", date)]})
    assert found(r) == ([("meetings", 3, "date")] if warned else [])


@pytest.mark.parametrize("date,warned", [("2026-06-30", False), ("2026-07-01", True)])
def test_a_meeting_after_the_extracts_own_as_of(tmp_path, date, warned):
    r = check(tmp_path, {"groups": [group("G")], "meetings": [meeting("M", "G", date)],
                         "extract": [{"as_of": "2026-06-30"}]})
    assert found(r) == ([("meetings", 2, "date")] if warned else [])
    assert not warned or "after the as-of date (2026-06-30)" in r.warnings[0].message


@pytest.mark.parametrize("second,warned", [("2026-03-02", False), ("2026-03-01", True)])
def test_two_meetings_of_one_group_on_one_day(tmp_path, second, warned):
    r = check(tmp_path, {"groups": [group("G"), group("H")],
                         "meetings": [meeting("M1", "G", "2026-03-01"), meeting("M2", "H", "2026-03-01"),
                                      meeting("M3", "G", second)]})
    assert found(r) == ([("meetings", 4, "date")] if warned else [])
    assert not warned or "rows 2 and 4" in r.warnings[0].message


@pytest.mark.parametrize("parent_status,warned", [("active", False), ("discontinued", True), ("merged", True)])
def test_an_active_group_under_a_closed_parent(tmp_path, parent_status, warned):
    r = check(tmp_path, {"groups": [group("P", status=parent_status), group("S", kind="sub_swg", parent_id="P")],
                         "meetings": [meeting("M", "S", "2026-01-01")]})
    assert found(r) == ([("groups", 3, "parent_id")] if warned else [])


@pytest.mark.parametrize("reader", ["en", "lo"])
def test_each_warning_is_written_in_every_language_with_the_readers_first(tmp_path, reader):
    """The checks run once; each message (its words too: 'merged') is written in each language."""
    from swgdash import i18n

    with i18n.language(reader):
        r = check(tmp_path, {"groups": [group("P", status="merged"), group("S", kind="sub_swg", parent_id="P")],
                             "meetings": [meeting("M1", "S", "2026-03-01"), meeting("M2", "S", "2026-03-01")]})
    assert sorted(found(r)) == [("groups", 3, "parent_id"), ("meetings", 3, "date")]
    for w in r.warnings:
        assert [lang for lang, _text in w.texts] == [reader, *(lang for lang in i18n.LANGUAGES if lang != reader)]
        assert w.message == w.text(reader)
        assert not i18n.has_lao(w.text("en")) and i18n.has_lao(w.text("lo"))
    parent = next(w for w in r.warnings if w.table == "groups")
    assert parent.text("en") == "S is active but its parent P is merged"
    with i18n.language("lo"):
        merged = quality.word("group_status", "merged").lower()
    assert parent.text("lo").endswith(merged) and merged != "merged"


@pytest.mark.parametrize("issued,year,where", [("2026-11-23", 2026, None), ("2026-11-24", 2026, "issued_on"),
                                                (None, 2026, None), (None, 2027, "year")])
def test_a_document_dated_in_the_future(tmp_path, issued, year, where):
    r = check(tmp_path, {"groups": [group("G")], "meetings": [meeting("M", "G", "2026-01-01")],
                         "documents": [{"group_id": "G", "doc_type": "tor", "year": year, "issued_on": issued}]})
    assert found(r) == ([("documents", 2, where)] if where else [])


@pytest.mark.parametrize("names,warned", [
    (["Japan", "World Bank"], []),
    (["Japan", " Japan "], []),  # the same after trimming: one name
    (["Japan", "JAPAN"], ["JAPAN"]),
    (["Japan", "Embassy of Japan"], ["Embassy of Japan"]),
    (["Japan", "JICA", "Embassy of Japan"], ["JICA", "Embassy of Japan"]),
    (["U.S.A.", "United States", "USAID"], ["United States", "USAID"]),
    (["Switzerland (SDC)", "SDC"], ["SDC"]),
    (["EU", "European Union"], ["European Union"]),
])
def test_one_partner_written_several_ways(tmp_path, names, warned):
    members = [{"group_id": "G", "organisation": n, "org_type": "development_partner", "role": "active"}
               for n in names]
    r = check(tmp_path, {"groups": [group("G")], "meetings": [meeting("M", "G", "2026-01-01")], "members": members})
    got = [p.message.split("'")[1] for p in r.warnings]
    assert got == warned and all(p.table == "members" and p.column == "organisation" for p in r.warnings)
    # an organisations table that lists the names settles it
    listed = [{"organisation": n, "partner": n} for n in dict.fromkeys(n.strip() for n in names)]
    assert check(tmp_path / "o", {"groups": [group("G")], "meetings": [meeting("M", "G", "2026-01-01")],
                                  "members": members, "organisations": listed}).warnings == []


def test_the_secretariat_extends_the_agencies(tmp_path, monkeypatch):
    (tmp_path / "agencies.csv").write_text("agency,country\nLao Fund,Laos\n", encoding="utf-8")
    monkeypatch.setenv("SWGDASH_AGENCIES", str(tmp_path / "agencies.csv"))
    assert quality.name_variants(["Laos", "Lao Fund", "JICA", "Japan"], set()) == {
        "laos": ["Laos", "Lao Fund"], "japan": ["JICA", "Japan"]}


@pytest.mark.parametrize("tables,expected,source", [
    ({"extract": [{"as_of": "2026-06-30"}]}, "2026-06-30", "extract's own"),
    ({}, "2026-10-02", "latest meeting"),
    ({"actions": [{"action_id": "A", "rec_id": "R", "description": "x", "status": "done", "updated_on": "2026-11-01"}],
      "recommendations": [{"rec_id": "R", "title": "t"}]}, "2026-11-01", "latest action update"),
    ({"actions": [{"action_id": "A", "rec_id": "R", "description": "x", "status": "done", "updated_on": "2026-12-01"}],
      "recommendations": [{"rec_id": "R", "title": "t"}]}, "2026-10-02", "latest meeting"),  # after the upload day
])
def test_the_as_of_an_extract_implies(tmp_path, tables, expected, source):
    base = {"groups": [group("G")], "meetings": [meeting("M1", "G", "2026-10-02"), meeting("M2", "G", "2026-12-24")]}
    r = check(tmp_path, {**base, **tables})
    assert r.as_of.date.isoformat() == expected and source in r.as_of.source


@pytest.mark.parametrize("chosen,said", [("2026-10-02", None), ("2026-10-01", "before the latest recorded meeting"),
                                         ("2027-01-02", None), ("2027-01-03", "93 days after the latest")])
def test_the_as_of_chosen_is_warned_about_at_its_boundaries(tmp_path, chosen, said):
    r = check(tmp_path, {"groups": [group("G")], "meetings": [meeting("M1", "G", "2026-10-02")]},
              today=dt.date(2027, 6, 1))
    got = quality.as_of_warnings(dt.date.fromisoformat(chosen), r.tables, r.upload_day)
    assert (said is None and got == []) or (len(got) == 1 and said in got[0])


# ---- the messy register of issue 21 ---------------------------------------------------------

@pytest.fixture(params=[False, True], ids=["as written", "with an organisations table"])
def register(request, tmp_path):
    folder = messy_register(tmp_path / "register", organisations=request.param)
    result = validate_paths([folder], today=UPLOAD)
    assert result.ok
    version = publishing.publish(FolderStore(tmp_path / "store"), result, result.as_of.date)
    db = publishing.open_database(version)
    yield request.param, result, db.cursor()
    db.close()


def test_the_register_totals_equal_the_sums_of_their_rows(register):
    _, result, cur = register
    p = metrics.Params(as_of=result.as_of.date)
    act = metrics.group_activity(cur, p)
    totals = metrics.meeting_totals(cur, p)
    assert len(act) == 34 and "G-OLD" not in set(act["group_id"]) and "G-NEW" not in set(act["group_id"])
    assert totals["last_12m"] == int(act["meetings_12m"].sum())
    by = metrics.meetings_by_period(cur, p, "month", 12)
    in_window = by[by["period"] >= pd_ts(metrics.months_before(p.as_of, 12).replace(day=1))]
    assert set(by["group_id"]) <= set(act["group_id"])
    assert metrics.meeting_list(cur, p, months=12)["group_id"].isin(act["group_id"]).all()
    assert len(metrics.meeting_list(cur, p, months=12)) == totals["last_12m"] <= int(in_window["meetings"].sum())
    assert metrics.heatmap_rows(by, act, None) == act["group_id"].tolist()


def pd_ts(day):
    import pandas as pd

    return pd.Timestamp(day)


def test_the_discontinued_groups_meetings_are_warned_set_aside_and_named(register):
    _, result, cur = register
    old = [p for p in result.warnings if p.table == "meetings" and "G-OLD" in p.message]
    rows = {p.row for p in old}
    assert len(old) == 3 and len(rows) == 3 and all(p.column == "date" and "closed" in p.message for p in old)
    p = metrics.Params(as_of=result.as_of.date)
    aside = metrics.set_aside(cur, p)
    assert sorted(aside["meeting_id"]) == ["OLD-1", "OLD-2", "OLD-3"] and set(aside["reason"]) == {"after_closed"}
    apart = metrics.not_counted(cur, p)  # the one of the last 12 months
    assert apart[["group_id", "reason", "meetings"]].values.tolist() == [["G-OLD", "after_closed", 1]]
    assert metrics.meeting_totals(cur, p)["not_counted_12m"] == 1
    assert "Old task force" in sentences.not_counted_sentence(apart)
    assert not metrics.meeting_list(cur, p, months=120)["group_id"].eq("G-OLD").any()
    doc = metrics.summary(cur, p)
    assert doc["totals"] == {"meetings_12m": sum(g["meetings_12m"] for g in doc["groups"]),
                             "meetings_prev_12m": doc["totals"]["meetings_prev_12m"], "excluded_meetings": 1}


def test_japan_is_warned_about_or_counted_as_one_partner(register):
    listed, result, cur = register
    variants = [p for p in result.warnings if p.column == "organisation"]
    load = metrics.organisation_load(cur, metrics.Params(as_of=result.as_of.date)).set_index("organisation")
    if not listed:
        assert {p.message.split("'")[1] for p in variants} == {"Japan", "JICA"} and len(variants) == 2
        assert load.loc["Embassy of Japan", "active_groups"] == 5 and bool(load.loc["Embassy of Japan", "over_cap"])
        assert load.loc["Japan", "active_groups"] == 3 and load.loc["JICA", "active_groups"] == 4
    else:
        assert variants == []
        assert "JICA" not in load.index and "Embassy of Japan" not in load.index
        assert load.loc["Japan", "active_groups"] == 12 and bool(load.loc["Japan", "over_cap"])


def test_an_as_of_after_the_upload_day_is_warned_about(tmp_path):
    r = check(tmp_path, {"groups": [group("G")], "meetings": [meeting("M1", "G", "2026-11-20")]})
    assert quality.as_of_warnings(UPLOAD, r.tables, UPLOAD) == []
    said = quality.as_of_warnings(UPLOAD + dt.timedelta(days=1), r.tables, UPLOAD)
    assert len(said) == 1 and "after the upload day (23 November 2026)" in said[0]
