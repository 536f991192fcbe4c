-- Meetings that cities and clusters publish. A meeting has one occurrence, or one per date its
-- recurrence rule yields; people register for an occurrence. Instants are seconds since the
-- Unix epoch (INTEGER here, BIGINT on PostgreSQL) so that the same comparisons and indexes work
-- on both backends; wall-clock times ("2021-01-19T17:30") are kept beside them because a series
-- is defined in local time.

CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    -- iCalendar UID: stable for the life of the meeting, whatever is edited.
    uid TEXT NOT NULL UNIQUE,
    city_id INTEGER REFERENCES cities (id) ON DELETE CASCADE,
    cluster_id INTEGER REFERENCES clusters (id) ON DELETE CASCADE,
    sector_id INTEGER REFERENCES sectors (id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    -- Markdown, sanitised when rendered.
    description TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL,
    audience TEXT NOT NULL CHECK (audience IN ('everyone', 'organisations', 'signatories', 'coordinators')),
    mode TEXT NOT NULL CHECK (mode IN ('in-person', 'online', 'hybrid')),
    place TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    -- Given only to confirmed registrants: never selected by a public query.
    online_link TEXT,
    timezone TEXT NOT NULL,
    starts_local TEXT NOT NULL,
    ends_local TEXT NOT NULL,
    rrule TEXT,
    -- Local starts taken out of the series (EXDATE), comma-separated.
    exdates TEXT NOT NULL DEFAULT '',
    capacity INTEGER CHECK (capacity IS NULL OR capacity > 0),
    takes_registrations BOOLEAN NOT NULL DEFAULT TRUE,
    registration_opens_at INTEGER,
    registration_closes_at INTEGER,
    -- Minutes before each occurrence at which registrants are reminded, comma-separated.
    reminders TEXT NOT NULL DEFAULT '1440,60',
    sequence INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK ((city_id IS NULL) <> (cluster_id IS NULL))
);
CREATE INDEX meetings_city ON meetings (city_id);
CREATE INDEX meetings_cluster ON meetings (cluster_id);

CREATE TABLE occurrences (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    -- The start the rule gave this occurrence (RECURRENCE-ID), even after it is moved.
    original_local TEXT NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    moved BOOLEAN NOT NULL DEFAULT FALSE,
    cancelled BOOLEAN NOT NULL DEFAULT FALSE,
    sequence INTEGER NOT NULL DEFAULT 0,
    -- Confirmed seats, kept in step with the registrations so that one conditional UPDATE can
    -- take the last seat atomically on both backends.
    taken INTEGER NOT NULL DEFAULT 0 CHECK (taken >= 0),
    CHECK (ends_at > starts_at),
    UNIQUE (meeting_id, original_local)
);
CREATE INDEX occurrences_start ON occurrences (starts_at);
CREATE INDEX occurrences_end ON occurrences (ends_at);

CREATE TABLE registrations (
    id INTEGER PRIMARY KEY,
    occurrence_id INTEGER NOT NULL REFERENCES occurrences (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    organisation TEXT NOT NULL DEFAULT '',
    -- Accessibility needs, seen by the organisers only.
    needs TEXT NOT NULL DEFAULT '',
    locale TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'waiting', 'cancelled')),
    -- SHA-256 of the personal link's token: confirms, shows and cancels this registration.
    token_hash TEXT NOT NULL UNIQUE,
    consented_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    confirmed_at INTEGER,
    -- Order of the waitlist.
    queued_at INTEGER,
    cancelled_at INTEGER,
    attended BOOLEAN
);
-- One live registration per person and occurrence, however many times the form is sent.
CREATE UNIQUE INDEX registrations_once ON registrations (occurrence_id, email) WHERE status <> 'cancelled';
CREATE INDEX registrations_queue ON registrations (occurrence_id, status, queued_at, id);

-- A reminder is sent once: the row is inserted in the transaction that queues its mail.
CREATE TABLE reminders_sent (
    occurrence_id INTEGER NOT NULL REFERENCES occurrences (id) ON DELETE CASCADE,
    minutes INTEGER NOT NULL,
    sent_at INTEGER NOT NULL,
    PRIMARY KEY (occurrence_id, minutes)
);
