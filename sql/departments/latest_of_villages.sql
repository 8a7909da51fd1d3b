-- into the temporary table latest_found: each (village, household)'s latest usable return row among the months up
-- to $as_of of the villages in the registered frame latest_villages ($every_village: all), and of those the village
-- × months of latest_months ($every_month: all).
-- The latest period per household first (a narrow group-by), then arg_max over (file_id, -source_row) only among
-- that period's rows: the same row as arg_max over (period, file_id, -source_row), five times faster. `named`: the
-- household's latest of these rows whose head's ID is an ID number (18 characters), its ID and place (NULL: none),
-- what household_head_ids is brought forward by (departments/latest_heads).
CREATE OR REPLACE TEMP TABLE latest_found AS
WITH usable AS (
    SELECT * FROM households_current
    WHERE period <= $as_of AND household_id IS NOT NULL
      AND ($every_village OR village_code IN (SELECT village_code FROM latest_villages))
      AND ($every_month OR EXISTS (SELECT 1 FROM latest_months m
                                   WHERE m.village_code = households_current.village_code
                                     AND m.period = households_current.period))
), latest_period AS (
    SELECT village_code, household_id, max(period) AS period,
           arg_max({'head_id_number': head_id_number, 'period': period, 'file_id': file_id, 'source_row': source_row},
                   (period, file_id, -source_row)) FILTER (WHERE length(head_id_number) = 18) AS named
    FROM usable GROUP BY village_code, household_id
)
SELECT village_code, household_id, latest.period, latest.file_id, latest.source_row, latest.head_id_number,
       latest.household_type, latest.household_size, latest.insured_count, latest.dropout_count,
       latest.housing_safe, latest.water_safe, named
FROM (
    SELECT u.village_code, u.household_id,
           arg_max({'period': u.period, 'file_id': u.file_id, 'source_row': u.source_row,
                    'head_id_number': u.head_id_number, 'household_type': u.household_type,
                    'household_size': u.household_size, 'insured_count': u.insured_count,
                    'dropout_count': u.dropout_count, 'housing_safe': u.housing_safe, 'water_safe': u.water_safe},
                   (u.file_id, -u.source_row)) AS latest,
           any_value(l.named) AS named
    FROM usable u
    JOIN latest_period l USING (village_code, household_id, period)
    GROUP BY u.village_code, u.household_id
);
