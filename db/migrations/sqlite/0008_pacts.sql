-- Pacts for lifelong learning and the organisations that adhere to them. A pact's text is
-- versioned (an adhesion records the version it signed); adherents choose among the pact's
-- commitments. An adhesion is confirmed by e-mail, then moderated by the city's coordinators.
-- Instants are seconds since the Unix epoch, as in the calendar.

CREATE TABLE pact_versions (
    id INTEGER PRIMARY KEY,
    pact_id INTEGER NOT NULL REFERENCES pacts (id) ON DELETE CASCADE,
    number INTEGER NOT NULL CHECK (number > 0),
    -- Markdown, sanitised when rendered.
    text_en TEXT NOT NULL,
    text_it TEXT NOT NULL,
    published_at INTEGER NOT NULL,
    published_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    UNIQUE (pact_id, number)
);

CREATE TABLE pact_commitments (
    id INTEGER PRIMARY KEY,
    pact_id INTEGER NOT NULL REFERENCES pacts (id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    label_en TEXT NOT NULL,
    label_it TEXT NOT NULL,
    position INTEGER NOT NULL,
    -- A retired commitment is no longer offered; adhesions that chose it keep it.
    retired BOOLEAN NOT NULL DEFAULT FALSE,
    UNIQUE (pact_id, slug)
);

CREATE TABLE adhesions (
    id INTEGER PRIMARY KEY,
    pact_id INTEGER NOT NULL REFERENCES pacts (id) ON DELETE CASCADE,
    version_id INTEGER NOT NULL REFERENCES pact_versions (id),
    status TEXT NOT NULL CHECK (status IN ('unconfirmed', 'pending', 'approved', 'rejected', 'withdrawn')),
    organisation TEXT NOT NULL,
    -- The name folded for comparison (case, spacing), to refuse the same organisation twice.
    name_key TEXT NOT NULL,
    legal_form TEXT NOT NULL,
    sector_id INTEGER REFERENCES sectors (id) ON DELETE SET NULL,
    -- Normalised (upper case, no spaces or country prefix); NULL when the organisation has none.
    tax_code TEXT,
    address TEXT NOT NULL DEFAULT '',
    latitude REAL CHECK (latitude BETWEEN -90 AND 90),
    longitude REAL CHECK (longitude BETWEEN -180 AND 180),
    website TEXT,
    contact_name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    representative TEXT NOT NULL,
    -- When the person attested their authority to sign for the organisation.
    attested_at INTEGER NOT NULL,
    privacy_acknowledged_at INTEGER NOT NULL,
    -- Consent to appear on the public list (separate from the privacy notice).
    listed BOOLEAN NOT NULL,
    locale TEXT NOT NULL,
    -- SHA-256 of the confirmation link's token and when it stops working.
    confirm_hash TEXT UNIQUE,
    confirm_expires_at INTEGER,
    -- SHA-256 of the personal link's token (update, withdraw, download), issued on confirmation.
    manage_hash TEXT UNIQUE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    confirmed_at INTEGER,
    decided_at INTEGER,
    decided_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    -- Why an adhesion was rejected, as told to the organisation.
    reason TEXT NOT NULL DEFAULT '',
    withdrawn_at INTEGER,
    -- When the personal data were erased after the retention period.
    anonymised_at INTEGER
);
CREATE INDEX adhesions_pact_status ON adhesions (pact_id, status);
-- One live adhesion per organisation and pact, also under concurrent submissions: the same tax
-- code, or the same name with the same e-mail address, is refused by the database itself.
CREATE UNIQUE INDEX adhesions_live_tax_code ON adhesions (pact_id, tax_code)
    WHERE tax_code IS NOT NULL AND status IN ('unconfirmed', 'pending', 'approved');
CREATE UNIQUE INDEX adhesions_live_name_email ON adhesions (pact_id, name_key, email)
    WHERE status IN ('unconfirmed', 'pending', 'approved');

CREATE TABLE adhesion_commitments (
    adhesion_id INTEGER NOT NULL REFERENCES adhesions (id) ON DELETE CASCADE,
    commitment_id INTEGER NOT NULL REFERENCES pact_commitments (id) ON DELETE CASCADE,
    PRIMARY KEY (adhesion_id, commitment_id)
);

-- Logos apart from the adhesions, so that lists never drag their bytes along. Stored re-encoded
-- as PNG by the server, never as uploaded.
CREATE TABLE adhesion_logos (
    adhesion_id INTEGER PRIMARY KEY REFERENCES adhesions (id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    bytes BLOB NOT NULL,
    updated_at INTEGER NOT NULL
);

-- The coordination table: approved adherents invited to a meeting (or series) with a
-- one-click registration link.
CREATE TABLE pact_invitations (
    id INTEGER PRIMARY KEY,
    adhesion_id INTEGER NOT NULL REFERENCES adhesions (id) ON DELETE CASCADE,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    invited_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    accepted_at INTEGER,
    UNIQUE (adhesion_id, meeting_id)
);
CREATE INDEX pact_invitations_meeting ON pact_invitations (meeting_id);
