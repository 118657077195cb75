"""Every deployment setting, in one table: its environment variable, default and meaning.

A setting is read from the environment each time it is used (`get`), never once at
import, so a server or a test that changes one sees the change. A value that cannot be
read (not a whole number where one is needed, or not positive) falls back to the default.
The README's table of settings is generated from SETTINGS (`make docs`).
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str  # the environment variable
    default: object  # None: not set (the help says what happens then)
    help: str
    kind: str = "text"  # "text", "path" or "positive" (a whole number above 0)


SETTINGS: dict[str, Setting] = {s.name: s for s in (
    Setting("SWGDASH_HOME", None, "The store folder: versions, HEAD.json, audit log and query cache; or an "
            "object store's address, `s3://bucket/prefix` (credentials, region and endpoint from the standard "
            "`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, `AWS_ENDPOINT_URL`). "
            "Default: `data/store` in the repository.", "path"),
    Setting("SWGDASH_CACHE", None, "With the store in object storage (`SWGDASH_HOME=s3://bucket/prefix`), the "
            "local folder for the files this server has read and each version's query database (derived, safe "
            "to delete). Default: a folder in the system's temporary folder.", "path"),
    Setting("SWGDASH_SECRETARIAT_NAME", None, "The secretariat's name as the pages write it (e.g. the department "
            "that runs the Round Table Process since the 2025 ministry mergers). Unset: \"the secretariat\"."),
    Setting("SWGDASH_SECRETARIAT_PASSWORD", None, "The secretariat's password for publishing (wins over "
            "`secretariat_password` in `.streamlit/secrets.toml`). Unset: nobody can publish by password."),
    Setting("SWGDASH_SECRETARIAT_EMAILS", None, "Comma-separated e-mail addresses that may publish after "
            "Streamlit's login (wins over `secretariat_emails` in `.streamlit/secrets.toml`)."),
    Setting("SWGDASH_MAX_FILE_MB", 50, "Largest file an extract may contain, in MB (raise Streamlit's "
            "`server.maxUploadSize` with it).", "positive"),
    Setting("SWGDASH_MAX_ROWS", 20_000_000, "Most rows a table of an extract may have.", "positive"),
    Setting("SWGDASH_MAX_INFLATED_MB", 1024, "Most MB a zip may unpack to, in all.", "positive"),
    Setting("SWGDASH_AGENCIES", None, "A CSV file (columns agency, country) of development agencies the "
            "data-quality check reads as their country, besides the bundled `swgdash/agencies.csv` "
            "(e.g. `JICA,Japan`): names that look like one partner written several ways are warned about.",
            "path"),
    Setting("SWGDASH_TIMEZONE", "Asia/Vientiane", "The deployment's time zone: the audit log and the "
            "version history show times in it (an IANA name, e.g. `Asia/Vientiane`, `UTC`)."),
    Setting("SWGDASH_LANGUAGE", "en", "The language a page opens in when its address names none: `en` "
            "(English) or `lo` (Lao); everyone can switch in the sidebar, and `?lang=` in a link wins."),
    Setting("SWGDASH_DIGITS", "arabic", "Digits in Lao text: `arabic` (0-9, as most Lao government "
            "documents print them) or `lao` (໐-໙)."),
    Setting("SWGDASH_REVIEW_DATE", "2022-11-16", "The date of the review the trend charts mark with a "
            "dashed line (YYYY-MM-DD; the 2022 SWG review was presented on 16 November 2022). `none`: no line."),
    Setting("SWGDASH_CHROMIUM", None, "The Chromium that draws the briefing pack's charts and PDF. "
            "Default: `chromium` on the PATH, else `/usr/bin/chromium`.", "path"),
    Setting("SWGDASH_COOKIE_SECRET", None, "The secret that signs the secretariat's sign-in cookie (a long "
            "random text; the same on every server behind one address). Unset: Streamlit's "
            "`server.cookieSecret`, which is random at each start unless set (a restart then signs the "
            "officer out)."),
    Setting("SWGDASH_UPLOAD_CEILING_MB", 200, "Most MB of uploaded files the server keeps at once, for every "
            "session together; an upload beyond it is refused with a plain message. Only a signed-in "
            "secretariat session can upload at all.", "positive"),
    Setting("SWGDASH_TRUSTED_PROXY", None, "The address of the reverse proxy in front of the servers (e.g. "
            "`127.0.0.1`): only a request from it may name the client in `X-Forwarded-For` (docs/deploy.md). "
            "Unset: the connection's own address is the client's."),
    Setting("SWGDASH_IATI_COUNTRY", "LA", "The deployment's country as IATI writes it (ISO 3166-1 alpha-2, e.g. "
            "`LA` for Lao PDR, `MZ` for Mozambique): an IATI file's activities elsewhere are not imported."),
    Setting("SWGDASH_RUN_LOG", None, "A file to which the server adds one JSON line (page, seconds) for "
            "every page it draws. Unset: no log.", "path"),
)}


def get(name: str, env=None):
    """The setting's value now: from the environment (`env`, default os.environ) when set
    and readable, else its default."""
    setting = SETTINGS[name]
    raw = (os.environ if env is None else env).get(name)
    if raw is None or raw == "":
        return setting.default
    if setting.kind == "positive":
        try:
            value = int(raw)
        except ValueError:
            return setting.default
        return value if value > 0 else setting.default
    return raw


def timezone() -> dt.tzinfo:
    """The deployment's time zone (SWGDASH_TIMEZONE; UTC when it names none there is)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(str(get("SWGDASH_TIMEZONE")))
    except (ZoneInfoNotFoundError, ValueError):
        return dt.timezone.utc


def review_date() -> dt.date | None:
    """The date of the review the trend marks (SWGDASH_REVIEW_DATE; None for `none` or a value
    that is not a date)."""
    try:
        return dt.date.fromisoformat(str(get("SWGDASH_REVIEW_DATE")).strip())
    except ValueError:
        return None


def markdown_table() -> str:
    """The README's table of settings."""
    rows = ["| setting | default | what it does |", "|---|---|---|"]
    for s in SETTINGS.values():
        default = "(unset)" if s.default is None else f"`{s.default}`"
        rows.append(f"| `{s.name}` | {default} | {s.help} |")
    return "\n".join(rows) + "\n"
