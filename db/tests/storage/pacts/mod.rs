//! The pacts aggregate, told against every backend: the demo pacts, an adhesion's whole life
//! (sign-up, confirmation, moderation, public list, withdrawal, erasure), links that expired or
//! were used, duplicates, also when submitted at the same moment, and the coordination table.

mod lists;

use db::accounts::OneTimeToken;
use db::pacts::{self, AdhesionFilter, Confirmation, Details, Duplicate, NewAdhesion};
use db::Db;
use domain::AdhesionStatus;

const DAY: i64 = 86_400;

async fn lucca_pact(db: &Db) -> (i64, i64, Vec<i64>) {
    let city = db.city_id("lucca").await.unwrap();
    let pact = db
        .pact_of_city(city)
        .await
        .unwrap()
        .expect("Lucca has a pact");
    let version = db.pact_versions(pact.id).await.unwrap()[0].id;
    let commitments = db
        .pact_commitments(pact.id)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    (pact.id, version, commitments)
}

fn details<'a>(name: &'a str, tax: Option<&'a str>, commitments: &'a [i64]) -> Details<'a> {
    Details {
        organisation: name,
        legal_form: "association",
        sector_id: None,
        tax_code: tax,
        address: "Via Fillungo 1, Lucca",
        position: Some((43.8441, 10.5049)),
        website: Some("https://example.org/"),
        phone: "+39 0583 000000",
        listed: true,
        commitments,
    }
}

