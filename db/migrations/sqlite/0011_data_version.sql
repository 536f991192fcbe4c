-- Every change to what pages show bumps one number, which the page cache compares: a page
-- kept from before a change is rendered anew. Triggers, so that no write can forget it (the
-- command line's roster import included). Sessions, flashes, mail and the audit log do not
-- change what anyone sees and are left out.
CREATE TABLE data_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, 0);

CREATE TRIGGER clusters_insert_version AFTER INSERT ON clusters BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER clusters_update_version AFTER UPDATE ON clusters BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER clusters_delete_version AFTER DELETE ON clusters BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER cities_insert_version AFTER INSERT ON cities BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER cities_update_version AFTER UPDATE ON cities BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER cities_delete_version AFTER DELETE ON cities BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER city_clusters_insert_version AFTER INSERT ON city_clusters BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER city_clusters_update_version AFTER UPDATE ON city_clusters BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER city_clusters_delete_version AFTER DELETE ON city_clusters BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER sectors_insert_version AFTER INSERT ON sectors BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER sectors_update_version AFTER UPDATE ON sectors BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER sectors_delete_version AFTER DELETE ON sectors BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER pacts_insert_version AFTER INSERT ON pacts BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER pacts_update_version AFTER UPDATE ON pacts BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER pacts_delete_version AFTER DELETE ON pacts BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER pact_partners_insert_version AFTER INSERT ON pact_partners BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER pact_partners_update_version AFTER UPDATE ON pact_partners BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER pact_partners_delete_version AFTER DELETE ON pact_partners BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER meetings_insert_version AFTER INSERT ON meetings BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER meetings_update_version AFTER UPDATE ON meetings BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER meetings_delete_version AFTER DELETE ON meetings BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER occurrences_insert_version AFTER INSERT ON occurrences BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER occurrences_update_version AFTER UPDATE ON occurrences BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER occurrences_delete_version AFTER DELETE ON occurrences BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER registrations_insert_version AFTER INSERT ON registrations BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER registrations_update_version AFTER UPDATE ON registrations BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER registrations_delete_version AFTER DELETE ON registrations BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER pact_versions_insert_version AFTER INSERT ON pact_versions BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER pact_versions_update_version AFTER UPDATE ON pact_versions BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER pact_versions_delete_version AFTER DELETE ON pact_versions BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER pact_commitments_insert_version AFTER INSERT ON pact_commitments BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER pact_commitments_update_version AFTER UPDATE ON pact_commitments BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER pact_commitments_delete_version AFTER DELETE ON pact_commitments BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER adhesions_insert_version AFTER INSERT ON adhesions BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER adhesions_update_version AFTER UPDATE ON adhesions BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER adhesions_delete_version AFTER DELETE ON adhesions BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER adhesion_commitments_insert_version AFTER INSERT ON adhesion_commitments BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER adhesion_commitments_update_version AFTER UPDATE ON adhesion_commitments BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER adhesion_commitments_delete_version AFTER DELETE ON adhesion_commitments BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER adhesion_logos_insert_version AFTER INSERT ON adhesion_logos BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER adhesion_logos_update_version AFTER UPDATE ON adhesion_logos BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER adhesion_logos_delete_version AFTER DELETE ON adhesion_logos BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER practices_insert_version AFTER INSERT ON practices BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER practices_update_version AFTER UPDATE ON practices BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
CREATE TRIGGER practices_delete_version AFTER DELETE ON practices BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END;
