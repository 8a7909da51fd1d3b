-- one row per household of the registered frame candidate_households: its latest usable return row up to the
-- as-of month (household_latest, brought up to it by tasks/departments/latest.refresh), with what department
-- records are judged against; a household listed under two villages' files takes the later of their rows
SELECT household_id, latest.village_code, latest.return_period, latest.head_id_number, latest.household_type,
       latest.household_size, latest.insured_count, latest.dropout_count, latest.housing_safe, latest.water_safe
FROM (
    SELECT household_id,
           arg_max({'village_code': village_code, 'return_period': period, 'head_id_number': head_id_number,
                    'household_type': household_type, 'household_size': household_size,
                    'insured_count': insured_count, 'dropout_count': dropout_count,
                    'housing_safe': housing_safe, 'water_safe': water_safe}, (period, file_id, -source_row)) AS latest
    FROM household_latest
    WHERE household_id IN (SELECT household_id FROM candidate_households)
    GROUP BY household_id
);
