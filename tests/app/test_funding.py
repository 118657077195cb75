"""Who funds what (issue 33) through AppTest: /funding on the demo's IATI sample, the group profile's
brief, /participation's column, and the secretariat's import of IATI files on /upload."""
import pytest
from streamlit.testing.v1 import AppTest

from factories import ROOT
from swgdash import publishing
from swgdash.store import FolderStore

PASSWORD = "s3cret"

XML = """<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03" generated-datetime="2026-06-01T00:00:00Z">
 <iati-activity last-updated-datetime="2026-05-01T00:00:00Z" default-currency="USD">
  <iati-identifier>XM-DAC-41122-LA-NEW</iati-identifier>
  <reporting-org ref="XM-DAC-41122" type="40"><narrative>UNICEF</narrative></reporting-org>
  <title><narrative>A new activity</narrative></title>
  <participating-org role="1" ref="XM-DAC-41122"><narrative>UNICEF</narrative></participating-org>
  <activity-status code="2"/>
  <recipient-country code="LA" percentage="100"/>
  <sector vocabulary="1" code="12220" percentage="100"/>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2026-02-01"/>
   <value value-date="2026-02-01">250000</value></transaction>
 </iati-activity>
</iati-activities>
"""


def app(page, **url) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for key, value in url.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at) -> str:
    return " ".join(e.value for kind in ("markdown", "caption", "info", "warning", "success", "error")
                    for e in at.get(kind)).replace("\\", "")  # (markdown: its punctuation escaped)


@pytest.mark.usefixtures("demo_in_home")
def test_the_funding_page_names_the_iati_set_the_funders_and_the_members_without_evidence(home):
    at = app("pages/funding.py", group="SWG-UXO")
    shown = texts(at)
    assert "IATI data of 03 March 2026, 46 activities in Lao PDR" in shown  # the set the figures read, every time
    metrics = {m.label: m.value for m in at.metric}
    assert int(metrics["Groups with sectors"]) > 20 and int(metrics["IATI activities"]) > 20
    assert at.header[0].value == "One group's funders"  # (the address names a group: it comes first)
    assert at.selectbox(key="fund_group_SWG-UXO").value == "SWG-UXO"  # the group the address names (the profile's link)
    funders = next(d.value for d in at.dataframe if "Sits in the group" in d.value.columns)
    assert funders.iloc[0]["Organisation"] == "United States" and funders["Sits in the group"].dtype == bool
    assert "not proof of no funding" in shown


@pytest.mark.usefixtures("demo_in_home")
def test_the_profile_and_participation_show_the_funding_in_brief(home):
    at = app("pages/group.py", id="SWG-HEALTH")
    assert "Who funds its sectors (IATI)" in [h.value for h in at.subheader]
    assert "IATI activities in its sectors" in texts(at)
    at = app("pages/participation.py")
    load = next(d.value for d in at.dataframe if "Groups funded (IATI)" in d.value)
    assert list(load.columns[:3]) == ["Partner", "Active in groups", "Groups funded (IATI)"], list(load.columns)
    assert int(load.set_index("Partner").loc["United States", "Groups funded (IATI)"]) >= 1


def test_without_an_iati_set_the_page_says_who_imports_one(home):
    store = FolderStore(home)
    store.ensure_demo()  # (the register only: no IATI sample)
    at = app("pages/funding.py")
    assert "No IATI data has been imported yet" in texts(at)
    assert not at.get("plotly_chart")


@pytest.mark.usefixtures("demo_in_home")
def test_the_secretariat_imports_iati_files_and_a_broken_one_changes_nothing(home, monkeypatch):
    monkeypatch.setenv("SWGDASH_SECRETARIAT_PASSWORD", PASSWORD)
    at = app("pages/upload.py")
    at.text_input[0].set_value("Officer")
    at.text_input[1].set_value(PASSWORD)
    at.button[0].click().run()
    assert [t.label for t in at.tabs][-1] == "Partners' IATI data"
    uploader = [u for u in at.file_uploader if u.label == "IATI files"][0]
    uploader.set_value(("broken.xml", b"<iati-activities><iati-activity>", "text/xml")).run()
    said = " ".join(e.value for e in at.error).replace("\\", "")  # (markdown: its punctuation escaped)
    assert "broken.xml, line 1: not well-formed XML" in said and "nothing was imported" in said
    assert publishing.current_iati(FolderStore(home)).id == 1
    uploader = [u for u in at.file_uploader if u.label == "IATI files"][0]
    uploader.set_value(("new.xml", XML.encode(), "text/xml")).run()
    assert "1 activity in Lao PDR read from new.xml; nothing is imported until you confirm" in texts(at)
    assert publishing.current_iati(FolderStore(home)).id == 1  # (not before the confirmation)
    [b for b in at.button if b.label == "Import"][0].click().run()
    assert not at.exception
    current = publishing.current_iati(FolderStore(home))
    assert current.id == 2 and current.manifest["published_by"] == "Officer"
    assert current.manifest["about"]["activities"] == 1
