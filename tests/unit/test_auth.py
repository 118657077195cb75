"""Secretariat access: configuration, constant-time check, throttling."""
import pytest

from swgdash import auth


def test_password_from_env_wins_over_secrets():
    assert auth.configured_password({}, {}) is None
    assert auth.configured_password({}, {"secretariat_password": "s3"}) == "s3"
    assert auth.configured_password({auth.PASSWORD_ENV: "e1"}, {"secretariat_password": "s3"}) == "e1"
    assert auth.configured_password({auth.PASSWORD_ENV: ""}, {}) is None


def test_allowed_emails():
    assert auth.allowed_emails({}, {}) == set()
    assert auth.allowed_emails({}, {"secretariat_emails": ["A@dic.gov.la", " b@dic.gov.la "]}) == {
        "a@dic.gov.la", "b@dic.gov.la"}
    assert auth.allowed_emails({auth.EMAILS_ENV: "x@y.org, ,Z@y.org"}, {}) == {"x@y.org", "z@y.org"}
    assert auth.oidc_configured({"auth": {}}) and not auth.oidc_configured({})


@pytest.mark.parametrize("given,ok", [("right horse", True), ("right hors", False), ("", False),
                                      ("RIGHT HORSE", False), ("right horse ", False)])
def test_password_matches(given, ok):
    assert auth.password_matches(given, "right horse") is ok


def test_throttle_slows_down_repeated_failures():
    t = auth.Throttle(free=3)
    for _attempt in range(3):
        assert t.wait(now=100.0) == 0
        ok, msg = auth.check("nope", t, "secret", now=100.0)
        assert not ok and msg.startswith("Wrong password")
    assert t.wait(now=100.0) == 2.0                 # 4th attempt must wait 2 s
    ok, msg = auth.check("secret", t, "secret", now=101.0)
    assert not ok and "Try again in" in msg          # even the right password waits
    assert auth.check("nope", t, "secret", now=102.0)[0] is False
    assert t.wait(now=102.0) == 4.0                  # doubled
    for _ in range(20):
        t.failed(now=200.0)
    assert t.wait(now=200.0) == 300.0                # capped
    assert auth.check("secret", t, "secret", now=501.0) == (True, "Signed in as the secretariat.")
    assert t.failures == 0 and t.wait(now=501.0) == 0


def test_nothing_accepted_when_not_configured():
    assert auth.check("anything", auth.Throttle(), None)[0] is False
