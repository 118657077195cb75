"""The carry-over from one national plan to the next (issue 32): for each pillar of the new plan, the
counting groups aligned to it directly and those carried to it by the extract's crosswalk
(`pillar_map`: an old pillar maps to one or more new ones), how many of them function, and where
the new plan has gaps before and after realignment; the old pillars mapped to nothing; and the
groups to realign (aligned to the old plan only). `crosswalk --json`, /alignment, the slide
"Ready for the new plan" and the realignment worksheet all read `carry_over`."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from swgdash.errors import UnknownPlan
from swgdash.query import metrics
from swgdash.query.db import Cursor


@dataclass(frozen=True)
class CarryOver:
    from_plan: str
    to_plan: str
    as_of: dt.date
    # per pillar of the new plan: pillar_id, name, direct, carried (sorted lists of group ids), their
    # counts n_direct and n_carried, functioning_direct, functioning_carried, functioning (both),
    # not_functioning, gap_before (no functioning group aligned directly) and gap (none functioning)
    pillars: pd.DataFrame
    unmapped: pd.DataFrame  # pillar_id, name: old pillars mapped to no pillar of the new plan
    # every counting group: group_id, name, kind, activity, chair_org, old_pillars, new_pillars, suggested
    groups: pd.DataFrame

    @property
    def to_realign(self) -> pd.DataFrame:
        """Counting groups aligned to some pillar of the old plan and to none of the new one."""
        g = self.groups
        return g[g["old_pillars"].map(len).gt(0) & g["new_pillars"].map(len).eq(0)]

    def document(self) -> dict:
        """The `crosswalk --json` document (its keys are a public contract: extend, never rename)."""
        return {
            "from_plan": self.from_plan,
            "to_plan": self.to_plan,
            "as_of": self.as_of.isoformat(),
            "pillars": [{"pillar_id": r["pillar_id"], "direct": list(r["direct"]), "carried": list(r["carried"]),
                         "functioning": int(r["functioning"]), "gap": bool(r["gap"])}
                        for r in self.pillars.to_dict("records")],
            "unmapped": sorted(self.unmapped["pillar_id"]),
            "to_realign": sorted(self.to_realign["group_id"]),
        }


def plan_pair(db: Cursor, as_of: dt.date) -> tuple[str, str] | None:
    """The default pair: from the plan before the one in force at `as_of` (by their start) to the one
    in force at `as_of`, else the latest; None when the extract does not have two plans with periods."""
    periods = metrics.plan_periods(db)
    ordered = sorted(periods, key=lambda name: (periods[name][0], name))
    if len(ordered) < 2:
        return None
    in_force = [name for name in ordered if periods[name][0] <= as_of <= periods[name][1]]
    to_plan = in_force[-1] if in_force else ordered[-1]
    earlier = ordered[:ordered.index(to_plan)]
    return (earlier[-1], to_plan) if earlier else None


def carry_over(db: Cursor, p: metrics.Params, from_plan: str | None = None, to_plan: str | None = None) -> CarryOver:
    """The carry-over between two plans at p.as_of (defaults: plan_pair). An unknown plan, the same
    plan twice, or no pair to default to is an UnknownPlan naming the plans there are."""
    plans = metrics.plans(db)
    for asked in (from_plan, to_plan):
        if asked is not None and asked not in plans:
            raise UnknownPlan(f"there is no plan '{asked}'; the plans are: {', '.join(plans) or 'none'}")
    if from_plan is None or to_plan is None:
        pair = plan_pair(db, p.as_of)
        if pair is None and (from_plan is None) == (to_plan is None):
            raise UnknownPlan(f"no plan before the one in force on {p.as_of} to go from: name the plans with "
                              f"--from and --to; the plans are: {', '.join(plans) or 'none'}")
        if pair is None:  # one given: the other is the plan before or after it
            pair = _around(plans, from_plan, to_plan)
        from_plan = from_plan or pair[0]
        to_plan = to_plan or pair[1]
    if from_plan == to_plan:
        raise UnknownPlan(f"a crosswalk goes from one plan to another; both are '{from_plan}'")
    params = p.sql(from_plan=from_plan, to_plan=to_plan)
    pillars = db.query("crosswalk_pillars", **params)
    pillars["n_direct"] = pillars["direct"].map(len)
    pillars["n_carried"] = pillars["carried"].map(len)
    pillars["functioning_carried"] = pillars["functioning"] - pillars["functioning_direct"]
    pillars["not_functioning"] = pillars["n_direct"] + pillars["n_carried"] - pillars["functioning"]
    pillars["gap_before"] = pillars["functioning_direct"] == 0
    pillars["gap"] = pillars["functioning"] == 0
    return CarryOver(from_plan, to_plan, p.as_of, pillars, db.query("crosswalk_unmapped", **params),
                     db.query("crosswalk_groups", **params))


def default_carry_over(db: Cursor, p: metrics.Params) -> CarryOver | None:
    """The carry-over between the default pair of plans (plan_pair) at p.as_of, None without one."""
    return carry_over(db, p) if plan_pair(db, p.as_of) is not None else None


def _around(plans: list[str], from_plan: str | None, to_plan: str | None) -> tuple[str, str]:
    """With one plan given and no dated pair: the other plan, when there is exactly one."""
    others = [name for name in plans if name not in (from_plan, to_plan)]
    if len(others) != 1:
        raise UnknownPlan(f"name both plans with --from and --to; the plans are: {', '.join(plans)}")
    return (from_plan or others[0], to_plan or others[0])
