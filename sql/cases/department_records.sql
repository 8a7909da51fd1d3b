-- one row per (DEPT_<event>, household, month, event date) among the households of $household_ids with a record
-- of that event in the current version of a department file of the months $first_period..$as_of, naming one of its
-- people (a member on the roster, or a head a return of it names): a DEPT case none of whose records (by the event
-- dates its detail quotes, in its income year) is here had them withdrawn by a correction; one whose record is here
-- only made no finding this month. A record sent again with an error in a cell (quarantined: its amount mistyped)
-- is still sent, not withdrawn
WITH people AS (
    SELECT id_number, household_id FROM registry_members WHERE list_contains($household_ids, household_id)
    UNION
    SELECT head_id_number, household_id FROM return_rows
    WHERE list_contains($household_ids, household_id) AND head_id_number IS NOT NULL
)
SELECT DISTINCT 'DEPT_' || r.event AS kind, p.household_id, r.period, strftime(r.event_date, '%Y-%m-%d') AS event_date
FROM department_rows r
JOIN current_department_files c USING (file_id)
JOIN people p ON p.id_number = r.id_number
WHERE r.period BETWEEN $first_period AND $as_of;
