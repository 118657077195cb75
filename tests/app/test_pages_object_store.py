"""The pages on a store in S3-compatible object storage (issue 20; the S3 server: tests/conftest.py)."""
from factories import DEMO
from swgdash import store as stores
from swgdash.ingest.validate import validate_paths
from test_pages import app, clean


def test_the_app_opens_on_the_object_store_with_the_demo_then_a_new_version(s3, monkeypatch):
    from test_pages import app, clean

    monkeypatch.setenv("SWGDASH_HOME", s3)
    at = app()
    clean(at)
    assert any("Demo data" in w.value for w in at.warning)  # first start: the demo, published into the bucket
    store = stores.open_store(s3)
    assert [v.id for v in store.versions()] == [1] and store.current().is_demo
    result = validate_paths([DEMO])
    store.publish(result, result.as_of.date, "a real extract")
    at = app("pages/changes.py")
    clean(at)
    assert any("since 31 October 2026" in m.value for m in at.markdown)  # version 1 against version 2
