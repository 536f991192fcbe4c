//! Password hashing with Argon2id at OWASP's recommended cost (19 MiB, 2 passes, 1 lane:
//! the `argon2` crate's defaults). Hashing is CPU-bound for tens of milliseconds, so requests
//! go through [`Passwords`], which runs it off the async runtime and at most once per core at a
//! time.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use domain::Password;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// The server's Argon2 work. Requests beyond one per core wait their turn rather than pile up
/// on the blocking pool, so a flood of sign-ins slows sign-ins down but leaves every other
/// request its CPU.
#[derive(Clone, Debug)]
pub struct Passwords {
    permits: Arc<Semaphore>,
    runs: Arc<AtomicU64>,
}

impl Default for Passwords {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Self::with_permits(cores)
    }
}

impl Passwords {
    pub fn with_permits(permits: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(permits.max(1))),
            runs: Arc::new(AtomicU64::new(0)),
        }
    }

    pub async fn hash(&self, password: Password) -> Option<String> {
        self.run(move || hash(&password)).await
    }

    /// Whether `given` matches `stored`; false when the work could not run.
    pub async fn verify(&self, given: String, stored: String) -> bool {
        self.run(move || verify(&given, &stored))
            .await
            .unwrap_or(false)
    }

    /// How many hashes and verifications this server has run, for the tests that check that a
    /// refused request costs none.
    pub fn runs(&self) -> u64 {
        self.runs.load(Ordering::Relaxed)
    }

    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
        let _permit = self.permits.acquire().await.ok()?;
        self.runs.fetch_add(1, Ordering::Relaxed);
        tokio::task::spawn_blocking(work).await.ok()
    }
}

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

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn no_more_hashes_run_at_once_than_there_are_permits() {
        let passwords = Passwords::with_permits(2);
        let running = Arc::new(AtomicU64::new(0));
        let most = Arc::new(AtomicU64::new(0));
        let work: Vec<_> = (0..6)
            .map(|_| {
                let (passwords, running, most) = (passwords.clone(), running.clone(), most.clone());
                tokio::spawn(async move {
                    passwords
                        .run(move || {
                            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                            most.fetch_max(now, Ordering::SeqCst);
                            std::thread::sleep(std::time::Duration::from_millis(30));
                            running.fetch_sub(1, Ordering::SeqCst);
                        })
                        .await
                })
            })
            .collect();
        for task in work {
            task.await.unwrap().unwrap();
        }
        assert_eq!(most.load(Ordering::SeqCst), 2);
        assert_eq!(passwords.runs(), 6);
    }
}
