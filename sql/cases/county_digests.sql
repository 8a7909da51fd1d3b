-- one row per county with cases: a digest of its cases as a county page shows them (every column, the day they were
-- judged on and the days overdue included), so that a rerun also renders the pages of the counties whose cases its
-- ledger update changed (flows/nightly.pages_judged)
SELECT county_code, md5(string_agg(CAST(c AS VARCHAR), '|' ORDER BY c.case_id)) AS digest
FROM cases c
GROUP BY county_code
ORDER BY county_code;
