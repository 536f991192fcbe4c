//! One fuzz target per parser of user input in `domain`, each a binary in `src/bin/` that
//! hands AFL++'s input to a function here. The function turns the bytes into the parser's
//! arguments and calls the same checks the property tests call
//! (`domain/tests/invariants/mod.rs`), so a crash is a panic in a parser or a broken rule.
//!
//! Bytes become text lossily (a stray byte is U+FFFD): every input reaches the parser (the
//! roster's reader takes the bytes themselves). Targets with several arguments take one per
//! line; those that read a URL query take `k=v&k=v`, percent-encoded or not.

#[path = "../../domain/tests/invariants/mod.rs"]
pub mod invariants;

use std::borrow::Cow;

pub fn text(data: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// The first `n - 1` lines, then the rest (which may hold more line breaks) as the last.
fn fields(data: &[u8], n: usize) -> Vec<String> {
    let text = text(data);
    let mut out: Vec<String> = text.splitn(n, '\n').map(str::to_owned).collect();
    out.resize(n, String::new());
    out
}

pub fn slug(data: &[u8]) {
    invariants::slug(&text(data)).ok();
}

pub fn country_code(data: &[u8]) {
    invariants::country_code(&text(data)).ok();
}

/// `latitude\nlongitude`.
pub fn coordinates(data: &[u8]) {
    let f = fields(data, 2);
    invariants::coordinates(&f[0], &f[1]).ok();
}

pub fn name(data: &[u8]) {
    invariants::name(&text(data)).ok();
}

pub fn email(data: &[u8]) {
    invariants::email(&text(data)).ok();
}

pub fn password(data: &[u8]) {
    invariants::password(&text(data)).ok();
}

pub fn colour(data: &[u8]) {
    invariants::colour(&text(data)).ok();
}

pub fn font(data: &[u8]) {
    invariants::font(&text(data)).ok();
}

/// A widget's query: `accent=0b5cad&font=Arial`.
pub fn theme(data: &[u8]) {
    let text = text(data);
    invariants::theme(&invariants::query_pairs(&text)).ok();
}

pub fn frame_origin(data: &[u8]) {
    invariants::frame_origin(&text(data)).ok();
}

/// Every enum's fixed words (meeting modes, audiences, views, statuses, legal forms, densities,
/// schemes, regions, repeat presets).
pub fn words(data: &[u8]) {
    invariants::words(&text(data));
}

/// A calendar's query as a browser sends it: `view=week&city=lucca&from=2026-01-19`,
/// percent-encoded.
pub fn calendar_query(data: &[u8]) {
    invariants::calendar_url(&text(data));
}

/// The map's query, percent-encoded: `cluster=literacy&country=it&q=lu&sort=joined&dir=desc`.
pub fn map_query(data: &[u8]) {
    invariants::map_query(&text(data));
}

/// A pact page's query, percent-encoded: `q=museo&sector=culture&page=2&version=1`.
pub fn pact_query(data: &[u8]) {
    invariants::pact_query(&text(data));
}

/// A roster file, bytes as they are: the reader is given what a spreadsheet saved.
pub fn roster(data: &[u8]) {
    invariants::roster(data).ok();
}

pub fn reminders(data: &[u8]) {
    invariants::reminders(&text(data)).ok();
}

pub fn name_key(data: &[u8]) {
    invariants::name_key(&text(data));
}

/// `country\ncode`.
pub fn tax_code(data: &[u8]) {
    let f = fields(data, 2);
    invariants::tax_code(&f[0], &f[1]).ok();
}

pub fn tags(data: &[u8]) {
    invariants::tags(&text(data)).ok();
}

pub fn zone(data: &[u8]) {
    invariants::zone(&text(data)).ok();
}

pub fn local_time(data: &[u8]) {
    invariants::local_time(&text(data)).ok();
}

/// `zone\nstart\nend\nrule\nexdate\nexdate…`. An unknown zone still gets its schedule
/// parsed, in Rome, so that mutating the zone's line does not hide the rest.
pub fn schedule(data: &[u8]) {
    let f = fields(data, 5);
    let zone = invariants::zone(&f[0])
        .or_else(|_| domain::schedule::Zone::parse("Europe/Rome"))
        .expect("Rome is a zone");
    let exdates: Vec<_> = f[4]
        .lines()
        .filter_map(|l| domain::schedule::parse_local(l).ok())
        .collect();
    invariants::schedule(zone, &f[1], &f[2], &f[3], &exdates).ok();
}

/// A target: AFL++'s bytes in, a panic out when a parser misbehaves.
pub type Target = fn(&[u8]);

/// Every target by its binary's name, for the seeds' smoke test below.
pub const TARGETS: &[(&str, Target)] = &[
    ("slug", slug),
    ("country_code", country_code),
    ("coordinates", coordinates),
    ("name", name),
    ("email", email),
    ("password", password),
    ("colour", colour),
    ("font", font),
    ("theme", theme),
    ("frame_origin", frame_origin),
    ("words", words),
    ("calendar_query", calendar_query),
    ("map_query", map_query),
    ("pact_query", pact_query),
    ("roster", roster),
    ("reminders", reminders),
    ("name_key", name_key),
    ("tax_code", tax_code),
    ("tags", tags),
    ("zone", zone),
    ("local_time", local_time),
    ("schedule", schedule),
];

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Every seed through its target, without AFL (`cargo test --lib`: the binaries only link
    /// under `cargo afl`): the seeds keep the rules, and each binary has seeds, without which
    /// afl-fuzz refuses to start.
    #[test]
    fn every_target_passes_its_seeds() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for (name, target) in super::TARGETS {
            assert!(root.join(format!("src/bin/{name}.rs")).exists(), "{name}");
            let seeds: Vec<_> = std::fs::read_dir(root.join("seeds").join(name))
                .unwrap_or_else(|e| panic!("seeds/{name}: {e}"))
                .map(|e| e.unwrap().path())
                .collect();
            assert!(!seeds.is_empty(), "seeds/{name} is empty");
            for seed in seeds {
                target(&std::fs::read(&seed).unwrap());
            }
        }
        let bins = std::fs::read_dir(root.join("src/bin")).unwrap().count();
        assert_eq!(
            bins,
            super::TARGETS.len(),
            "a binary is missing from TARGETS"
        );
    }
}
