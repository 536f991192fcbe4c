-- The GNLC's structure: thematic clusters, member cities, who leads what, and each city's
-- sectors and pact partners. Later capabilities hang their rows off cities and clusters.

CREATE TABLE clusters (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL,
    name_it TEXT NOT NULL,
    description_en TEXT NOT NULL DEFAULT '',
    description_it TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL
);

CREATE TABLE cities (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL,
    name_it TEXT NOT NULL,
    country TEXT NOT NULL CHECK (length(country) = 2),
    country_en TEXT NOT NULL,
    country_it TEXT NOT NULL,
    latitude DOUBLE PRECISION NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude DOUBLE PRECISION NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    timezone TEXT NOT NULL,
    joined INTEGER,
    geonames_id BIGINT
);
CREATE INDEX cities_country ON cities (country);

CREATE TABLE city_clusters (
    city_id BIGINT NOT NULL REFERENCES cities (id) ON DELETE CASCADE,
    cluster_id BIGINT NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('member', 'lead')),
    PRIMARY KEY (city_id, cluster_id)
);
CREATE INDEX city_clusters_cluster ON city_clusters (cluster_id);

CREATE TABLE sectors (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    city_id BIGINT NOT NULL REFERENCES cities (id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    name_en TEXT NOT NULL,
    name_it TEXT NOT NULL,
    position INTEGER NOT NULL,
    UNIQUE (city_id, slug)
);

CREATE TABLE pacts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    city_id BIGINT NOT NULL UNIQUE REFERENCES cities (id) ON DELETE CASCADE,
    title_en TEXT NOT NULL,
    title_it TEXT NOT NULL,
    signed_on DATE
);

CREATE TABLE pact_partners (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pact_id BIGINT NOT NULL REFERENCES pacts (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    role_en TEXT NOT NULL,
    role_it TEXT NOT NULL,
    website TEXT,
    position INTEGER NOT NULL,
    UNIQUE (pact_id, name)
);
