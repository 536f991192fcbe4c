-- Coordinators' accounts, their grants, one-time links, sign-in throttling, the audit log and
-- the mail outbox. Times are TIMESTAMPTZ.

CREATE TABLE users (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Lower-cased at parse time, so the unique index is case-insensitive in effect.
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL DEFAULT '',
    -- NULL until the invitation link has been used to choose a password.
    password_hash TEXT,
    locale TEXT NOT NULL DEFAULT 'en',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- One row per role a user holds: the network administrator role, or coordination of one city or
-- one cluster. Exactly the scope that matches the kind is set.
CREATE TABLE grants (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('admin', 'city', 'cluster')),
    city_id BIGINT REFERENCES cities (id) ON DELETE CASCADE,
    cluster_id BIGINT REFERENCES clusters (id) ON DELETE CASCADE,
    granted_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    granted_at TIMESTAMPTZ NOT NULL,
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
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('invite', 'reset', 'email')),
    token_hash TEXT NOT NULL UNIQUE,
    new_email TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ
);
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);

-- Failed sign-ins, counted per account and per client address over a sliding window; shared by
-- every instance because it lives in the database.
CREATE TABLE sign_in_failures (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email TEXT NOT NULL,
    ip TEXT NOT NULL,
    at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sign_in_failures_email ON sign_in_failures (email, at);
CREATE INDEX sign_in_failures_ip ON sign_in_failures (ip, at);

-- Every coordinator write: who did what to which record, and the record before and after (JSON).
CREATE TABLE audit_log (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    actor_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    actor_email TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    city_id BIGINT REFERENCES cities (id) ON DELETE SET NULL,
    cluster_id BIGINT REFERENCES clusters (id) ON DELETE SET NULL,
    before JSONB,
    after JSONB
);
CREATE INDEX audit_log_city ON audit_log (city_id, id);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Mail waiting to be sent, written in the transaction of the change that causes it. The message
-- is stored fully rendered (RFC 5322), so a retry sends the very same bytes and Message-ID.
CREATE TABLE outbox (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL,
    sender TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    locale TEXT NOT NULL,
    message BYTEA NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    -- A worker that claims a message leases it until then; a crashed worker's lease runs out.
    locked_until TIMESTAMPTZ,
    sent_at TIMESTAMPTZ,
    -- Set when retries are exhausted; an administrator sees it on the outbox page.
    gave_up_at TIMESTAMPTZ,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND gave_up_at IS NULL;
