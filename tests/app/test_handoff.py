"""The secretariat's hand-off on /upload (issue 28): the as-of date is always one the officer can
account for (the suggestion for this upload, or a date picked during it), never today by default
nor a state left from an earlier upload; the audit log records decisions, not keystrokes."""
import datetime as dt
import io

import pytest
from streamlit.testing.v1 import AppTest

from factories import ROOT, group, meeting, write_csv
from swgdash.store import open_store

PASSWORD = "s3cret"
# every test starts from the demo, as a server's first start leaves it (a copy: conftest.demo_in_home)
pytestmark = pytest.mark.usefixtures("demo_in_home")


def extract_zip(tmp_path, name="extract", as_of=None, last="2025-10-19", extra_meetings=()):
    """A small valid extract as one .zip: its last held meeting on `last`."""
    import zipfile

    folder = tmp_path / name
    write_csv(folder, "groups", [group("G1"), group("G2")])
    write_csv(folder, "meetings", [meeting("M1", "G1", "2025-03-01"), meeting("M2", "G2", last), *extra_meetings])
    if as_of:
        write_csv(folder, "extract", [{"as_of": as_of}])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for f in sorted(folder.iterdir()):
            zf.write(f, f.name)
    return (f"{name}.zip", buf.getvalue(), "application/zip")


