-- The library of best practices a cluster's member cities share, as the GNLC clusters exchange
-- them: what was done (title, summary), by which city, where to read about it, in which language,
-- and tags to find it by. Instants are seconds since the Unix epoch.

CREATE TABLE practices (
    id INTEGER PRIMARY KEY,
    cluster_id INTEGER NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    city_id INTEGER NOT NULL REFERENCES cities (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    link TEXT NOT NULL,
    -- ISO 639-1 code of the language the practice is told in.
    language TEXT NOT NULL,
    -- Lower-case tags between commas, ",adult-learners,digital-skills,", so that one tag is
    -- found with LIKE '%,tag,%' on both backends.
    tags TEXT NOT NULL DEFAULT ',',
    posted_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    posted_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX practices_cluster ON practices (cluster_id, posted_at);
