//! Configuration from environment variables, each with a documented default (see README.md).
//! A bad value stops start-up with one line naming the variable.

use leptos::config::LeptosOptions;
use secrecy::{ExposeSecret, SecretString};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;
use url::Url;

/// `no-reply@` the public host; a bare IP address (a local demo) is not a mail domain.
fn default_mail_from(public_url: &Url) -> String {
    let domain = match public_url.host() {
        Some(url::Host::Domain(d)) => d.to_owned(),
        _ => "localhost".to_owned(),
    };
    format!("Learning City <no-reply@{domain}>")
}

/// The largest body any request may send: a logo of 2 MB and the form around it fit well.
pub const MAX_BODY: usize = 4 * 1024 * 1024;

/// How many public writes a client may make: `burst` at once, then `per_minute`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub per_minute: u32,
    pub burst: u32,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite:data/learning-city.db";
const DEFAULT_SITE_ADDR: &str = "127.0.0.1:3000";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{var}: {message}")]
pub struct ConfigError {
    pub var: &'static str,
    pub message: String,
}

impl ConfigError {
    fn new(var: &'static str, message: impl Into<String>) -> Self {
        Self {
            var,
            message: message.into(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// How long personal data are kept, in days, as the privacy notices promise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retention {
    /// After a withdrawal or refusal, an adhesion's personal data (and those of the
    /// registrations its invitations led to) are erased.
    pub pact_days: u32,
    /// A registration never confirmed is deleted.
    pub unconfirmed_registration_days: u32,
    /// After a date ends, its registrations keep their status (for the counts) and lose the
    /// rest.
    pub registration_days: u32,
    /// Sent mail (which holds personal links) is deleted from the outbox.
    pub mail_days: u32,
}

/// Everything the server needs to start. Secrets are wrapped so that `Debug` never prints them.
#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: SecretString,
    pub site_addr: SocketAddr,
    pub public_url: Url,
    pub smtp_url: Option<SecretString>,
    /// Where mail goes as `.eml` files when no SMTP server is configured.
    pub outbox_dir: PathBuf,
    /// The From mailbox of outgoing mail.
    pub mail_from: String,
    pub load_demo_data: bool,
    pub log_format: LogFormat,
    /// Public writes (registrations) per client address; a rate of 0 switches the limit off.
    pub public_writes: Limit,
    /// The key personal links are derived under (`LINK_KEY`); without it, one kept in the
    /// database.
    pub link_key: Option<SecretString>,
    /// How long personal data are kept (see [`Retention`]).
    pub retention: Retention,
    /// How long a rendered public feed is served again before it is rendered anew; 0: never.
    pub feed_cache_seconds: u32,
    /// How long an anonymous reader's page is served again while nothing it shows changed; 0:
    /// every page is rendered for each request.
    pub page_cache_seconds: u32,
    /// How long a connection may take to send a request's headers before it is closed.
    pub header_read_timeout: std::time::Duration,
    /// How long a request may take, from its headers to its response's headers (a slow upload
    /// included), before it gets 408.
    pub request_timeout: std::time::Duration,
    /// Proxies (load balancers) whose `X-Forwarded-For` names the client; nobody else's is
    /// believed.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Raster tiles under the city maps (`MAP_TILE_URL`, `MAP_TILE_ATTRIBUTION`); none by default.
    pub tiles: Option<app::TileLayer>,
    pub leptos: LeptosOptions,
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Reads settings through `get`, so tests can pass their own environment.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let env = Env(get);
        let get = |k: &str| env.get(k);

        let database_url = get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned());
        if db::backend_of(&database_url).is_none() {
            return Err(ConfigError::new(
                "DATABASE_URL",
                "must start with sqlite: or postgres://",
            ));
        }

        let site_addr: SocketAddr = get("LEPTOS_SITE_ADDR")
            .unwrap_or_else(|| DEFAULT_SITE_ADDR.to_owned())
            .parse()
            .map_err(|_| {
                ConfigError::new("LEPTOS_SITE_ADDR", "must be an address like 127.0.0.1:3000")
            })?;

        let public_url = match get("PUBLIC_URL") {
            Some(raw) => parse_public_url(&raw)?,
            None => Url::parse(&format!("http://{site_addr}/"))
                .map_err(|e| ConfigError::new("PUBLIC_URL", e.to_string()))?,
        };
        let smtp_url = smtp_url(&env)?;
        let outbox_dir =
            PathBuf::from(get("OUTBOX_DIR").unwrap_or_else(|| "data/outbox".to_owned()));
        let mail_from = mail_from(&env, &public_url)?;

        let load_demo_data = match get("LOAD_DEMO_DATA").as_deref() {
            None | Some("true") | Some("1") => true,
            Some("false") | Some("0") => false,
            Some(_) => return Err(ConfigError::new("LOAD_DEMO_DATA", "must be true or false")),
        };
        let log_format = match get("LOG_FORMAT").as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(_) => return Err(ConfigError::new("LOG_FORMAT", "must be text or json")),
        };
        let public_writes = Limit {
            per_minute: env.number("RATE_LIMIT_PER_MINUTE", 6)?,
            burst: env.number("RATE_LIMIT_BURST", 20)?,
        };
        let header_read_timeout = env.seconds("HEADER_READ_TIMEOUT_SECONDS", 10)?;
        let request_timeout = env.seconds("REQUEST_TIMEOUT_SECONDS", 120)?;
        let trusted_proxies = trusted_proxies(&env)?;
        let link_key = link_key(&env)?;
        let retention = Retention {
            pact_days: env.number("PACT_RETENTION_DAYS", 90)?,
            unconfirmed_registration_days: env.number("UNCONFIRMED_REGISTRATION_DAYS", 7)?,
            registration_days: env.number("REGISTRATION_RETENTION_DAYS", 30)?,
            mail_days: env.number("MAIL_RETENTION_DAYS", 30)?,
        };
        let feed_cache_seconds = env.number("FEED_CACHE_SECONDS", 60)?;
        let page_cache_seconds = env.number("PAGE_CACHE_SECONDS", 60)?;
        let tiles = tiles(&env)?;
        let leptos = leptos_options(&get, site_addr)?;

