-- one row per household: its latest usable return row up to $as_of (quarantined rows and superseded or
-- rejected files are not usable), with what department records are judged against
SELECT household_id, village_code, period AS return_period, head_id_number, household_type, household_size,
       insured_count, dropout_count, housing_safe, water_safe
FROM households_current
WHERE period <= $as_of AND household_id IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY household_id ORDER BY period DESC, file_id DESC, source_row) = 1;