def sign_in_form(monkeypatch) -> AppTest:
    """/upload with the sign-in form filled in and sent."""
    monkeypatch.setenv("SWGDASH_SECRETARIAT_PASSWORD", PASSWORD)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/upload.py").run()
    at.text_input[0].set_value("Officer")
    at.text_input[1].set_value(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    return at



def date_shown(at) -> dt.date:
    return [d for d in at.date_input if d.label == "Figures as of"][0].value


def captions(at) -> str:
    return " ".join(c.value for c in at.caption)


def warnings(at) -> str:
    return " ".join(w.value for w in at.warning)


def test_the_date_is_the_suggestion_after_removing_and_adding_the_same_file(home, monkeypatch, tmp_path):
    at = sign_in_form(monkeypatch)
    file = extract_zip(tmp_path)
    at.file_uploader[0].set_value(file).run()
    assert date_shown(at) == dt.date(2025, 10, 19)
    at.file_uploader[0].set_value(None).run()  # removed
    at.file_uploader[0].set_value(file).run()  # and added again
    assert not at.exception
    assert date_shown(at) == dt.date(2025, 10, 19)
    assert "You chose another date" not in captions(at)
    assert "days after the latest recorded meeting" not in warnings(at)


def test_the_date_is_the_suggestion_after_leaving_the_page_and_coming_back(home, monkeypatch, tmp_path):
    at = sign_in_form(monkeypatch)
    file = extract_zip(tmp_path)
    at.file_uploader[0].set_value(file).run()
    at.switch_page("pages/overview.py").run()
    at.switch_page("pages/upload.py").run()
    at.file_uploader[0].set_value(file).run()
    assert date_shown(at) == dt.date(2025, 10, 19)
    assert "You chose another date" not in captions(at)


def test_a_date_picked_during_this_upload_is_kept_and_a_second_file_starts_from_its_own(home, monkeypatch, tmp_path):
    at = sign_in_form(monkeypatch)
    at.file_uploader[0].set_value(extract_zip(tmp_path)).run()
    [d for d in at.date_input if d.label == "Figures as of"][0].set_value(dt.date(2025, 10, 1)).run()
    assert date_shown(at) == dt.date(2025, 10, 1)
    assert "You chose another date" in captions(at)
    # another, different file: its own suggestion, not the date picked for the first
    at.file_uploader[0].set_value(extract_zip(tmp_path, "second", last="2026-02-14")).run()
    assert date_shown(at) == dt.date(2026, 2, 14)
    assert "You chose another date" not in captions(at)


def test_the_audit_log_records_a_refused_upload_once_and_no_removed_file(home, monkeypatch, tmp_path):
    at = sign_in_form(monkeypatch)
    bad = ("groups.csv", b"group_id,name,kind\nG1,One,club\n", "text/csv")
    at.file_uploader[0].set_value(bad).run()
    at.file_uploader[0].set_value([bad, extract_zip(tmp_path)]).run()
    at.file_uploader[0].set_value(extract_zip(tmp_path)).run()  # the officer removed the bad file: composing
    at.file_uploader[0].set_value(None).run()
    assert [e for e in open_store(home).audit() if e["event"] == "refused"] == []


def test_an_upload_left_refused_is_recorded_once_with_its_files_and_problems(home, monkeypatch, tmp_path):
    at = sign_in_form(monkeypatch)
    bad = [(f"bad{i}.csv", b"x", "text/csv") for i in range(3)]
    at.file_uploader[0].set_value(bad).run()
    for k in (2, 1):  # removed one by one
        at.file_uploader[0].set_value(bad[:k]).run()
    assert [e for e in open_store(home).audit() if e["event"] == "refused"] == []  # still composing
    at.file_uploader[0].set_value(None).run()
    refused = [e for e in open_store(home).audit() if e["event"] == "refused"]
    assert len(refused) == 1
    assert refused[0]["sources"] == ["bad0.csv", "bad1.csv", "bad2.csv"] and refused[0]["errors"] >= 1
    assert refused[0]["by"] == "Officer"


def test_an_upload_left_refused_by_leaving_the_page_is_recorded(home, monkeypatch, tmp_path):
    at = sign_in_form(monkeypatch)
    at.file_uploader[0].set_value(("groups.csv", b"group_id,name,kind\nG1,One,club\n", "text/csv")).run()
    at.switch_page("pages/overview.py").run()
    refused = [e for e in open_store(home).audit() if e["event"] == "refused"]
    assert [r["sources"] for r in refused] == [["groups.csv"]]


@pytest.mark.parametrize("change", ["changed", "removed"])
def test_a_sign_in_ends_when_the_password_changes_or_is_removed(home, monkeypatch, change):
    at = sign_in_form(monkeypatch)
    assert "Publish an update" in [t.label for t in at.tabs]
    if change == "changed":
        monkeypatch.setenv("SWGDASH_SECRETARIAT_PASSWORD", "a new password")
    else:
        monkeypatch.delenv("SWGDASH_SECRETARIAT_PASSWORD")
    at.run()
    assert not at.exception
    assert [t.label for t in at.tabs] == [] and not at.file_uploader
    if change == "changed":
        assert "Your sign-in has ended" in warnings(at)
    from swgdash.app import guard
    assert not guard._signed_in  # (the session's uploads are refused again: swgdash.app.guard)


def test_the_version_picker_names_each_versions_date_and_note(home, monkeypatch, tmp_path):
    at = sign_in_form(monkeypatch)
    at.file_uploader[0].set_value(extract_zip(tmp_path)).run()
    note = [t for t in at.text_input if t.label == "Note for the version history"][0]
    note.set_value("Q3 update: meetings to 19 October")
    [b for b in at.button if b.label == "Publish"][0].click().run()
    assert not at.exception
    options = [s for s in at.selectbox if s.label == "Version"][0].options
    assert any(o.startswith("version 2: as of 2025-10-19, published ") and "Q3 update: meetings to 19 October" in o
               for o in options), options
    assert any(o.startswith("version 1: as of 2026-10-31") for o in options), options


def test_an_officer_whose_version_lost_the_race_is_told_which_version_the_pages_show(home, monkeypatch, tmp_path):
    """Another officer's later version is published while this one's is written (issue 29): the
    page says which version is current, never 'every page now shows it'."""
    from swgdash import publishing

    at = sign_in_form(monkeypatch)
    at.file_uploader[0].set_value(extract_zip(tmp_path)).run()
    [t for t in at.text_input if t.label == "Note for the version history"][0].set_value("mine")
    real = publishing.publish

    def racing(store, result, *args, **kwargs):
        version = real(store, result, *args, **kwargs)  # version 2 ...
        real(store, result, *args, **kwargs)  # ... and the other officer's version 3, meanwhile
        return version

    monkeypatch.setattr(publishing, "publish", racing)
    [b for b in at.button if b.label == "Publish"][0].click().run()
    assert not at.exception
    said = " ".join(s.value for s in at.success)
    assert "Published version 2" in said and "Version 3, published at the same time, is later" in said, said
    assert "Every page now shows it" not in said
    assert open_store(home).current().id == 3


def test_signing_out_revokes_the_sessions_own_token_whatever_the_browser_does(home, monkeypatch):
    """The officer signs out and closes the tab at once: the token the session was given is revoked
    on the server, so nobody reopening the page on that computer is signed in with it."""
    from swgdash import auth
    from swgdash.app import guard

    at = sign_in_form(monkeypatch)
    token = at.session_state["secretariat_token"]
    fields = auth.read_token(token, None, guard.cookie_secret(), guard.current_credential(), detail=True)
    assert fields and fields["i"] not in guard.revoked()
    [b for b in at.button if b.label == "Sign out"][0].click().run()
    assert fields["i"] in guard.revoked()
    assert [e["event"] for e in open_store(home).audit()][-1] == "sign_in"  # (the sign-in was audited)


def test_a_read_only_store_signs_nobody_in_and_says_why(home, monkeypatch):
    """The audit entry of a sign-in cannot be written: no sign-in, and the page says the store is
    read-only (issue 29), never 'this page could not be drawn'."""
    import errno

    from swgdash.store import folder

    open_store(home).ensure_demo()
    real_open = open

    def refused(path, mode="r", *a, **k):
        if any(c in mode for c in "wax+"):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, mode, *a, **k)

    monkeypatch.setattr(folder, "open", refused, raising=False)
    at = sign_in_form(monkeypatch)
    errors = " ".join(e.value for e in at.error)
    assert "Nobody can sign in now" in errors and "read-only" in errors and "could not be drawn" not in errors
    assert [t.label for t in at.tabs] == [] and not at.file_uploader  # not signed in
    assert [e["event"] for e in open_store(home).audit()] == ["publish"]  # the demo, and no sign-in
