-- Who funds each group's sectors (issue 33): one row per counting group with sector codes
-- (group_sectors), funding organisation and IATI activity, with what the activity disbursed or spent
-- (transaction types 3 and 4) after $since and up to $as_of in the group's sectors, in US dollars:
-- each transaction split by its sector's percentage (its own sector when it names one; else the
-- activity's, in vocabulary 1 when it has any, else 2) and by the country's share. An organisation
-- funds an activity when it reports it or takes part as funding (1) or extending (3) organisation.
-- Amounts in a currency with no reference rate are `unconverted`, by currency, never dropped.
-- The iati_* tables are the current IATI set's (swgdash.query.funding registers them).
WITH sectors AS (  -- (a code given twice in an activity is one sector, its percentages added)
    SELECT activity, code, sum(percentage) AS percentage
    FROM (SELECT * FROM iati_sectors QUALIFY vocabulary = min(vocabulary) OVER (PARTITION BY activity))
    GROUP BY activity, code
), spent AS (
    SELECT t.tx, t.activity, coalesce(t.sector_code, s.code) AS code, t.usd, t.value, t.currency,
           t.country_share / 100 * CASE WHEN t.sector_code IS NULL THEN s.percentage / 100 ELSE 1 END AS share
    FROM (SELECT row_number() OVER () AS tx, * FROM iati_transactions
          WHERE type IN (3, 4) AND date > $since AND date <= $as_of) AS t
    LEFT JOIN sectors AS s ON t.sector_code IS NULL AND s.activity = t.activity
), codes AS (
    SELECT DISTINCT gs.group_id, gs.dac_code
    FROM group_sectors AS gs JOIN counting_groups($as_of) AS g USING (group_id)
), matched AS (  -- (a transaction's sector counted once for a group, however many of its codes match)
    SELECT DISTINCT c.group_id, sp.tx, sp.activity, sp.code, sp.usd, sp.value, sp.currency, sp.share
    FROM spent AS sp JOIN codes AS c ON starts_with(sp.code, c.dac_code)
    WHERE sp.share > 0
), by_activity AS (
    SELECT group_id, activity, currency, sum(usd * share) AS usd, sum(CASE WHEN usd IS NULL THEN value * share END) AS unconverted
    FROM matched GROUP BY ALL
), funders AS (  -- who reports each activity (0), and who funds or extends it (1)
    SELECT activity, nullif(upper(trim(reporting_org_ref)), '') AS ref, reporting_org_name AS name, 0 AS said_by
    FROM iati_activities
    UNION ALL
    SELECT activity, nullif(upper(trim(ref)), ''), name, 1 FROM iati_participants WHERE role IN (1, 3)
), ref_names AS (  -- one name for each IATI identifier across the set: as its own reports give it, else as others do
    SELECT ref, coalesce(min(name) FILTER (WHERE said_by = 0), min(name)) AS name
    FROM funders WHERE ref IS NOT NULL GROUP BY ref
), register AS (  -- the register's partner of each IATI identifier, as it is named at $as_of
    SELECT r.ref, coalesce(n.counts_as, r.partner) AS partner
    FROM (SELECT upper(trim(iati_ref)) AS ref, min(partner) AS partner FROM organisations
          WHERE nullif(trim(iati_ref), '') IS NOT NULL GROUP BY 1) AS r
    LEFT JOIN names_at($as_of) AS n ON n.organisation = r.partner
), named AS (
    SELECT f.activity, f.ref, coalesce(r.partner, n.name, f.name, f.ref) AS organisation, r.partner IS NOT NULL AS in_register
    FROM funders AS f
    LEFT JOIN register AS r ON r.ref = f.ref
    LEFT JOIN ref_names AS n ON n.ref = f.ref
    WHERE coalesce(f.ref, f.name) IS NOT NULL
), organisations_once AS (  -- each organisation once per activity (its report and its funding role are one)
    SELECT activity, lower(organisation) AS key, arg_max(organisation, in_register) AS organisation,
           bool_or(in_register) AS in_register, min(ref) AS ref
    FROM named GROUP BY activity, lower(organisation)
), by_organisation AS (  -- an organisation written two ways (case) across the set: one name
    SELECT activity, min(organisation) OVER (PARTITION BY key) AS organisation, in_register, ref FROM organisations_once
)
SELECT b.group_id, o.organisation, o.in_register, o.ref, a.iati_identifier, a.title, a.title_lo,
       sum(b.usd) AS usd,
       list({'currency': b.currency, 'value': b.unconverted} ORDER BY b.currency) FILTER (WHERE b.unconverted IS NOT NULL) AS unconverted
FROM by_activity AS b
JOIN by_organisation AS o USING (activity)
JOIN iati_activities AS a USING (activity)
GROUP BY ALL
ORDER BY b.group_id, o.organisation, a.iati_identifier;
