//! Demo data for a fresh database: the real network (clusters come with the migrations, member
//! cities from the bundled roster), Lucca's sectors and pact partners from the seed documents,
//! the demo meetings and the demo pacts with their adherents.

mod pacts;

use crate::meetings::{self, NewMeeting, Owner};
use crate::{on_pool, roster, Db, DbError};
use domain::schedule::{Schedule, Zone};
use domain::{Audience, Mode};

/// GNLC member cities with GeoNames coordinates; see `seed/SOURCES.md`.
pub const ROSTER: &str = include_str!("../../seed/gnlc-cities.csv");

#[derive(Debug, Default, PartialEq, Eq)]
pub struct DemoReport {
    pub cities: usize,
    pub sectors: usize,
    pub partners: usize,
    pub meetings: usize,
    pub adhesions: usize,
}

/// Loads what is missing of the demo data. Every step is idempotent, so a crash half-way or two
/// instances starting at once on one PostgreSQL database leave the same result.
pub async fn load(db: &Db) -> Result<DemoReport, DbError> {
    let mut report = DemoReport::default();
    let (cities,): (i64,) = on_pool!(db, |pool| {
        sqlx::query_as("SELECT COUNT(*) FROM cities")
            .fetch_one(pool)
            .await?
    });
    if cities == 0 {
        let invalid = |rows: Vec<roster::RowError>| {
            DbError::Config(format!("bundled roster is invalid: {rows:?}"))
        };
        let parsed = roster::parse(ROSTER.as_bytes()).map_err(invalid)?;
        let r = db.import_roster(&parsed).await.map_err(|e| match e {
            roster::ImportError::Db(e) => e,
            roster::ImportError::Rows(rows) => invalid(rows),
        })?;
        report.cities = r.inserted;
    }

    // Sectors come first: the demo meetings are filed under them.
    let pacts = pacts::load(db).await?;
    report.sectors = pacts.sectors;
    report.partners = pacts.partners;
    report.adhesions = pacts.adhesions;
    report.meetings = load_meetings(db, chrono::Utc::now()).await?;
    Ok(report)
}

/// A meeting of the demo data.
struct DemoMeeting {
    uid: String,
    owner: &'static str,
    cluster: bool,
    sector: Option<&'static str>,
    title: &'static str,
    description: &'static str,
    language: &'static str,
    audience: Audience,
    mode: Mode,
    place: &'static str,
    address: &'static str,
    /// Where the venue is, for the city's map.
    at: Option<(f64, f64)>,
    link: Option<&'static str>,
    zone: &'static str,
    start: String,
    end: String,
    rule: &'static str,
    capacity: Option<i32>,
}

const LUCCA_INVITE: &str = "Il percorso di Lucca Learning City, partito il 14 gennaio, \
coinvolge i settori della comunità lucchese. Durante l'incontro conosceremo il **Patto per \
l'apprendimento permanente**, vedremo come costituire il Tavolo di coordinamento e come \
progettare insieme le iniziative.\n\nL'incontro si tiene online: chi si iscrive riceve il link.";

