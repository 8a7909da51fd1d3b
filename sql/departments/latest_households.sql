-- one row per household of the registered frame candidate_households: its latest usable return row up to $as_of
-- (quarantined rows and superseded or rejected files are not usable), with what department records are judged
-- against. The latest period per household first (a narrow group-by), then arg_max over (file_id, -source_row)
-- only among that period's rows: the same row as arg_max over (period, file_id, -source_row) on the whole
-- history, five times faster.
WITH usable AS (
    SELECT * FROM households_current
    WHERE period <= $as_of AND household_id IS NOT NULL
      AND household_id IN (SELECT household_id FROM candidate_households)
), latest_period AS (
    SELECT household_id, max(period) AS period FROM usable GROUP BY household_id
)
SELECT household_id, latest.village_code, latest.return_period, latest.head_id_number, latest.household_type,
       latest.household_size, latest.insured_count, latest.dropout_count, latest.housing_safe, latest.water_safe
FROM (
    SELECT u.household_id,
           arg_max({'village_code': u.village_code, 'return_period': u.period, 'head_id_number': u.head_id_number,
                    'household_type': u.household_type, 'household_size': u.household_size,
                    'insured_count': u.insured_count, 'dropout_count': u.dropout_count,
                    'housing_safe': u.housing_safe, 'water_safe': u.water_safe}, (u.file_id, -u.source_row)) AS latest
    FROM usable u
    JOIN latest_period l ON l.household_id = u.household_id AND l.period = u.period
    GROUP BY u.household_id
);
