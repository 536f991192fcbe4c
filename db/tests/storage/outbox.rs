//! The outbox: leases, retries, giving up, and workers that never claim the same message.

use chrono::{Duration, Utc};
use db::outbox;

async fn enqueue(db: &db::Db, n: usize) -> Vec<i64> {
    let mut tx = db.begin_write().await.unwrap();
    let mut ids = Vec::new();
    for i in 0..n {
        let body = format!("Subject: {i}\r\n\r\nhello");
        ids.push(
            outbox::enqueue(
                &mut tx,
                &outbox::NewMessage {
                    sender: "noreply@learning.city",
                    recipient: "anna@lucca.it",
                    subject: "hello",
                    locale: "it",
                    message: body.as_bytes(),
                },
                Utc::now(),
            )
            .await
            .unwrap(),
        );
    }
    tx.commit().await.unwrap();
    ids
}

#[tokio::test]
async fn outbox_leases_retries_and_gives_up() {
    for t in testkit::backends().await {
        let ids = enqueue(&t.db, 3).await;
        let now = Utc::now() + Duration::seconds(1);
        let lease = Duration::minutes(5);
        let claimed = t.db.claim_due(now, lease, 2).await.unwrap();
        assert_eq!(
            claimed.iter().map(|c| c.id).collect::<Vec<_>>(),
            ids[..2],
            "{}",
            t.name
        );
        assert_eq!(claimed[0].attempts, 1);
        assert!(claimed[0].message.starts_with(b"Subject: 0"));
        // Leased messages are not handed out again while the lease runs.
        let rest = t.db.claim_due(now, lease, 10).await.unwrap();
        assert_eq!(
            rest.iter().map(|c| c.id).collect::<Vec<_>>(),
            ids[2..],
            "{}",
            t.name
        );

        assert!(t.db.mark_sent(ids[0], now).await.unwrap());
        assert!(
            !t.db.mark_sent(ids[0], now).await.unwrap(),
            "{}: sent once",
            t.name
        );
        t.db.mark_failed(
            ids[1],
            "connection refused",
            now,
            Some(now + Duration::minutes(1)),
        )
        .await
        .unwrap();
        t.db.mark_failed(ids[2], "mailbox unavailable", now, None)
            .await
            .unwrap();

        assert!(
            t.db.claim_due(now, lease, 10).await.unwrap().is_empty(),
            "{}: not yet due",
            t.name
        );
        let retry =
            t.db.claim_due(now + Duration::minutes(2), lease, 10)
                .await
                .unwrap();
        assert_eq!(
            retry.iter().map(|c| (c.id, c.attempts)).collect::<Vec<_>>(),
            [(ids[1], 2)]
        );

        // A lease that ran out (its worker died) makes the message due again.
        let expired =
            t.db.claim_due(now + Duration::minutes(10), lease, 10)
                .await
                .unwrap();
        assert_eq!(
            expired.iter().map(|c| c.id).collect::<Vec<_>>(),
            [ids[1]],
            "{}",
            t.name
        );

        let listed = t.db.outbox(10).await.unwrap();
        assert_eq!(listed.len(), 3);
        let gave_up = listed.iter().find(|m| m.id == ids[2]).unwrap();
        assert!(gave_up.gave_up_at.is_some(), "{}", t.name);
        assert_eq!(gave_up.last_error.as_deref(), Some("mailbox unavailable"));
        assert_eq!(t.db.outbox_pending().await.unwrap(), 1, "{}", t.name);
        assert!(t
            .db
            .outbox_message(ids[0])
            .await
            .unwrap()
            .ends_with(b"hello"));
    }
}

/// Several instances polling one database: every message is handed to exactly one of them.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_workers_never_claim_the_same_message() {
    for t in testkit::backends().await {
        let ids = enqueue(&t.db, 200).await;
        let now = Utc::now() + Duration::seconds(1);
        let workers: Vec<_> = (0..4)
            .map(|_| {
                let db = t.db.clone();
                tokio::spawn(async move {
                    let mut mine = Vec::new();
                    loop {
                        let batch = db.claim_due(now, Duration::minutes(5), 7).await.unwrap();
                        if batch.is_empty() {
                            return mine;
                        }
                        mine.extend(batch.into_iter().map(|c| c.id));
                    }
                })
            })
            .collect();
        let mut all = Vec::new();
        for w in workers {
            all.extend(w.await.unwrap());
        }
        all.sort_unstable();
        assert_eq!(all, ids, "{}: each message claimed once", t.name);
    }
}

/// What a killed worker leased is due again as soon as its leases are released, and nothing
/// sent or given up on comes back with it.
#[tokio::test]
async fn released_leases_make_a_dead_workers_mail_due_at_once() {
    for t in testkit::backends().await {
        let ids = enqueue(&t.db, 4).await;
        let now = Utc::now() + Duration::seconds(1);
        let lease = Duration::minutes(5);
        assert_eq!(t.db.claim_due(now, lease, 10).await.unwrap().len(), 4);
        assert!(t.db.mark_sent(ids[0], now).await.unwrap());
        t.db.mark_failed(ids[1], "mailbox unavailable", now, None)
            .await
            .unwrap();
        assert!(
            t.db.claim_due(now, lease, 10).await.unwrap().is_empty(),
            "{}: still leased",
            t.name
        );

        assert_eq!(t.db.release_leases().await.unwrap(), 2, "{}", t.name);
        let mut again: Vec<_> =
            t.db.claim_due(now, lease, 10)
                .await
                .unwrap()
                .iter()
                .map(|c| (c.id, c.attempts))
                .collect();
        // RETURNING follows no ORDER BY on PostgreSQL.
        again.sort_unstable();
        assert_eq!(again, [(ids[2], 2), (ids[3], 2)], "{}", t.name);
        assert!(t.db.mark_sent(ids[2], now).await.unwrap());
        assert_eq!(
            t.db.release_leases().await.unwrap(),
            1,
            "{}: only the unsent one",
            t.name
        );
    }
}
