-- The plans the pillars belong to, with how many pillars and alignments each has.
SELECT plan_name(p.plan) AS plan, count(DISTINCT p.pillar_id) AS pillars,
       count(a.group_id) AS alignments
FROM pillars AS p LEFT JOIN alignment AS a USING (pillar_id)
GROUP BY ALL ORDER BY plan;
