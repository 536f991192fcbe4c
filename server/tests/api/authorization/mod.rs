//! Who may change what: every server function that changes a city's, a cluster's or the
//! network's records, called through the real server by each kind of person, on SQLite and
//! PostgreSQL. Each cell of the matrix below is the answer the call must get; an allowed call
//! must change the tables it writes, a refused one must leave every table as it was. A second
//! test fails when a server function appears that is in neither the matrix nor the lists of
//! public and read-only ones. The server's own routes (feeds, exports, files) are all GETs that
//! change nothing: every write is a server function.

mod snapshot;
mod world;

use crate::helpers::*;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use world::{Of, Target, World, WHO};

/// Columns, as in [`WHO`]: nobody signed in; signed in without a role; the coordinator of city
/// A (Torino, a member of cluster X); of city B (Lucca, in no cluster); of city C (Chengdu,
/// another member of X); of cluster X (entrepreneurship); of cluster Y (equity and inclusion,
/// with none of them); a network administrator. The app's convention: 401 for nobody signed in,
/// 403 for a role that does not reach the record, 404 or 422 for a record that is not where the
/// request says (another city's or cluster's page naming A's or X's record).
#[rustfmt::skip]
const MATRIX: &[(Target, [u16; 8])] = {
    use Of::{A, X};
    use Target::*;
    &[
        //                              anon  user  A    B    C    X    Y    admin
        (NewMeeting(A),                [401, 403, 200, 403, 403, 403, 403, 200]),
        (EditMeeting(A),               [401, 403, 200, 403, 403, 403, 403, 200]),
        (CancelMeeting(A),             [401, 403, 200, 403, 403, 403, 403, 200]),
        (DeleteMeeting(A),             [401, 403, 200, 403, 403, 403, 403, 200]),
        (MoveDate(A),                  [401, 403, 200, 403, 403, 403, 403, 200]),
        (CancelDate(A),                [401, 403, 200, 403, 403, 403, 403, 200]),
        (ReinstateDate(A),             [401, 403, 200, 403, 403, 403, 403, 200]),
        (RemoveRegistrant(A),          [401, 403, 200, 403, 403, 403, 403, 200]),
        (MessageRegistrants(A),        [401, 403, 200, 403, 403, 403, 403, 200]),
        (MoveRegistrantToB,            [401, 403, 422, 403, 403, 403, 403, 422]),
        // A cluster's coordinators run its own meetings, not its member cities'.
        (NewMeeting(X),                [401, 403, 403, 403, 403, 200, 403, 200]),
        (EditMeeting(X),               [401, 403, 403, 403, 403, 200, 403, 200]),
        (CancelMeeting(X),             [401, 403, 403, 403, 403, 200, 403, 200]),
        (DeleteMeeting(X),             [401, 403, 403, 403, 403, 200, 403, 200]),
        (MoveDate(X),                  [401, 403, 403, 403, 403, 200, 403, 200]),
        (CancelDate(X),                [401, 403, 403, 403, 403, 200, 403, 200]),
        (ReinstateDate(X),             [401, 403, 403, 403, 403, 200, 403, 200]),
        (RemoveRegistrant(X),          [401, 403, 403, 403, 403, 200, 403, 200]),
        (MessageRegistrants(X),        [401, 403, 403, 403, 403, 200, 403, 200]),
        (DecideAdhesion,               [401, 403, 200, 403, 403, 403, 403, 200]),
        (EditAdhesion,                 [401, 403, 200, 403, 403, 403, 403, 200]),
        (SavePact,                     [401, 403, 200, 403, 403, 403, 403, 200]),
        (AddPartner,                   [401, 403, 200, 403, 403, 403, 403, 200]),
        (RemovePartner,                [401, 403, 200, 403, 403, 403, 403, 200]),
        (RemovePartnerViaB,            [401, 403, 403, 404, 403, 403, 403, 404]),
        (AddCommitment,                [401, 403, 200, 403, 403, 403, 403, 200]),
        (EditCommitment,               [401, 403, 200, 403, 403, 403, 403, 200]),
        (EditCommitmentViaB,           [401, 403, 403, 404, 403, 403, 403, 404]),
        (AddSector,                    [401, 403, 200, 403, 403, 403, 403, 200]),
        (RemoveSector,                 [401, 403, 200, 403, 403, 403, 403, 200]),
        (RemoveSectorViaB,             [401, 403, 403, 422, 403, 403, 403, 422]),
        (Invite,                       [401, 403, 200, 403, 403, 403, 403, 200]),
        (InviteToB,                    [401, 403, 422, 403, 403, 403, 403, 422]),
        (AllowOrigin,                  [401, 403, 200, 403, 403, 403, 403, 200]),
        (ForbidOrigin,                 [401, 403, 200, 403, 403, 403, 403, 200]),
        (AllowNetworkOrigin,           [401, 403, 403, 403, 403, 403, 403, 200]),
        (ForbidNetworkOrigin,          [401, 403, 403, 403, 403, 403, 403, 200]),
        // Coordinators of member cities share their own city's practices in the cluster's
        // library; C's form offers C only, so naming A is a wrong choice (422).
        (SharePractice,                [401, 403, 200, 403, 422, 200, 403, 200]),
        (EditPractice,                 [401, 403, 200, 403, 403, 200, 403, 200]),
        (DeletePractice,               [401, 403, 200, 403, 403, 200, 403, 200]),
        (DeletePracticeViaY,           [401, 403, 403, 403, 403, 403, 404, 404]),
        (CityProfile,                  [401, 403, 200, 403, 403, 403, 403, 200]),
        (CityFacts,                    [401, 403, 200, 403, 403, 403, 403, 200]),
        (ClusterRole,                  [401, 403, 403, 403, 403, 403, 403, 200]),
        (ClusterProfile,               [401, 403, 403, 403, 403, 200, 403, 200]),
        (GrantRole,                    [401, 403, 403, 403, 403, 403, 403, 200]),
        (RevokeRole,                   [401, 403, 403, 403, 403, 403, 403, 200]),
    ]
};

