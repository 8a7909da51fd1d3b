-- rules.case_id of each subject × kind opening its first case (number 0) this month, in the rows' order: the sha256
-- of the same UTF-8 text as Python hashes, its first 12 hex digits upper-cased
SELECT 'K' || $opened_period
       || upper(left(sha256(kind || '|' || subject_key || '|' || $opened_period || '|0'), 12)) AS case_id
FROM fresh_case_keys
ORDER BY row_index;
