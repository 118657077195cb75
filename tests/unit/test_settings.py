"""Settings: one table, read when used."""
import pytest

from swgdash import auth, settings
from swgdash.ingest.extract import Limits
from swgdash.store import FolderStore


def test_bad_limit_settings_fall_back_to_defaults(monkeypatch):
    monkeypatch.setenv("SWGDASH_MAX_ROWS", "lots")
    assert settings.get("SWGDASH_MAX_ROWS") == 20_000_000
    monkeypatch.setenv("SWGDASH_MAX_ROWS", "-1")
    assert settings.get("SWGDASH_MAX_ROWS") == 20_000_000
    monkeypatch.setenv("SWGDASH_MAX_ROWS", "0")
    assert settings.get("SWGDASH_MAX_ROWS") == 20_000_000
    monkeypatch.setenv("SWGDASH_MAX_ROWS", "12")
    assert settings.get("SWGDASH_MAX_ROWS") == 12


def test_settings_are_read_when_used_not_at_import(monkeypatch, tmp_path):
    """extract.Limits read its variables once, at import: a later change was ignored."""
    assert Limits().max_rows == 20_000_000
    monkeypatch.setenv("SWGDASH_MAX_ROWS", "1000")
    monkeypatch.setenv("SWGDASH_MAX_FILE_MB", "2")
    monkeypatch.setenv("SWGDASH_MAX_INFLATED_MB", "3")
    limits = Limits()
    assert (limits.max_rows, limits.max_file_bytes, limits.max_inflated_bytes) == (1000, 2 << 20, 3 << 20)
    monkeypatch.setenv("SWGDASH_HOME", str(tmp_path / "elsewhere"))
    assert FolderStore().root == tmp_path / "elsewhere"
    monkeypatch.setenv("SWGDASH_SECRETARIAT_PASSWORD", "later")
    assert auth.configured_password(secrets={}) == "later"
    from swgdash.present import deck

    monkeypatch.setenv("SWGDASH_CHROMIUM", str(tmp_path / "my-chromium"))
    assert deck.chromium() == str(tmp_path / "my-chromium")


def test_given_limits_win_over_settings(monkeypatch):
    monkeypatch.setenv("SWGDASH_MAX_ROWS", "1000")
    assert Limits(max_rows=5).max_rows == 5


@pytest.mark.parametrize("name", list(settings.SETTINGS))
def test_every_setting_has_help_and_unset_means_its_default(name, monkeypatch):
    monkeypatch.delenv(name, raising=False)
    assert settings.get(name) == settings.SETTINGS[name].default
    assert len(settings.SETTINGS[name].help) > 20
