"""Every page through streamlit.testing.v1.AppTest, on the demo and on edge-case extracts."""
import datetime as dt
import io
import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from factories import ROOT, group, meeting, write_csv
from swgdash import site
from swgdash.cli import main as cli
from swgdash.ingest.validate import validate_paths
from swgdash.store import FolderStore

PAGES = {f"pages/{p.file}": p.heading for p in site.PAGES if p.heading}  # (not /present: its h1 is a slide's)
CHARTLESS = {f"pages/{p.file}" for p in site.PAGES if not p.charts}


def app(page=None, **url):
    """Open the app as a browser would open a (bookmarked) URL with query parameters.

    The sidebar's state lives in the URL; AppTest loses entry-point widgets on an
    in-place rerun, so each state is opened afresh (the browser tests click through)."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for key, value in url.items():
        at.query_params[key] = value
    at.run()
    if page and page != "pages/overview.py":
        at.switch_page(page).run()
    return at


def clean(at):
    assert not at.exception, [e.value for e in at.exception]
    assert not [e for e in at.error if "could not" in e.value], [e.value for e in at.error]


def summary(home):
    out = io.StringIO()
    cli(["--home", str(home), "summary", "--json"], out=out)
    return json.loads(out.getvalue())


@pytest.mark.usefixtures("prepared_demo_in_home")  # the demo prepared as a large extract would be
@pytest.mark.parametrize("page,title", PAGES.items())
def test_every_page_renders_on_demo(home, page, title, monkeypatch):
    from swgdash.query import db

    monkeypatch.setattr(db, "PREPARE_MIN_ROWS", 0)  # (and read as one)
    at = app(page)
    clean(at)
    assert at.title[0].value == title
    assert any("Demo data" in w.value for w in at.warning)
    assert len(at.get("plotly_chart")) >= 1 or page in CHARTLESS
    # opened with its controls as they are, a page reads results prepared at publish
    # (swgdash.site.default_views); only a group's profile is asked for live
    live = dict(at.session_state["_cursor"].live)
    funding = {"funding_groups", "funding_flows", "funding_members"}
    if page in ("pages/funding.py", "pages/participation.py", "pages/group.py"):
        # (the funding figures read the IATI set kept beside the version: asked live, once per set)
        assert funding <= set(live), live
        live = {k: v for k, v in live.items() if k not in funding}
    assert not live or page == "pages/group.py" and set(live) <= {
        "group_info", "group_activity", "group_meetings", "group_members", "group_documents", "group_pillars", "subgroups",
        "group_attendance", "actions", "meetings_set_aside", "upcoming_meetings"}, live


@pytest.mark.usefixtures("demo_in_home")
def test_overview_kpis_match_summary(home):
    at = app()
    clean(at)
    doc = summary(home)
    metrics = {m.label: m.value for m in at.metric}
    acts = [g["activity"] for g in doc["groups"]]
    assert metrics["Groups counting"] == str(len(doc["groups"]))
    assert metrics["Active"] == str(acts.count("active"))
    assert metrics["At risk"] == str(acts.count("at_risk"))
    assert metrics["Dormant"] == str(acts.count("dormant"))
    assert metrics["Overdue actions"] == str(sum(r["overdue"] for r in doc["recommendations"]))
    assert "Sector working group" in [s.label for s in at.sidebar.selectbox]


def whole(at, column: str) -> pd.DataFrame:
    """The page's table with `column` in full: a table too wide for the screen shows its first
    columns and has the whole of it folded below (widgets.frame)."""
    return max((d.value for d in at.dataframe if column in d.value.columns), key=lambda v: len(v.columns))


@pytest.mark.usefixtures("demo_in_home")
def test_dormant_page_lists_the_dormant_groups(home):
    at = app("pages/dormant.py")
    clean(at)
    doc = summary(home)
    table = whole(at, "Group")
    dormant = {g["name"] for g in doc["groups"] if g["activity"] == "dormant"}
    shown = set(table.loc[table["Activity"] == "Dormant", "Group"])
    assert dormant and shown == dormant
    assert set(table.columns) >= {"Group", "Activity", "Last meeting", "Days since last meeting", "Chair", "Parent SWG"}


@pytest.mark.usefixtures("demo_in_home")
def test_swg_filter_is_kept_across_pages(home):
    # The sidebar's state lives in the URL (?swg=...), the way a bookmark or e-mailed link sets it.
    at = app(swg="SWG-HEALTH")
    clean(at)
    health = {m.label: m.value for m in at.metric}["Groups counting"]
    doc = summary(home)
    expected = sum(1 for g in doc["groups"] if g["group_id"] == "SWG-HEALTH" or g["parent_id"] == "SWG-HEALTH")
    assert health == str(expected)
    at.switch_page("pages/dormant.py").run()
    clean(at)
    assert at.session_state["_ctx"].swg == "SWG-HEALTH"
    groups = set(whole(at, "ID")["ID"])
    assert groups == {g["group_id"] for g in doc["groups"]
                      if g["group_id"] == "SWG-HEALTH" or g["parent_id"] == "SWG-HEALTH"}
    at = app("pages/dormant.py", swg="SWG-HEALTH", subgroups="0")
    assert set(whole(at, "ID")["ID"]) == {"SWG-HEALTH"}


@pytest.mark.usefixtures("demo_in_home")
def test_thresholds_and_as_of_change_the_figures(home):
    at = app("pages/dormant.py")
    before = {m.label: int(m.value) for m in at.metric}
    at = app("pages/dormant.py", dormant_months="24")
    clean(at)
    after = {m.label: int(m.value) for m in at.metric}
    assert after["Dormant"] < before["Dormant"] and sum(after.values()) == sum(before.values())
    at = app("pages/dormant.py", as_of="2022-06-30")
    clean(at)
    assert "30 June 2022" in at.caption[0].value


@pytest.mark.parametrize("page", PAGES)
def test_pages_without_optional_tables_say_what_to_add(home, tmp_path, page):
    folder = tmp_path / "minimal"
    write_csv(folder, "groups", [group("SWG-A", name="Alpha"), group("SUB-A1", kind="sub_swg", parent_id="SWG-A")])
    write_csv(folder, "meetings", [meeting("M1", "SWG-A", "2026-09-01")])
    FolderStore(home).publish(validate_paths([folder]), dt.date(2026, 10, 31), "minimal")
    at = app(page)
    clean(at)
    assert not any("Demo data" in w.value for w in at.warning)
    infos = " ".join(i.value for i in at.info)
    if page == "pages/alignment.py":
        assert "needs the pillars, alignment tables" in infos and "pillar_id" in infos
    if page == "pages/recommendations.py":
        assert "needs the recommendations, actions tables" in infos
    if page in ("pages/participation.py", "pages/rotation.py"):
        assert "needs the members table" in infos
    if page == "pages/scorecard.py":
        assert "needs the documents table" in infos


def test_hostile_text_is_shown_as_text(home, tmp_path):
    folder = tmp_path / "nasty"
    nasty = "<script>alert(1)</script> **bold** [x](javascript:alert(1)) =1+1"
    write_csv(folder, "groups", [group("SWG-X", name=nasty)])
    write_csv(folder, "meetings", [meeting("M1", "SWG-X", "2025-01-01")])
    FolderStore(home).publish(validate_paths([folder]), dt.date(2026, 10, 31))
    at = app(swg="SWG-X")
    clean(at)
    caption = at.caption[0].value
    assert r"\<script\>" in caption and r"\*\*bold\*\*" in caption and r"\[x\]\(javascript" in caption
    for page in PAGES:
        at.switch_page(page).run()
        clean(at)
    at = app("pages/group.py", id="SWG-X")
    clean(at)
    assert at.header[0].value.startswith(r"\<script\>alert\(1\)\</script\> \*\*bold\*\*")


@pytest.mark.usefixtures("demo_in_home")
def test_invalid_url_values_are_ignored(home):
    at = app(swg="NOPE", as_of="yesterday", dormant_months="-3", plan="x")
    clean(at)
    assert "31 October 2026" in at.caption[0].value and "all groups" in at.caption[0].value


@pytest.mark.usefixtures("demo_in_home")
def test_upload_page_without_configuration_explains_and_publishes_nothing(home, monkeypatch):
    monkeypatch.delenv("SWGDASH_SECRETARIAT_PASSWORD", raising=False)
    at = app("pages/upload.py")
    clean(at)
    assert "Publishing is not enabled" in " ".join(i.value for i in at.info)
    assert not at.get("file_uploader") and not at.text_input
    assert at.dataframe[0].value["Version"].tolist() == [1]


@pytest.mark.usefixtures("demo_in_home")
def test_upload_page_sign_in_with_the_password(home, monkeypatch):
    monkeypatch.setenv("SWGDASH_SECRETARIAT_PASSWORD", "s3cret")
    at = app("pages/upload.py")
    at.text_input[0].set_value("Officer")
    at.text_input[1].set_value("wrong")
    at.button[0].click().run()
    assert "Wrong password" in " ".join(e.value for e in at.error)
    assert [t.label for t in at.tabs] == []
    at.text_input[1].set_value("s3cret")
    at.button[0].click().run()
    clean(at)
    assert [t.label for t in at.tabs] == ["Publish an update", "Version history", "Templates and current data",
                                         "Partners' IATI data"]
    events = [e["event"] for e in FolderStore(home).audit()]
    assert events[-2:] == ["sign_in_refused", "sign_in"]


@pytest.mark.usefixtures("demo_in_home")
def test_a_profile_names_the_formal_status_and_the_activity_apart_in_both_languages():
    """Issue 30: 'Status: active' above 'Activity: dormant' read alike (in Lao both words are one):
    the register's formal status and the activity from meetings are labelled apart, in both languages."""
    from swgdash import i18n

    labels = {}
    for lang in ("en", "lo"):
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        at.query_params.update({"id": "SWG-HEALTH", "lang": lang})
        at.run()
        with i18n.language(lang):  # (AppTest formats the sidebar's choices again in the test's thread)
            at.switch_page("pages/group.py").run()
        clean(at)
        with i18n.language(lang):
            status, activity = i18n._("**Formal status (register):** {value}"), i18n._("Activity (from meetings)")
        assert activity in [m.label for m in at.metric], lang
        assert any(status.split("{value}")[0] in m.value for m in at.markdown), lang
        labels[lang] = (status.split("{value}")[0].strip("*: "), activity)
        assert labels[lang][0] != labels[lang][1] and labels[lang][1] not in labels[lang][0], lang
    assert labels["lo"] != labels["en"]  # (translated)


