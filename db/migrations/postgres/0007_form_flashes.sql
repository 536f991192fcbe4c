-- What someone typed into a form that came back with errors, while their browser (without
-- JavaScript) follows the redirect back to the form: kept here, not in the URL, so that names
-- and addresses stay out of browser history and logs. The URL carries only a random key, whose
-- SHA-256 is stored; rows live a quarter of an hour.
CREATE TABLE form_flashes (
    key_hash TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX form_flashes_expiry ON form_flashes (expires_at);
