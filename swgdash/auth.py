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

from swgdash import settings
from swgdash.i18n import _

PASSWORD_ENV = "SWGDASH_SECRETARIAT_PASSWORD"  # (swgdash.settings)
EMAILS_ENV = "SWGDASH_SECRETARIAT_EMAILS"


def configured_password(env=None, secrets=None) -> str | None:
    """`secrets`: the app's secrets (st.secrets as a dict; swgdash.app.upload passes them)."""
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


# ---- a sign-in that survives a reload, bound to its secret and its client ----------------------
#
# After a password sign-in the browser gets a cookie (HttpOnly, SameSite=Strict, set by the app's
# own route: swgdash.app.guard) holding a token: the officer's name, the client it was made from,
# when it expires and a random id, signed with HMAC-SHA256. The key is derived from the server's
# cookie secret *and the current password*, so changing or removing the password voids every token
# (and every sign-in: swgdash.app.upload checks the same binding on each run).

SIGN_IN_MINUTES = 30  # a reload within this keeps the officer signed in
COOKIE = "swgdash_signin"


def credential(password: str | None, emails: set[str] | None = None) -> str:
    """A fingerprint of what a sign-in was checked against: the password (never stored), or the
    allow-list of e-mails. A sign-in made under another fingerprint is void."""
    h = hashlib.sha256()
    h.update(b"password\0" + (password or "").encode("utf-8"))
    h.update(b"\0emails\0" + "\n".join(sorted(emails or ())).encode("utf-8"))
    return h.hexdigest()


def _key(secret: str, cred: str) -> bytes:
    return hmac.new(secret.encode("utf-8"), b"swgdash sign-in\0" + cred.encode("ascii"), hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def make_token(name: str, client: str, secret: str, cred: str, now: float | None = None,
               minutes: int = SIGN_IN_MINUTES) -> str:
    import json
    import secrets as random

    now = time.time() if now is None else now
    body = _b64(json.dumps({"n": name, "c": client, "e": int(now + 60 * minutes), "i": random.token_hex(8)},
                           ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    return body + "." + _b64(hmac.new(_key(secret, cred), body.encode("ascii"), hashlib.sha256).digest())


def read_token(token: str | None, client: str | None, secret: str, cred: str, now: float | None = None,
               revoked: set[str] | frozenset[str] = frozenset(), detail: bool = False):
    """(name, token id) when `token` is ours, unexpired, unrevoked, made from this client (None: any)
    and under this credential; None otherwise (whatever is wrong with it: nothing to tell an
    attacker). With `detail`, the token's fields ({"n", "c", "e", "i"}) instead."""
    import json

    if not isinstance(token, str) or not token or len(token) > 2048 or token.count(".") != 1:
        return None
    body, sig = token.split(".")
    try:
        expected = hmac.new(_key(secret, cred), body.encode("ascii"), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _unb64(sig)):
            return None
        data = json.loads(_unb64(body))
    except (ValueError, UnicodeError, RecursionError):
        return None
    now = time.time() if now is None else now
    if not isinstance(data, dict) or (client is not None and data.get("c") != client) \
            or not isinstance(data.get("e"), int) or data["e"] <= now or data.get("i") in revoked \
            or not isinstance(data.get("n"), str) or not isinstance(data.get("i"), str):
        return None
    return data if detail else (data["n"], data["i"])


# ---- wrong passwords, per client address ------------------------------------------------------

@dataclass
class Guesses:
    """Wrong passwords counted per client address, so that an attacker slows down only themself:
    each address has its own Throttle (after `free` failures, 2, 4, 8 ... seconds between tries).
    Server-wide, password checks are spaced `1 / per_second` apart: a flood from many addresses
    is slowed for everyone, but a check waits at most `max_wait` seconds for its turn and is then
    made, so a correct password from another address is never refused."""
    per_second: float = 4.0
    max_wait: float = 3.0
    most_addresses: int = 10_000  # the oldest forgotten past this (memory stays bounded)
    throttles: dict[str, Throttle] = field(default_factory=dict)
    next_turn: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def throttle(self, address: str) -> Throttle:
        with self._lock:
            t = self.throttles.pop(address, None) or Throttle()
            self.throttles[address] = t  # (most recent last)
            while len(self.throttles) > self.most_addresses:
                self.throttles.pop(next(iter(self.throttles)))
            return t

    def turn(self, now: float | None = None) -> float:
        """Seconds to wait for this check's turn (0 to max_wait); the turn is taken."""
        now = time.monotonic() if now is None else now
        with self._lock:
            start = max(now, self.next_turn)
            wait = min(self.max_wait, start - now)
            self.next_turn = max(self.next_turn, now + wait) + 1.0 / self.per_second
            return wait

    def check(self, given: str, expected: str | None, address: str, now: float | None = None,
              sleep=time.sleep) -> tuple[bool, str]:
        if not expected:
            return False, _("Publishing is not enabled on this server.")
        throttle = self.throttle(address)
        if throttle.wait(now) > 0:  # this address is waiting: refused without looking at the password
            return check(given, throttle, expected, now)
        sleep(self.turn(now))
        return check(given, throttle, expected, now)


@dataclass
class RefusedSignIns:
    """Refused sign-ins are counted per address and hour; the audit log gets a line at an address's
    1st, 10th, 100th ... refusal of the hour (its count so far), never one per attempt: a flood of
    wrong passwords cannot flood the log."""
    counts: dict[tuple[str, int], int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self, address: str, now: float | None = None) -> int | None:
        """This refusal's number in its address's hour when it is to be written, else None."""
        hour = int((time.time() if now is None else now) // 3600)
        with self._lock:
            for key in [k for k in self.counts if k[1] < hour]:
                del self.counts[key]
            n = self.counts.get((address, hour), 0) + 1
            self.counts[(address, hour)] = n
        return n if n in (1, 10, 100, 1000, 10_000, 100_000) or n % 1_000_000 == 0 else None
