-- Every change to what pages show notifies the instances (LISTEN data_version), which then
-- render pages anew instead of serving them from their page cache. A notification is sent at
-- commit, once per transaction, and takes no row lock: concurrent sign-ups do not queue on it.
-- Sessions, flashes, mail and the audit log do not change what anyone sees and are left out.
CREATE FUNCTION notify_data_version() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('data_version', '');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER clusters_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON clusters FOR EACH STATEMENT EXECUTE FUNCTION notify_data_version();
CREATE TRIGGER cities_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cities FOR EACH STATEMENT EXECUTE FUNCTION notify_data_version();
CREATE TRIGGER city_clusters_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON city_clusters FOR EACH STATEMENT EXECUTE FUNCTION notify_data_version();
CREATE TRIGGER sectors_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sectors FOR EACH STATEMENT EXECUTE FUNCTION notify_data_version();
CREATE TRIGGER pacts_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON pacts FOR EACH STATEMENT EXECUTE FUNCTION notify_data_version();
CREATE TRIGGER pact_partners_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON pact_partners FOR EACH STATEMENT EXECUTE FUNCTION notify_data_version();
CREATE TRIGGER meetings_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON meetings FOR EACH STATEMENT EXECUTE FUNCTION notify_data_version();
CREATE TRIGGER occurrences_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON occurrences FOR EACH STATEMENT EXECUTE FUNCTION notify_data_version();
CREATE TRIGGER registrations_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON registrations FOR EACH STATEMENT EXECUTE FUNCTION notify_data_version();
CREATE TRIGGER pact_versions_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON pact_versions FOR EACH STATEMENT EXECUTE FUNCTION notify_data_version();
CREATE TRIGGER pact_commitments_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON pact_commitments FOR EACH STATEMENT EXECUTE FUNCTION notify_data_version();
CREATE TRIGGER adhesions_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON adhesions FOR EACH STATEMENT EXECUTE FUNCTION notify_data_version();
CREATE TRIGGER adhesion_commitments_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON adhesion_commitments FOR EACH STATEMENT EXECUTE FUNCTION notify_data_version();
CREATE TRIGGER adhesion_logos_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON adhesion_logos FOR EACH STATEMENT EXECUTE FUNCTION notify_data_version();
CREATE TRIGGER practices_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON practices FOR EACH STATEMENT EXECUTE FUNCTION notify_data_version();
