"""The app's caches follow what a version holds, not its number."""
import datetime as dt
import shutil

from streamlit.testing.v1 import AppTest

from factories import ROOT, group, meeting, write_csv
from swgdash.ingest.validate import validate_paths
from swgdash.store import FolderStore


def publish_groups(home, folder, names):
    write_csv(folder, "groups", [group(f"SWG-{i}", name=n) for i, n in enumerate(names)])
    write_csv(folder, "meetings", [meeting(f"M{i}", f"SWG-{i}", "2026-09-01") for i in range(len(names))])
    return FolderStore(home).publish(validate_paths([folder]), dt.date(2026, 10, 31), "test")


def overview(home):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_store_emptied_and_published_again_shows_the_new_figures(home, tmp_path):
    """The server keeps running while the store is emptied and another extract is published as
    version 1: the pages show the new extract (caches keyed on the version's number showed the old)."""
    first = publish_groups(home, tmp_path / "a", ["Alpha", "Beta", "Gamma"])
    at = overview(home)
    assert {m.label: m.value for m in at.metric}["Groups counting"] == "3"
    assert "Alpha" in [o for s in at.sidebar.selectbox for o in s.options]

    shutil.rmtree(home)
    second = publish_groups(home, tmp_path / "b", ["Delta"])
    assert second.id == first.id == 1 and second.fingerprint != first.fingerprint
    at = overview(home)
    assert {m.label: m.value for m in at.metric}["Groups counting"] == "1"
    options = [o for s in at.sidebar.selectbox for o in s.options]
    assert "Delta" in options and "Alpha" not in options
