"""A damaged store in the app (issue 22): every page keeps serving the newest intact version with
a banner naming the damage, and /upload stays reachable."""
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from factories import ROOT
from faults import FAULTS, fingerprint, two_versions


@pytest.fixture(scope="module")
def two_made(tmp_path_factory):
    """faults.two_versions, made once for the module: each test damages its own copy (two)."""
    home = tmp_path_factory.mktemp("two-versions") / "home"
    two_versions(home)
    return home


@pytest.fixture
def two(home, two_made):
    """SWGDASH_HOME holding a copy of the demo published twice (version 2 current), no query cache."""
    shutil.copytree(two_made, home)
    return home


@pytest.mark.parametrize("fault", FAULTS)
def test_pages_serve_the_newest_intact_version_with_a_banner(two, fault):
    home = two
    before = fingerprint(home)
    damage, named, shown = FAULTS[fault]
    damage(home)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for page in ("pages/overview.py", "pages/meetings.py", "pages/upload.py"):  # as a member moves through them
        if page == "pages/overview.py":
            at.run()
        else:
            at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
        banner = " ".join(e.value for e in at.error).replace("\\", "")
        assert "The store is damaged" in banner and named in banner, banner
        assert f"These pages show version {shown}" in banner
        assert f"Data version {shown}" in " ".join(c.value for c in at.sidebar.caption)
    assert [t for t in at.title][0].value == "Publish data"  # /upload reachable: history shown
    assert fingerprint(home) == before


def test_a_cache_that_cannot_be_written_still_serves_pages(two):
    home = two
    (home / "cache").write_text("a file where the cache folder should be")
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    assert not at.exception and not at.error
    assert "Data version 2" in " ".join(c.value for c in at.sidebar.caption)


def test_presentation_mode_shows_the_banner_too(two):
    from faults import flip_byte

    home = two
    flip_byte(home)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/present.py").run()
    assert not at.exception
    assert "Version 2 is damaged" in " ".join(e.value for e in at.error).replace("\\", "")
