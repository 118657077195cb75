"""The partners' IATI files (issue 33): reading small files written from the standard, keeping IATI
sets in the store, and the funding figures and `funding --json`."""
import datetime as dt
import io
import itertools
import json
import zipfile

import pytest

from factories import ROOT
from swgdash import publishing
from swgdash.cli import main as cli
from swgdash.ingest import iati
from swgdash.query import funding
from swgdash.store import FolderStore

AS_OF = dt.date(2026, 10, 31)


def activity(ident="XM-DAC-41122-LA-1", reporting=("XM-DAC-41122", "UNICEF"), participants=(), country="LA",
             country_pct=None, sectors=(("12240", None, None),), transactions=(), currency="USD", title="An activity",
             title_lo=None, extra="", updated="2026-01-01T00:00:00Z", countries=None) -> str:
    """One <iati-activity> as the standard writes it: participants (role, ref, name); sectors (code,
    vocabulary or None, percentage or None); transactions (type, date, value, currency or None,
    value date or None, extra XML inside)."""
    rep = f'<reporting-org ref="{reporting[0]}" type="40"><narrative>{reporting[1]}</narrative></reporting-org>'
    parts = "".join(f'<participating-org role="{r}"' + (f' ref="{ref}"' if ref else "") + f'><narrative>{n}</narrative>'
                    "</participating-org>" for r, ref, n in participants)
    if countries is None:
        countries = [(country, country_pct)] if country else []
    ctry = "".join(f'<recipient-country code="{c}"' + (f' percentage="{p}"' if p is not None else "") + "/>"
                   for c, p in countries)
    sect = "".join(f'<sector code="{c}"' + (f' vocabulary="{v}"' if v else "") + (f' percentage="{p}"' if p is not None else "")
                   + "/>" for c, v, p in sectors)
    txs = "".join(f'<transaction><transaction-type code="{k}"/><transaction-date iso-date="{d}"/>'
                  f'<value' + (f' currency="{cur}"' if cur else "") + (f' value-date="{vd}"' if vd else "")
                  + f">{v}</value>{x}</transaction>" for k, d, v, cur, vd, x in transactions)
    lo = f'<narrative xml:lang="lo">{title_lo}</narrative>' if title_lo else ""
    return (f'<iati-activity last-updated-datetime="{updated}" default-currency="{currency}" xml:lang="en">'
            f"<iati-identifier>{ident}</iati-identifier>{rep}<title><narrative>{title}</narrative>{lo}</title>"
            f'{parts}<activity-status code="2"/>{ctry}{sect}{txs}{extra}</iati-activity>')


def tx(kind=3, day="2025-06-01", value=1000, currency=None, value_date=None, extra=""):
    return (kind, day, value, currency, value_date, extra)


def document(*activities, version="2.03", generated="2026-03-03T06:00:00Z") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="{version}" '
            f'generated-datetime="{generated}">\n' + "\n".join(activities) + "\n</iati-activities>\n")