/// Writes outside the matrix, because no role decides them: anyone's forms (rate-limited),
/// personal links (the link is the authority, tested with their flows), and the signed-in
/// person's own account.
const NOT_ROLE_GATED: &[&str] = &[
    // Anyone's forms.
    "register",
    "pact_join",
    "pact_resend",
    "sign_in",
    "request_reset",
    // Personal links.
    "confirm_registration",
    "cancel_registration",
    "replace_registration_link",
    "pact_confirm",
    "pact_update",
    "pact_withdraw",
    "pact_replace_link",
    "pact_accept",
    "reset_password",
    "accept_invitation",
    "confirm_email",
    // One's own account.
    "sign_out",
    "change_password",
    "change_email",
];

/// Server functions that change nothing: the public reads and the coordinators' (role-gated
/// too, but outside this matrix of writes). The first two have no endpoint name, so their path
/// ends with a hash of where they are.
const READ_ONLY: &[&str] = &[
    "get_overview",
    "get_city",
    "world_map",
    "find_cities",
    "city_places",
    "cluster_page",
    "practices",
    "calendar",
    "meeting",
    "registration",
    "pact",
    "pact_cities",
    "pact_form",
    "pact_confirmation",
    "pact_adhesion",
    "pact_certificate",
    "pact_invitation",
    "me",
    "link_valid",
    // Coordinators' reads.
    "dashboard",
    "managed_meetings",
    "meeting_draft",
    "attendees",
    "pact_queue",
    "pact_adhesion_admin",
    "pact_admin",
    "pact_table",
    "embed_builder",
    "practice_form",
    "city_placing",
    "city_profile",
    "cluster_profile",
    "people",
    "audit_log",
    "outbox",
];

