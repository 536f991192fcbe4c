//! The demo pacts: Lucca's Pact for Lifelong Learning (promoted by the municipality, Club
//! UNESCO, the school office, the Province and the job centre, signed on 30 December 2020) with
//! a set of adherents across its sectors, some still waiting for a decision, and a pact for
//! Torino in both languages; with each city's sectors. The adherents are fictional organisations
//! (see `seed/SOURCES.md`); their tax codes are made up but carry valid check digits.

use crate::accounts::OneTimeToken;
use crate::{on_pool, BeginWrite, Db, DbError};

const LUCCA_TEXT_IT: &str = "\
## Premessa

Lucca è stata riconosciuta dall'UNESCO come *Learning City* ed è entrata nella rete mondiale \
delle città dell'apprendimento. Il Comune di Lucca, il Club UNESCO di Lucca, l'Ufficio scolastico \
territoriale, la Provincia di Lucca e il Centro per l'impiego promuovono questo Patto per fare \
dell'apprendimento permanente il centro delle politiche della città.

## Finalità

1. Garantire a ogni persona, a ogni età, occasioni di educazione, istruzione e cultura \
diffuse sull'intero territorio comunale.
2. Ridurre le diseguaglianze e sostenere una città che evolve in modo ecocompatibile.
3. Coordinare i progetti e la gestione operativa di tutti i soggetti che lavorano in questo \
ambito.

## Impegni di chi aderisce

Ogni organizzazione che aderisce sceglie uno o più impegni tra quelli proposti e li rende \
pubblici. Partecipa, nella misura che sceglie, agli incontri per settore e al Tavolo di \
coordinamento dei firmatari.

## Tavolo di coordinamento

I firmatari formano un Tavolo di coordinamento che si riunisce per settore e in plenaria, \
progetta le iniziative comuni e verifica ogni anno i risultati.

## Durata e recesso

Il Patto non ha scadenza. Ogni organizzazione può recedere in qualsiasi momento.";

const LUCCA_TEXT_EN: &str = "\
## Preamble

UNESCO has recognised Lucca as a *Learning City* and welcomed it into the worldwide network of \
learning cities. The Municipality of Lucca, the UNESCO Club of Lucca, the local school office, \
the Province of Lucca and the job centre promote this Pact to put lifelong learning at the \
centre of the city's policies.

## Aims

1. To give every person, at every age, opportunities for education, schooling and culture \
spread across the whole municipality.
2. To reduce inequalities and support a city that develops sustainably.
3. To coordinate the projects and the day-to-day work of everyone active in this field.

## What adherents commit to

Every organisation that adheres chooses one or more of the commitments offered and makes them \
public. It takes part, as far as it chooses, in the sector meetings and in the coordination \
table of the signatories.

## Coordination table

The signatories form a coordination table that meets by sector and in plenary, plans shared \
initiatives and reviews the results every year.

## Duration and withdrawal

The Pact has no end date. Any organisation may withdraw at any time.";

const TORINO_TEXT_IT: &str = "\
## Perché un Patto

Torino, città dell'apprendimento UNESCO e co-coordinatrice con Chengdu del cluster \
sull'imprenditorialità, invita scuole, università, imprese e terzo settore a collaborare perché \
l'apprendimento accompagni le persone dalla scuola al lavoro e per tutta la vita.

## Obiettivi

- Costruire collaborazioni tra settori, anche con il mondo delle imprese.
- Diffondere una mentalità imprenditoriale che faciliti il passaggio dalla formazione al lavoro.
- Rafforzare il benessere della comunità e lo sviluppo sostenibile.
- Scambiare buone pratiche con le città della rete.";

const TORINO_TEXT_EN: &str = "\
## Why a Pact

Torino, a UNESCO learning city and co-leader with Chengdu of the entrepreneurship cluster, \
invites schools, universities, companies and the third sector to work together so that \
learning accompanies people from school to work and throughout life.

## Goals

- Build collaboration across sectors, including with businesses.
- Spread an entrepreneurial mindset that eases the move from education to work.
- Strengthen community well-being and sustainable development.
- Exchange best practices with the cities of the network.";

