//! The network: clusters, cities, the demo data, the roster import and frame origins.

use db::roster::{self, ImportError};
use db::DbError;

#[tokio::test]
async fn migrations_seed_the_seven_clusters() {
    for t in testkit::backends().await {
        let clusters = t.db.clusters().await.unwrap();
        let slugs: Vec<&str> = clusters.iter().map(|c| c.slug.as_str()).collect();
        assert_eq!(
            slugs,
            [
                "sustainable-development",
                "equity-inclusion",
                "planning-monitoring",
                "global-citizenship",
                "entrepreneurship",
                "health-wellbeing",
                "literacy"
            ],
            "{}",
            t.name
        );
        assert!(clusters.iter().all(|c| c.members == 0), "{}", t.name);
    }
}

#[tokio::test]
async fn a_second_run_of_the_migrations_changes_nothing() {
    for t in testkit::backends().await {
        // Data in every table the demo fills, so that a migration rewriting rows would show.
        db::demo::load(&t.db).await.unwrap();
        let before = schema_and_data(&t).await;
        assert!(before.len() > 20, "{}: {} lines", t.name, before.len());
        t.db.migrate().await.unwrap();
        t.db.ping().await.unwrap();
        let after = schema_and_data(&t).await;
        let changed: Vec<_> = before.iter().zip(&after).filter(|(a, b)| a != b).collect();
        assert!(changed.is_empty(), "{}: {changed:#?}", t.name);
        assert_eq!(before.len(), after.len(), "{}", t.name);
    }
}

/// The database's tables, columns, indexes, constraints and triggers, then every row of every
/// table (the migrations' own ledger included), one line each, in a fixed order.
async fn schema_and_data(t: &testkit::TestDb) -> Vec<String> {
    let sqlite = t.name == "sqlite";
    let catalog: &[&str] = if sqlite {
        &["SELECT type || ' ' || name || ' ' || COALESCE(sql, '') FROM sqlite_master ORDER BY 1"]
    } else {
        &[
            "SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable \
             || ' ' || COALESCE(column_default, '') FROM information_schema.columns \
             WHERE table_schema = 'public' ORDER BY 1",
            "SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public' \
             ORDER BY 1",
            "SELECT conrelid::regclass::text || ' ' || conname || ' ' \
             || pg_get_constraintdef(oid) FROM pg_constraint \
             WHERE connamespace = 'public'::regnamespace ORDER BY 1",
            "SELECT tgrelid::regclass::text || ' ' || tgname FROM pg_trigger \
             WHERE NOT tgisinternal ORDER BY 1",
        ]
    };
    let tables_sql = if sqlite {
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1"
    } else {
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
    };
    db::on_pool!(&t.db, |pool| {
        let mut lines = Vec::new();
        for sql in catalog {
            let rows: Vec<String> = sqlx::query_scalar(sql).fetch_all(pool).await.unwrap();
            lines.extend(rows);
        }
        let tables: Vec<String> = sqlx::query_scalar(tables_sql)
            .fetch_all(pool)
            .await
            .unwrap();
        for table in tables {
            let rows_sql = if sqlite {
                let columns: Vec<String> = sqlx::query_scalar(
                    "SELECT 'quote(\"' || name || '\")' FROM pragma_table_info($1) ORDER BY cid",
                )
                .bind(&table)
                .fetch_all(pool)
                .await
                .unwrap();
                format!(
                    "SELECT {} FROM \"{table}\" ORDER BY 1",
                    columns.join(" || ',' || ")
                )
            } else {
                format!("SELECT t::text FROM \"{table}\" t ORDER BY 1")
            };
            let rows: Vec<String> = sqlx::query_scalar(&rows_sql).fetch_all(pool).await.unwrap();
            lines.push(format!("{table}: {} rows", rows.len()));
            lines.extend(rows.into_iter().map(|r| format!("{table}: {r}")));
        }
        lines
    })
}

