use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

/// Translations are compiled in: a key missing from any locale fails the build instead of
/// leaving a blank on the page. Every `locales/<code>.json` is a language of the site, so adding
/// one is adding one file.
fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=Cargo.toml");
    println!("cargo::rerun-if-changed=locales");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR unset")?).join("i18n");

    let mut others: Vec<String> = std::fs::read_dir("locales")?
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            (path.extension()? == "json").then(|| path.file_stem()?.to_str().map(str::to_owned))?
        })
        .filter(|code| code != "en")
        .collect();
    others.sort();

    // English is the default: the GNLC's working language and the fallback for data.
    let mut cfg = Config::new("en")?;
    for code in &others {
        cfg = cfg.add_locale(code)?;
    }
    let cfg = cfg.parse_options(ParseOptions::default().interpolate_display(true));
    let infos = TranslationsInfos::parse(cfg)?;
    infos.emit_diagnostics();
    infos.rerun_if_locales_changed();
    infos.generate_i18n_module(out)?;
    Ok(())
}