/// Lucca's sector meetings of January 2021 (from the seed), the Torino–Chengdu cluster series,
/// Lucca's monthly coordination table, and upcoming meetings in several cities so that the
/// calendar looks like a real one. Dates of the latter are relative to the first start.
fn demo_meetings(today: chrono::NaiveDate) -> Vec<DemoMeeting> {
    let day =
        |offset: i64, time: &str| format!("{}T{time}", today + chrono::Duration::days(offset));
    let lucca = |uid: &str, sector: &'static str, title: &'static str, date: &str| DemoMeeting {
        uid: format!("demo-{uid}"),
        owner: "lucca",
        cluster: false,
        sector: Some(sector),
        title,
        description: LUCCA_INVITE,
        language: "it",
        audience: Audience::Organisations,
        mode: Mode::Online,
        place: "",
        address: "",
        at: None,
        link: Some("https://meet.example.org/lucca-learning-city"),
        zone: "Europe/Rome",
        start: format!("{date}T17:30"),
        end: format!("{date}T19:00"),
        rule: "",
        capacity: Some(100),
    };
    let mut out = vec![
        lucca("lucca-2021-01-19", "gender-policy", "Lucca Learning City: incontro con le associazioni delle politiche di genere", "2021-01-19"),
        lucca("lucca-2021-01-21", "sports", "Lucca Learning City: incontro con le associazioni sportive", "2021-01-21"),
        lucca("lucca-2021-01-22", "museums-culture", "Lucca Learning City: incontro con musei e associazioni culturali", "2021-01-22"),
        lucca("lucca-2021-01-26", "pact-signatories", "Lucca Learning City: incontro con i firmatari dei patti di cittadinanza", "2021-01-26"),
        DemoMeeting {
            uid: "demo-entrepreneurship-quarterly".into(),
            owner: "entrepreneurship",
            cluster: true,
            sector: None,
            title: "Entrepreneurship cluster: quarterly meeting of Torino and Chengdu",
            description: "The cities of the cluster on employment and entrepreneurship, led by \
Torino and Chengdu, share what works in bridging learning and work.\n\nTimes are set in Turin; \
in Chengdu the meeting starts at 17:00 in winter and at 16:00 in summer.",
            language: "en",
            audience: Audience::Coordinators,
            mode: Mode::Online,
            place: "",
            address: "",
            at: None,
            link: Some("https://meet.example.org/gnlc-entrepreneurship"),
            zone: "Europe/Rome",
            start: "2026-01-15T10:00".into(),
            end: "2026-01-15T11:30".into(),
            rule: "FREQ=MONTHLY;INTERVAL=3;COUNT=8",
            capacity: None,
        },
        DemoMeeting {
            uid: "demo-lucca-coordination-table".into(),
            owner: "lucca",
            cluster: false,
            sector: Some("pact-signatories"),
            title: "Tavolo di coordinamento del Patto per l'apprendimento permanente",
            description: "Il tavolo dei firmatari del Patto si riunisce il secondo giovedì di ogni mese a Palazzo Orsetti e online.",
            language: "it",
            audience: Audience::Signatories,
            mode: Mode::Hybrid,
            place: "Palazzo Orsetti",
            address: "Via Santa Giustina 6, 55100 Lucca",
            at: Some((43.8433, 10.5008)),
            link: Some("https://meet.example.org/lucca-tavolo"),
            zone: "Europe/Rome",
            start: "2026-01-08T17:30".into(),
            end: "2026-01-08T19:00".into(),
            rule: "FREQ=MONTHLY;BYDAY=2TH",
            capacity: Some(40),
        },
    ];
    let others: [(&str, &str, &str, &str, &str, Mode, &str); 12] = [
        (
            "torino",
            "Europe/Rome",
            "it",
            "Laboratorio di competenze digitali per adulti",
            "Biblioteca civica centrale",
            Mode::InPerson,
            "18:00",
        ),
        (
            "palermo",
            "Europe/Rome",
            "it",
            "Festa dell'apprendimento permanente: presentazione",
            "Palazzo delle Aquile",
            Mode::Hybrid,
            "17:00",
        ),
        (
            "fermo",
            "Europe/Rome",
            "it",
            "Incontro con le scuole per gli orti didattici",
            "",
            Mode::Online,
            "16:30",
        ),
        (
            "cork",
            "Europe/Dublin",
            "en",
            "Lifelong Learning Festival: organisers' briefing",
            "City Hall",
            Mode::InPerson,
            "18:30",
        ),
        (
            "limerick",
            "Europe/Dublin",
            "en",
            "Learning neighbourhoods: community meeting",
            "",
            Mode::Online,
            "19:00",
        ),
        (
            "espoo",
            "Europe/Helsinki",
            "en",
            "Learning in everyday life: open workshop",
            "Entresse Library",
            Mode::InPerson,
            "17:00",
        ),
        (
            "medellin",
            "America/Bogota",
            "es",
            "Ciudad del aprendizaje: mesa de trabajo",
            "",
            Mode::Online,
            "15:00",
        ),
        (
            "buenos-aires",
            "America/Argentina/Buenos_Aires",
            "es",
            "Aprender en la ciudad: encuentro abierto",
            "Centro Cultural San Martín",
            Mode::Hybrid,
            "18:00",
        ),
        (
            "sharjah",
            "Asia/Dubai",
            "en",
            "Family learning programme: partners' meeting",
            "",
            Mode::Online,
            "10:00",
        ),
        (
            "chengdu",
            "Asia/Shanghai",
            "zh",
            "Community education week: planning meeting",
            "",
            Mode::Online,
            "14:00",
        ),
        (
            "torino",
            "Europe/Rome",
            "en",
            "Entrepreneurial mindsets in schools: teachers' exchange",
            "Open Incet",
            Mode::InPerson,
            "17:30",
        ),
        (
            "lucca",
            "Europe/Rome",
            "it",
            "Musei aperti: formazione per i volontari",
            "Museo nazionale di Palazzo Mansi",
            Mode::InPerson,
            "10:00",
        ),
    ];
    for (i, (city, zone, language, title, place, mode, time)) in others.into_iter().enumerate() {
        for round in 0..2 {
            let offset = 2 + i as i64 * 3 + round * 30;
            let (h, m) = time.split_once(':').unwrap_or(("18", "00"));
            let end_hour = (h.parse::<u32>().unwrap_or(18) + 2).min(23);
            out.push(DemoMeeting {
                uid: format!("demo-{city}-{i}-{round}"),
                owner: city,
                cluster: false,
                sector: (city == "lucca").then_some("museums-culture"),
                title,
                description: "",
                language,
                audience: if i % 3 == 0 {
                    Audience::Everyone
                } else {
                    Audience::Organisations
                },
                mode,
                place,
                address: "",
                at: None,
                link: mode
                    .has_link()
                    .then_some("https://meet.example.org/learning-city"),
                zone,
                start: day(offset, time),
                end: day(offset, &format!("{end_hour:02}:{m}")),
                rule: "",
                capacity: (i % 2 == 0).then_some(20 + 10 * i as i32),
            });
        }
    }
    out
}

