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
-- the share of a year's amount of a component reached by a year-to-date amount, clamped to [0, 1] as an exact
-- decimal; NULL where the year had none of it (no observation of its calendar: greatest() would pass over the NULL
-- ratio and make it 0, a calendar in which nothing ever comes)
CREATE OR REPLACE MACRO year_share(ytd, year_amount) AS
    CASE WHEN year_amount <> 0 THEN least(greatest(ytd / year_amount, 0), 1)::DECIMAL(18, 12) END;
-- a share learned from n observations (mean observed), shrunk toward a wider calendar's share with the weight of
-- k observations: (n × observed + k × wider) / (n + k); the wider share alone where nothing was observed.
CREATE OR REPLACE MACRO shrink(n, observed, wider, k) AS
    CASE WHEN coalesce(n, 0) = 0 THEN wider ELSE (n * observed + k * wider) / (n + k) END;
-- year-end amount of one income component by the household's own calendar (policy.md, Income; README
-- "Projection"): the actual at month 12; else the year to date plus the rest of the year, the rest being
-- (1 − share) × the year's amount estimated from both this year's pace and last year's amount, the pace
-- weighing share / (share + blend): a lump whose usual month has not come (share near 0) is last year's amount
-- still to come, not a drop. With no last year on record: the year to date over the share (at least share_min).
CREATE OR REPLACE MACRO project_calendar(ytd, share, last_year_amount, income_month, share_min, blend) AS
    CASE WHEN income_month = 12 THEN ytd
         WHEN last_year_amount IS NULL THEN ytd / greatest(share, share_min)
         ELSE ytd + (1 - share) * (ytd + blend * last_year_amount) / (share + blend) END;
-- one edge of a projection's band (README "Band"): the projection plus its magnitude × the county's scaled
-- error at that quantile (projection_bands) over √(the household's history years + the month's history prior
-- (history_priors, months 1–11)); with no backtest to learn from, default_scaled (default_scaled_error); month
-- 12 is the actual, no band. The error is in what is still to come, so the edge is also × remaining
-- (remaining_share) ^ power.
CREATE OR REPLACE MACRO band_edge(projected, scaled_error, history_years, history_priors, default_scaled,
                                  income_month, remaining, power) AS
    projected + abs(projected) * coalesce(scaled_error, default_scaled, 0)
                                 * pow(remaining, power)
                                 / sqrt(history_years + coalesce(list_extract(history_priors, income_month), 1));
-- the scaled error of a band edge while its county has no backtest (its first year with an earlier one to learn
-- from): the month's entry (months 1–11) of per_spread (band_default_spread_low/high) × the county's
-- year-over-year spread at that month (year_over_year_spread), else, with no spread or no per_spread, the month's
-- entry of constant (band_default_low/high).
CREATE OR REPLACE MACRO default_scaled_error(per_spread, spread, constant, income_month) AS
    coalesce(list_extract(per_spread, income_month) * spread, list_extract(constant, income_month));
-- a household's year-to-date per-capita against the same month of the previous income year, as a log ratio;
-- NULL unless both are above 0.
CREATE OR REPLACE MACRO year_over_year_change(ytd_per_capita, last_ytd_per_capita) AS
    CASE WHEN ytd_per_capita > 0 AND last_ytd_per_capita > 0 THEN ln(ytd_per_capita / last_ytd_per_capita) END;
-- the month through which two income years' years to date are compared at month income_month (SUDDEN_DROP's and
-- 稳岗就业's wages, the first year's band spread): the month itself, but from the earlier of this year's and last
-- year's Spring Festival wage months (festival_months) up to the later, where one year's year to date holds the
-- festival's wages and the other's does not yet, the month before the earlier one (the last month neither holds
-- them; 0 where that is before October); the month itself when a year's festival month is unknown.
CREATE OR REPLACE MACRO festival_matched_month(income_month, festival_month, last_festival_month) AS
    CASE WHEN income_month >= least(festival_month, last_festival_month)
              AND income_month < greatest(festival_month, last_festival_month)
         THEN least(festival_month, last_festival_month) - 1
         ELSE income_month END;
-- the month whose year-over-year spread stands for month income_month's: festival_matched_month, NULL where that is
-- before month 1.
CREATE OR REPLACE MACRO spread_month(income_month, festival_month, last_festival_month) AS
    nullif(festival_matched_month(income_month, festival_month, last_festival_month), 0);
-- (an aggregate) the 10–90 % spread of a county's year_over_year_change at a month: how much its households' years
-- differ from their last, known at the month, which the first year's band is in proportion to; NULL with fewer
-- than min_count households to measure it on.
CREATE OR REPLACE MACRO year_over_year_spread(change, min_count) AS
    CASE WHEN count(change) >= min_count THEN quantile_cont(change, 0.9) - quantile_cont(change, 0.1) END;
-- the share of a projected year-end per-capita still to come after the year to date, at least floor (a household
-- whose projection is all but reached may still be paid or lose something), at most 1; 1 where the projection is
-- not above 0 or the year to date unknown.
CREATE OR REPLACE MACRO remaining_share(ytd_per_capita, projected_per_capita, floor) AS
    CASE WHEN projected_per_capita > 0 AND ytd_per_capita IS NOT NULL  -- greatest() would pass over a NULL
         THEN least(greatest(1 - ytd_per_capita / projected_per_capita, floor), 1) ELSE 1 END;
-- the scaled error a household's band edge uses (projection_bands): a new household's (history years 0) from the new
-- households' own backtest errors where the county had enough of them, else the county's for everybody.
CREATE OR REPLACE MACRO band_scaled_error(general, new_household, history_years) AS
    CASE WHEN history_years = 0 AND new_household IS NOT NULL THEN new_household ELSE general END;
