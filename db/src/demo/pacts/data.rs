//! The demo pacts' sectors, partners, commitments and fictional adherents.

use super::texts::*;

/// Lucca's sectors, in the order the municipality called them to meet in January 2021.
pub(super) const LUCCA_SECTORS: [(&str, &str, &str); 7] = [
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
pub(super) const LUCCA_PARTNERS: [(&str, &str, &str, Option<&str>); 5] = [
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
pub(super) type Commitment = (&'static str, &'static str, &'static str);

pub(super) const COMMITMENTS: [Commitment; 4] = [
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

pub(super) const TORINO_SECTORS: [(&str, &str, &str); 4] = [
    ("schools", "Schools", "Scuole"),
    (
        "universities",
        "Universities and research",
        "Università e ricerca",
    ),
    ("companies", "Companies", "Imprese"),
    ("third-sector", "Third sector", "Terzo settore"),
];

pub(super) const TORINO_PARTNERS: [(&str, &str, &str, Option<&str>); 2] = [
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
pub(super) struct Adherent {
    pub(super) name: &'static str,
    pub(super) form: &'static str,
    pub(super) sector: &'static str,
    pub(super) tax: &'static str,
    pub(super) address: &'static str,
    pub(super) at: (f64, f64),
    pub(super) status: &'static str,
    pub(super) listed: bool,
    pub(super) commitments: &'static [usize],
    pub(super) day: i64,
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

pub(super) const LUCCA_ADHERENTS: [Adherent; 24] = [
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

pub(super) const TORINO_ADHERENTS: [Adherent; 5] = [
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
pub(super) struct DemoPact {
    pub(super) city: &'static str,
    pub(super) title_en: &'static str,
    pub(super) title_it: &'static str,
    pub(super) signed_on: Option<(i32, u32, u32)>,
    pub(super) text_en: &'static str,
    pub(super) text_it: &'static str,
    pub(super) sectors: &'static [(&'static str, &'static str, &'static str)],
    pub(super) partners: &'static [(
        &'static str,
        &'static str,
        &'static str,
        Option<&'static str>,
    )],
    pub(super) adherents: &'static [Adherent],
    /// Adherents write to their city in its language; the contacts are fictional.
    pub(super) domain: &'static str,
}

pub(super) const PACTS: [DemoPact; 2] = [
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
