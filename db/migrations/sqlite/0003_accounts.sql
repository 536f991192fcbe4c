-- Coordinators' accounts, their grants, one-time links, sign-in throttling, the audit log and
-- the mail outbox. Times are UTC, stored as RFC 3339 text.

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    -- Lower-cased at parse time, so the unique index is case-insensitive in effect.
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL DEFAULT '',
    -- NULL until the invitation link has been used to choose a password.
    password_hash TEXT,
    locale TEXT NOT NULL DEFAULT 'en',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- One row per role a user holds: the network administrator role, or coordination of one city or
-- one cluster. Exactly the scope that matches the kind is set.
CREATE TABLE grants (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('admin', 'city', 'cluster')),
    city_id INTEGER REFERENCES cities (id) ON DELETE CASCADE,
    cluster_id INTEGER REFERENCES clusters (id) ON DELETE CASCADE,
    granted_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    granted_at TEXT NOT NULL,
    CHECK (
        (kind = 'admin' AND city_id IS NULL AND cluster_id IS NULL)
        OR (kind = 'city' AND city_id IS NOT NULL AND cluster_id IS NULL)
        OR (kind = 'cluster' AND cluster_id IS NOT NULL AND city_id IS NULL)
    )
);
CREATE UNIQUE INDEX grants_admin ON grants (user_id) WHERE kind = 'admin';
CREATE UNIQUE INDEX grants_city ON grants (user_id, city_id) WHERE kind = 'city';
CREATE UNIQUE INDEX grants_cluster ON grants (user_id, cluster_id) WHERE kind = 'cluster';

-- Links sent by mail (invitation, password reset, e-mail change). Only a SHA-256 of the token
-- is kept, so a copy of the database cannot be used to take over accounts.
CREATE TABLE account_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('invite', 'reset', 'email')),
    token_hash TEXT NOT NULL UNIQUE,
    new_email TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);

-- Failed sign-ins, counted per account and per client address over a sliding window; shared by
-- every instance because it lives in the database.
CREATE TABLE sign_in_failures (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    ip TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX sign_in_failures_email ON sign_in_failures (email, at);
CREATE INDEX sign_in_failures_ip ON sign_in_failures (ip, at);

-- Every coordinator write: who did what to which record, and the record before and after (JSON).
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    actor_email TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    city_id INTEGER REFERENCES cities (id) ON DELETE SET NULL,
    cluster_id INTEGER REFERENCES clusters (id) ON DELETE SET NULL,
    before TEXT,
    after TEXT
);
CREATE INDEX audit_log_city ON audit_log (city_id, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Mail waiting to be sent, written in the transaction of the change that causes it. The message
-- is stored fully rendered (RFC 5322), so a retry sends the very same bytes and Message-ID.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    sender TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    locale TEXT NOT NULL,
    message BLOB NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    -- A worker that claims a message leases it until then; a crashed worker's lease runs out.
    locked_until TEXT,
    sent_at TEXT,
    -- Set when retries are exhausted; an administrator sees it on the outbox page.
    gave_up_at TEXT,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND gave_up_at IS NULL;
