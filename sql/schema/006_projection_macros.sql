-- year-end amount of one income component from its year-to-date amount (policy.md, Income): the actual at
-- month 12; the year-to-date amount over the seasonal share reached by the month; where that share is
-- tiny (a quarterly subsidy not yet paid), the year-to-date amount plus the rest of last year's amount,
-- or, with no last year on record, the amount over the smallest trusted share.
CREATE OR REPLACE MACRO project_component(ytd, share, last_year_amount, income_month, share_min) AS
    CASE WHEN income_month = 12 THEN ytd
         WHEN share >= share_min THEN ytd / share
         WHEN last_year_amount IS NOT NULL THEN ytd + (1 - share) * last_year_amount
         ELSE ytd / share_min END;