#[tokio::test]
async fn demo_data_loads_once_and_reads_back() {
    for t in testkit::backends().await {
        let first = db::demo::load(&t.db).await.unwrap();
        // The README's 77 real member cities.
        assert_eq!(first.cities, 77, "{}: {first:?}", t.name);
        // Lucca's seven sectors and five partners, Torino's four and two.
        assert_eq!((first.sectors, first.partners), (11, 7), "{}", t.name);
        let second = db::demo::load(&t.db).await.unwrap();
        assert_eq!(
            second,
            Default::default(),
            "{}: second load must add nothing",
            t.name
        );

        let overview = t.db.network_overview().await.unwrap();
        assert_eq!(overview.cities as usize, first.cities, "{}", t.name);
        assert!(overview.countries >= 30, "{}", t.name);
        let entrepreneurship = overview
            .clusters
            .iter()
            .find(|c| c.slug == "entrepreneurship")
            .unwrap();
        let mut leads: Vec<&str> = entrepreneurship
            .leads
            .iter()
            .map(|c| c.slug.as_str())
            .collect();
        leads.sort();
        assert_eq!(leads, ["chengdu", "torino"], "{}", t.name);

        let lucca = t.db.city("lucca").await.unwrap();
        assert_eq!(lucca.city.country, "IT", "{}", t.name);
        assert_eq!(lucca.city.timezone, "Europe/Rome", "{}", t.name);
        assert_eq!(lucca.sectors.len(), 7, "{}", t.name);
        assert_eq!(
            lucca.sectors[3].name.it,
            "Associazioni delle politiche di genere"
        );
        let pact = lucca.pact.expect("Lucca has a pact");
        assert_eq!(pact.signed_on.as_deref(), Some("2020-12-30"), "{}", t.name);
        let partners: Vec<&str> = pact.partners.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            partners,
            [
                "Comune di Lucca",
                "Club UNESCO di Lucca",
                "Ufficio scolastico territoriale",
                "Provincia di Lucca",
                "Centro per l'impiego"
            ],
            "{}",
            t.name
        );
        let with_pact: Vec<String> =
            t.db.cities_with_pact()
                .await
                .unwrap()
                .into_iter()
                .map(|c| c.slug)
                .collect();
        assert_eq!(with_pact, ["lucca", "torino"], "{}", t.name);

        for slug in [
            "torino", "chengdu", "lucca", "fermo", "palermo", "trieste", "yeonsu",
        ] {
            t.db.city(slug)
                .await
                .unwrap_or_else(|e| panic!("{}: {slug}: {e}", t.name));
        }
    }
}

#[tokio::test]
async fn cities_filter_by_cluster_and_unknown_records_are_not_found() {
    for t in testkit::backends().await {
        db::demo::load(&t.db).await.unwrap();
        let all = t.db.cities(None).await.unwrap();
        let entrepreneurship = t.db.cities(Some("entrepreneurship")).await.unwrap();
        assert!(entrepreneurship.len() < all.len(), "{}", t.name);
        assert!(
            entrepreneurship
                .iter()
                .all(|c| c.clusters.iter().any(|k| k.slug == "entrepreneurship")),
            "{}",
            t.name
        );
        let torino = entrepreneurship
            .iter()
            .find(|c| c.slug == "torino")
            .unwrap();
        assert!(torino
            .clusters
            .iter()
            .any(|k| k.slug == "entrepreneurship" && k.lead));
        assert!(t
            .db
            .cities(Some("no-such-cluster"))
            .await
            .unwrap()
            .is_empty());

        assert!(
            matches!(t.db.city("atlantis").await, Err(DbError::NotFound)),
            "{}",
            t.name
        );
        assert!(
            matches!(t.db.cluster("nope").await, Err(DbError::NotFound)),
            "{}",
            t.name
        );
        let cluster = t.db.cluster("health-wellbeing").await.unwrap();
        assert_eq!(
            cluster.cities.len() as i64,
            cluster.cluster.members,
            "{}",
            t.name
        );
    }
}

const HEADER: &str = "slug,name_en,name_it,country,country_en,country_it,latitude,longitude,timezone,joined,clusters,geonames_id\n";

#[tokio::test]
async fn roster_import_adds_updates_and_replaces_memberships() {
    for t in testkit::backends().await {
        db::demo::load(&t.db).await.unwrap();
        let before = t.db.network_overview().await.unwrap().cities;
        let csv = format!(
            "{HEADER}\
             torino,Turin,Torino,IT,Italy,Italia,45.0705,7.6868,Europe/Rome,2016,entrepreneurship:lead;literacy,3165524\n\
             new-town,New Town,Città Nuova,NZ,New Zealand,Nuova Zelanda,-41.2866,174.7756,Pacific/Auckland,2025,literacy,\n"
        );
        let cities = roster::parse(csv.as_bytes()).unwrap();
        let report = t.db.import_roster(&cities).await.unwrap();
        assert_eq!(
            (report.inserted, report.updated, report.memberships),
            (1, 1, 3),
            "{}",
            t.name
        );
        assert_eq!(
            t.db.network_overview().await.unwrap().cities,
            before + 1,
            "{}",
            t.name
        );

        let torino = t.db.city("torino").await.unwrap().city;
        let clusters: Vec<(&str, bool)> = torino
            .clusters
            .iter()
            .map(|k| (k.slug.as_str(), k.lead))
            .collect();
        assert_eq!(
            clusters,
            [("entrepreneurship", true), ("literacy", false)],
            "{}",
            t.name
        );
        let nz = t.db.city("new-town").await.unwrap().city;
        assert_eq!(
            (nz.timezone.as_str(), nz.joined),
            ("Pacific/Auckland", Some(2025))
        );
        assert_eq!(nz.name.it, "Città Nuova");
    }
}

