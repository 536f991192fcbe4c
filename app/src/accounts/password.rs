//! Password hashing with Argon2id at OWASP's recommended cost (19 MiB, 2 passes, 1 lane:
//! the `argon2` crate's defaults). Hashing is CPU-bound for tens of milliseconds, so callers on
//! the async runtime go through `spawn_blocking`.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use domain::Password;

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) that embeds its salt and cost, so the
/// cost can be raised later without invalidating stored hashes.
pub fn hash(password: &Password) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.expose().as_bytes(), &salt)
        .expect("Argon2 with default parameters accepts any password up to 128 characters")
        .to_string()
}

/// Whether `password` matches `stored`. A malformed stored hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_salted_argon2id_and_verify() {
        let p = Password::parse("correct horse battery").unwrap();
        let (a, b) = (hash(&p), hash(&p));
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert_ne!(a, b, "each hash has its own salt");
        assert!(verify("correct horse battery", &a));
        assert!(!verify("correct horse battery!", &a));
        assert!(!verify("correct horse battery", "not a hash"));
    }
}
