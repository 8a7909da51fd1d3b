-- one row per household: its latest usable return row up to $as_of (quarantined rows and superseded or
-- rejected files are not usable), with what department records are judged against; arg_max over
-- (period, file_id, -source_row) = the row a window ordered by period DESC, file_id DESC, source_row would put first
SELECT household_id, latest.village_code, latest.return_period, latest.head_id_number, latest.household_type,
       latest.household_size, latest.insured_count, latest.dropout_count, latest.housing_safe, latest.water_safe
FROM (
    SELECT household_id,
           arg_max({'village_code': village_code, 'return_period': period, 'head_id_number': head_id_number,
                    'household_type': household_type, 'household_size': household_size,
                    'insured_count': insured_count, 'dropout_count': dropout_count, 'housing_safe': housing_safe,
                    'water_safe': water_safe}, (period, file_id, -source_row)) AS latest
    FROM households_current
    WHERE period <= $as_of AND household_id IS NOT NULL
    GROUP BY household_id
);