def write(tmp_path, text: str, name="activities.xml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def tables(found):
    return {k: v.to_pylist() for k, v in found.tables.items()}


# -- reading ---------------------------------------------------------------------------------------
def test_an_activity_is_read_with_what_the_figures_need(tmp_path):
    path = write(tmp_path, document(activity(
        participants=[(1, "AU-5", "Australia"), (4, None, "Lao Red Cross")], title_lo="ໂຄງການ",
        sectors=[("12240", "1", 60), ("13020", None, 40)], transactions=[tx(3, "2025-06-01", 1000), tx(2, "2024-01-01", 5000),
                                                                          tx(1, "2024-01-01", 99), tx(4, "2025-07-01", 500)])))
    found = iati.read([path], "LA")
    t = tables(found)
    assert found.activities == 1 and found.files[0].as_dict() == {
        "name": "activities.xml", "generated": "2026-03-03T06:00:00Z", "version": "2.03", "activities": 1, "kept": 1}
    a = t["iati_activities"][0]
    assert (a["iati_identifier"], a["title"], a["title_lo"], a["reporting_org_ref"], a["reporting_org_name"], a["status"],
            a["default_currency"]) == ("XM-DAC-41122-LA-1", "An activity", "ໂຄງການ", "XM-DAC-41122", "UNICEF", 2, "USD")
    assert [(p["role"], p["ref"], p["name"]) for p in t["iati_participants"]] == [(1, "AU-5", "Australia"),
                                                                                 (4, None, "Lao Red Cross")]
    assert [(s["vocabulary"], s["code"], s["percentage"]) for s in t["iati_sectors"]] == [("1", "12240", 60.0),
                                                                                        ("1", "13020", 40.0)]
    # incoming funds (1) are not kept; commitments (2), disbursements (3) and expenditure (4) are
    assert [(x["type"], x["value"], x["usd"], x["country_share"]) for x in t["iati_transactions"]] == [
        (3, 1000.0, 1000.0, 100.0), (2, 5000.0, 5000.0, 100.0), (4, 500.0, 500.0, 100.0)]
    assert found.data_date == dt.date(2026, 3, 3)


def test_activities_in_another_country_are_skipped(tmp_path):
    path = write(tmp_path, document(activity("A-1"), activity("A-2", country="KH"), activity("A-3", country=None)))
    found = iati.read([path], "LA")
    assert [a["iati_identifier"] for a in tables(found)["iati_activities"]] == ["A-1"]
    assert found.files[0].activities == 3 and found.files[0].kept == 1
    assert [a["iati_identifier"] for a in tables(iati.read([path], "KH"))["iati_activities"]] == ["A-2"]


def test_the_country_share_and_a_transaction_s_own_country(tmp_path):
    path = write(tmp_path, document(
        activity("A-1", countries=[("LA", 40), ("TH", 60)], transactions=[tx()]),
        activity("A-2", countries=[("LA", None), ("VN", None)], transactions=[tx()]),
        activity("A-3", countries=[], transactions=[tx(extra='<recipient-country code="LA"/>'),
                                                      tx(extra='<recipient-country code="TH"/>')])))
    shares = {(x["activity"], x["country_share"]) for x in tables(iati.read([path], "LA"))["iati_transactions"]}
    assert shares == {(1, 40.0), (2, 50.0), (3, 100.0), (3, 0.0)}


def test_sector_vocabularies_and_percentages(tmp_path):
    path = write(tmp_path, document(activity(sectors=[("121", "2", None), ("12240", None, None), ("99", "99", 100),
                                                      ("11220", "1", None)])))
    sectors = [(s["vocabulary"], s["code"], s["percentage"]) for s in tables(iati.read([path], "LA"))["iati_sectors"]]
    # no vocabulary means 1; others than 1 and 2 are left out; missing percentages split what is left evenly
    assert sorted(sectors) == [("1", "11220", 50.0), ("1", "12240", 50.0), ("2", "121", 100.0)]


def test_a_currency_is_converted_at_its_value_date_and_one_without_a_rate_is_kept_apart(tmp_path):
    path = write(tmp_path, document(activity(currency="EUR", transactions=[
        tx(3, "2024-03-04", 1000, None, "2024-03-01"), tx(3, "2024-03-04", 1000, "LAK"), tx(3, "2024-03-04", 50, "USD")])))
    found = iati.read([path], "LA")
    rows = tables(found)["iati_transactions"]
    eur, lak, usd = rows
    assert eur["currency"] == "EUR" and eur["value_date"] == dt.date(2024, 3, 1)
    assert eur["usd"] == pytest.approx(1000 * 1.0813, rel=0.01)  # the ECB's rate of 1 March 2024: 1.0813
    assert lak["currency"] == "LAK" and lak["usd"] is None and lak["value"] == 1000
    assert usd["usd"] == 50
    assert found.notes == {"not_converted": 1}


def test_a_zip_of_files_and_a_duplicate_activity_kept_once(tmp_path):
    one = document(activity("A-1", title="old", updated="2025-01-01T00:00:00Z"), activity("A-2"))
    two = document(activity("A-1", title="new", updated="2026-01-01T00:00:00Z"))
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("one.xml", one)
        z.writestr("sub/two.xml", two)
        z.writestr("readme.txt", "not read")
    found = iati.read([archive], "LA")
    assert [f.name for f in found.files] == ["download.zip/one.xml", "download.zip/sub/two.xml"]
    assert sorted((a["iati_identifier"], a["title"]) for a in tables(found)["iati_activities"]) == [("A-1", "new"), ("A-2", "An activity")]
    assert found.duplicates == 1


@pytest.mark.parametrize("text,says", [
    ("<iati-activities><iati-activity><iati-identifier>A</iati-identifier>\n</iati-activities>", "line 2: not well-formed XML"),
    ("<html><body>not IATI</body></html>", "not an IATI activity file (its first element is <html>"),
    ('<iati-activities version="1.05"></iati-activities>', "IATI version 1.05: only versions 2.01 to 2.03 are read"),
    ("", "not well-formed XML"),
])
def test_a_file_that_is_not_iati_or_not_well_formed_is_refused_with_its_name_and_line(tmp_path, text, says):
    good = write(tmp_path, document(activity()), "good.xml")
    bad = write(tmp_path, text, "bad.xml")
    with pytest.raises(iati.IatiRefused) as refused:
        iati.read([good, bad], "LA")
    assert "bad.xml" in str(refused.value) and says in str(refused.value), str(refused.value)
    assert "nothing was imported" in str(refused.value)


def test_entities_are_not_expanded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET")
    text = (f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>'
            + document(activity(title="&e;")).split("?>", 1)[1])
    found = iati.read([write(tmp_path, text)], "LA")
    assert "SECRET" not in json.dumps(tables(found)["iati_activities"], default=str)


# -- kept in the store -------------------------------------------------------------------------------
def test_an_import_is_a_new_set_with_its_files_and_a_refused_one_changes_nothing(tmp_path):
    store = FolderStore(tmp_path / "home")
    first = publishing.import_iati(store, [write(tmp_path, document(activity("A-1"), activity("A-2")))], by="Officer")
    assert publishing.current_iati(store).id == first.id == 1
    about = first.manifest["about"]
    assert about["activities"] == 2 and about["files"][0]["generated"] == "2026-03-03T06:00:00Z"
    assert first.manifest["published_by"] == "Officer" and first.as_of == dt.date(2026, 3, 3)
    assert store.series("iati").check(first) == []
    with pytest.raises(iati.IatiRefused):
        publishing.import_iati(store, [write(tmp_path, "<broken", "broken.xml")])
    assert publishing.current_iati(store).id == 1 and len(store.series("iati").versions()) == 1
    assert store.is_empty()  # (the register's versions are another series)


def test_a_backup_holds_the_iati_sets_and_restore_checks_them(tmp_path, capsys):
    import tarfile

    home = tmp_path / "home"
    store = FolderStore(home)
    publishing.ensure_demo(store)
    publishing.import_iati(store, [write(tmp_path, document(activity("A-1"), activity("A-2")))], by="Officer")
    assert cli(["--home", str(home), "backup", "--out", str(tmp_path / "b.tar.gz")]) == 0
    assert "2 iati sets" in capsys.readouterr().out
    assert cli(["--home", str(tmp_path / "restored"), "restore", str(tmp_path / "b.tar.gz")]) == 0
    assert "and 2 iati sets" in capsys.readouterr().out
    restored = FolderStore(tmp_path / "restored").series("iati")
    assert [v.id for v in restored.versions()] == [1, 2] and restored.current().manifest["about"]["activities"] == 2
    assert all(restored.check(v) == [] for v in restored.versions())
    # an IATI set changed in the archive: nothing is restored
    bad = tmp_path / "bad.tar.gz"
    with tarfile.open(tmp_path / "b.tar.gz") as src, tarfile.open(bad, "w:gz") as dst:
        for m in src.getmembers():
            data = src.extractfile(m).read() if m.isfile() else None
            if "reference/iati/versions/000002/iati_activities" in m.name:
                data = data[:100] + bytes([data[100] ^ 0xFF]) + data[101:]
            dst.addfile(m, io.BytesIO(data) if data is not None else None)
    assert cli(["--home", str(tmp_path / "new"), "restore", str(bad)]) == 1
    assert "backup's iati version 2 is damaged" in capsys.readouterr().err
    assert not (tmp_path / "new").exists() or not any((tmp_path / "new").iterdir())


# -- the figures ---------------------------------------------------------------------------------------
def register(tmp_path, members, sectors, organisations):
    """A register with two groups, their members, sector codes and the partners' IATI identifiers."""
    from factories import write_csv

    folder = tmp_path / "extract"
    write_csv(folder, "groups", [
        {"group_id": "G-HEALTH", "name": "Health", "kind": "swg", "status": "active"},
        {"group_id": "G-EDU", "name": "Education", "kind": "swg", "status": "active"}])
    write_csv(folder, "meetings", [{"meeting_id": "M1", "group_id": "G-HEALTH", "date": "2026-09-01"}])
    write_csv(folder, "members", [{"group_id": g, "organisation": o, "org_type": t, "role": r} for g, o, t, r in members])
    write_csv(folder, "group_sectors", [{"group_id": g, "dac_code": c} for g, c in sectors])
    write_csv(folder, "organisations", [{"organisation": o, "partner": o, "org_type": "development_partner", "iati_ref": ref}
                                        for o, ref in organisations])
    write_csv(folder, "extract", [{"as_of": AS_OF.isoformat()}])
    return folder


def figures(tmp_path, xml: str, members=(), sectors=(("G-HEALTH", "121"), ("G-HEALTH", "122")), organisations=(), years=3):
    store = FolderStore(tmp_path / "home")
    result, version = publishing.publish_paths(store, [register(tmp_path, members, sectors, organisations)])
    assert version is not None, [str(p) for p in result.errors]
    publishing.import_iati(store, [write(tmp_path, xml)])
    db = publishing.open_database(version)
    try:
        return funding.funding(db.cursor(), publishing.current_iati(store), AS_OF, years)
    finally:
        db.close()


def test_a_sector_match_splits_by_sector_and_country_and_counts_only_the_window(tmp_path):
    xml = document(activity("A-1", countries=[("LA", 50), ("TH", 50)],
                            sectors=[("12110", None, 60), ("11220", None, 40)],
                            transactions=[tx(3, "2025-01-01", 1000), tx(4, "2024-01-01", 100), tx(3, "2023-10-31", 7777),
                                          tx(3, "2026-11-01", 8888), tx(2, "2025-01-01", 9999)]))
    f = figures(tmp_path, xml, members=[("G-HEALTH", "UNICEF", "development_partner", "co_chair")],
                organisations=[("UNICEF", "XM-DAC-41122")])
    # (1000 + 100) x 60% x 50%: the disbursement of 31 October 2023 is the day before the window, the one of
    # 1 November 2026 after the as-of date, and a commitment is not spent
    assert f.funders("G-HEALTH")[["organisation", "member", "role", "disbursed_usd"]].to_dict("records") == [
        {"organisation": "UNICEF", "member": True, "role": "co_chair", "disbursed_usd": 330}]
    assert f.totals("G-HEALTH") == (1, pytest.approx(330))
    assert f.funders("G-EDU").empty  # no codes: no group in the figures
    assert list(f.groups["group_id"]) == ["G-HEALTH"]
    assert figures(tmp_path / "y1", xml, organisations=[("UNICEF", "XM-DAC-41122")], years=1).funders("G-HEALTH").empty


def test_a_funder_and_an_implementer_and_the_lists_of_the_json(tmp_path):
    xml = document(
        activity("A-1", reporting=("XM-DAC-41122", "UNICEF"), participants=[(1, "AU-5", "DFAT"), (4, "XM-NGO", "An NGO")],
                 sectors=[("12220", None, None)], transactions=[tx(3, "2025-01-01", 1000)]),
        activity("A-2", reporting=("XM-DAC-47045", "The Global Fund"), sectors=[("122", "2", None)],
                 transactions=[tx(3, "2025-02-01", 5000)]),
        activity("A-3", reporting=("US-GOV-1", "USAID"), sectors=[("15250", None, None)], transactions=[tx(3, "2025-02-01", 9)]))
    f = figures(tmp_path, xml,
                members=[("G-HEALTH", "Australia", "development_partner", "co_chair"),
                         ("G-HEALTH", "Japan", "development_partner", "focal_point"),
                         ("G-HEALTH", "Korea", "development_partner", "informed"),
                         ("G-HEALTH", "Ministry of Health", "government", "chair")],
                organisations=[("Australia", "AU-5"), ("UNICEF", "XM-DAC-41122")], sectors=[("G-HEALTH", "12220")])
    doc = f.document()
    assert set(doc) == {"as_of", "years", "iati", "groups"} and set(doc["iati"]) == {"activities", "imported_on", "files"}
    g = doc["groups"][0]
    assert set(g) == {"group_id", "funders", "members_without_evidence", "funders_not_members"}
    assert all(set(x) == {"organisation", "member", "role", "disbursed_usd", "activities"} for x in g["funders"])
    # the Global Fund's category 122 is broader than the group's 12220 (not counted); the implementer (role 4) funds nothing; UXO is elsewhere
    assert [(x["organisation"], x["member"], x["role"], x["disbursed_usd"], x["activities"]) for x in g["funders"]] == [
        ("Australia", True, "co_chair", 1000, ["A-1"]), ("UNICEF", False, None, 1000, ["A-1"])]
    assert g["members_without_evidence"] == ["Japan"]  # (Korea only informed; the ministry no partner)
    assert g["funders_not_members"] == ["UNICEF"]


def test_a_three_digit_category_matches_every_code_in_it_and_an_overlap_counts_once(tmp_path):
    xml = document(activity("A-1", sectors=[("12220", None, None)], transactions=[tx(3, "2025-01-01", 1000)]),
                   activity("A-2", reporting=("XM-DAC-47045", "The Global Fund"), sectors=[("121", "2", None)],
                            transactions=[tx(3, "2025-01-01", 400)]))
    f = figures(tmp_path, xml, sectors=[("G-HEALTH", "122"), ("G-HEALTH", "12220"), ("G-EDU", "121")])
    assert f.funders("G-HEALTH")["disbursed_usd"].tolist() == [1000]  # once, though 122 and 12220 both match
    assert f.funders("G-EDU")["organisation"].tolist() == ["The Global Fund"]  # a category matches its category


def test_an_amount_that_cannot_be_converted_is_reported_apart(tmp_path):
    xml = document(activity("A-1", currency="LAK", sectors=[("12220", None, None)],
                            transactions=[tx(3, "2025-01-01", 1_000_000), tx(3, "2025-01-02", 20, "USD")]))
    f = figures(tmp_path, xml)
    row = f.funders("G-HEALTH").iloc[0]
    assert row["disbursed_usd"] == 20 and row["unconverted"] == {"LAK": 1_000_000}
    assert f.unconverted() == {"LAK": 1_000_000}


def test_funding_json_on_the_demo(tmp_path):
    home = tmp_path / "home"
    publishing.ensure_demo(FolderStore(home))
    out = io.StringIO()
    assert cli(["--home", str(home), "funding", "--json"], out=out) == 0
    doc = json.loads(out.getvalue())
    assert doc["iati"]["files"] == ["activities.xml"] and doc["iati"]["activities"] == 46 and doc["years"] == 3
    uxo = next(g for g in doc["groups"] if g["group_id"] == "SWG-UXO")
    assert uxo["funders"][0]["organisation"] == "United States"
    assert all(a["disbursed_usd"] >= b["disbursed_usd"] for g in doc["groups"] for a, b in itertools.pairwise(g["funders"]))
    assert all(g["funders_not_members"] == sorted(g["funders_not_members"]) for g in doc["groups"])
    assert not any(g["group_id"].startswith("TF-") for g in doc["groups"])  # task forces have no sectors


def test_the_demo_sample_is_the_script_s_output():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_demo_iati", ROOT / "scripts" / "make_demo_iati.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (ROOT / "data" / "demo-iati" / "activities.xml").read_text(encoding="utf-8") == module.document()


@pytest.mark.slow
def test_a_200_mb_file_is_imported_within_the_memory_the_bench_records(tmp_path):
    """The whole `iati import` process of a 200 MB file (bench.iati_import writes it) stays within
    the peak memory bench/RESULTS.md records for it: the file is read as a stream, never whole."""
    from bench import iati_import as bench

    path = tmp_path / "large.xml"
    activities = bench.write_file(path, 200)
    _seconds, peak_mb = bench.run_once(path)
    assert activities > 50_000
    assert peak_mb <= bench.RECORDED_PEAK_MB, (peak_mb, bench.RECORDED_PEAK_MB)


# -- what an independent reading of the code found (issue 33 review) ---------------------------------
def test_a_funder_that_reports_and_funds_and_is_named_two_ways_counts_once(tmp_path):
    xml = document(
        activity("A-1", reporting=("XM-DAC-41122", "UNICEF"), participants=[(1, None, "UNICEF")],
                 sectors=[("12220", None, None)], transactions=[tx(3, "2025-01-01", 1000)]),
        activity("A-2", reporting=("XM-DAC-41122", "United Nations Children's Fund"),
                 sectors=[("12220", None, None)], transactions=[tx(3, "2025-01-01", 500)]))
    f = figures(tmp_path, xml)
    found = f.funders("G-HEALTH")
    assert found[["organisation", "disbursed_usd"]].to_dict("records") == [{"organisation": "UNICEF", "disbursed_usd": 1500}]
    assert f.totals("G-HEALTH") == (2, pytest.approx(1500))
    assert f.funders_not_members("G-HEALTH") == ["UNICEF"]


def test_percentages_over_100_are_scaled_and_a_code_given_twice_is_one_sector(tmp_path):
    xml = document(
        activity("A-1", sectors=[("12220", None, 100), ("12240", None, 100)], transactions=[tx(3, "2025-01-01", 1000)]),
        activity("A-2", sectors=[("12220", None, 50), ("12220", None, 50)], transactions=[tx(3, "2025-01-01", 1000)]),
        activity("A-3", sectors=[("12220", None, 70), ("12240", None, 70), ("11220", None, None)],
                 transactions=[tx(3, "2025-01-01", 1400)]))
    f = figures(tmp_path, xml, sectors=[("G-HEALTH", "122")])
    assert f.activities("G-HEALTH").set_index("iati_identifier")["usd"].round(6).to_dict() == {
        "A-1": 1000, "A-2": 1000, "A-3": 1400}


def test_a_transaction_s_own_sector_prefers_vocabulary_1_and_skips_others(tmp_path):
    xml = document(activity("A-1", sectors=[("11220", None, None)], transactions=[
        tx(3, "2025-01-01", 1000, extra='<sector vocabulary="2" code="121"/><sector code="12220"/>'),
        tx(3, "2025-01-02", 500, extra='<sector vocabulary="99" code="X"/><sector code="12220"/>')]))
    rows = tables(iati.read([write(tmp_path, xml)], "LA"))["iati_transactions"]
    assert [(r["sector_vocabulary"], r["sector_code"]) for r in rows] == [("1", "12220"), ("1", "12220")]


def test_a_member_named_in_another_case_is_a_funder_not_a_member_without_evidence(tmp_path):
    xml = document(activity("A-1", reporting=("XM-DAC-41122", "UNICEF"), sectors=[("12220", None, None)],
                            transactions=[tx(3, "2025-01-01", 1000)]))
    f = figures(tmp_path, xml, members=[("G-HEALTH", "Unicef", "development_partner", "co_chair")])
    assert f.funders("G-HEALTH")[["member", "role"]].to_dict("records") == [{"member": True, "role": "co_chair"}]
    assert f.members_without_evidence("G-HEALTH") == []


def test_a_damaged_zip_a_zip_too_large_and_an_activity_of_too_many_elements_are_refused(tmp_path, monkeypatch):
    good = document(activity("A-1"))
    archive = tmp_path / "damaged.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("one.xml", good)
    data = bytearray(archive.read_bytes())
    start = data.index(b"one.xml") + len(b"one.xml")  # (the first byte of the packed file)
    data[start + 5] ^= 0xFF
    archive.write_bytes(bytes(data))
    with pytest.raises(iati.IatiRefused) as refused:
        iati.read([archive], "LA")
    assert "damaged.zip/one.xml" in str(refused.value) and "nothing was imported" in str(refused.value)

    monkeypatch.setenv("SWGDASH_MAX_INFLATED_MB", "1")
    big = tmp_path / "big.zip"
    with zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("one.xml", document(activity("A-1", extra="<x/>" * 300_000)))
    with pytest.raises(iati.IatiRefused, match="unpacks to more than"):
        iati.read([big], "LA")

    monkeypatch.setattr(iati, "MOST_ELEMENTS", 1000)
    with pytest.raises(iati.IatiRefused, match="more than 1,000 elements in one activity"):
        iati.read([write(tmp_path, document("<x>" + "<y/>" * 5000 + "</x>", activity("A-1")))], "LA")
    # (elements beside the activities are let go as they are read, however many)
    assert iati.read([write(tmp_path, document(*[activity(f"A-{i}") for i in range(200)], "<x/>" * 5000))],
                     "LA").activities == 200


def test_converting_leaves_the_warnings_filters_as_they_were(tmp_path):
    import threading
    import warnings

    iati._converter()
    before = list(warnings.filters)
    workers = [threading.Thread(target=lambda: [iati.to_usd(1.0, "EUR", dt.date(2024, 3, d)) for d in range(1, 29)])
               for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert warnings.filters == before


def test_a_set_with_no_activity_in_the_country_and_an_unknown_version_are_refused(tmp_path):
    store = FolderStore(tmp_path / "home")
    with pytest.raises(iati.IatiRefused, match="no activity in LA in activities.xml"):
        publishing.import_iati(store, [write(tmp_path, document(activity("A-1", country="KH")))])
    with pytest.raises(iati.IatiRefused, match="IATI version 2.04"):
        iati.read([write(tmp_path, document(activity("A-1"), version="2.04"))], "LA")
    assert publishing.current_iati(store) is None


def test_a_damaged_set_and_the_demo_sample_beside_a_real_register_are_not_read(tmp_path, capsys):
    home = tmp_path / "home"
    store = FolderStore(home)
    publishing.ensure_demo(store)  # (the demo register and its made-up IATI sample)
    demo = store.current()
    assert publishing.iati_for(store, demo).version.is_demo
    result, real = publishing.publish_paths(store, [register(tmp_path, [], [("G-HEALTH", "121")], [])])
    used = publishing.iati_for(store, real)
    assert used.version is None and "demo's made-up sample" in used.withheld
    assert cli(["--home", str(home), "funding", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["iati"]["activities"] == 0
    imported = publishing.import_iati(store, [write(tmp_path, document(activity("A-1")))])
    assert publishing.iati_for(store, real).version.id == imported.id
    target = imported.path / "iati_transactions.parquet"
    target.write_bytes(target.read_bytes()[:-10])
    used = publishing.iati_for(store, real)
    assert used.version is None and f"IATI set {imported.id} is damaged" in used.withheld
    assert cli(["--home", str(home), "verify", "--all"]) == 1
    assert f"iati set {imported.id}: DAMAGED" in capsys.readouterr().out


def test_a_series_head_that_cannot_be_read_is_repaired_and_never_stops_a_backup(tmp_path, capsys):
    home = tmp_path / "home"
    store = FolderStore(home)
    publishing.ensure_demo(store)
    head = store.series("iati").head_path
    head.write_text("{garbled", encoding="utf-8")
    assert cli(["--home", str(home), "backup", "--out", str(tmp_path / "b.tar.gz")]) == 0
    said = capsys.readouterr()
    assert "1 versions," in said.out and "the iati sets are not in the backup" in said.err
    assert cli(["--home", str(home), "verify", "--repair-head"]) == 0
    assert publishing.current_iati(store).id == 1
