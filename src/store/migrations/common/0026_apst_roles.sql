-- 0026 (issue 19, items 2, 6, 7): the Taskforce Manager and specialist
-- roles, consent on taskforce referrals, and the costs a taskforce actually
-- spent.  Roles are codes in user_roles (apst_manager, apst_specialist), so
-- no table changes for them; a specialist's account is linked to their post
-- here, so "their own" interventions and referrals can be told apart.

ALTER TABLE apst_specialists ADD COLUMN user_id INTEGER REFERENCES users(id);
CREATE INDEX apst_specialists_user ON apst_specialists(user_id);

-- The family's consent to the taskforce's work, or why none is needed:
-- '' not recorded yet; family (a parent or carer); young_person (the pupil's
-- own, as a young person able to give it: a self-referral); safeguarding (a
-- concern: information is shared to protect the child); withdrawn.
-- consent_kinds: the specialist types it covers, one bit per entry of
-- codes_apst_specialist (core/apst.c); a safeguarding concern covers all.
ALTER TABLE apst_referrals ADD COLUMN consent_basis TEXT NOT NULL DEFAULT ''
    CHECK (consent_basis IN ('', 'family', 'young_person', 'safeguarding', 'withdrawn'));
ALTER TABLE apst_referrals ADD COLUMN consent_by TEXT NOT NULL DEFAULT '';
ALTER TABLE apst_referrals ADD COLUMN consent_on TEXT;
ALTER TABLE apst_referrals ADD COLUMN consent_kinds INTEGER NOT NULL DEFAULT 0;
ALTER TABLE apst_referrals ADD COLUMN consent_note TEXT NOT NULL DEFAULT '';

-- Specialists working on a referral besides its lead.
CREATE TABLE apst_referral_staff (
    referral_id    INTEGER NOT NULL REFERENCES apst_referrals(id),
    specialist_id  INTEGER NOT NULL REFERENCES apst_specialists(id),
    created_at     INTEGER NOT NULL,
    PRIMARY KEY (referral_id, specialist_id)
);

-- What a taskforce actually spent, per cost line of the advice's "Costs"
-- table and period, in pence.
CREATE TABLE apst_costs (
    id             INTEGER PRIMARY KEY,
    taskforce_id   INTEGER NOT NULL REFERENCES apst_taskforces(id),
    line           TEXT    NOT NULL CHECK (line IN ('office', 'equipment', 'manager', 'slt', 'specialists', 'holiday')),
    period_from    TEXT    NOT NULL,
    period_to      TEXT    NOT NULL,
    amount_pence   INTEGER NOT NULL CHECK (amount_pence >= 0),
    note           TEXT    NOT NULL DEFAULT '',
    recorded_by    INTEGER REFERENCES users(id),
    created_at     INTEGER NOT NULL
);
CREATE INDEX apst_costs_taskforce ON apst_costs(taskforce_id, period_from);