        Ok(Self {
            database_url: SecretString::from(database_url),
            site_addr,
            public_url,
            smtp_url,
            outbox_dir,
            mail_from,
            load_demo_data,
            log_format,
            public_writes,
            retention,
            link_key,
            feed_cache_seconds,
            page_cache_seconds,
            header_read_timeout,
            request_timeout,
            trusted_proxies,
            tiles,
            leptos,
        })
    }

    pub fn database_url(&self) -> &str {
        self.database_url.expose_secret()
    }

    /// Browsers must only ever reach this site over HTTPS once they have seen it so.
    pub fn is_https(&self) -> bool {
        self.public_url.scheme() == "https"
    }
}

fn parse_public_url(raw: &str) -> Result<Url, ConfigError> {
    let url = Url::parse(raw).map_err(|_| {
        ConfigError::new(
            "PUBLIC_URL",
            "must be an absolute URL like https://learning.example.org",
        )
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(ConfigError::new(
            "PUBLIC_URL",
            "must be an http:// or https:// URL with a host",
        ));
    }
    Ok(url)
}

/// cargo-leptos passes the site layout through `LEPTOS_*` variables; a binary started on its
/// own gets the same layout from these defaults, so `target/release/learning-city` just works.
/// The variables as the configuration reads them: one set to blanks counts as unset.
struct Env<F>(F);

impl<F: Fn(&str) -> Option<String>> Env<F> {
    fn get(&self, var: &str) -> Option<String> {
        (self.0)(var).filter(|v| !v.trim().is_empty())
    }

    fn number(&self, var: &'static str, default: u32) -> Result<u32, ConfigError> {
        match self.get(var) {
            None => Ok(default),
            Some(raw) => raw
                .trim()
                .parse()
                .map_err(|_| ConfigError::new(var, "must be a whole number")),
        }
    }

    fn seconds(&self, var: &'static str, default: u32) -> Result<Duration, ConfigError> {
        match self.number(var, default)? {
            0 => Err(ConfigError::new(var, "must be at least 1")),
            n => Ok(Duration::from_secs(n.into())),
        }
    }
}

fn smtp_url(
    env: &Env<impl Fn(&str) -> Option<String>>,
) -> Result<Option<SecretString>, ConfigError> {
    let Some(raw) = env.get("SMTP_URL") else {
        return Ok(None);
    };
    let url = Url::parse(&raw).map_err(|_| {
        ConfigError::new("SMTP_URL", "must be a URL like smtp://user:pass@host:587")
    })?;
    if !matches!(url.scheme(), "smtp" | "smtps") || url.host_str().is_none() {
        return Err(ConfigError::new(
            "SMTP_URL",
            "must be a URL like smtp://user:pass@host:587 (scheme smtp or smtps)",
        ));
    }
    // Plain smtp:// sends the password and every personal link in clear text; only a relay on
    // the same machine or network may be trusted with that, and saying so is the operator's
    // decision.
    let tls = url
        .query_pairs()
        .any(|(k, v)| k == "tls" && matches!(v.as_ref(), "required" | "wrapper"));
    let plaintext_allowed = env
        .get("SMTP_ALLOW_PLAINTEXT")
        .is_some_and(|v| matches!(v.trim(), "1" | "true" | "yes"));
    if url.scheme() == "smtp" && !tls && !plaintext_allowed {
        return Err(ConfigError::new(
            "SMTP_URL",
            "sends mail without TLS: use smtps:// or ?tls=required, or set \
             SMTP_ALLOW_PLAINTEXT=true for a relay on a trusted network",
        ));
    }
    Ok(Some(SecretString::from(raw)))
}

fn mail_from(
    env: &Env<impl Fn(&str) -> Option<String>>,
    public_url: &Url,
) -> Result<String, ConfigError> {
    let mail_from = env
        .get("MAIL_FROM")
        .unwrap_or_else(|| default_mail_from(public_url));
    if mail_from.parse::<lettre::message::Mailbox>().is_err() {
        return Err(ConfigError::new(
            "MAIL_FROM",
            "must be a mailbox like Learning City <no-reply@example.org>",
        ));
    }
    Ok(mail_from)
}

fn trusted_proxies(
    env: &Env<impl Fn(&str) -> Option<String>>,
) -> Result<Vec<std::net::IpAddr>, ConfigError> {
    env.get("TRUSTED_PROXIES")
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.parse().map_err(|_| {
                ConfigError::new(
                    "TRUSTED_PROXIES",
                    "must be IP addresses separated by commas, like 10.0.0.2,10.0.0.3",
                )
            })
        })
        .collect()
}

