"""An id reused for something else (issue 28): named as replaced, never as a change of the old one."""
import datetime as dt
import json

import pytest

from factories import group, meeting, run_cli, write_csv
from swgdash.ingest.validate import validate_paths
from swgdash.query import diff, identity
from swgdash.store import FolderStore


@pytest.mark.parametrize("before,after,replaced", [
    (("R2", "Participation of local decision makers"), ("R3", "Capacity building"), True),   # both changed
    (("R2", "Participation of local decision makers"), ("R2", "Capacity building"), True),   # text unrelated
    (("R2", "Capacity building"), ("R3", "Capacity building"), True),                        # moved to another rec
    (("R2", "Hold quarterly meetings"), ("R2", "Hold quarterly SWG meetings with minutes"), False),  # reworded
    (("R2", "Participation of local decision-makers"), ("R2", "participation of local  decision makers"), False),
])
def test_an_action_is_replaced_when_its_recommendation_or_its_subject_changed(before, after, replaced):
    assert identity.action_replaced(before[0], after[0], before[1], after[1]) is replaced


def test_the_similarity_threshold_is_a_boundary():
    a, b = "abcd", "abxy"  # 2*2/8 = 0.5: resembles (at the threshold)
    assert identity.similarity(a, b) == identity.SIMILAR_FROM
    assert not identity.action_replaced("R1", "R1", a, b)
    assert identity.action_replaced("R1", "R1", "abcd", "axyz")  # 0.25


@pytest.mark.parametrize("name_after,parent_after,replaced", [
    ("Gender Equality Sub-SWG", "SWG-MACRO", True),        # name and parent both changed
    ("Gender Equality Sub-SWG", "SWG-HEALTH", False),      # renamed, same parent
    ("Sub-SWG on Health Financing", "SWG-MACRO", False),   # moved, same name
    ("Sub-SWG on Health Financing (new)", None, False),    # similar name, made top-level
])
def test_a_group_is_replaced_only_when_its_name_and_its_parent_changed(name_after, parent_after, replaced):
    assert identity.group_replaced("Sub-SWG on Health Financing", name_after, "SWG-HEALTH", parent_after) is replaced


def _register(folder, actions, groups=None):
    write_csv(folder, "groups", groups or [group("SWG-A"), group("SUB-1", kind="sub_swg", parent_id="SWG-A",
                                                                name="Sub-SWG on Health Financing")])
    write_csv(folder, "meetings", [meeting("M1", "SWG-A", "2026-09-01")])
    write_csv(folder, "recommendations", [{"rec_id": r, "title": f"Rec {r}"} for r in ("R2", "R3")])
    write_csv(folder, "actions", actions)
    return validate_paths([folder])


OLD = [{"action_id": "A003", "rec_id": "R2", "description": "Participation of local decision makers", "status": "done"},
       {"action_id": "A004", "rec_id": "R2", "description": "Hold quarterly meetings", "status": "not_started"}]
NEW = [{"action_id": "A003", "rec_id": "R3", "description": "Capacity building", "status": "in_progress"},
       {"action_id": "A004", "rec_id": "R2", "description": "Hold quarterly SWG meetings with minutes", "status": "done"}]


def test_the_preview_and_changes_name_a_reused_action_id_not_a_status_change(tmp_path):
    store = FolderStore(tmp_path / "store")
    store.publish(_register(tmp_path / "one", OLD), dt.date(2026, 9, 30))
    groups = [group("SWG-A"), group("SWG-B"), group("SUB-1", kind="sub_swg", parent_id="SWG-B", name="Gender Equality")]
    later = _register(tmp_path / "two", NEW, groups)
    p = diff.preview(store.current(), later.tables, dt.date(2026, 10, 31))
    assert p.actions_replaced["action_id"].tolist() == ["A003"]
    assert p.actions_replaced.iloc[0][["before", "after"]].tolist() == ["Participation of local decision makers",
                                                                         "Capacity building"]
    assert p.status_changes["action_id"].tolist() == ["A004"]  # reworded: still the same action, done now
    assert p.groups_replaced["group_id"].tolist() == ["SUB-1"] and p.groups_renamed.empty
    store.publish(later, dt.date(2026, 10, 31))
    code, out = run_cli("--home", str(tmp_path / "store"), "changes", "--json")
    doc = json.loads(out)
    assert code == 0
    assert doc["actions"]["replaced"] == ["A003"] and doc["groups"]["replaced"] == ["SUB-1"]
    assert [r["action_id"] for r in doc["actions"]["status_changed"]] == ["A004"]
    assert doc["groups"]["renamed"] == [] and "A003" not in doc["actions"]["added"] + doc["actions"]["removed"]


def test_a_reused_id_starts_its_status_history_again(tmp_path):
    from swgdash.query import history

    store = FolderStore(tmp_path / "store")
    store.publish(_register(tmp_path / "one", OLD), dt.date(2026, 9, 30))
    store.publish(_register(tmp_path / "two", NEW), dt.date(2026, 10, 31))
    said = history.status_histories(store.versions())
    assert "id reused for another action in version 2" in said["A003"] and "in progress" in said["A003"]
    assert "reused" not in said["A004"] and "done in version 2" in said["A004"]  # reworded: the same action


def test_a_reused_id_is_listed_as_replaced_only_never_as_done_or_overdue(tmp_path):
    store = FolderStore(tmp_path / "store")
    store.publish(_register(tmp_path / "one", OLD), dt.date(2026, 9, 30))
    done_now = [dict(NEW[0], status="done"), dict(NEW[1], due_on="2026-10-01", status="not_started")]
    done_now[1]["action_id"] = "A005"  # (an action really added, overdue: listed as added and newly overdue)
    store.publish(_register(tmp_path / "two", done_now), dt.date(2026, 10, 31))
    doc = json.loads(run_cli("--home", str(tmp_path / "store"), "changes", "--json")[1])
    assert doc["actions"]["replaced"] == ["A003"]
    assert "A003" not in doc["actions"]["done_since"] + doc["actions"]["newly_overdue"] + doc["actions"]["added"]
    assert doc["actions"]["added"] == ["A005"] and doc["actions"]["newly_overdue"] == ["A005"]
