-- year-end amount of one income component from its year-to-date amount (policy.md, Income): the actual at
-- month 12; the year-to-date amount over the seasonal share reached by the month; where that share is
-- tiny (a quarterly subsidy not yet paid), the year-to-date amount plus the rest of last year's amount,
-- or, with no last year on record, the amount over the smallest trusted share.
CREATE OR REPLACE MACRO project_component(ytd, share, last_year_amount, income_month, share_min) AS
    CASE WHEN income_month = 12 THEN ytd
         WHEN share >= share_min THEN ytd / share
         WHEN last_year_amount IS NOT NULL THEN ytd + (1 - share) * last_year_amount
         ELSE ytd / share_min END;
-- year-to-date amount of a month with no return, from the months before (b) and after (a) it: between
-- them along the seasonal shares (sb, s, sa at before, this and after month); from one of them alone,
-- scaled by the shares when the neighbour's share can be trusted (>= share_min), else carried over.
CREATE OR REPLACE MACRO estimate_ytd(b, a, sb, s, sa, share_min) AS
    CASE WHEN b IS NOT NULL AND a IS NOT NULL
              THEN b + (a - b) * coalesce(least(greatest((s - sb) / nullif(sa - sb, 0), 0), 1), 0.5)
         WHEN b IS NOT NULL AND sb >= share_min THEN b * s / sb
         WHEN b IS NOT NULL THEN b
         WHEN a IS NOT NULL AND sa >= share_min THEN a * s / sa
         ELSE 0 END;