fn link_key(
    env: &Env<impl Fn(&str) -> Option<String>>,
) -> Result<Option<SecretString>, ConfigError> {
    match env.get("LINK_KEY") {
        Some(k) if k.trim().len() < 32 => Err(ConfigError::new(
            "LINK_KEY",
            "must be at least 32 characters (e.g. the output of openssl rand -base64 32)",
        )),
        other => Ok(other.map(|k| SecretString::from(k.trim().to_owned()))),
    }
}

fn tiles(
    env: &Env<impl Fn(&str) -> Option<String>>,
) -> Result<Option<app::TileLayer>, ConfigError> {
    let Some(url) = env.get("MAP_TILE_URL") else {
        return Ok(None);
    };
    let url = url.trim().to_owned();
    let placeholders = ["{z}", "{x}", "{y}"].iter().all(|p| url.contains(p));
    let layer = app::TileLayer {
        url: url.clone(),
        attribution: env.get("MAP_TILE_ATTRIBUTION").unwrap_or_default(),
    };
    if !placeholders || layer.origin().is_none() {
        return Err(ConfigError::new(
            "MAP_TILE_URL",
            "must be an https:// URL with {z}, {x} and {y}, \
             like https://tile.example.org/{z}/{x}/{y}.png",
        ));
    }
    if layer.attribution.trim().is_empty() {
        return Err(ConfigError::new(
            "MAP_TILE_ATTRIBUTION",
            "must credit the tiles' source when MAP_TILE_URL is set",
        ));
    }
    Ok(Some(layer))
}

fn leptos_options(
    get: &impl Fn(&str) -> Option<String>,
    site_addr: SocketAddr,
) -> Result<LeptosOptions, ConfigError> {
    let hash_file = get("LEPTOS_HASH_FILE_NAME").unwrap_or_else(|| "hash.txt".to_owned());
    let hash_files = match get("LEPTOS_HASH_FILES").as_deref() {
        Some("true") => true,
        Some("false") => false,
        Some(_) => {
            return Err(ConfigError::new(
                "LEPTOS_HASH_FILES",
                "must be true or false",
            ))
        }
        // cargo-leptos writes the hash file next to the binary only when it hashed the assets.
        None => exe_dir()
            .map(|d| d.join(&hash_file).exists())
            .unwrap_or(false),
    };
    let env = match get("LEPTOS_ENV").as_deref() {
        None | Some("PROD") | Some("prod") => leptos::config::Env::PROD,
        Some("DEV") | Some("dev") => leptos::config::Env::DEV,
        Some(_) => return Err(ConfigError::new("LEPTOS_ENV", "must be DEV or PROD")),
    };
    Ok(LeptosOptions::builder()
        .output_name(get("LEPTOS_OUTPUT_NAME").unwrap_or_else(|| "learning-city".to_owned()))
        .site_root(get("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".to_owned()))
        .site_pkg_dir(get("LEPTOS_SITE_PKG_DIR").unwrap_or_else(|| "pkg".to_owned()))
        .site_addr(site_addr)
        .env(env)
        .hash_files(hash_files)
        .hash_file(std::sync::Arc::<str>::from(hash_file))
        .build())
}

