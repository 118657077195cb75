"""The secretariat's upload page in real Chromium: sign in, upload a workbook through
the page, preview, publish, see it on the overview, roll back; a wrong password
publishes nothing."""
import io
import json
import re

import pytest

from factories import updated_workbook
from serve import EXTRACT_FILES, IATI_FILES, app_run, assert_clean, module_server, secretariat_sign_in, wait_for_page
from swgdash.cli import main as cli

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from module_server(tmp_path_factory, "upload", {"SWGDASH_SECRETARIAT_PASSWORD": PASSWORD})


def versions(home):
    out = io.StringIO()
    cli(["--home", str(home), "versions", "--json"], out=out)
    return json.loads(out.getvalue())


def sign_in(page, url, password=PASSWORD):
    secretariat_sign_in(page, url, password, "Test Officer")


def test_wrong_password_publishes_nothing(server, page):
    url, home = server
    page.goto(url + "/")
    wait_for_page(page)
    before = versions(home)
    sign_in(page, url, "not the password")
    body = page.inner_text("body")
    assert "Wrong password" in body and "Publish an update" not in body
    assert page.locator('input[type="file"]').count() == 0
    assert versions(home) == before
    assert_clean(page)


def test_sign_in_upload_preview_publish_and_roll_back(server, page, tmp_path):
    url, home = server
    page.goto(url + "/")
    wait_for_page(page)
    assert len(versions(home)) == 1
    sign_in(page, url)
    assert "Signed in as Test Officer" in page.inner_text("body")

    # an invalid file first: the report names table/row/column and nothing changes
    bad = tmp_path / "groups.csv"
    bad.write_text("group_id,name,kind\nG1,One,club\n", encoding="utf-8")
    page.locator(EXTRACT_FILES).set_input_files(str(bad))
    page.get_by_text("nothing was published").wait_for(timeout=30000)
    body = page.inner_text("body")
    assert "'club' is not allowed" in body and "Download the validation report" in body
    assert len(versions(home)) == 1

    # remove the bad file, as the officer would, then upload a real update through the page
    page.get_by_role("button", name="Remove groups.csv").click()
    page.wait_for_function("() => !document.body.innerText.includes('nothing was published')", timeout=30000)
    path = tmp_path / "update.xlsx"
    updated_workbook(home, path)
    page.locator(EXTRACT_FILES).set_input_files(str(path))
    page.get_by_text("The extract is valid").wait_for(timeout=30000)
    wait_for_page(page)
    body = page.inner_text("body")
    assert "Groups renamed (1)" in body
    assert "Meetings added (1)" in body
    # the form suggests the extract's own as-of date and says so; the preview follows the picker at once
    assert "Suggested: 31 October 2026, the extract's own as_of" in body
    card = page.locator('[data-testid="stMetric"]', has_text="As of")
    assert "2026-10-31" in card.inner_text()
    calendar = page.locator('[data-testid="stMain"] [data-testid="stDateInputCalendarButton"]')
    for day, shown in (("15", "2026-10-15"), ("31", "2026-10-31")):
        calendar.click()
        page.locator('[role="dialog"] [role="gridcell"]', has_text=day).first.click()  # nothing else: no blur
        page.wait_for_function("(d) => [...document.querySelectorAll('[data-testid=\"stMetric\"]')]"
                               ".some(m => m.innerText.includes(d))", arg=shown, timeout=15000)
        if day == "15":  # the update's meeting of 30 October is later
            page.get_by_text("is before the latest recorded meeting").wait_for(timeout=15000)
    wait_for_page(page)
    page.get_by_role("textbox", name="Note for the version history").fill("Browser test update")
    page.get_by_role("button", name="Publish", exact=True).click()
    page.get_by_text("Published version 2").wait_for(timeout=30000)
    assert [v["note"] for v in versions(home)][-1] == "Browser test update"

    # the overview shows the new version, no longer demo data
    with app_run(page):
        page.locator('[data-testid="stSidebarNav"] a', has_text="Overview").click()
    body = page.inner_text("body")
    assert "Data version 2" in body and "Demo data" not in body
    assert_clean(page)

    # roll back to version 1: itself a new version
    with app_run(page):
        page.locator('[data-testid="stSidebarNav"] a', has_text="Publish data").click()
    page.get_by_role("tab", name="Version history").click()
    page.locator('[data-testid="stSelectbox"]', has_text="version").last.click()
    with app_run(page):
        page.get_by_role("option", name=re.compile(r"^version 1: as of ")).click()
    page.get_by_text("Show version 1 to the committee again").click()
    page.get_by_role("button", name="Roll back to version 1").click()
    page.get_by_text("Write a short note saying why.").wait_for(timeout=30000)  # a rollback asks for a note
    assert len(versions(home)) == 2
    page.get_by_role("textbox", name="Why (for the version history)").fill("the update was a test")
    page.get_by_role("button", name="Roll back to version 1").click()
    page.get_by_text("as version 3").wait_for(timeout=30000)
    vs = versions(home)
    assert [(v["version"], v.get("rollback_of")) for v in vs] == [(1, None), (2, None), (3, 1)]
    assert vs[-1]["note"] == "rollback to version 1: the update was a test"
    with app_run(page):
        page.locator('[data-testid="stSidebarNav"] a', has_text="Overview").click()
    assert "Data version 3" in page.inner_text("body")
    assert_clean(page)


