-- The key personal links are derived under (db/src/links.rs) when LINK_KEY does not name one.
CREATE TABLE site_keys (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
-- What a registration's and an adhesion's personal link is derived from. NULL for a link made
-- before links could be sent again: it is replaced the first time a mail must carry it.
ALTER TABLE registrations ADD COLUMN link_nonce TEXT;
ALTER TABLE adhesions ADD COLUMN manage_nonce TEXT;