@pytest.mark.usefixtures("demo_in_home")
def test_group_profile_from_the_url(home):
    at = app("pages/group.py", id="SWG-HEALTH")
    clean(at)
    assert at.header[0].value == "Health Sector Working Group"
    doc = summary(home)
    health = {g["group_id"]: g for g in doc["groups"]}["SWG-HEALTH"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Meetings in 12 months"] == str(health["meetings_12m"])
    assert metrics["Activity (from meetings)"] == {"active": "Active", "at_risk": "At risk",
                                                   "dormant": "Dormant"}[health["activity"]]
    assert "**Formal status (register):** Active" in " ".join(m.value for m in at.markdown)
    subgroups = at.dataframe[-1].value
    assert set(subgroups["Group"]) >= {g["name"] for g in doc["groups"] if g["parent_id"] == "SWG-HEALTH"}
    assert all(p.startswith("/group?id=SUB-HEALTH") for p in subgroups["Profile"])


@pytest.mark.usefixtures("demo_in_home")
@pytest.mark.parametrize("page", ["pages/dormant.py", "pages/scorecard.py", "pages/group.py"])
def test_profile_links_keep_the_views_date_and_settings(home, page):
    at = app(page, as_of="2024-06-30", dormant_months="18", id="SUB-HEALTH-MCHN")
    clean(at)
    links = [v for df in (d.value for d in at.dataframe) if "Profile" in df.columns
             for v in df["Profile"].dropna()] + [m.value for m in at.markdown if "Part of" in m.value]
    assert links, "no profile link on the page"
    for link in links:
        assert "as_of=2024-06-30" in link and "dormant_months=18" in link, link
    assert all("/group?id=" in link for link in links)


@pytest.mark.usefixtures("demo_in_home")
@pytest.mark.parametrize("as_of,says", [
    (None, []), ("2030-12-31", ["after the date the data were published for"]),
    ("2019-06-30", ["meeting records start on"])])
def test_pages_say_when_the_date_asks_more_than_the_data_record(home, as_of, says):
    at = app("pages/dormant.py", **({"as_of": as_of} if as_of else {}))
    clean(at)
    infos = [i.value for i in at.info]
    assert [s for s in says if any(s in i for i in infos)] == says, infos
    if not says:
        assert not any("published for" in i or "records start" in i for i in infos)


@pytest.mark.usefixtures("demo_in_home")
def test_recommendations_say_statuses_are_as_published_on_another_date(home):
    at = app("pages/recommendations.py", as_of="2024-06-30")
    clean(at)
    assert any("Action statuses are as recorded when the data were published" in i.value for i in at.info)
    default = app("pages/recommendations.py")
    clean(default)
    assert not any("Action statuses" in i.value for i in default.info)


@pytest.mark.usefixtures("demo_in_home")
@pytest.mark.parametrize("gid,says", [("TF-LDC", "established on 01 December 2026, after that date"),
                                       ("SUB-NRE-LAND", "its status is discontinued")])
def test_group_profile_says_why_a_group_does_not_count(home, gid, says):
    at = app("pages/group.py", id=gid)
    clean(at)
    assert any(says in i.value for i in at.info), [i.value for i in at.info]


@pytest.mark.usefixtures("demo_in_home")
def test_meetings_heatmap_has_a_row_for_every_counting_group(home):
    at = app("pages/meetings.py")
    clean(at)
    doc = summary(home)
    heat = next(json.loads(ch.proto.spec) for ch in at.get("plotly_chart")
                if "per group and" in json.loads(ch.proto.spec)["layout"]["title"]["text"])
    rows = {label.replace("<br>", " ") for label in heat["data"][0]["y"]}
    never = [g["name"] for g in doc["groups"] if g["activity"] == "dormant"]
    assert never and all(name in rows for name in never), set(never) - rows


@pytest.mark.usefixtures("demo_in_home")
def test_pillars_one_swg_does_not_cover_are_not_called_national_gaps(home):
    at = app("pages/alignment.py", swg="SWG-HEALTH")
    clean(at)
    assert not any("Gap" in e.value for e in at.error)
    assert any("No functioning group among" in i.value and "Other groups may" in i.value for i in at.info)
    assert "Pillars none of these groups covers" in [m.label for m in at.metric]
    national = app("pages/alignment.py")
    clean(national)
    assert "Pillars with no functioning group" in [m.label for m in national.metric]
    overview = app(None, swg="SWG-HEALTH")
    clean(overview)
    assert "Pillars not covered by these groups" in [m.label for m in overview.metric]


@pytest.mark.usefixtures("demo_in_home")
def test_tables_show_codes_in_words(home):
    at = app("pages/group.py", id="SWG-HEALTH")
    clean(at)
    values = {col: set(v for df in (d.value for d in at.dataframe) if col in df.columns for v in df[col].dropna())
              for col in ("Type", "Kind", "Formal status", "Role")}
    assert "Development partner" in values["Type"] and "development_partner" not in values["Type"]
    assert values["Kind"] == {"Sub-SWG"} and values["Formal status"] <= {"Active", "Merged", "Discontinued"}
    assert "Co-chair" in values["Role"] and not any("_" in v for v in values["Role"])


@pytest.mark.usefixtures("demo_in_home")
def test_every_page_words_the_codes_as_the_tables_do(home):
    """One lookup for every code's words: /group's facts, /alignment's activity column and
    /scorecard's chairing levels read as the tables elsewhere do (they said 'sub swg', 'at risk'
    and 'vice minister')."""
    at = app("pages/group.py", id="SUB-HEALTH-HPF")
    clean(at)
    facts = " ".join(m.value for m in at.markdown)
    assert "Sub\\-SWG" in facts and "sub swg" not in facts and "Active" in facts
    at = app("pages/alignment.py", as_of="2026-10-31")
    clean(at)
    activity = {v for d in at.dataframe if "Activity" in d.value.columns for v in d.value["Activity"]}
    assert activity and activity <= {"Active", "At risk", "Dormant"}
    at = app("pages/scorecard.py")
    clean(at)
    levels = set(whole(at, "Highest chairing level")["Highest chairing level"])
    assert levels and levels <= {"Minister", "Vice minister", "Director general", "Technical", "Not recorded", "—"}
    assert "Vice minister" in levels


def test_code_labels_leave_other_values_alone():
    import pandas as pd

    from swgdash.app import widgets

    df = pd.DataFrame({"kind": ["sub_swg", "odd code", None, "swg"], "level": [1, 2, 3, 4]})
    out = widgets.labelled(df, {"kind": "kind", "level": "level"})
    assert out["kind"].tolist()[:2] == ["Sub-SWG", "odd code"] and pd.isna(out["kind"].tolist()[2])
    assert out["kind"].tolist()[3] == "SWG" and out["level"].tolist() == [1, 2, 3, 4]   # numbers untouched


@pytest.mark.usefixtures("demo_in_home")
def test_group_profile_opens_on_the_swg_picked_in_the_sidebar(home):
    at = app("pages/group.py", swg="SWG-HEALTH")
    clean(at)
    assert at.header[0].value == "Health Sector Working Group"


@pytest.mark.usefixtures("demo_in_home")
def test_rotation_figures_follow_the_government_chairs_switch(home):
    from swgdash.query import metrics
    from swgdash.query.db import Database

    version = FolderStore(home).ensure_demo()
    db = Database(version)
    terms = metrics.leadership_terms(db.cursor(), metrics.Params(as_of=version.as_of))
    db.close()
    at = app("pages/rotation.py")
    clean(at)
    kpi = lambda: {m.label: int(m.value) for m in at.metric}["Current terms"]  # noqa: E731
    assert kpi() == int(terms.loc[terms["role"] != "chair", "current"].sum())
    at.toggle(key="rot_chairs").set_value(True).run()
    clean(at)
    assert kpi() == int(terms["current"].sum()) > int(terms.loc[terms["role"] != "chair", "current"].sum())


@pytest.mark.usefixtures("demo_in_home")
def test_group_profile_with_an_unknown_id(home):
    at = app("pages/group.py", id="NOPE")
    clean(at)
    assert any("no group with the id NOPE" in w.value for w in at.warning)


def test_document_links_only_for_http(home, tmp_path):
    folder = tmp_path / "docs"
    write_csv(folder, "groups", [group("G", name="Gee")])
    write_csv(folder, "meetings", [meeting("M", "G", "2026-01-01")])
    write_csv(folder, "documents", [
        {"group_id": "G", "doc_type": "tor", "year": 2020, "url": "https://rtm.org.la/tor.pdf"},
        {"group_id": "G", "doc_type": "workplan", "year": 2026, "url": "javascript:alert(1)"},
        {"group_id": "G", "doc_type": "minutes", "year": 2026, "url": "\\\\dic-server\\swg\\m.docx"}])
    FolderStore(home).publish(validate_paths([folder]), dt.date(2026, 10, 31))
    at = app("pages/group.py", id="G")
    clean(at)
    docs = next(d.value for d in at.dataframe if "Link" in d.value.columns)
    assert int(docs["Link"].isna().sum()) == 2
    assert "https://rtm.org.la/tor.pdf" in docs["Link"].tolist()
    assert "javascript:alert(1)" in docs["Location"].tolist()


@pytest.mark.usefixtures("demo_in_home")
@pytest.mark.parametrize("slide,expected", [("1", "How the sector working groups function"),
                                            ("99", None), ("x", "How the sector working groups function")])
def test_present_opens_the_slide_in_the_url(home, slide, expected):
    at = app("pages/present.py", slide=slide)
    clean(at)
    title = at.title[0].value
    if expected:
        assert title == expected
    else:   # past the end: the last slide
        assert [b.disabled for b in at.button if b.label == "Next slide"] == [True]
    assert "Demo data" in " ".join(c.value for c in at.caption)


@pytest.mark.usefixtures("demo_in_home")
def test_present_follows_the_sidebar_filter(home):
    at = app("pages/present.py", swg="SWG-HEALTH", slide="1")
    clean(at)
    assert r"Health Sector Working Group and its sub\-groups" in at.header[0].value  # markdown-escaped
    doc = summary(home)
    n = sum(1 for g in doc["groups"] if g["group_id"] == "SWG-HEALTH" or g["parent_id"] == "SWG-HEALTH")
    at = app("pages/present.py", swg="SWG-HEALTH", slide="2")
    assert at.title[0].value.endswith(f"of {n} groups have not met in 12 months")


def test_download_names_and_formula_safe_excel():
    import datetime as _dt
    import io as _io

    import openpyxl
    import pandas as pd

    from swgdash import fmt
    from swgdash.present import excel

    assert fmt.file_stem("Dormant groups / by SWG", _dt.date(2026, 10, 31)) == "dormant_groups_by_swg_as-of_2026-10-31"
    data = excel.table_xlsx(pd.DataFrame({"Group": ["=1+1", "@SUM(A1)", "ok"]}), "groups")
    ws = openpyxl.load_workbook(_io.BytesIO(data))["groups"]
    cells = [ws.cell(row=r, column=1) for r in (2, 3, 4)]
    assert [c.value for c in cells] == ["=1+1", "@SUM(A1)", "ok"] and all(c.data_type == "s" for c in cells)
    assert excel.csv_bytes(pd.DataFrame({"Group": ["=1+1", "ok"]})).decode("utf-8-sig").splitlines()[1] == "'=1+1"


def test_pages_at_scale_show_a_readable_part_and_say_so(home, tmp_path):
    """Seventy copies of the demo (2,870 groups): the scorecard colours the 500 lowest-scoring
    groups and says the download has them all; per-group charts show 60 rows and say so."""

    from bench.generate import generate

    generate(70, tmp_path / "x70")
    FolderStore(home).publish(validate_paths([tmp_path / "x70"]), dt.date(2026, 10, 31))
    at = app("pages/scorecard.py")
    clean(at)
    counting = len(summary(home)["groups"])
    assert counting > 2000
    assert any(f"lowest-scoring of {counting:,} groups" in i.value for i in at.info)
    assert len(at.dataframe[0].value) == 500
    at = app("pages/dormant.py")
    clean(at)
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert f"the first 60 of {counting:,} groups" in fig["layout"]["title"]["text"]
    at = app("pages/meetings.py")
    clean(at)
    assert any("Showing the first 5,000 of" in cap.value for cap in at.caption)
    assert max(len(d.value) for d in at.dataframe) <= 5000
    # per-SWG rows past charts.COUNTED_ROWS: colour and hover, and the caption says so
    assert any("point at a cell for its count" in cap.value for cap in at.caption)
    # the group picker: a search box first, then the matches
    at = app("pages/group.py", id="SWG-HEALTH-c5")
    clean(at)
    assert at.header[0].value == "Health Sector Working Group"
    find = next(t for t in at.text_input if t.label.startswith("Find one of the"))
    assert find.label == f"Find one of the {70 * 41:,} groups"
    assert at.selectbox(key="profile_SWG-HEALTH-c5-").options == ["Health Sector Working Group (SWG-HEALTH-c5)"]
    find.input("SWG-EDU-c1").run()
    box = at.selectbox(key="profile_SWG-HEALTH-c5-swg-edu-c1")
    assert box.value == "SWG-HEALTH-c5" and len(box.options) == 1 + 11  # the group shown stays first
    assert all("(SWG-EDU-c1" in o for o in box.options[1:])  # c1, c10 ... c19
    box.select("SWG-EDU-c1").run()
    clean(at)
    assert at.query_params["id"] in (["SWG-EDU-c1"], "SWG-EDU-c1")
    assert at.header[0].value == "Education Sector Working Group"
    # opened without an id, the first run puts one in the address: a search typed then is kept
    at = app("pages/group.py")
    at.text_input(key="profile_find").input("SWG-EDU-c1").run()
    assert at.text_input(key="profile_find").value == "SWG-EDU-c1"
    assert len(next(s for s in at.selectbox if s.label == "Group").options) == 1 + 11


@pytest.mark.usefixtures("demo_in_home")
def test_run_log_records_each_page_run(home, tmp_path, monkeypatch):
    log = tmp_path / "runs.jsonl"
    monkeypatch.setenv("SWGDASH_RUN_LOG", str(log))
    clean(app("pages/meetings.py"))
    runs = [json.loads(line) for line in log.read_text().splitlines()]
    assert [r["page"] for r in runs][-1] == "/meetings"
    assert all(r["seconds"] > 0 for r in runs) and {"/", "/meetings"} >= {r["page"] for r in runs}


def test_cached_figures_are_shared_but_each_caller_changes_only_its_own_copy(demo_db):
    """Figures are kept once for all sessions (st.cache_resource): what one page does to its
    copy never reaches what the next one reads."""
    from swgdash.app import context
    from swgdash.query import metrics

    cur = demo_db.cursor()
    p = metrics.Params(as_of=dt.date(2026, 10, 31))
    store = FolderStore("test-root")
    c = context.Context(store, demo_db.version, cur, p, metrics.groups_all(cur), [])
    first = c.q(metrics.group_activity)
    expected = metrics.group_activity(cur, p)
    first.loc[first.index[0], "name"] = "changed"
    first["activity"] = "changed"
    first.drop(columns=["group_id"], inplace=True)
    again = c.q(metrics.group_activity)
    assert again is not first
    import pandas as pd

    pd.testing.assert_frame_equal(again, expected)
    args = ("test-root", demo_db.version.fingerprint, "swgdash.query.metrics.group_activity", p, (), "en", metrics.group_activity)
    assert context._shared_figure(*args, cur) is context._shared_figure(*args, cur)  # computed once
    totals = c.q(metrics.meeting_totals)
    totals.clear()
    assert c.q(metrics.meeting_totals) == metrics.meeting_totals(cur, p) != {}
    groups, names, plans, roots, _ = context._groups_and_plans(store, demo_db.version, cur)
    groups.loc[groups.index[0], "name"] = "changed"
    names.clear(), plans.clear(), roots.clear()
    groups2, names2, plans2, roots2, _ = context._groups_and_plans(store, demo_db.version, cur)
    assert "changed" not in groups2["name"].tolist() and names2 and plans2 and roots2


@pytest.mark.usefixtures("demo_in_home")
@pytest.mark.parametrize("query,said", [
    ({"as_of": "31/12/2026"}, "as_of=31/12/2026, which is not a date written YYYY-MM-DD; showing 31 October 2026"),
    ({"swg": "NOPE"}, "swg=NOPE, which is not the id of a sector working group; showing all groups instead"),
    ({"dormant_months": "500"}, "dormant_months=500, which is not a whole number of months from 1 to 120; "
                                "showing 12 months"),
    ({"plan": "11th NSEDP"}, "plan=11th NSEDP, which is not a plan of the extract; showing 10th NSEDP 2026-2030"),
    ({"as_of": "2026-02-30"}, "as_of=2026-02-30, which is not a real calendar date; showing 31 October 2026"),
])
def test_an_address_value_that_cannot_be_read_is_named(home, query, said):
    """A link with an unreadable parameter says so and what is shown instead (it silently showed something else).
    (AppTest opens a link on the overview, then switches: the notice is on the page the link opens.)"""
    at = app(**query)
    clean(at)
    warnings = " ".join(w.value for w in at.warning).replace("\\", "")
    assert said in warnings, warnings


@pytest.mark.usefixtures("demo_in_home")
def test_a_readable_address_raises_no_notice(home):
    at = app(as_of="2026-06-30", swg="SWG-HEALTH")
    clean(at)
    assert not any("The address asks" in w.value for w in at.warning)


@pytest.mark.usefixtures("demo_in_home")
def test_table_dates_stay_dates_for_the_downloads(home):
    """Dates in tables are dates (shown as '12 Feb 2020'), so the Excel downloads hold dates, not text."""
    import openpyxl
    import pandas as pd

    from swgdash import publishing
    from swgdash.app import widgets
    from swgdash.present import excel
    from swgdash.query import metrics

    at = app("pages/dormant.py")
    clean(at)
    shown = whole(at, "Last meeting")["Last meeting"]
    assert "—" in set(shown) and all(v == "—" or len(v) == 10 for v in shown)  # never met: '—', not 'None'
    version = FolderStore(home).current()
    act = metrics.group_activity(publishing.open_database(version).cursor(), metrics.Params(as_of=version.as_of))
    assert pd.api.types.is_datetime64_any_dtype(act["last_meeting"])  # what the page's table and downloads hold
    table = widgets.labelled(act[["name", "last_meeting"]].rename(columns={"last_meeting": "Last meeting"}), {})
    ws = openpyxl.load_workbook(io.BytesIO(excel.table_xlsx(table, "t")))["t"]
    col = [c.value for c in ws[1]].index("Last meeting") + 1
    met = [ws.cell(row=r, column=col).value for r in range(2, ws.max_row + 1)]
    assert any(isinstance(v, dt.datetime) for v in met) and not any(isinstance(v, str) for v in met)


def test_the_messy_register_pages_say_what_they_leave_out(home, tmp_path):
    """Issue 21's register: the overview names the discontinued group's meeting it leaves out, the
    heatmap's caption counts the 34 counting groups, and /quality lists the three meetings set aside
    and the warnings with their rows."""
    from factories import messy_register
    from swgdash import publishing

    result, version = publishing.publish_paths(FolderStore(home), [messy_register(tmp_path / "r")], note="messy")
    assert version is not None and version.as_of == dt.date(2026, 11, 15)
    at = app()
    clean(at)
    notes = " ".join(i.value for i in at.info).replace("\\", "")
    assert "1 meeting of the last 12 months is in no figure here, of Old task force" in notes
    doc = summary(home)
    kpi = {m.label: m.value for m in at.metric}["Meetings in 12 months"]
    assert int(kpi) == doc["totals"]["meetings_12m"] == sum(g["meetings_12m"] for g in doc["groups"])
    at.switch_page("pages/meetings.py").run()
    clean(at)
    assert "meetings of the 34 counting groups" in " ".join(c.value for c in at.caption)
    at.switch_page("pages/quality.py").run()
    clean(at)
    tables = [d.value for d in at.dataframe]
    aside = next(t for t in tables if "Why set aside" in t.columns)
    assert sorted(aside["Meeting"]) == ["OLD-1", "OLD-2", "OLD-3"]
    warned = next(t for t in tables if "Warning" in t.columns)
    assert len(warned[warned["Warning"].str.contains("G-OLD")]) == 3 and set(warned["Table"]) >= {"meetings", "members"}


@pytest.mark.usefixtures("demo_in_home")
def test_alignment_shows_the_carry_over_to_the_plan_in_force(home):
    """The demo's three sub-groups not yet realigned to the 10th NSEDP are named, each with its profile
    link and the new pillar its old one carries to; the carry-over's figures are the crosswalk's."""
    at = app("pages/alignment.py")
    clean(at)
    assert "Ready for 10th NSEDP 2026-2030" in [h.value for h in at.header]
    metrics_shown = {m.label: m.value for m in at.metric}
    assert metrics_shown["Groups to realign"] == "3"
    assert metrics_shown["Gaps after realignment"] == "1"  # G5: only dormant, closed or future groups
    realign = next(d.value for d in at.dataframe if "Suggested pillars of 10th NSEDP 2026-2030" in d.value.columns)
    assert list(realign["Pillars of 9th NSEDP 2021-2025"]) == ["NSEDP9-O2", "NSEDP9-O6", "NSEDP9-O3"]
    assert list(realign["Suggested pillars of 10th NSEDP 2026-2030"]) == ["NSEDP10-G2", "NSEDP10-G6", "NSEDP10-G3"]
    assert all(link.startswith("/group?id=") for link in realign["Profile"])
    carried = next(d.value for d in at.dataframe if "Carried to" in d.value.columns)
    assert set(carried["Carried to"]) == {"NSEDP10-G2 High-quality human resources",
                                          "NSEDP10-G3 Living standards and poverty reduction",
                                          "NSEDP10-G4 Environment and climate resilience",
                                          "NSEDP10-G6 State governance effectiveness"}
    assert all(link.startswith("/group?id=") for link in carried["Profile"])
    assert "Realignment worksheet (.xlsx)" in [b.proto.label for b in at.get("download_button")]
    crosswalk = next(d.value for d in at.dataframe if "Pillar of 9th NSEDP 2021-2025" in d.value.columns)
    assert len(crosswalk) == 6 and "governance" in set(crosswalk["Note"])
    doc = summary(home)
    assert {g["group_id"] for g in doc["groups"]} >= {"SUB-EDU-EMAPA", "SUB-GOV-LIO", "SUB-HEALTH-HPF"}
    out = io.StringIO()
    assert cli(["--home", str(home), "crosswalk", "--json"], out=out) == 0
    assert json.loads(out.getvalue())["to_realign"] == ["SUB-EDU-EMAPA", "SUB-GOV-LIO", "SUB-HEALTH-HPF"]


@pytest.mark.usefixtures("demo_in_home")
@pytest.mark.parametrize("name,said", [(None, "as soon as the secretariat publishes"),
                                       ("the Department of International Finance and Cooperation",
                                        "as soon as the Department of International Finance and Cooperation publishes")])
def test_the_demo_notice_names_the_deployments_secretariat(home, monkeypatch, name, said):
    if name:
        monkeypatch.setenv("SWGDASH_SECRETARIAT_NAME", name)
    at = app()
    clean(at)
    notice = next(w.value for w in at.warning if "Demo data" in w.value)
    assert said in notice and "Planning and Investment" not in notice


@pytest.mark.usefixtures("demo_in_home")
@pytest.mark.parametrize("as_of,plan,gaps", [("2026-10-31", "10th NSEDP 2026-2030", "1 of 6"),
                                             ("2024-06-30", "9th NSEDP 2021-2025", "0 of 6")])  # (TF-RTIM2024 met)
def test_the_overviews_pillar_card_follows_the_plan_in_force(home, as_of, plan, gaps):
    """The plan is the one in force at the date shown, unless one was picked (then it stays)."""
    at = app(None, as_of=as_of)
    clean(at)
    assert "Plan: " + plan.replace("-", "\\-") + "." in [c.value for c in at.caption]
    assert next(m.value for m in at.metric if m.label == "Pillar gaps") == gaps
    picked = app(None, as_of=as_of, plan="9th NSEDP 2021-2025")
    assert "Plan: 9th NSEDP 2021\\-2025." in [c.value for c in picked.caption]
