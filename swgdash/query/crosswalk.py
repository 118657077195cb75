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
    # the crosswalk's rows between the two plans: from_pillar_id, from_name, to_pillar_id, to_name, note,
    # and from_pillar and to_pillar (each id and name)
    mapping: pd.DataFrame

    @property
    def carried(self) -> pd.DataFrame:
        """Each counting group carried to a new pillar (not aligned to it directly): pillar_id, pillar
        (its id and name), group_id, name, activity; by pillar, then group."""
        names = dict(zip(self.pillars["pillar_id"], self.pillars["name"], strict=True))
        rows = [(pid, gid) for pid, ids in zip(self.pillars["pillar_id"], self.pillars["carried"], strict=True)
                for gid in ids]
        links = pd.DataFrame(rows, columns=["pillar_id", "group_id"])
        out = links.merge(self.groups[["group_id", "name", "activity"]], on="group_id", how="left")
        out.insert(1, "pillar", [f"{pid} {names[pid]}" for pid in out["pillar_id"]])
        return out

    @property
    def to_realign(self) -> pd.DataFrame:
        """Counting groups aligned to some pillar of the old plan and to none of the new one."""
        g = self.groups
        return g[g["old_pillars"].map(len).gt(0) & g["new_pillars"].map(len).eq(0)]

    def realigned(self, alignment: pd.DataFrame) -> pd.DataFrame:
        """The alignment table (group_id, pillar_id, primary) with, for each group to realign, a row per
        new pillar the crosswalk suggests (the first its primary): what the realignment worksheet offers
        to confirm or change. Rows already there stay as they are, the suggested ones after them."""
        rows = [{"group_id": gid, "pillar_id": pid, "primary": i == 0}
                for gid, suggested in zip(self.to_realign["group_id"], self.to_realign["suggested"], strict=True)
                for i, pid in enumerate(suggested)]
        added = pd.DataFrame(rows, columns=["group_id", "pillar_id", "primary"])
        return pd.concat([alignment[["group_id", "pillar_id", "primary"]], added], ignore_index=True)

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


def _ordered(periods: dict[str, metrics.Period]) -> list[str]:
    """The plans with periods, by their start."""
    return sorted(periods, key=lambda name: (periods[name][0], name))


def plan_pair(db: Cursor, as_of: dt.date) -> tuple[str, str] | None:
    """The default pair: from the plan before the one in force at `as_of` (by their start) to the one
    in force at `as_of`, else the latest; None when the extract does not have two plans with periods."""
    periods = metrics.plan_periods(db)
    ordered = _ordered(periods)
    if len(ordered) < 2:
        return None
    in_force = [name for name in ordered if periods[name][0] <= as_of <= periods[name][1]]
    to_plan = in_force[-1] if in_force else ordered[-1]
    earlier = ordered[:ordered.index(to_plan)]
    return (earlier[-1], to_plan) if earlier else None


def carry_over(db: Cursor, p: metrics.Params, from_plan: str | None = None, to_plan: str | None = None) -> CarryOver:
    """The carry-over between two plans at p.as_of. Neither given: plan_pair. Only the new plan given:
    from the plan before it (by start); only the old one: to the plan in force (else the latest), or,
    when that is not later than it, the plan after it. An unknown plan, the same plan twice, or no
    plan to default to is an UnknownPlan naming the plans there are."""
    plans = metrics.plans(db)
    listed = ", ".join(plans) or "none"
    for asked in (from_plan, to_plan):
        if asked is not None and asked not in plans:
            raise UnknownPlan(f"there is no plan '{asked}'; the plans are: {listed}")
    ordered = _ordered(metrics.plan_periods(db))
    if from_plan is None and to_plan is None:
        pair = plan_pair(db, p.as_of)
        if pair is None:
            why = (f"no plan starts before the one in force on {p.as_of}" if len(ordered) >= 2 else
                   "fewer than two plans have periods (plan_start, plan_end or years in the name) to order them by")
            raise UnknownPlan(f"{why}: name the plans with --from and --to; the plans are: {listed}")
        from_plan, to_plan = pair
    elif from_plan is None:
        before = ordered[:ordered.index(to_plan)] if to_plan in ordered else []
        if not before:
            raise UnknownPlan(f"no plan starts before '{to_plan}': name it with --from; the plans are: {listed}")
        from_plan = before[-1]
    elif to_plan is None:
        pair = plan_pair(db, p.as_of)
        later = ordered[ordered.index(from_plan) + 1:] if from_plan in ordered else []
        to_plan = pair[1] if pair is not None and pair[1] in later else (later[0] if later else None)
        if to_plan is None:
            raise UnknownPlan(f"no plan starts after '{from_plan}': name it with --to; the plans are: {listed}")
    assert from_plan is not None and to_plan is not None
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
    mapping = db.query("crosswalk_map", **params)
    for side in ("from", "to"):  # (each pillar as its id and name, in the reader's language)
        mapping[f"{side}_pillar"] = [f"{i} {n}" for i, n in zip(mapping[f"{side}_pillar_id"], mapping[f"{side}_name"],
                                                                strict=True)]
    return CarryOver(from_plan, to_plan, p.as_of, pillars, db.query("crosswalk_unmapped", **params),
                     db.query("crosswalk_groups", **params), mapping)


def default_carry_over(db: Cursor, p: metrics.Params) -> CarryOver | None:
    """The carry-over between the default pair of plans (plan_pair) at p.as_of, None without one."""
    pair = plan_pair(db, p.as_of)
    return carry_over(db, p, *pair) if pair is not None else None
