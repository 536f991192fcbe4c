//! Personal links that can be sent again. A registration's or an adhesion's link opens it for
//! as long as it lives, and every later mail (a promotion from the waitlist, a moved date, an
//! approval) must carry the same link, or the one in the earlier mail and in an imported
//! calendar entry would stop working. Only a hash of each secret is stored, as for one-time
//! links; the secret itself is an HMAC of a random nonce kept on the record, under the site's
//! link key, so the server can write it again and a copy of the database alone opens nothing
//! when the key lives outside it (`LINK_KEY`). A new nonce replaces a link, on request only.

use crate::accounts::OneTimeToken;
use crate::{on_pool, Db, DbError};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use std::sync::Arc;

/// The key personal links are derived under.
#[derive(Clone)]
pub struct LinkKey(Arc<[u8]>);

impl std::fmt::Debug for LinkKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkKey(…)")
    }
}

/// A link's nonce and what it gives: the secret for the mail, the hash for the record.
pub struct PersonalLink {
    pub nonce: String,
    pub token: OneTimeToken,
}

impl std::fmt::Debug for PersonalLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PersonalLink(…)")
    }
}

impl LinkKey {
    pub fn new(secret: &[u8]) -> Self {
        Self(Arc::from(secret))
    }

    /// The link a record with `nonce` has.
    pub fn link(&self, nonce: &str) -> OneTimeToken {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes keys of any length");
        mac.update(nonce.as_bytes());
        let secret = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        let hash = OneTimeToken::hash_of(&secret);
        OneTimeToken { secret, hash }
    }

    /// A new link, for a new record or one whose link is replaced.
    pub fn fresh(&self) -> PersonalLink {
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        let nonce = URL_SAFE_NO_PAD.encode(bytes);
        let token = self.link(&nonce);
        PersonalLink { nonce, token }
    }
}

impl Db {
    /// The link key kept in the database, made on first use (by whichever instance comes
    /// first; the others read the same one).
    pub async fn stored_link_key(&self) -> Result<LinkKey, DbError> {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        let candidate = URL_SAFE_NO_PAD.encode(bytes);
        let stored: String = on_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO site_keys (name, value) VALUES ('links', $1) ON CONFLICT DO NOTHING",
            )
            .bind(&candidate)
            .execute(pool)
            .await?;
            sqlx::query_scalar("SELECT value FROM site_keys WHERE name = 'links'")
                .fetch_one(pool)
                .await?
        });
        Ok(LinkKey::new(stored.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_is_the_same_each_time_and_differs_by_nonce_and_key() {
        let key = LinkKey::new(b"one key");
        let first = key.fresh();
        let again = key.link(&first.nonce);
        assert_eq!(first.token.secret, again.secret);
        assert_eq!(again.hash, OneTimeToken::hash_of(&again.secret));
        assert_ne!(key.fresh().token.secret, first.token.secret);
        assert_ne!(
            LinkKey::new(b"other key").link(&first.nonce).secret,
            again.secret
        );
        assert_eq!(again.secret.len(), 43, "256 bits, URL-safe");
    }
}