fn exe_dir() -> Option<PathBuf> {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(PathBuf::from))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_give_a_local_sqlite_site() {
        let c = config(&[]).unwrap();
        assert_eq!(c.database_url(), DEFAULT_DATABASE_URL);
        assert_eq!(c.site_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(c.public_url.as_str(), "http://127.0.0.1:3000/");
        assert!(c.smtp_url.is_none());
        assert!(c.load_demo_data);
        assert!(!c.is_https());
        assert_eq!(&*c.leptos.output_name, "learning-city");
    }

    #[test]
    fn each_bad_setting_is_named() {
        let cases = [
            ("DATABASE_URL", "mysql://x"),
            ("LEPTOS_SITE_ADDR", "localhost"),
            ("PUBLIC_URL", "learning.example.org"),
            ("PUBLIC_URL", "ftp://example.org"),
            ("SMTP_URL", "mail.example.org"),
            ("SMTP_URL", "http://mail.example.org"),
            ("SMTP_URL", "smtp://u:pw@mail.example.org:587"),
            ("LOAD_DEMO_DATA", "maybe"),
            ("HEADER_READ_TIMEOUT_SECONDS", "0"),
            ("REQUEST_TIMEOUT_SECONDS", "soon"),
            ("TRUSTED_PROXIES", "10.0.0.2, lb.internal"),
            ("LINK_KEY", "too short"),
            ("LOG_FORMAT", "xml"),
            ("LEPTOS_ENV", "staging"),
            ("MAP_TILE_URL", "http://tile.example.org/{z}/{x}/{y}.png"),
            ("MAP_TILE_URL", "https://tile.example.org/tiles.png"),
        ];
        for (var, value) in cases {
            let err = config(&[(var, value)]).unwrap_err();
            assert_eq!(err.var, var, "{value}");
        }
    }

    #[test]
    fn a_tile_layer_needs_its_credit() {
        assert!(config(&[]).unwrap().tiles.is_none());
        let url = ("MAP_TILE_URL", "https://tile.example.org/{z}/{x}/{y}.png");
        let err = config(&[url]).unwrap_err();
        assert_eq!(err.var, "MAP_TILE_ATTRIBUTION");
        let c = config(&[
            url,
            ("MAP_TILE_ATTRIBUTION", "© OpenStreetMap contributors"),
        ])
        .unwrap();
        let tiles = c.tiles.unwrap();
        assert_eq!(tiles.origin().as_deref(), Some("https://tile.example.org"));
    }

    #[test]
    fn postgres_and_https_are_recognised() {
        let c = config(&[
            ("DATABASE_URL", "postgres://u:secret@db/lc"),
            ("PUBLIC_URL", "https://learning.example.org"),
            ("SMTP_URL", "smtps://u:pw@mail.example.org:465"),
        ])
        .unwrap();
        assert!(c.is_https());
        assert!(c.smtp_url.is_some());
        let debug = format!("{c:?}");
        assert!(!debug.contains("secret"), "{debug}");
        assert!(!debug.contains("pw@"), "{debug}");
    }

    #[test]
    fn plain_smtp_is_a_decision_the_operator_states() {
        let plain = ("SMTP_URL", "smtp://relay.internal:25");
        assert_eq!(config(&[plain]).unwrap_err().var, "SMTP_URL");
        assert!(config(&[plain, ("SMTP_ALLOW_PLAINTEXT", "true")]).is_ok());
        assert!(config(&[("SMTP_URL", "smtp://u:pw@mail.example.org:587?tls=required")]).is_ok());
    }

    #[test]
    fn timeouts_and_proxies_are_read() {
        let c = config(&[
            ("HEADER_READ_TIMEOUT_SECONDS", "5"),
            ("TRUSTED_PROXIES", "10.0.0.2, fd00::1"),
        ])
        .unwrap();
        assert_eq!(c.header_read_timeout.as_secs(), 5);
        assert_eq!(c.request_timeout.as_secs(), 120);
        assert_eq!(c.trusted_proxies.len(), 2);
    }
}
