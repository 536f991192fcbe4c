//! Lists of a pact's adhesions, filtered on a real database: a search takes LIKE's pattern
//! characters literally, and every filter applies at once.

use super::*;

/// The organisations' names a search of Lucca's adhesions finds, in order.
async fn found(db: &Db, pact: i64, search: &str) -> Vec<String> {
    let filter = AdhesionFilter {
        statuses: &[],
        sector_id: None,
        search: Some(search),
        listed_only: false,
    };
    let (rows, total) = db.adhesions(pact, &filter, 100, 0).await.unwrap();
    assert_eq!(total as usize, rows.len());
    let mut names: Vec<String> = rows.into_iter().map(|r| r.organisation).collect();
    names.sort();
    names
}

#[tokio::test]
async fn a_search_takes_like_pattern_characters_literally() {
    for t in testkit::backends().await {
        db::demo::load(&t.db).await.unwrap();
        let (pact, version, commitments) = lucca_pact(&t.db).await;
        let now = chrono::Utc::now().timestamp();
        let names = [
            "50% Off",
            "500 Offerte",
            "50_Off",
            "5000ff",
            "Back\\Slash",
            "Backslash",
        ];
        for (i, name) in names.iter().enumerate() {
            let d = details(name, None, &commitments[..1]);
            let email = format!("search{i}@example.org");
            let (_, created) = sign_up(&t.db, pact, version, &d, &email, now + DAY, now).await;
            created.unwrap_or_else(|e| panic!("{}: {name}: {e:?}", t.name));
        }
        let b = t.name;
        // `%`, `_` and `\` are what they are, not LIKE's wildcards and escape.
        assert_eq!(found(&t.db, pact, "50%").await, ["50% Off"], "{b}");
        assert_eq!(found(&t.db, pact, "50_").await, ["50_Off"], "{b}");
        assert_eq!(found(&t.db, pact, "k\\s").await, ["Back\\Slash"], "{b}");
        assert!(found(&t.db, pact, "%").await == ["50% Off"], "{b}");
        // Any case, any part of the name.
        assert_eq!(found(&t.db, pact, "50% OFF").await, ["50% Off"], "{b}");
        assert_eq!(found(&t.db, pact, "0 offer").await, ["500 Offerte"], "{b}");
        assert_eq!(found(&t.db, pact, "backs").await, ["Backslash"], "{b}");
    }
}

#[tokio::test]
async fn every_filter_of_the_adhesion_list_applies_at_once() {
    for t in testkit::backends().await {
        db::demo::load(&t.db).await.unwrap();
        let b = t.name;
        let (pact, _, _) = lucca_pact(&t.db).await;
        let none = AdhesionFilter {
            statuses: &[],
            sector_id: None,
            search: None,
            listed_only: false,
        };
        let (all, total) = t.db.adhesions(pact, &none, 1000, 0).await.unwrap();
        assert_eq!(total as usize, all.len(), "{b}");
        let lucca = t.db.city_id("lucca").await.unwrap();
        let sports = t.db.sector_id(lucca, "sports").await.unwrap();
        let statuses = [AdhesionStatus::Pending, AdhesionStatus::Approved];
        let mut matched = 0;
        for search in ["", "nuoto", "SERCHIO", "o", "no such name"] {
            let filter = AdhesionFilter {
                statuses: &statuses,
                sector_id: Some(sports),
                search: Some(search),
                listed_only: true,
            };
            let (rows, total) = t.db.adhesions(pact, &filter, 1000, 0).await.unwrap();
            let got: Vec<i64> = rows.iter().map(|r| r.id).collect();
            // The same rows, in the same order, as filtering the whole list by hand.
            let want: Vec<i64> = all
                .iter()
                .filter(|r| statuses.contains(&r.status) && r.listed)
                .filter(|r| r.sector_id == Some(sports))
                .filter(|r| domain::name_key(&r.organisation).contains(&search.to_lowercase()))
                .map(|r| r.id)
                .collect();
            assert_eq!(got, want, "{b}: {search:?}");
            assert_eq!(total as usize, want.len(), "{b}: {search:?}");
            matched += want.len();
        }
        assert!(matched > 0, "{b}: the filters found nothing to compare");
    }
}
