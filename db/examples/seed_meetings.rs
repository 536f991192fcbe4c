//! Fills a database with the demo network plus N meetings for the calendar benchmark
//! (`bench/calendar-load.sh`):
//!
//! ```sh
//! cargo run --release -p db --example seed_meetings -- <DATABASE_URL> [N=5000]
//! ```
//!
//! The meetings are spread over the network's cities, a fifth of them in Lucca so that one city
//! feed is a busy one. The pseudo-random choices come from a fixed seed: two runs with the same N
//! create the same meetings (relative to today), so figures from different runs are comparable.

use chrono::{Duration, NaiveDateTime, Utc};
use db::meetings::{self, NewMeeting, Owner};
use db::Db;
use domain::schedule::{Schedule, Zone};
use domain::{Audience, Mode, MEETING_LANGUAGES};
use std::error::Error;
use std::time::Instant;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// Meetings per write transaction: large enough that commits do not dominate, small enough that
/// a SQLite writer does not hold the lock for long.
const BATCH: usize = 200;

const FIRST_UID: &str = "bench-0@learning-city";

const TOPICS: [&str; 16] = [
    "Digital skills for adults",
    "Reading circle at the library",
    "School gardens: planning with teachers",
    "Lifelong Learning Festival: organisers' briefing",
    "Museums open to volunteers: training",
    "Family learning afternoon",
    "Languages café for newcomers",
    "Coordination table of the pact signatories",
    "Sport and inclusion: associations meet",
    "Entrepreneurial mindsets in schools",
    "Learning neighbourhoods: community meeting",
    "Green skills for the ecological transition",
    "Theatre workshop for teenagers",
    "Gender equality in adult education",
    "Intergenerational storytelling",
    "Open data for learning cities",
];

const VENUES: [(&str, &str); 8] = [
    ("Biblioteca civica", "Piazza del Comune 1"),
    ("City Hall", "Main Square 2"),
    ("Community centre", "Station Road 14"),
    ("Public library, room B", "Library Street 3"),
    ("Museum education room", "Via dei Musei 8"),
    ("Secondary school auditorium", "School Lane 21"),
    ("Cultural centre", "Avenue of the Arts 5"),
    ("Sports hall", "Stadium Road 40"),
];

const PARAGRAPHS: [&str; 5] = [
    "An open meeting for everyone who wants to take part in the city's learning programme: \
     we present what happened so far and collect proposals for the next months.",
    "The session is **free**. Please register so that the organisers can prepare the room and \
     the materials; people with accessibility needs can tell us in the form.",
    "Schools, associations, libraries and museums are invited to bring one or two people each. \
     We will split into small groups and report back at the end.",
    "Agenda:\n\n1. Welcome and introductions\n2. What the network's cities learned this year\n\
     3. Working groups\n4. Next steps and dates",
    "Materials from the previous meetings are on the city's learning-city page. Questions before \
     the meeting can be sent to the coordinators.",
];