/// Lucca's sectors, in the order the municipality called them to meet in January 2021.
const LUCCA_SECTORS: [(&str, &str, &str); 7] = [
    ("institutions", "Institutions", "Istituzioni"),
    ("schools", "Schools", "Scuole"),
    (
        "theatre-music",
        "Theatre and music associations",
        "Associazioni teatrali e musicali",
    ),
    (
        "gender-policy",
        "Gender-policy associations",
        "Associazioni delle politiche di genere",
    ),
    ("sports", "Sports associations", "Associazioni sportive"),
    (
        "museums-culture",
        "Museums and cultural associations",
        "Musei e associazioni culturali",
    ),
    (
        "pact-signatories",
        "Signatories of the citizenship pacts",
        "Firmatari dei patti di cittadinanza",
    ),
];

/// The promoting partners who signed Lucca's pact at Palazzo Orsetti.
const LUCCA_PARTNERS: [(&str, &str, &str, Option<&str>); 5] = [
    (
        "Comune di Lucca",
        "Municipality, promoter of the pact",
        "Comune, promotore del patto",
        Some("https://www.comune.lucca.it"),
    ),
    ("Club UNESCO di Lucca", "UNESCO club", "Club UNESCO", None),
    (
        "Ufficio scolastico territoriale",
        "Local school office of the Ministry of Education",
        "Ufficio territoriale del Ministero dell'istruzione",
        None,
    ),
    (
        "Provincia di Lucca",
        "Province",
        "Provincia",
        Some("https://www.provincia.lucca.it"),
    ),
    (
        "Centro per l'impiego",
        "Public job centre",
        "Centro pubblico per l'impiego",
        None,
    ),
];