def test_read_only_visitors_see_history_only(server, page):
    url, _ = server
    page.goto(url + "/upload")
    wait_for_page(page)
    body = page.inner_text("body")
    assert "Version history" in body and "Secretariat sign-in" in body
    assert page.locator('input[type="file"]').count() == 0
    assert "Roll back" not in body and "Current data (.xlsx)" not in body
    assert_clean(page)


IATI_XML = """<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03" generated-datetime="2026-09-15T00:00:00Z">
 <iati-activity last-updated-datetime="2026-09-01T00:00:00Z" default-currency="EUR">
  <iati-identifier>XM-DAC-3-1-LA-BROWSER</iati-identifier>
  <reporting-org ref="XM-DAC-3-1" type="10"><narrative>Browser Test Donor</narrative></reporting-org>
  <title><narrative>Rural water supply (browser test)</narrative></title>
  <activity-status code="2"/>
  <recipient-country code="LA" percentage="100"/>
  <sector vocabulary="1" code="14030" percentage="100"/>
  <transaction><transaction-type code="3"/><transaction-date iso-date="2026-05-01"/>
   <value value-date="2026-05-01">400000</value></transaction>
 </iati-activity>
</iati-activities>
"""


def iati_sets(home):
    out = io.StringIO()
    cli(["--home", str(home), "iati", "sets", "--json"], out=out)
    return json.loads(out.getvalue())


def test_the_secretariat_imports_an_iati_file_through_the_page(server, page, tmp_path):
    url, home = server
    page.goto(url + "/")
    wait_for_page(page)
    before = iati_sets(home)
    sign_in(page, url)
    page.get_by_role("tab", name="Partners' IATI data").click()
    bad = tmp_path / "broken.xml"
    bad.write_text("<iati-activities><iati-activity>", encoding="utf-8")
    page.locator(IATI_FILES).set_input_files(str(bad))
    page.get_by_text("nothing was imported").wait_for(timeout=30000)
    assert "broken.xml" in page.inner_text("body") and iati_sets(home) == before
    page.get_by_role("button", name="Remove broken.xml").click()  # (as the officer would)
    page.wait_for_function("() => !document.body.innerText.includes('nothing was imported')", timeout=30000)
    good = tmp_path / "water.xml"
    good.write_text(IATI_XML, encoding="utf-8")
    page.locator(IATI_FILES).set_input_files(str(good))
    page.get_by_text("1 activity in Lao PDR read from water.xml").wait_for(timeout=30000)
    wait_for_page(page)
    page.get_by_role("textbox", name="Note for the history of IATI sets").fill("browser test")
    page.get_by_role("button", name="Import", exact=True).click()
    page.get_by_text("The funding page now reads it").wait_for(timeout=30000)
    after = iati_sets(home)
    assert len(after) == len(before) + 1 and after[-1]["activities"] == 1
    with app_run(page):
        page.locator('[data-testid="stSidebarNav"] a', has_text="Who funds what").click()
    assert "IATI data of 15 September 2026, 1 activity in Lao PDR" in page.inner_text("body")
    assert_clean(page)
