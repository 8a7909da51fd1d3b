-- one row per case of derive_events (case_events, or the events of derive_scope's cases: tasks/cases/ledger.py) into
-- the temporary derived_cases (the cases table's columns: db.create_empty_temp): the state of its last event (by
-- seq; superseded decisions aside) beside what its opening fixed; the deadline from $verify_days / $fix_days and the
-- campaign end $campaign_end (NULL: none), and whether an assisting case is a removal candidate: $removal_months
-- consecutive months up to $as_of at or above the monitoring floor, a measure, and labour (latest month) or
-- 兜底保障; overdue_days as of $today. cases/forget_changed, cases/insert_changed and cases/judge bring the cases
-- table to it
INSERT INTO derived_cases BY NAME
WITH openings AS (
    SELECT *, row_number() OVER (PARTITION BY kind, subject_key ORDER BY seq) - 1 AS case_number
    FROM (SELECT * FROM derive_events WHERE event = 'opened'
          -- a case is opened once: a second 'opened' event of its id (a ledger whose cases table a run of
          -- 546ba9f..6a0660f left empty reopened them night after night) would repeat the case in the table
          QUALIFY row_number() OVER (PARTITION BY case_id ORDER BY seq) = 1)
), latest AS (
    SELECT * FROM derive_events
    WHERE event <> 'superseded'     -- an earlier-dated decision imported later: its 'replayed' event, if any, counts
    QUALIFY row_number() OVER (PARTITION BY case_id ORDER BY seq DESC) = 1
), since_active AS (  -- the events of each closed or dismissed case since it was last active (superseded aside)
    SELECT e.case_id, e.seq, e.as_of_period,
           max(CASE WHEN e.status IN ('open', 'confirmed', 'assisting') THEN e.seq END) OVER (PARTITION BY e.case_id) AS active_seq
    FROM derive_events e
    WHERE e.event <> 'superseded'
      AND e.case_id IN (SELECT case_id FROM latest WHERE status IN ('closed', 'dismissed'))
), closing AS (      -- the as-of month each closed in: its first event since it was last active. A decision recorded on
                     -- it since (a 备注 added, an earlier-dated one replayed under the closing) leaves the closing as it
                     -- was, and its month: read from the latest event, a remark imported once the income year turned
                     -- carried a dismissal into the new year, where the household's risk opened no case
    SELECT case_id, arg_min(as_of_period, seq) AS closed_period
    FROM since_active
    WHERE seq > coalesce(active_seq, 0)
    GROUP BY case_id
), due AS (
    SELECT case_id,
           CAST(opened_on + to_days(CASE WHEN kind = 'DATA_ERRORS' THEN $fix_days ELSE $verify_days END) AS DATE) AS standard
    FROM openings
), assisting AS (   -- the households of assisting cases with a measure: the only ones a removal can be judged for
    SELECT DISTINCT o.household_id
    FROM openings o JOIN latest l USING (case_id)
    WHERE l.status = 'assisting' AND coalesce(l.measures, '') <> '' AND o.household_id IS NOT NULL
), above AS (        -- of those, households whose last $removal_months months up to $as_of are all on record and
                     -- above (every household of a case read here took ~1-2 s a run on a province's 500,000 cases)
    SELECT household_id, arg_max_null(labor_count, period) AS labor_count  -- a blank latest count: unknown, no labour
    FROM case_evidence
    WHERE household_id IN (SELECT household_id FROM assisting)
      AND period_index(period) > period_index($as_of) - $removal_months AND period <= $as_of
    GROUP BY household_id
    HAVING count(*) = $removal_months AND bool_and(projected_per_capita >= monitoring_floor)
)
SELECT o.case_id, o.kind, o.subject_key, o.county_code, o.township_code, o.village_code, o.household_id,
       o.subject_period, o.opened_period, o.opened_on,
       CASE WHEN CAST($campaign_end AS DATE) IS NOT NULL AND o.opened_on < CAST($campaign_end AS DATE)
                 AND CAST($campaign_end AS DATE) < d.standard
            THEN CAST($campaign_end AS DATE) ELSE d.standard END     AS deadline,
       l.status, l.conclusion, l.measures, l.actor, l.decided_on, l.note, l.closed_on,
       CASE WHEN l.status IN ('closed', 'dismissed') THEN k.closed_period END AS closed_period,
       l.close_reason, l.evidence_value, o.previous_case_id, o.detail,
       coalesce(l.status = 'assisting' AND coalesce(l.measures, '') <> '' AND a.household_id IS NOT NULL  -- the months above
                AND (a.labor_count >= 1 OR contains(l.measures, '兜底保障')), false) AS is_removal_candidate,
       CAST(o.case_number AS INTEGER)                                  AS case_number,
       CAST($today AS DATE)                                            AS judged_on,
       case_overdue_days(l.status, o.kind, deadline, $today)            AS overdue_days
FROM openings o
JOIN latest l USING (case_id)
JOIN due d USING (case_id)
LEFT JOIN closing k USING (case_id)
LEFT JOIN above a ON a.household_id = o.household_id;
