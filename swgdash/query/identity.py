"""When an id names something else: an action or a group id reused between two versions.

Registers renumber. Between two of the Lao registers twelve action ids were reused (A004 was
"Participation of local decision makers" under R2, then "Capacity building" under R3), and the
preview called it "A004 done → in progress". The rule, written once here and used by the upload
preview (swgdash.query.diff) and by the comparison of versions (swgdash.query.history):

* an **action** id is *replaced* when its recommendation changed, or when its description no
  longer resembles the old one;
* a **group** id is *replaced* when its name no longer resembles the old one *and* its parent
  changed (a group renamed under the same parent, or moved with its name, is the same group).

"Resembles" is measured with the standard library's `difflib.SequenceMatcher` ratio on the
English texts, ignoring case and runs of spaces and punctuation: twice the matching characters
over the characters of both. Texts resemble each other at `SIMILAR_FROM` (0.5) or more: a typo
fixed or a few words added stays well above it ("Hold quarterly meetings" against "Hold
quarterly SWG meetings with minutes": 0.73), two different subjects fall well below it (the
example above: 0.25). docs/extract-format.md says the same.
"""
from __future__ import annotations

import re
from difflib import SequenceMatcher

import pandas as pd

from swgdash.fmt import is_missing

SIMILAR_FROM = 0.5


def _plain(text) -> str:
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    return " ".join(re.sub(r"[\W_]+", " ", str(text).casefold()).split())


def similarity(a, b) -> float:
    """How alike two texts are, from 0 (nothing in common) to 1 (the same, case and spacing aside)."""
    a, b = _plain(a), _plain(b)
    if a == b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _same(a, b) -> bool:
    return (is_missing(a) and is_missing(b)) or (not is_missing(a) and not is_missing(b) and a == b)


def action_replaced(rec_before, rec_after, text_before, text_after) -> bool:
    return not _same(rec_before, rec_after) or similarity(text_before, text_after) < SIMILAR_FROM


def group_replaced(name_before, name_after, parent_before, parent_after) -> bool:
    return similarity(name_before, name_after) < SIMILAR_FROM and not _same(parent_before, parent_after)


def _replaced(before: pd.DataFrame, after: pd.DataFrame, key: str, replaced, named: dict[str, str]) -> pd.DataFrame:
    """The ids (`key`) in both frames that `replaced` says name something else now. `named` maps
    each compared column, before then after (`<column>_0`, `<column>_1`, in `replaced`'s argument
    order), to its name in the result; the result has `key` and those names, by id."""
    both = before.merge(after, on=key, suffixes=("_0", "_1"))
    hit = [replaced(*row) for row in zip(*(both[c] for c in named), strict=True)]
    out = both[pd.Series(hit, index=both.index, dtype=bool)].rename(columns=named)
    return out[[key, *named.values()]].sort_values(key).reset_index(drop=True)


def replaced_actions(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """The action ids of both frames (columns action_id, rec_id, description_en) that name another
    action now: action_id, rec_before, rec_after, before, after (the descriptions)."""
    return _replaced(before, after, "action_id", action_replaced, {
        "rec_id_0": "rec_before", "rec_id_1": "rec_after", "description_en_0": "before", "description_en_1": "after"})


def replaced_groups(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """The group ids of both frames (columns group_id, name_en, parent_id) that name another group
    now: group_id, before, after (the names), parent_before, parent_after."""
    return _replaced(before, after, "group_id", group_replaced, {
        "name_en_0": "before", "name_en_1": "after", "parent_id_0": "parent_before", "parent_id_1": "parent_after"})