/// Knuth's MMIX linear congruential generator: plenty for spreading test data, and the same
/// sequence on every machine.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        // The low bits of an LCG have short periods; the high ones do not.
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn range(&mut self, low: i64, high: i64) -> i64 {
        low + self.below((high - low + 1) as u64) as i64
    }

    fn percent(&mut self, p: u64) -> bool {
        self.below(100) < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

struct City {
    id: i64,
    name: String,
    zone: Zone,
    sectors: Vec<i64>,
}

/// One meeting to create, owned so that a batch can be built before its transaction opens.
struct Planned {
    uid: String,
    city: usize,
    sector: Option<i64>,
    title: String,
    description: String,
    language: &'static str,
    audience: Audience,
    mode: Mode,
    place: &'static str,
    address: &'static str,
    link: Option<String>,
    schedule: Schedule,
    capacity: Option<i32>,
}

fn plan(i: usize, rng: &mut Lcg, cities: &[City], lucca: usize) -> Result<Planned> {
    let city = if i.is_multiple_of(5) || cities.len() == 1 {
        lucca
    } else {
        // Any city but Lucca, so that Lucca's share stays at a fifth.
        let other = rng.below(cities.len() as u64 - 1) as usize;
        if other >= lucca {
            other + 1
        } else {
            other
        }
    };
    let c = &cities[city];
    let today = Utc::now().with_timezone(&c.zone.tz()).date_naive();
    let day = today + Duration::days(rng.range(-60, 300));
    let minutes = [60, 90, 120, 180];
    let length = Duration::minutes(*rng.pick(&minutes));
    let rule = if rng.percent(20) {
        let count = rng.range(3, 12);
        if rng.percent(60) {
            format!("FREQ=WEEKLY;COUNT={count}")
        } else {
            format!("FREQ=MONTHLY;COUNT={count}")
        }
    } else {
        String::new()
    };
    let mode = match rng.below(10) {
        0..=4 => Mode::InPerson,
        5..=7 => Mode::Online,
        _ => Mode::Hybrid,
    };
    let (place, address) = if mode == Mode::Online {
        ("", "")
    } else {
        *rng.pick(&VENUES)
    };
    let paragraphs = 1 + rng.below(3) as usize;
    let first = rng.below(PARAGRAPHS.len() as u64) as usize;
    let description = (0..paragraphs)
        .map(|k| PARAGRAPHS[(first + k) % PARAGRAPHS.len()])
        .collect::<Vec<_>>()
        .join("\n\n");
    let audience = match rng.below(10) {
        0..=4 => Audience::Everyone,
        5..=7 => Audience::Organisations,
        8 => Audience::Signatories,
        _ => Audience::Coordinators,
    };
    // Mostly the local language or English, as in the real network.
    let language = if rng.percent(70) {
        if c.zone.name() == "Europe/Rome" {
            "it"
        } else {
            "en"
        }
    } else {
        *rng.pick(&MEETING_LANGUAGES)
    };
    let sector = (!c.sectors.is_empty() && rng.percent(80)).then(|| *rng.pick(&c.sectors));
    let capacity = (!rng.percent(40)).then(|| rng.range(10, 200) as i32);
    let title = format!("{} ({})", rng.pick(&TOPICS), c.name);
    // Daytime starts: clocks change at night, so a local time between 08:00 and 21:00 exists
    // and means one instant; another hour is tried should a zone ever prove otherwise.
    let mut tries = 0;
    let schedule = loop {
        let start: NaiveDateTime = day
            .and_hms_opt(rng.range(8, 20) as u32, *rng.pick(&[0, 15, 30, 45]), 0)
            .ok_or("no such time")?;
        let text = |t: NaiveDateTime| t.format("%Y-%m-%dT%H:%M").to_string();
        match Schedule::parse(c.zone, &text(start), &text(start + length), &rule, &[]) {
            Ok(s) => break s,
            Err(e) if tries >= 5 => {
                return Err(format!("meeting {i} in {}: {e:?}", c.zone.name()).into())
            }
            Err(_) => tries += 1,
        }
    };
    Ok(Planned {
        uid: format!("bench-{i}@learning-city"),
        city,
        sector,
        title,
        description,
        language,
        audience,
        mode,
        place,
        address,
        link: mode
            .has_link()
            .then(|| format!("https://meet.example.org/bench-{i}")),
        schedule,
        capacity,
    })
}

async fn exists(db: &Db, uid: &str) -> Result<bool> {
    let found: Option<i64> = db::on_pool!(db, |pool| {
        sqlx::query_scalar("SELECT id FROM meetings WHERE uid = $1")
            .bind(uid)
            .fetch_optional(pool)
            .await?
    });
    Ok(found.is_some())
}

async fn cities(db: &Db) -> Result<(Vec<City>, usize)> {
    let mut out = Vec::new();
    let mut lucca = None;
    for summary in db.cities(None).await? {
        let id = db.city_id(&summary.slug).await?;
        let zone = Zone::parse(&summary.timezone)
            .map_err(|e| format!("{}: time zone {}: {e:?}", summary.slug, summary.timezone))?;
        let mut sectors = Vec::new();
        for sector in db.city(&summary.slug).await?.sectors {
            sectors.push(db.sector_id(id, &sector.slug).await?);
        }
        if summary.slug == "lucca" {
            lucca = Some(out.len());
        }
        out.push(City {
            id,
            name: summary.name.get("en").to_owned(),
            zone,
            sectors,
        });
    }
    let lucca = lucca.ok_or("the demo data has no city with the slug lucca")?;
    Ok((out, lucca))
}

#[tokio::main]
async fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .ok_or("usage: seed_meetings <DATABASE_URL> [N=5000]")?;
    let n: usize = match args.next() {
        Some(n) => n.parse().map_err(|_| format!("N must be a number: {n}"))?,
        None => 5000,
    };
    let began = Instant::now();
    let db = Db::connect(&url).await?;
    db.migrate().await?;
    db::demo::load(&db).await?;
    if exists(&db, FIRST_UID).await? {
        println!(
            "meetings=0 occurrences=0 seconds={:.1} (already seeded)",
            began.elapsed().as_secs_f64()
        );
        return Ok(());
    }
    let (cities, lucca) = cities(&db).await?;
    let mut rng = Lcg(0x5eed_1ea2_c17e);
    let now = Utc::now().timestamp();
    let (mut created, mut occurrences) = (0, 0);
    while created < n {
        let batch = (created..n.min(created + BATCH))
            .map(|i| plan(i, &mut rng, &cities, lucca))
            .collect::<Result<Vec<_>>>()?;
        let mut tx = db.begin_write().await?;
        for p in &batch {
            let meeting = NewMeeting {
                uid: &p.uid,
                owner: Owner::City(cities[p.city].id),
                sector_id: p.sector,
                title: &p.title,
                description: &p.description,
                language: p.language,
                audience: p.audience,
                mode: p.mode,
                place: p.place,
                address: p.address,
                position: None,
                online_link: p.link.as_deref(),
                schedule: &p.schedule,
                capacity: p.capacity,
                takes_registrations: true,
                registration_opens_at: None,
                registration_closes_at: None,
                reminders: &[1440, 60],
                created_by: None,
            };
            meetings::create(&mut tx, &meeting, now).await?;
            occurrences += p.schedule.slots().len();
        }
        tx.commit().await?;
        created += batch.len();
    }
    // A database in service has statistics: PostgreSQL's autovacuum gathers them about a minute
    // after a bulk load, and the benchmark starts sooner. Without them the planner guesses, and
    // Lucca's feed query took seconds instead of milliseconds under load.
    if let db::Db::Postgres(pool) = &db {
        sqlx::query("ANALYZE").execute(pool).await?;
    }
    db.close().await;
    println!(
        "meetings={created} occurrences={occurrences} seconds={:.1}",
        began.elapsed().as_secs_f64()
    );
    Ok(())
}