/// Slug, English label, Italian label.
type Commitment = (&'static str, &'static str, &'static str);

const COMMITMENTS: [Commitment; 4] = [
    (
        "offer-learning",
        "Offer learning opportunities open to everyone",
        "Offrire occasioni di apprendimento aperte a tutti",
    ),
    (
        "host-events",
        "Host events and meetings of the pact",
        "Ospitare eventi e incontri del patto",
    ),
    (
        "share-practices",
        "Share best practices with the other signatories",
        "Condividere buone pratiche con gli altri firmatari",
    ),
    (
        "coordination-table",
        "Take part in the coordination table",
        "Partecipare al tavolo di coordinamento",
    ),
];

const TORINO_SECTORS: [(&str, &str, &str); 4] = [
    ("schools", "Schools", "Scuole"),
    (
        "universities",
        "Universities and research",
        "Università e ricerca",
    ),
    ("companies", "Companies", "Imprese"),
    ("third-sector", "Third sector", "Terzo settore"),
];

const TORINO_PARTNERS: [(&str, &str, &str, Option<&str>); 2] = [
    (
        "Città di Torino",
        "Municipality, promoter of the pact",
        "Comune, promotore del patto",
        Some("https://www.comune.torino.it"),
    ),
    (
        "Città metropolitana di Torino",
        "Metropolitan city",
        "Città metropolitana",
        None,
    ),
];

/// A fictional adherent: name, legal form, sector, tax code, address, position, status,
/// listed, commitments (indexes into `COMMITMENTS`), days after the pact's signing.
struct Adherent {
    name: &'static str,
    form: &'static str,
    sector: &'static str,
    tax: &'static str,
    address: &'static str,
    at: (f64, f64),
    status: &'static str,
    listed: bool,
    commitments: &'static [usize],
    day: i64,
}

#[allow(clippy::too_many_arguments)]
const fn a(
    name: &'static str,
    form: &'static str,
    sector: &'static str,
    tax: &'static str,
    address: &'static str,
    at: (f64, f64),
    status: &'static str,
    commitments: &'static [usize],
    day: i64,
) -> Adherent {
    Adherent {
        name,
        form,
        sector,
        tax,
        address,
        at,
        status,
        listed: true,
        commitments,
        day,
    }
}

const LUCCA_ADHERENTS: [Adherent; 24] = [
    a(
        "Istituto comprensivo Lucca Centro (esempio)",
        "school",
        "schools",
        "92330790335",
        "Via della Cavallerizza 4, Lucca",
        (43.8445, 10.5021),
        "approved",
        &[0, 1, 3],
        20,
    ),
    a(
        "Liceo delle Mura (esempio)",
        "school",
        "schools",
        "93909960168",
        "Viale Carducci 12, Lucca",
        (43.8398, 10.4987),
        "approved",
        &[0, 2],
        22,
    ),
    a(
        "Scuola dell'infanzia Il Glicine (esempio)",
        "school",
        "schools",
        "97601890508",
        "Via di Tiglio 30, Lucca",
        (43.8367, 10.5151),
        "approved",
        &[0],
        35,
    ),
    a(
        "CPIA Piana di Lucca (esempio)",
        "public-body",
        "schools",
        "94743950670",
        "Via Barsanti e Matteucci 120, Lucca",
        (43.8331, 10.4845),
        "pending",
        &[0, 3],
        61,
    ),
    a(
        "Compagnia teatrale Le Mura (esempio)",
        "association",
        "theatre-music",
        "90824620794",
        "Via del Fosso 58, Lucca",
        (43.8437, 10.5102),
        "approved",
        &[0, 1],
        24,
    ),
    a(
        "Banda cittadina di Sant'Anna (esempio)",
        "association",
        "theatre-music",
        "99482190834",
        "Piazza Sant'Anna 3, Lucca",
        (43.8452, 10.4853),
        "approved",
        &[1],
        26,
    ),
    a(
        "Coro polifonico del Serchio (esempio)",
        "association",
        "theatre-music",
        "99378650693",
        "Via San Giorgio 21, Lucca",
        (43.8449, 10.5037),
        "approved",
        &[0, 2, 3],
        28,
    ),
    a(
        "Scuola di musica Ritmi Nuovi (esempio)",
        "cooperative",
        "theatre-music",
        "01186250468",
        "Via Pisana 41, Lucca",
        (43.8361, 10.4902),
        "pending",
        &[0],
        64,
    ),
    a(
        "Associazione Donne in Rete (esempio)",
        "association",
        "gender-policy",
        "99487570469",
        "Via Fillungo 180, Lucca",
        (43.8463, 10.5049),
        "approved",
        &[0, 2, 3],
        21,
    ),
    a(
        "Centro antiviolenza La Luna (esempio)",
        "association",
        "gender-policy",
        "85979710218",
        "Via Elisa 28, Lucca",
        (43.8412, 10.5088),
        "approved",
        &[2, 3],
        21,
    ),
    a(
        "Casa delle culture di genere (esempio)",
        "association",
        "gender-policy",
        "87104970469",
        "Corte Portici 7, Lucca",
        (43.8430, 10.5031),
        "pending",
        &[1, 3],
        66,
    ),
    a(
        "ASD Nuoto Serchio (esempio)",
        "association",
        "sports",
        "86842680455",
        "Via delle Tagliate 110, Lucca",
        (43.8512, 10.4901),
        "approved",
        &[0, 1],
        23,
    ),
    a(
        "Polisportiva Sant'Anna (esempio)",
        "association",
        "sports",
        "92154720764",
        "Via Nicola Barbantini 60, Lucca",
        (43.8421, 10.4811),
        "approved",
        &[0],
        27,
    ),
    a(
        "Circolo scacchistico Lucchese (esempio)",
        "association",
        "sports",
        "93852800775",
        "Via del Moro 15, Lucca",
        (43.8440, 10.5000),
        "approved",
        &[0, 2],
        30,
    ),
    a(
        "Gruppo podistico delle Mura (esempio)",
        "association",
        "sports",
        "81485250385",
        "Baluardo San Paolino, Lucca",
        (43.8418, 10.4962),
        "approved",
        &[1],
        33,
    ),
    a(
        "Scuola di vela Massaciuccoli (esempio)",
        "company",
        "sports",
        "05289070467",
        "Via del Porto 2, Massarosa",
        (43.8351, 10.3464),
        "rejected",
        &[0],
        40,
    ),
    a(
        "Museo diffuso della città (esempio)",
        "foundation",
        "museums-culture",
        "96338750134",
        "Piazza San Martino 1, Lucca",
        (43.8411, 10.5059),
        "approved",
        &[0, 1, 2, 3],
        19,
    ),
    a(
        "Biblioteca popolare di quartiere (esempio)",
        "association",
        "museums-culture",
        "83537990109",
        "Via San Marco 51, Lucca",
        (43.8497, 10.5105),
        "approved",
        &[0, 1],
        25,
    ),
    a(
        "Associazione Amici dei Musei (esempio)",
        "association",
        "museums-culture",
        "85116370322",
        "Via Santa Croce 72, Lucca",
        (43.8431, 10.5074),
        "approved",
        &[1, 2],
        29,
    ),
    a(
        "Archivio fotografico lucchese (esempio)",
        "foundation",
        "museums-culture",
        "85167610303",
        "Via Galli Tassi 43, Lucca",
        (43.8420, 10.4990),
        "approved",
        &[2],
        31,
    ),
    a(
        "Cooperativa Cultura e Territorio (esempio)",
        "cooperative",
        "museums-culture",
        "07528820462",
        "Via Vittorio Emanuele II 15, Lucca",
        (43.8421, 10.5017),
        "pending",
        &[0, 1],
        70,
    ),
    a(
        "Consulta del volontariato (esempio)",
        "association",
        "institutions",
        "92029720882",
        "Cortile Carrara 1, Lucca",
        (43.8429, 10.5030),
        "approved",
        &[3],
        20,
    ),
    a(
        "Ufficio Europa del territorio (esempio)",
        "public-body",
        "institutions",
        "82601810565",
        "Piazza Napoleone 1, Lucca",
        (43.8415, 10.5026),
        "approved",
        &[2, 3],
        21,
    ),
    a(
        "Officina dei saperi artigiani (esempio)",
        "company",
        "museums-culture",
        "00830160461",
        "Via del Battistero 12, Lucca",
        (43.8437, 10.5063),
        "approved",
        &[0],
        45,
    ),
];

const TORINO_ADHERENTS: [Adherent; 5] = [
    a(
        "Istituto tecnico Mirafiori (example)",
        "school",
        "schools",
        "81318600822",
        "Corso Unione Sovietica 490, Torino",
        (45.0342, 7.6397),
        "approved",
        &[0, 3],
        15,
    ),
    a(
        "Incubatore Dora (example)",
        "company",
        "companies",
        "03518190461",
        "Via Livorno 60, Torino",
        (45.0865, 7.6722),
        "approved",
        &[1, 2],
        18,
    ),
    a(
        "Laboratorio di ricerca sull'apprendimento (example)",
        "university",
        "universities",
        "95901090290",
        "Via Verdi 8, Torino",
        (45.0690, 7.6905),
        "approved",
        &[2, 3],
        20,
    ),
    a(
        "Rete quartieri solidali (example)",
        "association",
        "third-sector",
        "81177770492",
        "Via Baltea 3, Torino",
        (45.0899, 7.6936),
        "approved",
        &[0, 1],
        22,
    ),
    a(
        "Fondazione Lavoro Giovani (example)",
        "foundation",
        "third-sector",
        "84026850887",
        "Corso Regina Margherita 46, Torino",
        (45.0760, 7.6870),
        "pending",
        &[0],
        40,
    ),
];

/// A city's pact as the demo loads it.
struct DemoPact {
    city: &'static str,
    title_en: &'static str,
    title_it: &'static str,
    signed_on: Option<(i32, u32, u32)>,
    text_en: &'static str,
    text_it: &'static str,
    sectors: &'static [(&'static str, &'static str, &'static str)],
    partners: &'static [(
        &'static str,
        &'static str,
        &'static str,
        Option<&'static str>,
    )],
    adherents: &'static [Adherent],
    /// Adherents write to their city in its language; the contacts are fictional.
    domain: &'static str,
}

