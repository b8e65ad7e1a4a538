-- Lunchtime exclusions as outcome records of their own kind (issue 17):
-- the school census's exclusion category LNCH, kept apart from suspensions
-- so that they do not change the suspension figures.  The same history as
-- SQLite's 0034, which rebuilds the table; here the CHECK is replaced.
ALTER TABLE outcome_records DROP CONSTRAINT outcome_records_kind_check;
ALTER TABLE outcome_records ADD CONSTRAINT outcome_records_kind_check
    CHECK (kind IN ('attendance', 'suspension', 'exclusion', 'part_time', 'ehc_assessment', 'ehc_plan',
                    'social_care', 'ap_placement', 'post16', 'fsm', 'pupil_premium', 'eal', 'lunchtime'));