/// What one cell got, and what was wrong with it (empty: as the matrix says).
struct Cell {
    got: u16,
    wrong: String,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_answers_each_kind_of_person_as_the_matrix_says() {
    for test_db in testkit::backends().await {
        let started = std::time::Instant::now();
        let app = spawn_app(test_db, &[]).await;
        let mut world = World::new(&app).await;
        let mut cells: Vec<Vec<Cell>> = Vec::new();
        for (target, expected) in MATRIX {
            // Refused calls share one record, which each of them is checked to leave as it
            // was; every allowed call gets a fresh one, so that none finds its work done.
            let mut shared = None;
            let mut row = Vec::new();
            for (who, &want) in expected.iter().enumerate() {
                let allowed = want == 200;
                let call = match shared.take() {
                    Some(call) if !allowed => call,
                    kept => {
                        shared = kept;
                        world.prepare(*target).await
                    }
                };
                let before = world.snapshot().await;
                let (got, body) = world.send(&call, who).await;
                let changed = snapshot::changed(&before, &world.snapshot().await);
                let mut wrong = Vec::new();
                if got != want {
                    let body: String = body.chars().take(200).collect();
                    wrong.push(format!("answered {got}, not {want} ({body})"));
                }
                if allowed {
                    let missing: Vec<_> = call
                        .touches
                        .iter()
                        .filter(|t| !changed.contains(**t))
                        .collect();
                    if !missing.is_empty() {
                        wrong.push(format!("{missing:?} unchanged (changed: {changed:?})"));
                    }
                } else if !changed.is_empty() {
                    wrong.push(format!("refused, but changed {changed:?}"));
                } else {
                    shared = Some(call);
                }
                let wrong = wrong.join("; ");
                row.push(Cell { got, wrong });
            }
            cells.push(row);
        }
        let printed = matrix(&cells);
        println!("{}, {:.1?}:\n{printed}", app.backend, started.elapsed());
        let broken = cells.iter().flatten().any(|c| !c.wrong.is_empty());
        assert!(!broken, "{}: cells marked * broke:\n{printed}", app.backend);
    }
}

/// The matrix as run: each cell's answer, `*` where it is not what the table says, and why.
fn matrix(cells: &[Vec<Cell>]) -> String {
    let width = MATRIX
        .iter()
        .map(|(t, _)| t.label().len())
        .max()
        .unwrap_or(0);
    let mut out = format!("{:width$}", "");
    for who in WHO {
        let _ = write!(out, " {who:>6}");
    }
    let mut notes = String::new();
    for ((target, _), row) in MATRIX.iter().zip(cells) {
        let _ = write!(out, "\n{:width$}", target.label());
        for (who, cell) in WHO.iter().zip(row) {
            let mark = if cell.wrong.is_empty() { ' ' } else { '*' };
            let _ = write!(out, " {:>5}{mark}", cell.got);
            if !cell.wrong.is_empty() {
                let _ = write!(notes, "\n* {} as {who}: {}", target.label(), cell.wrong);
            }
        }
    }
    out + &notes
}

/// Whether `path` is the server function listed as `name`: its endpoint, or for one without
/// an endpoint name its function's name and a hash.
fn is(path: &str, name: &str) -> bool {
    path.strip_prefix("/api/")
        .and_then(|p| p.strip_prefix(name))
        .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit()))
}

#[test]
fn every_server_function_is_in_the_matrix_or_listed_as_not_role_gated_or_read_only() {
    let paths: BTreeSet<&str> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .collect();
    let tested: BTreeSet<&str> = MATRIX.iter().map(|(t, _)| t.endpoint()).collect();
    let listed: Vec<&str> = tested
        .iter()
        .copied()
        .chain(NOT_ROLE_GATED.iter().copied())
        .chain(READ_ONLY.iter().copied())
        .collect();
    let unlisted: Vec<&&str> = paths
        .iter()
        .filter(|p| !listed.iter().any(|name| is(p, name)))
        .collect();
    assert!(
        unlisted.is_empty(),
        "server functions in neither the authorisation matrix nor NOT_ROLE_GATED or \
         READ_ONLY (a write a role decides needs a row in MATRIX): {unlisted:?}"
    );
    let gone: Vec<&&str> = listed
        .iter()
        .filter(|name| !paths.iter().any(|p| is(p, name)))
        .collect();
    assert!(gone.is_empty(), "listed but no longer served: {gone:?}");
}
