-- Shared definitions, as DuckDB table macros, created on every connection.
-- The named queries in this folder build on them, so each definition of the
-- extract contract is written exactly once.

-- A group counts when its status is active and it was not established after as_of.
CREATE OR REPLACE MACRO counting_groups(as_of) AS TABLE
    SELECT * FROM groups
    WHERE status = 'active' AND (established_on IS NULL OR established_on <= as_of);

-- The meetings the figures count: those of the groups that count at as_of (so a total is
-- the sum of its groups' rows). Meetings set aside as data problems are not in `meetings`.
CREATE OR REPLACE MACRO counted_meetings(as_of) AS TABLE
    SELECT m.* FROM meetings AS m SEMI JOIN counting_groups(as_of) AS g USING (group_id);

-- Each group's next meeting: the first still scheduled on or after as_of (meetings only
-- planned are in meetings_planned, never in meetings; swgdash.db.PLANNED).
CREATE OR REPLACE MACRO next_meetings(as_of) AS TABLE
    SELECT group_id, min(date) AS next_meeting
    FROM meetings_planned
    WHERE status = 'scheduled' AND date >= as_of
    GROUP BY group_id;

-- Activity of each counting group. Window starts are computed in Python
-- (swgdash.metrics.months_before) and passed in: both window ends are included.
CREATE OR REPLACE MACRO group_activity(as_of, start_active, start_dormant, start_12) AS TABLE
    WITH m AS (
        SELECT group_id,
               max(date) AS last_meeting,
               count(*) FILTER (WHERE date >= start_active) AS n_active_window,
               count(*) FILTER (WHERE date >= start_dormant) AS n_dormant_window,
               count(*) FILTER (WHERE date >= start_12) AS meetings_12m
        FROM meetings
        WHERE date <= as_of
        GROUP BY group_id
    )
    SELECT g.group_id, g.name, g.kind, g.parent_id, g.chair_org,
           g.planned_meetings_per_year, g.established_on,
           m.last_meeting,
           coalesce(m.meetings_12m, 0) AS meetings_12m,
           CASE WHEN coalesce(m.n_active_window, 0) > 0 THEN 'active'
                WHEN coalesce(m.n_dormant_window, 0) = 0 THEN 'dormant'
                ELSE 'at_risk' END AS activity,
           date_diff('day', m.last_meeting, as_of) AS days_since_last,
           n.next_meeting
    FROM counting_groups(as_of) AS g
    LEFT JOIN m USING (group_id)
    LEFT JOIN next_meetings(as_of) AS n USING (group_id);

-- The top-level group (normally the SWG) above every group.
CREATE OR REPLACE MACRO group_roots() AS TABLE
    WITH RECURSIVE r(group_id, root_id) AS (
        SELECT group_id, group_id FROM groups WHERE parent_id IS NULL
        UNION ALL
        SELECT g.group_id, r.root_id FROM groups AS g JOIN r ON g.parent_id = r.group_id
    )
    SELECT r.group_id, r.root_id, root.name AS root_name
    FROM r JOIN groups AS root ON root.group_id = r.root_id;

-- Memberships that cover as_of: start_on empty or <= as_of, end_on empty or >= as_of.
CREATE OR REPLACE MACRO memberships_at(as_of) AS TABLE
    SELECT * FROM members
    WHERE (start_on IS NULL OR start_on <= as_of) AND (end_on IS NULL OR end_on >= as_of);

-- is_active_role(r), whether a role counts as active participation, is written after
-- these from the contract's one list (swgdash.contract.ACTIVE_ROLES; swgdash.db.macros_sql).
