"""Who may publish: the secretariat, by password or by an allow-listed OIDC login.

- Password: `secretariat_password` in .streamlit/secrets.toml, or the
  environment variable SWGDASH_SECRETARIAT_PASSWORD (which wins). Compared in
  constant time; wrong attempts are slowed down, server-wide, by a Throttle.
- OIDC (Streamlit's st.login, configured under [auth] in secrets.toml): users
  whose e-mail is in `secretariat_emails` (secrets, a list) or
  SWGDASH_SECRETARIAT_EMAILS (comma-separated) may publish.
With neither configured, nobody can publish and the upload page says how to
enable it.
"""
from __future__ import annotations

import hashlib
import hmac
import threading
import time
from dataclasses import dataclass, field

from .i18n import _
from . import settings

PASSWORD_ENV = "SWGDASH_SECRETARIAT_PASSWORD"  # (swgdash.settings)
EMAILS_ENV = "SWGDASH_SECRETARIAT_EMAILS"


def configured_password(env=None, secrets=None) -> str | None:
    """`secrets`: the app's secrets (st.secrets as a dict; swgdash.app.publish passes them)."""
    secrets = secrets or {}
    value = settings.get(PASSWORD_ENV, env) or secrets.get("secretariat_password")
    return str(value) if value else None


def allowed_emails(env=None, secrets=None) -> set[str]:
    secrets = secrets or {}
    raw = settings.get(EMAILS_ENV, env)
    emails = raw.split(",") if raw else list(secrets.get("secretariat_emails", []) or [])
    return {e.strip().lower() for e in emails if e and e.strip()}


def oidc_configured(secrets=None) -> bool:
    return "auth" in (secrets or {})


def password_matches(given: str, expected: str) -> bool:
    """Constant-time comparison (of digests, so the length does not leak either)."""
    a = hashlib.sha256(given.encode("utf-8")).digest()
    b = hashlib.sha256(expected.encode("utf-8")).digest()
    return hmac.compare_digest(a, b)


@dataclass
class Throttle:
    """Slows down repeated wrong passwords: after `free` failures, each further
    attempt must wait 2, 4, 8 ... seconds (at most `cap`) after the last failure.
    A right password resets it."""
    free: int = 3
    cap: float = 300.0
    failures: int = 0
    last: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def wait(self, now: float | None = None) -> float:
        now = time.monotonic() if now is None else now
        with self._lock:
            if self.failures < self.free:
                return 0.0
            delay = min(self.cap, 2.0 ** (self.failures - self.free + 1))
            return max(0.0, self.last + delay - now)

    def failed(self, now: float | None = None) -> None:
        with self._lock:
            self.failures += 1
            self.last = time.monotonic() if now is None else now

    def succeeded(self) -> None:
        with self._lock:
            self.failures = 0
            self.last = 0.0


def check(given: str, throttle: Throttle, expected: str | None, now: float | None = None) -> tuple[bool, str]:
    """(accepted, message for the user). Nothing is accepted while the throttle says wait."""
    if not expected:
        return False, _("Publishing is not enabled on this server.")
    wait = throttle.wait(now)
    if wait > 0:
        return False, _("Too many wrong passwords. Try again in {wait} seconds.").format(wait=int(wait) + 1)
    if password_matches(given or "", expected):
        throttle.succeeded()
        return True, _("Signed in as the secretariat.")
    throttle.failed(now)
    return False, _("Wrong password. Nothing was changed.")
