-- The web sites allowed to frame a city's widgets that carry a form (meeting registration,
-- pact sign-up): their origins, as the pages' Content-Security-Policy `frame-ancestors` lists
-- them. A row without a city is the network's, allowed for every city's widgets. Who added
-- each one is in the audit log. Instants are seconds since the Unix epoch.

CREATE TABLE frame_origins (
    id INTEGER PRIMARY KEY,
    city_id INTEGER REFERENCES cities (id) ON DELETE CASCADE,
    origin TEXT NOT NULL,
    added_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX frame_origins_unique ON frame_origins (COALESCE(city_id, 0), origin);

-- A kept widget page carries the policy of its time: a change renders it anew.
CREATE TRIGGER frame_origins_insert_version AFTER INSERT ON frame_origins BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER frame_origins_update_version AFTER UPDATE ON frame_origins BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER frame_origins_delete_version AFTER DELETE ON frame_origins BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
