-- The web sites allowed to frame a city's widgets that carry a form (meeting registration,
-- pact sign-up): their origins, as the pages' Content-Security-Policy `frame-ancestors` lists
-- them. A row without a city is the network's, allowed for every city's widgets. Who added
-- each one is in the audit log. Instants are seconds since the Unix epoch.

CREATE TABLE frame_origins (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    city_id BIGINT REFERENCES cities (id) ON DELETE CASCADE,
    origin TEXT NOT NULL,
    added_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX frame_origins_unique ON frame_origins (COALESCE(city_id, 0), origin);

-- A kept widget page carries the policy of its time: a change renders it anew.
CREATE TRIGGER frame_origins_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON frame_origins FOR EACH STATEMENT EXECUTE FUNCTION notify_data_version();
