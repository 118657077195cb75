"""The pages on a store in S3-compatible object storage (issue 20; the S3 server: tests/conftest.py)."""
from test_pages import app, clean

from factories import DEMO
from swgdash import store as stores
from swgdash.ingest.validate import validate_paths


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


def test_the_pages_keep_serving_the_version_held_while_the_store_is_unreachable(s3, monkeypatch):
    """The endpoint stops answering: every page still shows the version this server holds, with a
    banner saying since when (issue 29), never 'could not open its data'."""
    from botocore.exceptions import EndpointConnectionError

    from swgdash.store import s3 as objectstore

    monkeypatch.setenv("SWGDASH_HOME", s3)
    at = app()
    clean(at)
    store = stores.open_store(s3)

    def down(*a, **k):
        raise EndpointConnectionError(endpoint_url="http://127.0.0.1:9")

    for name in ("get_object", "list_objects_v2", "put_object", "download_file", "head_object"):
        monkeypatch.setattr(store.s3, name, down)
    objectstore.opened.cache_clear()  # the server restarted: its local folder is all it has
    restarted = stores.open_store(s3)
    for name in ("get_object", "list_objects_v2", "put_object", "download_file", "head_object"):
        monkeypatch.setattr(restarted.s3, name, down)
    for page in ("pages/overview.py", "pages/meetings.py", "pages/upload.py"):
        at = app(page)
        assert not at.exception and not [e.value for e in at.error if "could not" in e.value], page
        banner = " ".join(w.value for w in at.warning)
        assert "The store cannot be reached since" in banner and "showing version 1" in banner, page
