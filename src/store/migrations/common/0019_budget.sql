-- The pooled budget and commissioning (issue 20; seed 001: "a pooled budget
-- from across statutory safeguarding agencies ... devolved to TAS level").
-- Money is integer pence everywhere (INTEGER in SQLite; BIGINT in
-- PostgreSQL).  Dates are YYYY-MM-DD text, as elsewhere.  Rules in
-- core/budget.c; SQL in store/q_budget.c.

-- A budget year of one authority's pool: 1 April to 31 March.
CREATE TABLE budget_years (
    id            INTEGER PRIMARY KEY,
    authority_id  INTEGER NOT NULL REFERENCES authorities(id),
    start_year    INTEGER NOT NULL CHECK (start_year BETWEEN 2000 AND 2099),
    label         TEXT    NOT NULL,
    starts_on     TEXT    NOT NULL,
    ends_on       TEXT    NOT NULL,
    created_by    INTEGER REFERENCES users(id),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    UNIQUE (authority_id, start_year)
);

-- What each partner paid into the pool, and when.
CREATE TABLE budget_contributions (
    id            INTEGER PRIMARY KEY,
    year_id       INTEGER NOT NULL REFERENCES budget_years(id),
    partner       TEXT    NOT NULL CHECK (partner IN ('la', 'health', 'police', 'schools')),
    partner_name  TEXT    NOT NULL,
    amount_pence  INTEGER NOT NULL CHECK (amount_pence > 0),
    received_on   TEXT    NOT NULL,
    created_by    INTEGER REFERENCES users(id),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX budget_contributions_year ON budget_contributions(year_id);

-- The pool devolved to teams: one allocation per team and year.
CREATE TABLE budget_allocations (
    id            INTEGER PRIMARY KEY,
    year_id       INTEGER NOT NULL REFERENCES budget_years(id),
    team_id       INTEGER NOT NULL REFERENCES teams(id),
    amount_pence  INTEGER NOT NULL CHECK (amount_pence >= 0),
    created_by    INTEGER REFERENCES users(id),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    UNIQUE (year_id, team_id)
);

-- Limits per role and authority (absent: core/budget.h's defaults): what a
-- budget holder commits without approval, what an approver may approve.
CREATE TABLE budget_limits (
    authority_id  INTEGER NOT NULL REFERENCES authorities(id),
    role          TEXT    NOT NULL CHECK (role IN ('budget_holder', 'budget_approver')),
    limit_pence   INTEGER NOT NULL CHECK (limit_pence >= 0),
    updated_by    INTEGER REFERENCES users(id),
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (authority_id, role)
);

-- The interventions catalogue: what can be commissioned, from whom, at
-- what unit cost, for how many pupils at once, for whom, aiming at which
-- outcomes (outcome_records kinds, migration 0010).
CREATE TABLE interventions (
    id               INTEGER PRIMARY KEY,
    authority_id     INTEGER NOT NULL REFERENCES authorities(id),
    name             TEXT    NOT NULL,
    provider         TEXT    NOT NULL,
    unit             TEXT    NOT NULL CHECK (unit IN ('session', 'week', 'term', 'place_year', 'assessment')),
    unit_cost_pence  INTEGER NOT NULL CHECK (unit_cost_pence > 0),
    capacity         INTEGER NOT NULL CHECK (capacity > 0),
    eligibility      TEXT    NOT NULL DEFAULT '',
    active           INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    UNIQUE (authority_id, name, provider)
);
CREATE TABLE intervention_aims (
    intervention_id  INTEGER NOT NULL REFERENCES interventions(id),
    indicator        TEXT    NOT NULL,
    PRIMARY KEY (intervention_id, indicator)
);

-- Spend committed against an allocation.  A commissioning decision is a
-- commitment naming an intervention and a number of its units.  status:
-- pending (needs an approval: needs holds core/budget.h's enum budget_need
-- bits), committed, refused, cancelled.  Payments are budget_payments.
CREATE TABLE budget_commitments (
    id               INTEGER PRIMARY KEY,
    allocation_id    INTEGER NOT NULL REFERENCES budget_allocations(id),
    description      TEXT    NOT NULL,
    amount_pence     INTEGER NOT NULL CHECK (amount_pence > 0),
    committed_on     TEXT    NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('pending', 'committed', 'refused', 'cancelled')),
    needs            INTEGER NOT NULL DEFAULT 0,
    intervention_id  INTEGER REFERENCES interventions(id),
    units            INTEGER CHECK (units IS NULL OR units > 0),
    requested_by     INTEGER REFERENCES users(id),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX budget_commitments_allocation ON budget_commitments(allocation_id, status);

CREATE TABLE budget_payments (
    id             INTEGER PRIMARY KEY,
    commitment_id  INTEGER NOT NULL REFERENCES budget_commitments(id),
    amount_pence   INTEGER NOT NULL CHECK (amount_pence > 0),
    paid_on        TEXT    NOT NULL,
    reference      TEXT    NOT NULL DEFAULT '',
    recorded_by    INTEGER REFERENCES users(id),
    created_at     INTEGER NOT NULL
);
CREATE INDEX budget_payments_commitment ON budget_payments(commitment_id);

-- Each decision on a pending commitment: who, when, in which role, under
-- which limit, for what amount.
CREATE TABLE budget_approvals (
    id             INTEGER PRIMARY KEY,
    commitment_id  INTEGER NOT NULL REFERENCES budget_commitments(id),
    decision       TEXT    NOT NULL CHECK (decision IN ('approved', 'refused')),
    amount_pence   INTEGER NOT NULL,
    role           TEXT    NOT NULL,
    limit_pence    INTEGER NOT NULL,
    note           TEXT    NOT NULL DEFAULT '',
    decided_by     INTEGER REFERENCES users(id),
    decided_at     INTEGER NOT NULL
);
CREATE INDEX budget_approvals_commitment ON budget_approvals(commitment_id);

-- A pupil placed on an intervention under a commissioning decision, from
-- a TAS action (optional), with the units used so far.
CREATE TABLE placements (
    id              INTEGER PRIMARY KEY,
    commitment_id   INTEGER NOT NULL REFERENCES budget_commitments(id),
    pupil_id        INTEGER NOT NULL REFERENCES pupils(id),
    action_id       INTEGER REFERENCES actions(id),
    starts_on       TEXT    NOT NULL,
    ends_on         TEXT,
    units_used      INTEGER NOT NULL DEFAULT 0 CHECK (units_used >= 0),
    created_by      INTEGER REFERENCES users(id),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX placements_commitment ON placements(commitment_id);
CREATE INDEX placements_pupil ON placements(pupil_id);

-- The cost-benefit view's unit costs per authority (absent: the published
-- defaults in core/budget.c, each with its source).
CREATE TABLE budget_unit_costs (
    authority_id  INTEGER NOT NULL REFERENCES authorities(id),
    cost_key      TEXT    NOT NULL,
    pence         INTEGER NOT NULL CHECK (pence >= 0),
    updated_by    INTEGER REFERENCES users(id),
    updated_at    INTEGER NOT NULL,
    PRIMARY KEY (authority_id, cost_key)
);
