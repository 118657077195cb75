-- Shared definitions, as DuckDB table macros, created on every connection.
-- The named queries in this folder build on them, so each definition of the
-- extract contract is written exactly once.

-- Whether a group counts at date d: the one definition of a counting group, read by every
-- figure of the pages, the trend, the changes between versions and the slides. It counts when
-- it was established by d (or no date is given) and it had not closed by d: its closed_on is
-- after d (it was still working on d, whatever its status now: a group merged or discontinued
-- later counts until then), or it has no closed_on and its status is active.
CREATE OR REPLACE MACRO counts_at(status, established_on, closed_on, d) AS
    (established_on IS NULL OR established_on <= d)
    AND coalesce(closed_on > d, status = 'active', false);

-- Why a group does not count at d (a code of contract.CODE_WORDS["not_counted"]), NULL when it
-- counts: its status (merged, discontinued) when it had closed by d or gives no closing date,
-- else established after d, else closed on or before d.
CREATE OR REPLACE MACRO not_counting_reason(status, established_on, closed_on, d) AS
    CASE WHEN counts_at(status, established_on, closed_on, d) THEN NULL
         WHEN status <> 'active' AND coalesce(closed_on <= d, true) THEN 'status_' || status
         WHEN established_on > d THEN 'established_later'
         ELSE 'closed' END;

-- A pillar's plan as every page and command names it: its plan, or '(no plan named)'.
CREATE OR REPLACE MACRO plan_name(plan) AS coalesce(plan, '(no plan named)');

-- The groups that count at as_of (counts_at).
CREATE OR REPLACE MACRO counting_groups(as_of) AS TABLE
    SELECT * FROM groups WHERE counts_at(status, established_on, closed_on, as_of);

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

-- Institutions that change: the name each organisation counts as at d. From the day its successor
-- took over (organisations.successor, successor_since; chains followed: swgdash.query.db's
-- succession_steps), the successor's; before it, its own. Every figure that counts organisations
-- reads members and attendance through these: a merged ministry's roles, chairs and attendance count
-- as its successor's from the day of the merger.
-- (`since`: the day the name written stopped standing, the first step's; NULL for a successor given
-- without a date, which counts from always)
CREATE OR REPLACE MACRO names_at(d) AS TABLE
    SELECT organisation, arg_max(counts_as, step) AS counts_as,
           CASE WHEN min(since) > DATE '0001-01-01' THEN min(since) END AS since
    FROM org_steps WHERE since <= d GROUP BY organisation;

-- Members named as they count at d (names_at); `formerly` is the name written and `formerly_until`
-- the day its successor took over (both NULL when the name stands).
CREATE OR REPLACE MACRO members_named(d) AS TABLE
    SELECT m.* REPLACE (coalesce(n.counts_as, m.organisation) AS organisation),
           CASE WHEN n.counts_as IS NOT NULL THEN m.organisation END AS formerly,
           n.since AS formerly_until
    FROM members AS m LEFT JOIN names_at(d) AS n ON n.organisation = m.organisation;

-- Attendance named as it counts at d (names_at), one row per meeting and organisation: where a
-- predecessor and its successor were both recorded at one meeting, they are one partner, present
-- when either was. Rows of organisations no renaming touches pass as they are (the query
-- database's attendance columns: swgdash.query.db.DERIVED).
CREATE OR REPLACE MACRO attendance_named(d) AS TABLE
    WITH n AS (SELECT organisation, counts_as FROM names_at(d)),
         touched AS (SELECT organisation AS name FROM n UNION SELECT counts_as FROM n)
    SELECT meeting_id, organisation, present, date, group_id
    FROM attendance WHERE organisation NOT IN (SELECT name FROM touched)
    UNION ALL
    SELECT a.meeting_id, coalesce(n.counts_as, a.organisation) AS organisation,
           bool_or(coalesce(a.present, true)) AS present, any_value(a.date) AS date, any_value(a.group_id) AS group_id
    FROM attendance AS a LEFT JOIN n ON n.organisation = a.organisation
    WHERE a.organisation IN (SELECT name FROM touched)
    GROUP BY ALL;

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
    SELECT g.group_id, g.name, g.kind, g.parent_id, coalesce(cn.counts_as, g.chair_org) AS chair_org,
           CASE WHEN cn.counts_as IS NOT NULL THEN g.chair_org END AS chair_formerly, cn.since AS chair_formerly_until,
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
    LEFT JOIN next_meetings(as_of) AS n USING (group_id)
    LEFT JOIN names_at(as_of) AS cn ON cn.organisation = g.chair_org;  -- (a merged ministry: its successor)

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
    SELECT * FROM members_named(as_of)
    WHERE (start_on IS NULL OR start_on <= as_of) AND (end_on IS NULL OR end_on >= as_of);

-- An action is overdue at as_of when it is due before as_of and not started or still in progress.
CREATE OR REPLACE MACRO is_overdue(due_on, status, as_of) AS
    coalesce(due_on < as_of AND status IN ('not_started', 'in_progress'), false);

-- Written after these from the contract's lists (swgdash.query.db.macros_sql): is_active_role(r),
-- whether a role counts as active participation (contract.ACTIVE_ROLES); role_rank(r), 1 for the
-- highest role (contract.ROLE_RANK); level_recorded(level), a meeting's level with an empty one
-- named as contract.LEVEL_NOT_RECORDED.
