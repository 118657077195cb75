"""A damaged store in real Chromium (issue 22): the banner on every page, and the way back from
/upload: roll back to the intact version through the page."""
import re

import pytest

from faults import flip_byte, two_versions
from serve import app_run, assert_clean, secretariat_sign_in, streamlit_server, wait_for_page
from swgdash.store import FolderStore

PASSWORD = "damage drill"


@pytest.fixture
def server(tmp_path):
    home = tmp_path / "home"
    two_versions(home)
    flip_byte(home)  # one byte of version 2's meetings.parquet, the query cache removed
    with streamlit_server(home, env={"SWGDASH_SECRETARIAT_PASSWORD": PASSWORD}) as url:
        yield url, home


def test_the_banner_names_the_damage_and_the_secretariat_rolls_back_from_the_page(server, page):
    url, home = server
    for path in ("/", "/dormant", "/quality"):
        page.goto(url + path)
        wait_for_page(page)
        body = page.inner_text("body")
        assert "The store is damaged" in body and "Version 2 is damaged" in body, path
        assert "meetings.parquet does not match its checksum" in body and "Data version 1" in body
        assert_clean(page)
    secretariat_sign_in(page, url, PASSWORD)
    page.get_by_role("tab", name="Version history").click()
    page.locator('[data-testid="stSelectbox"]', has_text="version").last.click()
    # (version 1, the one the pages show, is already picked: choosing it again runs nothing)
    page.get_by_role("option", name=re.compile(r"^version 1: as of ")).click()
    page.get_by_role("textbox", name="Why (for the version history)").fill("version 2's meetings file is damaged")
    page.get_by_text("Show version 1 to the committee again").click()
    page.get_by_role("button", name="Roll back to version 1").click()
    page.get_by_text("as version 3").wait_for(timeout=30000)
    assert FolderStore(home).current().id == 3
    with app_run(page):
        page.locator('[data-testid="stSidebarNav"] a', has_text="Overview").click()
    body = page.inner_text("body")
    assert "Data version 3" in body and "The store is damaged" not in body
    assert_clean(page)
