-- as cases_derived records them: the events up to its last seq and the cases table's rows as they are now
SELECT r.derived_with, r.events, r.last_seq, r.cases,
       (SELECT count(*) FROM case_events WHERE seq <= r.last_seq)              AS events_now,
       (SELECT count(*) || '/' || coalesce(sum(hash(cases)), 0) FROM cases)   AS cases_now
FROM cases_derived r;