/// Signs up one organisation in its own transaction; the confirmation link's secret and the
/// outcome.
async fn sign_up(
    db: &Db,
    pact: i64,
    version: i64,
    d: &Details<'_>,
    email: &str,
    expires_at: i64,
    now: i64,
) -> (OneTimeToken, Result<i64, Duplicate>) {
    let token = OneTimeToken::generate();
    let mut tx = db.begin_write().await.unwrap();
    let created = pacts::create_adhesion(
        &mut tx,
        &NewAdhesion {
            pact_id: pact,
            version_id: version,
            details: d,
            contact_name: "Giulia Bianchi",
            email,
            representative: "Marco Rossi",
            locale: "it",
            confirm_hash: &token.hash,
            confirm_expires_at: expires_at,
        },
        &domain::name_key(d.organisation),
        now,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    (token, created)
}

#[tokio::test]
async fn demo_pacts_load_with_their_adherents() {
    for t in testkit::backends().await {
        let report = db::demo::load(&t.db).await.unwrap();
        assert_eq!(report.adhesions, 29, "{}", t.name);
        let (pact, _, commitments) = lucca_pact(&t.db).await;
        assert_eq!(commitments.len(), 4, "{}", t.name);
        let versions = t.db.pact_versions(pact).await.unwrap();
        assert_eq!(versions.len(), 1, "{}", t.name);
        assert!(versions[0].text_it.contains("Tavolo di coordinamento"));
        let (listed, total) =
            t.db.public_adherents(pact, None, None, 100, 0)
                .await
                .unwrap();
        assert_eq!(total, 19, "{}: approved and listed", t.name);
        assert_eq!(listed.len(), 19);
        let mut names: Vec<&str> = listed.iter().map(|r| r.organisation.as_str()).collect();
        let sorted = {
            let mut s = names.clone();
            s.sort_by_key(|n| domain::name_key(n));
            s
        };
        assert_eq!(names, sorted, "{}: by name", t.name);
        names.retain(|n| n.contains("Scacchistico") || n.contains("scacchistico"));
        assert_eq!(names.len(), 1);
        // Search folds case; the sector filter narrows.
        let (found, n) =
            t.db.public_adherents(pact, None, Some("NUOTO"), 100, 0)
                .await
                .unwrap();
        assert_eq!(
            (n, found[0].organisation.as_str()),
            (1, "ASD Nuoto Serchio (esempio)")
        );
        let sports =
            t.db.sector_id(t.db.city_id("lucca").await.unwrap(), "sports")
                .await
                .unwrap();
        let (in_sports, n) =
            t.db.public_adherents(pact, Some(sports), None, 100, 0)
                .await
                .unwrap();
        assert_eq!(
            n, 4,
            "{}: the rejected sailing school is not listed",
            t.name
        );
        assert!(in_sports.iter().all(|r| r.sector_id == Some(sports)));
        let counts = t.db.approved_by_sector(pact).await.unwrap();
        assert_eq!(counts.iter().map(|(_, n)| n).sum::<i64>(), 19, "{}", t.name);
        assert_eq!(t.db.adhesions_pending(pact).await.unwrap(), 4, "{}", t.name);
        // A second load adds nothing; two at once leave one copy.
        assert_eq!(db::demo::load(&t.db).await.unwrap().adhesions, 0);
        let (a, b) = tokio::join!(db::demo::load(&t.db), db::demo::load(&t.db));
        assert_eq!(a.unwrap().adhesions + b.unwrap().adhesions, 0, "{}", t.name);
        let torino = t.db.city_id("torino").await.unwrap();
        let torino = t.db.pact_of_city(torino).await.unwrap().unwrap();
        assert_eq!(
            t.db.public_adherents(torino.id, None, None, 10, 0)
                .await
                .unwrap()
                .1,
            4
        );
    }
}

#[tokio::test]
async fn an_adhesion_from_sign_up_to_erasure() {
    for t in testkit::backends().await {
        db::demo::load(&t.db).await.unwrap();
        let (pact, version, commitments) = lucca_pact(&t.db).await;
        let now = chrono::Utc::now().timestamp();
        let d = details(
            "Circolo Arci Il Ponte",
            Some("06507520465"),
            &commitments[..2],
        );
        let (confirm, created) = sign_up(
            &t.db,
            pact,
            version,
            &d,
            "info@ilponte.example.org",
            now + DAY,
            now,
        )
        .await;
        let id = created.expect("stored");
        let row = t.db.adhesion(id).await.unwrap();
        assert_eq!(row.status, AdhesionStatus::Unconfirmed, "{}", t.name);
        assert_eq!(row.version_number, 1);
        assert_eq!(
            t.db.adhesion_commitments(id).await.unwrap(),
            commitments[..2].to_vec()
        );
        let public = |db: Db| async move {
            let (rows, _) = db
                .public_adherents(pact, None, Some("il ponte"), 10, 0)
                .await
                .unwrap();
            rows.len()
        };
        assert_eq!(
            public(t.db.clone()).await,
            0,
            "{}: not listed before approval",
            t.name
        );

        // The same name and address is refused while this one lives; the same tax code alone is
        // filed (anyone can type an organisation's public number) and settled at confirmation.
        let other = details("Altro nome", Some("06507520465"), &[]);
        let (stranger, dup) = sign_up(
            &t.db,
            pact,
            version,
            &other,
            "x@example.org",
            now + DAY,
            now,
        )
        .await;
        assert!(dup.is_ok(), "{}: {dup:?}", t.name);
        let same_name = details("  circolo arci IL PONTE ", None, &[]);
        let (_, dup) = sign_up(
            &t.db,
            pact,
            version,
            &same_name,
            "info@ilponte.example.org",
            now + DAY,
            now,
        )
        .await;
        assert_eq!(dup, Err(Duplicate::NameAndEmail), "{}", t.name);

        // Confirming: once, then the link is spent; a wrong link is unknown.
        let manage = OneTimeToken::generate();
        let mut tx = t.db.begin_write().await.unwrap();
        let first = pacts::confirm_adhesion(&mut tx, &confirm.hash, &manage.hash, now + 60)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(
            matches!(first, Confirmation::Confirmed(ref r) if r.status == AdhesionStatus::Pending)
        );
        let mut tx = t.db.begin_write().await.unwrap();
        let again = pacts::confirm_adhesion(&mut tx, &confirm.hash, "other", now + 120)
            .await
            .unwrap();
        let unknown = pacts::confirm_adhesion(&mut tx, "nope", "other", now + 120)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(matches!(again, Confirmation::Already(_)), "{}", t.name);
        assert!(matches!(unknown, Confirmation::Unknown), "{}", t.name);
        // The stranger's filing with the same tax code cannot be confirmed now.
        let mut tx = t.db.begin_write().await.unwrap();
        let late = pacts::confirm_adhesion(&mut tx, &stranger.hash, "late", now + 130)
            .await
            .unwrap();
        drop(tx);
        assert!(matches!(late, Confirmation::TaxCodeTaken), "{}", t.name);
        assert_eq!(
            t.db.adhesion_by_manage_hash(&manage.hash).await.unwrap().id,
            id
        );

        // Approval puts it on the public list; a decision needs a confirmed adhesion.
        let mut tx = t.db.begin_write().await.unwrap();
        let approved = pacts::decide(&mut tx, id, AdhesionStatus::Approved, "", None, now + 200)
            .await
            .unwrap()
            .expect("pending → approved");
        assert_eq!(approved.decided_at, Some(now + 200));
        let twice = pacts::decide(&mut tx, id, AdhesionStatus::Approved, "", None, now + 300)
            .await
            .unwrap();
        assert!(twice.is_none(), "{}: already approved", t.name);
        pacts::set_logo(&mut tx, id, "image/png", b"\x89PNG fake", now + 200)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(public(t.db.clone()).await, 1, "{}", t.name);
        assert_eq!(t.db.public_logo(id).await.unwrap().1, b"\x89PNG fake");

        // Changing the public details; a name another live adhesion holds is refused.
        let renamed = details(
            "Circolo Il Ponte APS",
            Some("06507520465"),
            &commitments[3..],
        );
        let mut tx = t.db.begin_write().await.unwrap();
        let updated = pacts::update_details(&mut tx, id, &renamed, None, now + 400)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(updated.organisation, "Circolo Il Ponte APS");
        let clash = details("ASD Nuoto Serchio (esempio)", Some("86842680455"), &[]);
        let refused = pacts::update_details(&mut tx, id, &clash, None, now + 400)
            .await
            .unwrap();
        assert_eq!(refused.unwrap_err(), Duplicate::TaxCode, "{}", t.name);
        tx.commit().await.unwrap();
        assert_eq!(
            t.db.adhesion_commitments(id).await.unwrap(),
            vec![commitments[3]]
        );

        // Withdrawal takes it off the list at once; the organisation may adhere again later.
        let mut tx = t.db.begin_write().await.unwrap();
        let gone = pacts::withdraw(&mut tx, id, now + 500)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(gone.status, AdhesionStatus::Withdrawn);
        assert!(pacts::withdraw(&mut tx, id, now + 501)
            .await
            .unwrap()
            .is_none());
        tx.commit().await.unwrap();
        assert_eq!(public(t.db.clone()).await, 0, "{}", t.name);
        assert!(
            t.db.public_logo(id).await.is_err(),
            "{}: no logo off the list",
            t.name
        );
        let (_, again) = sign_up(
            &t.db,
            pact,
            version,
            &d,
            "info@ilponte.example.org",
            now + DAY,
            now + 600,
        )
        .await;
        assert!(
            again.is_ok(),
            "{}: a withdrawn adhesion blocks nothing",
            t.name
        );

        // After the retention period the personal data go; the record stays.
        let mut tx = t.db.begin_write().await.unwrap();
        // The demo's sailing school, refused in 2021, is long past it; ours only from `now + 500`.
        assert_eq!(
            pacts::anonymise_closed(&mut tx, now + 499, now + 700)
                .await
                .unwrap(),
            1
        );
        assert_eq!(t.db.adhesion(id).await.unwrap().anonymised_at, None);
        assert_eq!(
            pacts::anonymise_closed(&mut tx, now + 500, now + 700)
                .await
                .unwrap(),
            1
        );
        tx.commit().await.unwrap();
        let kept = t.db.adhesion(id).await.unwrap();
        assert_eq!(
            (
                kept.contact_name.as_str(),
                kept.email.as_str(),
                kept.representative.as_str()
            ),
            ("", "", ""),
            "{}",
            t.name
        );
        assert_eq!(kept.address, "");
        assert_eq!(kept.latitude, None);
        assert_eq!(kept.anonymised_at, Some(now + 700));
        assert!(!kept.has_logo());
        assert_eq!(
            kept.organisation, "Circolo Il Ponte APS",
            "{}: the record stays",
            t.name
        );
        assert_eq!(
            kept.tax_code.as_deref(),
            Some("06507520465"),
            "an organisation's code is not personal"
        );
        assert!(t.db.adhesion_by_manage_hash(&manage.hash).await.is_err());
    }
}

#[tokio::test]
async fn confirmation_links_expire_and_can_be_renewed() {
    for t in testkit::backends().await {
        db::demo::load(&t.db).await.unwrap();
        let (pact, version, _) = lucca_pact(&t.db).await;
        let now = chrono::Utc::now().timestamp();
        let d = details("Associazione Corte dei Miracoli", None, &[]);
        let (old, created) =
            sign_up(&t.db, pact, version, &d, "corte@example.org", now + 10, now).await;
        let id = created.unwrap();
        let mut tx = t.db.begin_write().await.unwrap();
        let late = pacts::confirm_adhesion(&mut tx, &old.hash, "m1", now + 10)
            .await
            .unwrap();
        assert!(
            matches!(late, Confirmation::Expired(ref r) if r.id == id),
            "{}",
            t.name
        );
        let fresh = OneTimeToken::generate();
        assert!(
            pacts::renew_confirmation(&mut tx, id, &fresh.hash, now + DAY, now + 20)
                .await
                .unwrap()
        );
        let stale = pacts::confirm_adhesion(&mut tx, &old.hash, "m1", now + 30)
            .await
            .unwrap();
        assert!(
            matches!(stale, Confirmation::Unknown),
            "{}: the old link is void",
            t.name
        );
        let ok = pacts::confirm_adhesion(&mut tx, &fresh.hash, "m1", now + 30)
            .await
            .unwrap();
        assert!(matches!(ok, Confirmation::Confirmed(_)), "{}", t.name);
        assert!(
            !pacts::renew_confirmation(&mut tx, id, "x", now + DAY, now + 40)
                .await
                .unwrap()
        );
        tx.commit().await.unwrap();

        // An unconfirmed adhesion whose link expired does not block the organisation.
        let d2 = details("Gruppo lettura Sotto le Mura", Some("01703420461"), &[]);
        let (_, first) = sign_up(&t.db, pact, version, &d2, "a@example.org", now + 10, now).await;
        first.unwrap();
        let (_, blocked) = sign_up(
            &t.db,
            pact,
            version,
            &d2,
            "a@example.org",
            now + DAY,
            now + 5,
        )
        .await;
        assert_eq!(blocked, Err(Duplicate::NameAndEmail), "{}", t.name);
        let (_, later) = sign_up(
            &t.db,
            pact,
            version,
            &d2,
            "a@example.org",
            now + DAY,
            now + 11,
        )
        .await;
        assert!(later.is_ok(), "{}", t.name);
        let d3 = details("Mai confermata", Some("03667120467"), &[]);
        let (_, never) = sign_up(&t.db, pact, version, &d3, "b@example.org", now + 10, now).await;
        let never = never.unwrap();
        let mut tx = t.db.begin_write().await.unwrap();
        assert!(pacts::purge_unconfirmed(&mut tx, now + 10).await.unwrap() >= 1);
        tx.commit().await.unwrap();
        assert!(t.db.adhesion(never).await.is_err(), "{}: purged", t.name);
    }
}

/// Two identical submissions at the same moment leave exactly one record.
#[tokio::test]
async fn identical_submissions_at_once_store_one() {
    for t in testkit::backends().await {
        db::demo::load(&t.db).await.unwrap();
        let (pact, version, _) = lucca_pact(&t.db).await;
        let now = chrono::Utc::now().timestamp();
        for round in 0..5 {
            let name = format!("Associazione Doppio Clic {round}");
            let d = details(&name, None, &[]);
            let email = format!("doppio{round}@example.org");
            let tasks = (0..8).map(|_| {
                let (db, d, email) = (t.db.clone(), d.clone(), email.clone());
                async move {
                    sign_up(&db, pact, version, &d, &email, now + DAY, now)
                        .await
                        .1
                }
            });
            let outcomes = futures_util::future::join_all(tasks).await;
            let stored = outcomes.iter().filter(|o| o.is_ok()).count();
            assert_eq!(stored, 1, "{} round {round}: {outcomes:?}", t.name);
            assert!(outcomes
                .iter()
                .filter(|o| o.is_err())
                .all(|o| *o == Err(Duplicate::NameAndEmail)));
            let (rows, n) =
                t.db.adhesions(
                    pact,
                    &AdhesionFilter {
                        search: Some(&name),
                        ..Default::default()
                    },
                    10,
                    0,
                )
                .await
                .unwrap();
            assert_eq!((n, rows.len()), (1, 1), "{}", t.name);
        }
    }
}

/// Registers `email` for `occurrence` as the storage layer does, with a link of its own.
async fn registered(db: &Db, occurrence: i64, email: &str, now: i64) {
    let key = db::links::LinkKey::new(b"test key");
    let mut tx = db.begin_write().await.unwrap();
    db::meetings::register(
        &mut tx,
        &db::meetings::NewRegistration {
            occurrence_id: occurrence,
            email,
            name: "Giulia Bianchi",
            organisation: "Circolo",
            needs: "",
            locale: "it",
            link: &key.fresh(),
        },
        now,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// The registrations still under `email`.
async fn registrations_of(db: &Db, email: &str) -> Vec<i64> {
    db::on_pool!(db, |pool| {
        sqlx::query_scalar("SELECT occurrence_id FROM registrations WHERE email = $1 ORDER BY 1")
            .bind(email)
            .fetch_all(pool)
            .await
            .unwrap()
    })
}

#[tokio::test]
async fn an_erased_adhesion_takes_its_invited_registrations_with_it() {
    for t in testkit::backends().await {
        db::demo::load(&t.db).await.unwrap();
        let (pact, version, _) = lucca_pact(&t.db).await;
        let now = chrono::Utc::now().timestamp();
        let email = "tavolo@example.org";
        let (confirm, created) = sign_up(
            &t.db,
            pact,
            version,
            &details("Circolo del Tavolo", None, &[]),
            email,
            now + 3600,
            now,
        )
        .await;
        let id = created.unwrap();
        // Two meetings with a date each: the table it was invited to, and another one the same
        // address registered for on its own.
        let dates: Vec<(i64, i64)> = db::on_pool!(&t.db, |pool| {
            sqlx::query_as(
                "SELECT MIN(id), meeting_id FROM occurrences GROUP BY meeting_id \
                 ORDER BY meeting_id LIMIT 2",
            )
            .fetch_all(pool)
            .await
            .unwrap()
        });
        let [(table_date, table), (other_date, _)] = dates[..] else {
            panic!("{}: the demo has meetings", t.name)
        };
        let mut tx = t.db.begin_write().await.unwrap();
        pacts::confirm_adhesion(&mut tx, &confirm.hash, "manage", now + 1)
            .await
            .unwrap();
        pacts::decide(&mut tx, id, AdhesionStatus::Approved, "", None, now + 2)
            .await
            .unwrap()
            .unwrap();
        assert!(
            pacts::invite(&mut tx, id, table, "invitation", None, now + 3)
                .await
                .unwrap()
        );
        tx.commit().await.unwrap();
        registered(&t.db, table_date, email, now + 4).await;
        registered(&t.db, other_date, email, now + 4).await;

        let mut tx = t.db.begin_write().await.unwrap();
        pacts::withdraw(&mut tx, id, now + 5)
            .await
            .unwrap()
            .unwrap();
        // The demo's own withdrawn adhesions are past retention too.
        let erased = pacts::anonymise_closed(&mut tx, now + 6, now + 7)
            .await
            .unwrap();
        assert!(erased >= 1, "{}", t.name);
        tx.commit().await.unwrap();
        assert_eq!(
            registrations_of(&t.db, email).await,
            vec![other_date],
            "{}: only the invited registration went",
            t.name
        );
    }
}
