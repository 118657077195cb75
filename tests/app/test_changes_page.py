"""/changes, the overview's trend lines and /recommendations' status histories (issue 19), through
AppTest: on the demo (one version) and on a store with a later version published after it."""
from __future__ import annotations

import json
import shutil

import pytest
from test_pages import app, clean
from test_pages_lao import english_words, lao_app, page_texts

from factories import demo_home, later_version, run_cli
from swgdash import i18n
from swgdash.present import fitting
from swgdash.store import FolderStore

PAGE = "pages/changes.py"


@pytest.fixture(scope="module")
def two_made(tmp_path_factory):
    """The demo, then a later version of it (factories.later_version), published once for the module."""
    tmp = tmp_path_factory.mktemp("two-versions")
    version, facts = later_version(demo_home(tmp), tmp / "later")
    return tmp / "home", facts


@pytest.fixture
def two(home, two_made):
    """SWGDASH_HOME holding a copy of the demo and a later version of it: version 2 is current."""
    made, facts = two_made
    shutil.copytree(made, home)
    return home, FolderStore(home).current(), facts


def _table_with(at, column: str, value: str, having: str | None = None):
    for df in at.dataframe:
        if having and having not in df.value.columns:
            continue
        if column in df.value.columns and value in df.value[column].astype(str).tolist():
            return df.value
    raise AssertionError(f"no table with {value} in {column}: {[list(d.value.columns) for d in at.dataframe]}")


def test_with_one_version_the_page_says_so_and_shows_the_trend(home):
    at = app(PAGE)
    clean(at)
    assert at.title[0].value == "What changed, and over the years"
    assert any("Only one version is published" in i.value for i in at.info)
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert [c["layout"]["title"]["text"] for c in charts] == ["Active, at-risk and dormant groups over the years",
                                                             "Meetings in the 12 months before each date"]
    bars = charts[0]["data"]
    assert [b["name"] for b in bars] == ["Active", "At risk", "Dormant"]
    assert bars[0]["x"][0] == "Q4 2021" and bars[0]["x"][-1] == "31 Oct 2026"  # 20 quarter ends, then the as-of
    assert len(bars[0]["x"]) == 21
    review = [a["text"] for a in charts[0]["layout"]["annotations"] if "Review" in a["text"]]
    assert review == ["Review of 16 Nov 2022"]
    caption = " ".join(c.value for c in at.caption)
    assert "From 31 December 2021 to 31 October 2026, dormant groups went from 2 to 8" in caption
    meetings = list(fitting._array(charts[1]["data"][0]["y"]))
    assert len(meetings) == 21 and meetings[-1] == 94  # the overview's "Meetings in 12 months" at the as-of date


def test_the_page_names_what_changed_since_the_version_before(two):
    home, version, facts = two
    at = app(PAGE)
    clean(at)
    said = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "1 group revived, 2 fell dormant, 1 action done since 31 October 2026." in said
    kpis = {m.label: m.value for m in at.metric}
    assert (kpis["Groups revived"], kpis["Groups fallen dormant"], kpis["Actions done since"]) == ("1", "2", "1")
    heads = [s.value for s in at.subheader]
    for head in ("Revived (1)", "Fallen dormant (2)", "Added to the register (1)", "Removed from the register (1)",
                 "Renamed (1)", "Done since (1)", "Status changed (1)"):
        assert head in heads, heads
    assert "Profile" in _table_with(at, "ID", facts["revived"]).columns
    assert "Profile" not in _table_with(at, "ID", facts["removed"]).columns  # gone from the register: no profile
    renamed = _table_with(at, "ID", "SWG-HEALTH")
    assert renamed["Name now"].tolist() == ["Health and Nutrition"]
    # the new group counts, and has never met: it is one more dormant group the lists explain
    assert _table_with(at, "ID", facts["added"])["Now"].tolist() == ["Dormant"]
    assert any("active: met within 6 months; dormant: not met in 12 months" in c.value for c in at.caption)
    done = _table_with(at, "ID", facts["done"])
    assert done["Status across versions"].iloc[0].endswith(f"done in version 2 (published {version.published_on})")
    # the page's figures are those of `changes --json`
    doc = json.loads(run_cli("--home", str(home), "changes", "--json")[1])
    assert doc["groups"]["revived"] == [facts["revived"]] and doc["actions"]["done_since"] == [facts["done"]]
    assert len(doc["groups"]["became_dormant"]) == 2


def test_comparing_with_the_version_current_on_a_date(two):
    at = app(PAGE)
    at.get("button_group")[0].set_value("date").run()
    clean(at)
    # both versions were published today: the version current today is the later one itself
    assert any("is version 2 itself" in w.value and "pick an earlier date" in w.value for w in at.warning)
    assert at.date_input[0].value == two[1].published_on
    assert not at.subheader  # no lists of a comparison that was not made


def test_the_sidebar_thresholds_apply_to_the_changes(two):
    at = app(PAGE, dormant_months="24", at_risk_months="12")
    clean(at)
    assert any("1 group revived, 0 fell dormant" in m.value.replace("\\", "") for m in at.markdown)  # (2 at 6 and 12)


def test_recommendations_show_each_actions_status_across_versions(two):
    home, version, facts = two
    at = app("pages/recommendations.py")
    clean(at)
    table = _table_with(at, "ID", facts["done"], having="Status across versions")
    row = table[table["ID"] == facts["done"]]
    assert row["Status across versions"].iloc[0] == (
        f"in progress since version 1 (published {version.published_on}), done in version 2 "
        f"(published {version.published_on})")


def test_with_one_version_recommendations_have_no_history_column(home):
    at = app("pages/recommendations.py")
    clean(at)
    assert all("Status across versions" not in df.value.columns for df in at.dataframe)


def test_the_overview_draws_the_trend_of_the_last_five_years(two):
    at = app()
    clean(at)
    charts = {json.loads(c.proto.spec)["layout"]["title"]["text"]: json.loads(c.proto.spec) for c in at.get("plotly_chart")}
    lines = charts["Active, at-risk and dormant groups, the last 5 years"]["data"]
    assert [t["name"] for t in lines] == ["Active", "At risk", "Dormant"]
    assert len(lines[0]["x"]) == 21 and lines[0]["x"][-1] == "15 Nov 2026"  # 20 quarter ends, then the as-of date
    kpis = {m.label: m.value for m in at.metric}
    ys = [list(fitting._array(t["y"])) for t in lines]  # (the spec writes the figures as typed arrays)
    assert ys[2][-1] == int(kpis["Dormant"]) and ys[0][-1] == int(kpis["Active"])
    assert {t["line"]["dash"] for t in lines} == {"solid", "dash", "dot"}  # not told apart by colour alone
    assert any("From 31 December 2021 to 15 November 2026" in c.value for c in at.caption)


def test_every_word_of_the_changes_is_lao_in_lao(two):
    at = lao_app(PAGE)
    assert not at.exception, [e.value for e in at.exception]
    texts = page_texts(at)
    assert any(i18n.has_lao(t) for t in texts)
    # only the English name of SWG-HEALTH changed: in Lao the list shows the names that changed
    renamed = _table_with(at, "ID", "SWG-HEALTH")
    assert renamed.iloc[0, 0] != renamed.iloc[0, 1] and "Health and Nutrition" in renamed.iloc[0].tolist()
    data = {"Climate", "Change", "root", "Health", "Nutrition", "Sector", "Working", "Group"}  # (data, as given)
    left = {t[:90]: words for t in texts if (words := [w for w in english_words(t) if w not in data])}
    assert not left, f"English left on /changes in Lao: {left}"