/// Creates the demo meetings that do not exist yet (by UID); returns how many it created.
pub async fn load_meetings(db: &Db, now: chrono::DateTime<chrono::Utc>) -> Result<usize, DbError> {
    let mut created = 0;
    for d in demo_meetings(now.date_naive()) {
        let uid = format!("{}@learning-city", d.uid);
        let exists: Option<i64> = on_pool!(db, |pool| {
            sqlx::query_scalar("SELECT id FROM meetings WHERE uid = $1")
                .bind(&uid)
                .fetch_optional(pool)
                .await?
        });
        if exists.is_some() {
            continue;
        }
        let owner: Option<i64> = on_pool!(db, |pool| {
            let sql = if d.cluster {
                "SELECT id FROM clusters WHERE slug = $1"
            } else {
                "SELECT id FROM cities WHERE slug = $1"
            };
            sqlx::query_scalar(sql)
                .bind(d.owner)
                .fetch_optional(pool)
                .await?
        });
        let Some(owner) = owner else { continue };
        let sector: Option<i64> = match d.sector {
            Some(slug) => on_pool!(db, |pool| {
                sqlx::query_scalar("SELECT id FROM sectors WHERE city_id = $1 AND slug = $2")
                    .bind(owner)
                    .bind(slug)
                    .fetch_optional(pool)
                    .await?
            }),
            None => None,
        };
        let zone = Zone::parse(d.zone).map_err(|e| DbError::Config(format!("{}: {e}", d.zone)))?;
        let schedule = Schedule::parse(zone, &d.start, &d.end, d.rule, &[])
            .map_err(|e| DbError::Config(format!("demo meeting {}: {e:?}", d.uid)))?;
        let meeting = NewMeeting {
            uid: &uid,
            owner: if d.cluster {
                Owner::Cluster(owner)
            } else {
                Owner::City(owner)
            },
            sector_id: sector,
            title: d.title,
            description: d.description,
            language: d.language,
            audience: d.audience,
            mode: d.mode,
            place: d.place,
            address: d.address,
            position: d.at,
            online_link: d.link,
            schedule: &schedule,
            capacity: d.capacity,
            takes_registrations: true,
            registration_opens_at: None,
            registration_closes_at: None,
            reminders: &[1440, 60],
            created_by: None,
        };
        let mut tx = db.begin_write().await?;
        match meetings::create(&mut tx, &meeting, now.timestamp()).await {
            Ok(_) => {
                tx.commit().await?;
                created += 1;
            }
            // Another instance starting at the same moment created it first.
            Err(DbError::Conflict { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(created)
}
