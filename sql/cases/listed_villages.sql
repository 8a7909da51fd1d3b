-- one row per village of the stored reference list: cases of a village not among them are left as they are
SELECT code FROM admin_units WHERE level = 'village' ORDER BY code;
