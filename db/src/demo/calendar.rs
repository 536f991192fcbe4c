//! The demo meetings: Lucca's sector meetings (from the seed), the Torino–Chengdu cluster's
//! series, Lucca's coordination table and meetings in several cities.

use super::*;

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

/// A meeting in one of several cities, held twice a month apart, so that the calendar looks
/// like a real one.
struct CityMeeting {
    city: &'static str,
    zone: &'static str,
    language: &'static str,
    title: &'static str,
    place: &'static str,
    mode: Mode,
    time: &'static str,
}

const CITY_MEETINGS: [CityMeeting; 12] = [
    CityMeeting {
        city: "torino",
        zone: "Europe/Rome",
        language: "it",
        title: "Laboratorio di competenze digitali per adulti",
        place: "Biblioteca civica centrale",
        mode: Mode::InPerson,
        time: "18:00",
    },
    CityMeeting {
        city: "palermo",
        zone: "Europe/Rome",
        language: "it",
        title: "Festa dell'apprendimento permanente: presentazione",
        place: "Palazzo delle Aquile",
        mode: Mode::Hybrid,
        time: "17:00",
    },
    CityMeeting {
        city: "fermo",
        zone: "Europe/Rome",
        language: "it",
        title: "Incontro con le scuole per gli orti didattici",
        place: "",
        mode: Mode::Online,
        time: "16:30",
    },
    CityMeeting {
        city: "cork",
        zone: "Europe/Dublin",
        language: "en",
        title: "Lifelong Learning Festival: organisers' briefing",
        place: "City Hall",
        mode: Mode::InPerson,
        time: "18:30",
    },
    CityMeeting {
        city: "limerick",
        zone: "Europe/Dublin",
        language: "en",
        title: "Learning neighbourhoods: community meeting",
        place: "",
        mode: Mode::Online,
        time: "19:00",
    },
    CityMeeting {
        city: "espoo",
        zone: "Europe/Helsinki",
        language: "en",
        title: "Learning in everyday life: open workshop",
        place: "Entresse Library",
        mode: Mode::InPerson,
        time: "17:00",
    },
    CityMeeting {
        city: "medellin",
        zone: "America/Bogota",
        language: "es",
        title: "Ciudad del aprendizaje: mesa de trabajo",
        place: "",
        mode: Mode::Online,
        time: "15:00",
    },
    CityMeeting {
        city: "buenos-aires",
        zone: "America/Argentina/Buenos_Aires",
        language: "es",
        title: "Aprender en la ciudad: encuentro abierto",
        place: "Centro Cultural San Martín",
        mode: Mode::Hybrid,
        time: "18:00",
    },
    CityMeeting {
        city: "sharjah",
        zone: "Asia/Dubai",
        language: "en",
        title: "Family learning programme: partners' meeting",
        place: "",
        mode: Mode::Online,
        time: "10:00",
    },
    CityMeeting {
        city: "chengdu",
        zone: "Asia/Shanghai",
        language: "zh",
        title: "Community education week: planning meeting",
        place: "",
        mode: Mode::Online,
        time: "14:00",
    },
    CityMeeting {
        city: "torino",
        zone: "Europe/Rome",
        language: "en",
        title: "Entrepreneurial mindsets in schools: teachers' exchange",
        place: "Open Incet",
        mode: Mode::InPerson,
        time: "17:30",
    },
    CityMeeting {
        city: "lucca",
        zone: "Europe/Rome",
        language: "it",
        title: "Musei aperti: formazione per i volontari",
        place: "Museo nazionale di Palazzo Mansi",
        mode: Mode::InPerson,
        time: "10:00",
    },
];

/// Lucca's sector meetings of January 2021 (from the seed), the Torino–Chengdu cluster series,
/// Lucca's monthly coordination table, and upcoming meetings in several cities so that the
/// calendar looks like a real one. Dates of the latter are relative to the first start.
fn demo_meetings(today: chrono::NaiveDate) -> Vec<DemoMeeting> {
    let mut out = fixed_meetings();
    out.extend(city_meetings(today));
    out
}

/// Lucca's sector meetings, the cluster's series and Lucca's coordination table.
fn fixed_meetings() -> Vec<DemoMeeting> {
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
    vec![
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
    ]
}

/// Each of [`CITY_MEETINGS`] twice, a month apart, from `today` on.
fn city_meetings(today: chrono::NaiveDate) -> Vec<DemoMeeting> {
    let day =
        |offset: i64, time: &str| format!("{}T{time}", today + chrono::Duration::days(offset));
    let mut out = Vec::new();
    for (i, c) in CITY_MEETINGS.iter().enumerate() {
        let CityMeeting {
            city,
            zone,
            language,
            title,
            place,
            mode,
            time,
        } = *c;
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
            Err(DbError::Conflict {
                constraint: Some(crate::Constraint::MeetingUid),
                ..
            }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(created)
}
