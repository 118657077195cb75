"""Issue 34's defences as units: wrong passwords per address, refused sign-ins counted not written one
by one, the audit log read from its end, text quoted back cleaned, address numbers read strictly,
widget values a widget cannot take left out."""
import json
import math

import pytest

from swgdash import auth, fmt
from swgdash.app import guard, state
from swgdash.store import FolderStore


def test_an_attacker_slows_down_only_their_own_address():
    g, waited = auth.Guesses(per_second=1000, max_wait=3.0), []
    now = 1000.0
    for i in range(20):  # an attacker hammering from one address
        g.check("guess", "right", "203.0.113.9", now=now + i * 0.1, sleep=waited.append)
    ok, message = g.check("right", "right", "203.0.113.9", now=now + 2.1, sleep=waited.append)
    assert not ok and "Too many wrong passwords" in message  # (not even the right one, from there, now)
    ok, message = g.check("right", "right", "198.51.100.7", now=now + 2.1, sleep=waited.append)  # the officer
    assert ok, message
    assert max(waited) <= 3.0


def test_the_server_wide_ceiling_slows_but_never_refuses_a_correct_password():
    g, waited = auth.Guesses(per_second=2, max_wait=3.0), []
    now = 50.0
    for i in range(40):  # forty addresses, one guess each, all at once
        g.check("guess", "right", f"203.0.113.{i}", now=now, sleep=waited.append)
    ok, _ = g.check("right", "right", "198.51.100.7", now=now, sleep=waited.append)
    assert ok and waited[-1] == 3.0  # waited its turn, at most max_wait, then was let in
    assert sorted(waited) == waited  # (each check waits longer than the one before, up to the cap)


def test_addresses_are_forgotten_past_the_most_kept():
    g = auth.Guesses(most_addresses=3)
    for a in "abcde":
        g.throttle(a)
    assert list(g.throttles) == ["c", "d", "e"]


def test_refused_sign_ins_are_written_at_the_1st_10th_and_100th_of_an_hour_per_address():
    r, hour = auth.RefusedSignIns(), 3600 * 500
    written = [n for n in (r.count("a", hour + i) for i in range(150)) if n is not None]
    assert written == [1, 10, 100]
    assert r.count("b", hour + 1) == 1  # another address counts for itself
    assert r.count("a", hour + 3600) == 1  # a new hour starts again
    assert len(r.counts) == 1  # the past hours forgotten


def test_the_audit_log_is_read_from_its_end(tmp_path):
    store = FolderStore(tmp_path / "store")
    for i in range(2000):
        store.log("sign_in_refused", by=f"n{i}")
    with open(tmp_path / "store" / "audit.jsonl", "a", encoding="utf-8") as fh:
        fh.write('{"torn')  # a line torn by a kill
    last = store.audit(last=5)
    assert [e["by"] for e in last][-4:] == [f"n{i}" for i in range(1996, 2000)] and len(last) <= 5  # (torn: out)
    assert len(store.audit()) == 2000


@pytest.mark.parametrize("text,said", [
    ("abc\u202edef", "abc def"), ("a\u0000b\u200fc", "a b c"), ("x" * 100, "x" * 39 + "…"), (None, ""),
    ("  many   spaces ", "many spaces")])
def test_text_quoted_back_is_cleaned_and_short(text, said):
    assert fmt.excerpt(text) == said


@pytest.mark.parametrize("text,n", [("6", 6), ("060", 60), ("61", None), ("0", None), ("²", None), ("٣", None),
                                    ("9" * 100_000, None), ("-1", None), (" 7 ", 7), ("", None), (None, None)])
def test_address_numbers_are_ascii_digits_in_range(text, n):
    assert state.whole(text, 1, 60) == n


def _state(**value):
    from hostile import widget_state

    return widget_state("$$ID-x", **value)


@pytest.mark.parametrize("value,readable", [
    ({"double_value": math.nan}, False), ({"double_value": math.inf}, False), ({"double_value": 6.0}, True),
    ({"json_value": "{not json"}, False), ({"json_value": json.dumps({"width": 800})}, True),
    ({"string_value": "x" * 200_000}, False), ({"int_value": 10**18}, False),
    ({"string_array_value": ["x"] * 5000}, False), ({"string_array_value": ["2026/10/31"]}, True)])
def test_widget_values_no_widget_could_take_are_left_out_whatever_the_widget(value, readable):
    assert guard._readable(_state(**value), None) is readable


def test_a_value_of_another_kind_than_its_widgets_or_that_its_deserializer_refuses_is_left_out():
    from streamlit.proto.BackMsg_pb2 import BackMsg

    class Meta:  # what Streamlit registers for a number input
        value_type = "double_value"

        @staticmethod
        def deserializer(v):
            if v is not None and v < 0:
                raise ValueError("no")
            return v

    assert guard._readable(_state(double_value=6.0), Meta)
    assert not guard._readable(_state(string_value="6"), Meta)  # another kind
    assert not guard._readable(_state(double_value=-1.0), Meta)  # its deserializer refuses it
    msg = BackMsg()
    msg.rerun_script.widget_states.widgets.extend([_state(double_value=math.nan), _state(double_value=2.0)])
    cleaned = BackMsg()
    cleaned.ParseFromString(guard.clean_back_message(msg.SerializeToString(), None))
    assert [w.double_value for w in cleaned.rerun_script.widget_states.widgets] == [2.0]
    untouched = BackMsg()
    untouched.rerun_script.widget_states.widgets.extend([_state(double_value=2.0)])
    assert guard.clean_back_message(untouched.SerializeToString(), None) == untouched.SerializeToString()
