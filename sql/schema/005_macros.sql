-- masking for every page and export (policy.md, Privacy): an ID as its first 6 and last 4
-- characters, a name as its first character plus '*'.
CREATE OR REPLACE MACRO mask_id(id) AS
    CASE WHEN id IS NULL OR id = '' THEN NULL
         WHEN length(id) > 10 THEN left(id, 6) || repeat('*', length(id) - 10) || right(id, 4)
         ELSE repeat('*', length(id)) END;
CREATE OR REPLACE MACRO mask_name(name) AS
    CASE WHEN name IS NULL OR name = '' THEN NULL ELSE left(name, 1) || '*' END;
-- income year of a YYYYMM period: October starts the next income year
CREATE OR REPLACE MACRO income_year_of(period) AS
    CAST(left(period, 4) AS INTEGER) + CASE WHEN CAST(right(period, 2) AS INTEGER) >= 10 THEN 1 ELSE 0 END;
-- month of the income year (October = 1, September = 12)
CREATE OR REPLACE MACRO income_month_of(period) AS
    ((CAST(right(period, 2) AS INTEGER) + 2) % 12) + 1;
-- the calendar month (1–12) of a month of the income year (core.income_year.calendar_month)
CREATE OR REPLACE MACRO calendar_month(income_month) AS
    (income_month + 8) % 12 + 1;
-- the YYYYMM period n months before a YYYYMM period
CREATE OR REPLACE MACRO months_before(period, n) AS
    strftime(strptime(period || '01', '%Y%m%d') - to_months(n), '%Y%m');
-- the YYYYMM period of a month of an income year (core.income_year.period_of)
CREATE OR REPLACE MACRO period_of(income_year, income_month) AS
    CASE WHEN income_month <= 3 THEN format('{}{:02d}', income_year - 1, income_month + 9)
         ELSE format('{}{:02d}', income_year, income_month - 3) END;