const PACTS: [DemoPact; 2] = [
    DemoPact {
        city: "lucca",
        title_en: "Pact for Lifelong Learning",
        title_it: "Patto per l'apprendimento permanente",
        signed_on: Some((2020, 12, 30)),
        text_en: LUCCA_TEXT_EN,
        text_it: LUCCA_TEXT_IT,
        sectors: &LUCCA_SECTORS,
        partners: &LUCCA_PARTNERS,
        adherents: &LUCCA_ADHERENTS,
        domain: "lucca.example.org",
    },
    DemoPact {
        city: "torino",
        title_en: "Torino Pact for Lifelong Learning",
        title_it: "Patto torinese per l'apprendimento permanente",
        signed_on: Some((2021, 10, 27)),
        text_en: TORINO_TEXT_EN,
        text_it: TORINO_TEXT_IT,
        sectors: &TORINO_SECTORS,
        partners: &TORINO_PARTNERS,
        adherents: &TORINO_ADHERENTS,
        domain: "torino.example.org",
    },
];

/// What a load of the demo pacts added.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sectors: usize,
    pub partners: usize,
    pub adhesions: usize,
}

/// Loads what is missing of the demo pacts: each city's sectors, its pact with partners,
/// version and commitments, and its adherents (only into a pact that has none), in one
/// transaction per pact.
pub async fn load(db: &Db) -> Result<Loaded, DbError> {
    let mut loaded = Loaded::default();
    for p in &PACTS {
        on_pool!(db, |pool| {
            let mut tx = pool.begin_write().await?;
            let city: Option<i64> = sqlx::query_scalar("SELECT id FROM cities WHERE slug = $1")
                .bind(p.city)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(city) = city else { continue };
            let signed = p
                .signed_on
                .and_then(|(y, m, d)| chrono::NaiveDate::from_ymd_opt(y, m, d));
            let signed_at = signed
                .and_then(|d| d.and_hms_opt(12, 0, 0))
                .map(|t| t.and_utc().timestamp())
                .unwrap_or(0);
            for (position, (slug, en, it)) in p.sectors.iter().enumerate() {
                let done = sqlx::query(
                    "INSERT INTO sectors (city_id, slug, name_en, name_it, position) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (city_id, slug) DO NOTHING",
                )
                .bind(city)
                .bind(slug)
                .bind(en)
                .bind(it)
                .bind(position as i32)
                .execute(&mut *tx)
                .await?;
                loaded.sectors += done.rows_affected() as usize;
            }
            sqlx::query(
                "INSERT INTO pacts (city_id, title_en, title_it, signed_on) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (city_id) DO NOTHING",
            )
            .bind(city)
            .bind(p.title_en)
            .bind(p.title_it)
            .bind(signed)
            .execute(&mut *tx)
            .await?;
            let pact: i64 = sqlx::query_scalar("SELECT id FROM pacts WHERE city_id = $1")
                .bind(city)
                .fetch_one(&mut *tx)
                .await?;
            // Holds the pact's row until commit, so that two instances starting together on
            // one PostgreSQL database do not both find it without adherents.
            sqlx::query("UPDATE pacts SET title_en = title_en WHERE id = $1")
                .bind(pact)
                .execute(&mut *tx)
                .await?;
            for (position, (name, en, it, web)) in p.partners.iter().enumerate() {
                let done = sqlx::query(
                    "INSERT INTO pact_partners (pact_id, name, role_en, role_it, website, position) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (pact_id, name) DO NOTHING",
                )
                .bind(pact)
                .bind(name)
                .bind(en)
                .bind(it)
                .bind(web)
                .bind(position as i32)
                .execute(&mut *tx)
                .await?;
                loaded.partners += done.rows_affected() as usize;
            }
            sqlx::query(
                "INSERT INTO pact_versions (pact_id, number, text_en, text_it, published_at) \
                 VALUES ($1, 1, $2, $3, $4) ON CONFLICT (pact_id, number) DO NOTHING",
            )
            .bind(pact)
            .bind(p.text_en)
            .bind(p.text_it)
            .bind(signed_at)
            .execute(&mut *tx)
            .await?;
            for (position, (slug, en, it)) in COMMITMENTS.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO pact_commitments (pact_id, slug, label_en, label_it, position) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (pact_id, slug) DO NOTHING",
                )
                .bind(pact)
                .bind(slug)
                .bind(en)
                .bind(it)
                .bind(position as i32)
                .execute(&mut *tx)
                .await?;
            }
            let existing: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM adhesions WHERE pact_id = $1")
                    .bind(pact)
                    .fetch_one(&mut *tx)
                    .await?;
            if existing == 0 {
                let version: i64 = sqlx::query_scalar(
                    "SELECT id FROM pact_versions WHERE pact_id = $1 AND number = 1",
                )
                .bind(pact)
                .fetch_one(&mut *tx)
                .await?;
                let commitments: Vec<i64> = sqlx::query_scalar(
                    "SELECT id FROM pact_commitments WHERE pact_id = $1 ORDER BY position",
                )
                .bind(pact)
                .fetch_all(&mut *tx)
                .await?;
                for (i, ad) in p.adherents.iter().enumerate() {
                    let sector: Option<i64> = sqlx::query_scalar(
                        "SELECT id FROM sectors WHERE city_id = $1 AND slug = $2",
                    )
                    .bind(city)
                    .bind(ad.sector)
                    .fetch_optional(&mut *tx)
                    .await?;
                    let at = signed_at + ad.day * 86_400;
                    let decided =
                        matches!(ad.status, "approved" | "rejected").then_some(at + 3 * 86_400);
                    let reason = if ad.status == "rejected" {
                        "La sede e le attività sono fuori dal territorio comunale."
                    } else {
                        ""
                    };
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO adhesions (pact_id, version_id, status, organisation, name_key, \
                            legal_form, sector_id, tax_code, address, latitude, longitude, website, \
                            contact_name, email, phone, representative, attested_at, \
                            privacy_acknowledged_at, listed, locale, manage_hash, created_at, \
                            updated_at, confirmed_at, decided_at, reason) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, NULL, $12, $13, '', \
                            $14, $15, $15, $16, 'it', $17, $15, $15, $15, $18, $19) RETURNING id",
                    )
                    .bind(pact)
                    .bind(version)
                    .bind(ad.status)
                    .bind(ad.name)
                    .bind(domain::name_key(ad.name))
                    .bind(ad.form)
                    .bind(sector)
                    .bind(ad.tax)
                    .bind(ad.address)
                    .bind(ad.at.0)
                    .bind(ad.at.1)
                    .bind("Referente (esempio)")
                    .bind(format!("adesione{}@{}", i + 1, p.domain))
                    .bind("Legale rappresentante (esempio)")
                    .bind(at)
                    .bind(ad.listed)
                    .bind(OneTimeToken::generate().hash)
                    .bind(decided)
                    .bind(reason)
                    .fetch_one(&mut *tx)
                    .await?;
                    for c in ad.commitments {
                        if let Some(commitment) = commitments.get(*c) {
                            sqlx::query(
                                "INSERT INTO adhesion_commitments (adhesion_id, commitment_id) \
                                 VALUES ($1, $2)",
                            )
                            .bind(id)
                            .bind(commitment)
                            .execute(&mut *tx)
                            .await?;
                        }
                    }
                    loaded.adhesions += 1;
                }
            }
            tx.commit().await?;
        });
        db.count_commit();
    }
    Ok(loaded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_tax_code_is_valid_and_used_once_per_pact() {
        for adherents in [&LUCCA_ADHERENTS[..], &TORINO_ADHERENTS[..]] {
            let mut seen = std::collections::HashSet::new();
            for ad in adherents {
                let code = domain::TaxCode::parse("IT", ad.tax).expect(ad.name);
                assert!(seen.insert(code), "{} repeats a tax code", ad.name);
            }
        }
    }
}