#[tokio::test]
async fn roster_import_with_an_unknown_cluster_writes_nothing() {
    for t in testkit::backends().await {
        let csv = format!(
            "{HEADER}\
             alpha,Alpha,,IT,Italy,,45,7,Europe/Rome,,literacy,\n\
             beta,Beta,,IT,Italy,,45,7,Europe/Rome,,astrology:lead,\n"
        );
        let cities = roster::parse(csv.as_bytes()).unwrap();
        match t.db.import_roster(&cities).await {
            Err(ImportError::Rows(rows)) => {
                assert_eq!(rows.len(), 1, "{}", t.name);
                assert_eq!(rows[0].line, 3, "{}", t.name);
                assert!(rows[0].message.contains("astrology"), "{}", t.name);
            }
            other => panic!("{}: expected a row error, got {other:?}", t.name),
        }
        assert_eq!(
            t.db.network_overview().await.unwrap().cities,
            0,
            "{}",
            t.name
        );
    }
}

/// Two instances starting together on one database must not duplicate the demo data.
#[tokio::test]
async fn concurrent_demo_loads_leave_one_copy() {
    for t in testkit::backends().await {
        let (a, b) = tokio::join!(db::demo::load(&t.db), db::demo::load(&t.db));
        a.unwrap();
        b.unwrap();
        let lucca = t.db.city("lucca").await.unwrap();
        assert_eq!(lucca.sectors.len(), 7, "{}", t.name);
        assert_eq!(lucca.pact.unwrap().partners.len(), 5, "{}", t.name);
        let roster_rows = roster::parse(db::demo::ROSTER.as_bytes()).unwrap().len() as i64;
        assert_eq!(
            t.db.network_overview().await.unwrap().cities,
            roster_rows,
            "{}",
            t.name
        );
    }
}

#[tokio::test]
async fn frame_origins_are_per_city_with_the_network_s_for_all() {
    for t in testkit::backends().await {
        db::demo::load(&t.db).await.unwrap();
        let lucca = t.db.city_id("lucca").await.unwrap();
        let torino = t.db.city_id("torino").await.unwrap();
        let mut tx = t.db.begin_write().await.unwrap();
        let own =
            db::frames::add_frame_origin(&mut tx, Some(lucca), "https://www.comune.lucca.it", 1)
                .await
                .unwrap();
        db::frames::add_frame_origin(&mut tx, None, "https://uil.unesco.org", 1)
            .await
            .unwrap();
        tx.commit().await.unwrap();

        let listed = |rows: Vec<db::frames::FrameOrigin>| {
            rows.into_iter().map(|r| r.origin).collect::<Vec<_>>()
        };
        assert_eq!(
            listed(t.db.frame_origins(Some(lucca)).await.unwrap()),
            ["https://uil.unesco.org", "https://www.comune.lucca.it"],
            "{}",
            t.name
        );
        assert_eq!(
            listed(t.db.frame_origins(Some(torino)).await.unwrap()),
            ["https://uil.unesco.org"],
            "{}",
            t.name
        );
        assert_eq!(
            listed(t.db.frame_origins(None).await.unwrap()),
            ["https://uil.unesco.org"],
            "{}",
            t.name
        );

        // The same origin twice, for the city or for the network, is refused by the index.
        for city in [Some(lucca), None] {
            let origin = if city.is_some() {
                "https://www.comune.lucca.it"
            } else {
                "https://uil.unesco.org"
            };
            let mut tx = t.db.begin_write().await.unwrap();
            let again = db::frames::add_frame_origin(&mut tx, city, origin, 2).await;
            assert!(
                matches!(again, Err(DbError::Conflict { .. })),
                "{}: {again:?}",
                t.name
            );
        }

        let mut tx = t.db.begin_write().await.unwrap();
        let removed = db::frames::remove_frame_origin(&mut tx, own).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(removed.city_id, Some(lucca), "{}", t.name);
        assert!(matches!(
            t.db.frame_origin(own).await,
            Err(DbError::NotFound)
        ));
        assert_eq!(
            listed(t.db.frame_origins(Some(lucca)).await.unwrap()),
            ["https://uil.unesco.org"],
            "{}",
            t.name
        );
    }
}
