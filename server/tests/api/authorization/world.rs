//! The people and records the authorisation matrix runs against, on one server: a session for
//! each kind of person and a fresh record for each call that may change or use one up.

use super::snapshot::{Snapshot, Tables};
use crate::helpers::{browser, TestApp};
use chrono::{Duration, Utc};
use domain::{Role, Tags};

/// City A, which belongs to cluster X and has a pact with approved adherents.
pub const A: &str = "torino";
/// City B, in no cluster: another city with a pact of its own.
pub const B: &str = "lucca";
/// City C, another member of cluster X.
pub const C: &str = "chengdu";
pub const X: &str = "entrepreneurship";
/// Cluster Y, which none of A, B and C belongs to.
pub const Y: &str = "equity-inclusion";

/// Who asks: the matrix's columns, in order.
pub const WHO: [&str; 8] = ["anon", "user", "A", "B", "C", "X", "Y", "admin"];
const ADMIN: usize = 7;

/// Whose meeting: city A's or cluster X's.
#[derive(Clone, Copy, Debug)]
pub enum Of {
    A,
    X,
}

/// What a call is done to, always a record of city A or cluster X (or of the whole network),
/// except the `…Via…` ones, which name another city's or cluster's page with A's or X's record.
#[derive(Clone, Copy, Debug)]
pub enum Target {
    NewMeeting(Of),
    EditMeeting(Of),
    CancelMeeting(Of),
    DeleteMeeting(Of),
    MoveDate(Of),
    CancelDate(Of),
    ReinstateDate(Of),
    RemoveRegistrant(Of),
    MessageRegistrants(Of),
    /// A's registrant moved to a date of B's meeting.
    MoveRegistrantToB,
    DecideAdhesion,
    EditAdhesion,
    SavePact,
    AddPartner,
    RemovePartner,
    RemovePartnerViaB,
    AddCommitment,
    EditCommitment,
    EditCommitmentViaB,
    AddSector,
    RemoveSector,
    RemoveSectorViaB,
    Invite,
    /// A's table invited to B's meeting.
    InviteToB,
    AllowOrigin,
    ForbidOrigin,
    AllowNetworkOrigin,
    ForbidNetworkOrigin,
    SharePractice,
    EditPractice,
    DeletePractice,
    DeletePracticeViaY,
    CityProfile,
    CityFacts,
    ClusterRole,
    ClusterProfile,
    GrantRole,
    RevokeRole,
}

impl Target {
    /// The server function it is called through.
    pub fn endpoint(self) -> &'static str {
        use Target::*;
        match self {
            NewMeeting(_) | EditMeeting(_) => "save_meeting",
            CancelMeeting(_) => "cancel_meeting",
            DeleteMeeting(_) => "delete_meeting",
            MoveDate(_) => "move_date",
            CancelDate(_) => "cancel_date",
            ReinstateDate(_) => "reinstate_date",
            RemoveRegistrant(_) | MoveRegistrantToB => "manage_registration",
            MessageRegistrants(_) => "message_registrants",
            DecideAdhesion => "pact_decide",
            EditAdhesion => "pact_edit",
            SavePact => "pact_save",
            AddPartner | RemovePartner | RemovePartnerViaB => "pact_partner",
            AddCommitment | EditCommitment | EditCommitmentViaB => "pact_commitment",
            AddSector | RemoveSector | RemoveSectorViaB => "pact_sector",
            Invite | InviteToB => "pact_invite",
            AllowOrigin | AllowNetworkOrigin => "allow_origin",
            ForbidOrigin | ForbidNetworkOrigin => "forbid_origin",
            SharePractice | EditPractice => "save_practice",
            DeletePractice | DeletePracticeViaY => "delete_practice",
            CityProfile => "update_city_profile",
            CityFacts => "update_city_facts",
            ClusterRole => "set_cluster_role",
            ClusterProfile => "update_cluster_profile",
            GrantRole => "grant_role",
            RevokeRole => "revoke_role",
        }
    }

    pub fn label(self) -> String {
        format!("{} {self:?}", self.endpoint())
    }
}

/// One prepared call: its form and the tables it must change when it is allowed.
pub struct Call {
    endpoint: &'static str,
    form: Vec<(String, String)>,
    multipart: bool,
    pub touches: &'static [&'static str],
}

/// A form's fields written as `name=value&…`, unencoded: no value here holds `&` or `=`.
fn form(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .map(|pair| pair.split_once('=').expect("name=value"))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

pub struct World<'a> {
    pub app: &'a TestApp,
    /// One browser per column of [`WHO`]; the anonymous one never signs in.
    clients: Vec<reqwest::Client>,
    admin_id: i64,
    a: i64,
    x: i64,
    pact_a: i64,
    version_a: i64,
    sector_a: i64,
    commitment_a: i64,
    /// A date of a meeting of city B.
    date_b: i64,
    meeting_b: i64,
    snapshot: Snapshot,
    /// Makes every name, address and text this world writes its own.
    n: usize,
}

impl<'a> World<'a> {
    pub async fn new(app: &'a TestApp) -> World<'a> {
        let (a, b, c) = (app.city(A).await, app.city(B).await, app.city(C).await);
        let (x, y) = (app.cluster(X).await, app.cluster(Y).await);
        let roles: [(&str, &[Role]); 7] = [
            ("user@example.org", &[]),
            ("a@example.org", &[Role::City(a)]),
            ("b@example.org", &[Role::City(b)]),
            ("c@example.org", &[Role::City(c)]),
            ("x@example.org", &[Role::Cluster(x)]),
            ("y@example.org", &[Role::Cluster(y)]),
            ("admin@example.org", &[Role::Admin]),
        ];
        let mut clients = vec![browser()];
        let mut admin_id = 0;
        for (email, roles) in roles {
            let id = app.user(email, "en", roles).await;
            if roles == [Role::Admin] {
                admin_id = id;
            }
            clients.push(app.signed_in(email).await);
        }
        let pact_a = app.db.pact_of_city(a).await.unwrap().unwrap().id;
        let version_a = app.db.pact_versions(pact_a).await.unwrap()[0].id;
        let sector_a = app.db.sectors_of(a).await.unwrap()[0].id;
        let commitment_a = app.db.pact_commitments(pact_a).await.unwrap()[0].id;
        let mut world = World {
            app,
            clients,
            admin_id,
            a,
            x,
            pact_a,
            version_a,
            sector_a,
            commitment_a,
            date_b: 0,
            meeting_b: 0,
            snapshot: Snapshot::new(&app.db).await,
            n: 0,
        };
        let (meeting_b, dates) = world.meeting("city:lucca").await;
        (world.meeting_b, world.date_b) = (meeting_b, dates[0]);
        world
    }

    pub async fn snapshot(&self) -> Tables {
        self.snapshot.take(&self.app.db).await
    }

    fn next(&mut self) -> usize {
        self.n += 1;
        self.n
    }

    /// Sends `call` as the person of column `who`, as the page does with JavaScript.
    pub async fn send(&self, call: &Call, who: usize) -> (u16, String) {
        let client = &self.clients[who];
        if !call.multipart {
            let pairs: Vec<(&str, &str)> = call
                .form
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            return self.app.call(client, call.endpoint, &pairs).await;
        }
        let mut multipart = reqwest::multipart::Form::new();
        for (k, v) in &call.form {
            multipart = multipart.text(k.clone(), v.clone());
        }
        let res = client
            .post(format!("{}/api/{}", self.app.base, call.endpoint))
            .header("Origin", &self.app.base)
            .multipart(multipart)
            .send()
            .await
            .unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    }

    /// Something the administrator does to set a record up; it must work.
    async fn setup(&self, endpoint: &str, query: &str) {
        let fields = form(query);
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (&**k, &**v)).collect();
        let admin = &self.clients[ADMIN];
        let (status, body) = self.app.call(admin, endpoint, &pairs).await;
        assert_eq!(status, 200, "{} {endpoint}: {body}", self.app.backend);
    }

    /// A new meeting of `owner` (`city:…` or `cluster:…`), its id and its two dates.
    async fn meeting(&mut self, owner: &str) -> (i64, Vec<i64>) {
        let title = format!("Matrix meeting {}", self.next());
        self.setup("save_meeting", &meeting_form(owner, &title))
            .await;
        self.app.meeting_titled(&title).await
    }

    /// A new meeting with someone registered for its first date: the date and the registration.
    async fn registrant(&mut self, owner: &str) -> (i64, i64) {
        let (_, dates) = self.meeting(owner).await;
        let email = format!("guest{}@example.org", self.next());
        self.app.register_and_confirm(dates[0], &email).await;
        let rows = self.app.db.registrations(dates[0]).await.unwrap();
        let row = rows.iter().find(|r| r.email == email).unwrap();
        (dates[0], row.id)
    }

    /// A confirmed adhesion to A's pact, waiting for a decision.
    async fn adhesion(&mut self) -> i64 {
        let n = self.next();
        let (organisation, email) = (
            format!("Matrix {n} (example)"),
            format!("org{n}@example.org"),
        );
        let details = db::pacts::Details {
            organisation: &organisation,
            legal_form: "association",
            sector_id: Some(self.sector_a),
            tax_code: None,
            address: "Via Roma 1, Torino",
            position: None,
            website: None,
            phone: "",
            listed: false,
            commitments: &[self.commitment_a],
        };
        let (confirm, manage) = (format!("confirm-{n}"), format!("manage-{n}"));
        let now = Utc::now().timestamp();
        let mut tx = self.app.db.begin_write().await.unwrap();
        let adhesion = db::pacts::NewAdhesion {
            pact_id: self.pact_a,
            version_id: self.version_a,
            details: &details,
            contact_name: "Giulia Bianchi",
            email: &email,
            representative: "Marco Rossi",
            locale: "it",
            confirm_hash: &confirm,
            confirm_expires_at: now + 3600,
        };
        let id = db::pacts::create_adhesion(&mut tx, &adhesion, &organisation, now)
            .await
            .unwrap()
            .unwrap();
        db::pacts::confirm_adhesion(&mut tx, &confirm, &manage, now)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        id
    }

    /// A new frame origin of city A (`Some`) or of the network (`None`).
    async fn origin(&mut self, city: Option<i64>) -> i64 {
        let origin = format!("https://set-up-{}.example.org", self.next());
        let mut tx = self.app.db.begin_write().await.unwrap();
        let id = db::frames::add_frame_origin(&mut tx, city, &origin, Utc::now().timestamp())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        id
    }

    /// A new practice of city A in cluster X.
    async fn practice(&mut self) -> i64 {
        let title = format!("Set-up practice {}", self.next());
        let tags = Tags::parse("youth").unwrap();
        let practice = db::practices::NewPractice {
            cluster_id: self.x,
            city_id: self.a,
            title: &title,
            summary: "Apprenticeships with the city's firms.",
            link: "https://example.org/practices/set-up",
            language: "it",
            tags: &tags,
        };
        let mut tx = self.app.db.begin_write().await.unwrap();
        let now = Utc::now().timestamp();
        let id = db::practices::create(&mut tx, &practice, self.admin_id, now)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        id
    }

    /// A fresh record for `target` (where a call may change or use one up) and the call.
    pub async fn prepare(&mut self, target: Target) -> Call {
        use Target::*;
        let n = self.next();
        let owner = |of: Of| match of {
            Of::A => format!("city:{A}"),
            Of::X => format!("cluster:{X}"),
        };
        let day = (Utc::now() + Duration::days(9)).date_naive();
        let (query, touches): (String, &'static [&'static str]) = match target {
            NewMeeting(of) => (
                meeting_form(&owner(of), &format!("New meeting {n}")),
                &["meetings", "occurrences", "audit_log"],
            ),
            EditMeeting(of) => {
                let (id, _) = self.meeting(&owner(of)).await;
                let fields = meeting_form(&owner(of), &format!("Edited meeting {n}"));
                (format!("{fields}&id={id}"), &["meetings", "audit_log"])
            }
            CancelMeeting(of) => {
                let (id, _) = self.meeting(&owner(of)).await;
                (format!("lang=en&id={id}"), &["meetings", "audit_log"])
            }
            DeleteMeeting(of) => {
                let (id, _) = self.meeting(&owner(of)).await;
                let query = format!("lang=en&id={id}&confirm=yes");
                (query, &["meetings", "occurrences", "audit_log"])
            }
            MoveDate(of) => {
                let date = self.meeting(&owner(of)).await.1[0];
                let query = format!("lang=en&occurrence={date}&start={day}T10:00&end={day}T11:00");
                (query, &["occurrences", "audit_log"])
            }
            CancelDate(of) => {
                let date = self.meeting(&owner(of)).await.1[0];
                let query = format!("lang=en&occurrence={date}");
                (query, &["occurrences", "audit_log"])
            }
            ReinstateDate(of) => {
                let date = self.meeting(&owner(of)).await.1[0];
                let query = format!("lang=en&occurrence={date}");
                self.setup("cancel_date", &query).await;
                (query, &["occurrences", "audit_log"])
            }
            RemoveRegistrant(of) => {
                let (_, id) = self.registrant(&owner(of)).await;
                let query = format!("lang=en&registration={id}&action=remove");
                (query, &["registrations", "outbox", "audit_log"])
            }
            MessageRegistrants(of) => {
                let (date, _) = self.registrant(&owner(of)).await;
                let query = format!("lang=en&occurrence={date}&subject=From the matrix&body=Hi.");
                (query, &["outbox", "audit_log"])
            }
            MoveRegistrantToB => {
                let (_, id) = self.registrant(&owner(Of::A)).await;
                let to = self.date_b;
                let query = format!("lang=en&registration={id}&action=move&target={to}");
                (query, &[])
            }
            DecideAdhesion => {
                let id = self.adhesion().await;
                let query = format!("lang=en&id={id}&decision=approve");
                (query, &["adhesions", "outbox", "audit_log"])
            }
            EditAdhesion => {
                let id = self.adhesion().await;
                let sector = &self.app.db.sectors_of(self.a).await.unwrap()[0].slug;
                let query = format!(
                    "lang=en&id={id}&organisation=Edited {n} (example)&legal_form=association\
                     &sector={sector}&address=Via Roma 2, Torino&contact_name=Giulia Bianchi\
                     &representative=Marco Rossi&commitments[]={}",
                    self.commitment_a
                );
                (query, &["adhesions", "audit_log"])
            }
            SavePact => {
                let query = format!(
                    "lang=en&slug={A}&title_en=Torino Pact&title_it=Patto torinese\
                     &signed_on=2021-10-27&text_en=Text {n}.&text_it=Testo {n}."
                );
                (query, &["pact_versions", "audit_log"])
            }
            AddPartner => {
                let query = format!("lang=en&slug={A}&name=Partner {n}");
                (query, &["pact_partners", "audit_log"])
            }
            RemovePartner | RemovePartnerViaB => {
                let name = format!("Set-up partner {n}");
                let mut tx = self.app.db.begin_write().await.unwrap();
                let id = db::pacts::save_partner(&mut tx, self.pact_a, None, &name, "", "", None)
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
                let slug = [A, B][matches!(target, RemovePartnerViaB) as usize];
                let query = format!("lang=en&slug={slug}&id={id}&remove=yes");
                (query, &["pact_partners", "audit_log"])
            }
            AddCommitment => {
                let query = format!(
                    "lang=en&slug={A}&key=matrix-{n}&label_en=Mentor&label_it=Fare da mentori"
                );
                (query, &["pact_commitments", "audit_log"])
            }
            EditCommitment | EditCommitmentViaB => {
                let key = format!("set-up-{n}");
                let mut tx = self.app.db.begin_write().await.unwrap();
                let pact = self.pact_a;
                let id = db::pacts::save_commitment(&mut tx, pact, None, &key, "Set", "Set", false)
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
                let slug = [A, B][matches!(target, EditCommitmentViaB) as usize];
                let query =
                    format!("lang=en&slug={slug}&id={id}&key={key}&label_en=New&label_it=Nuovo");
                (query, &["pact_commitments", "audit_log"])
            }
            AddSector => {
                let query = format!(
                    "lang=en&slug={A}&key=matrix-{n}&name_en=Libraries&name_it=Biblioteche"
                );
                (query, &["sectors", "audit_log"])
            }
            RemoveSector | RemoveSectorViaB => {
                let key = format!("set-up-{n}");
                let mut tx = self.app.db.begin_write().await.unwrap();
                let id = db::network::save_sector(&mut tx, self.a, None, &key, "Set", "Set")
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
                let slug = [A, B][matches!(target, RemoveSectorViaB) as usize];
                let query = format!("lang=en&slug={slug}&id={id}&remove=yes");
                (query, &["sectors", "audit_log"])
            }
            Invite | InviteToB => {
                let meeting = match target {
                    Invite => self.meeting(&owner(Of::A)).await.0,
                    _ => self.meeting_b,
                };
                let query = format!("lang=en&slug={A}&meeting={meeting}");
                (query, &["pact_invitations", "outbox", "audit_log"])
            }
            AllowOrigin | AllowNetworkOrigin => {
                let city = [A, ""][matches!(target, AllowNetworkOrigin) as usize];
                let query = format!("lang=en&city={city}&origin=https://site-{n}.example.org");
                (query, &["frame_origins", "audit_log"])
            }
            ForbidOrigin | ForbidNetworkOrigin => {
                let (city, slug) = match target {
                    ForbidOrigin => (Some(self.a), A),
                    _ => (None, ""),
                };
                let id = self.origin(city).await;
                let query = format!("lang=en&city={slug}&id={id}");
                (query, &["frame_origins", "audit_log"])
            }
            SharePractice | EditPractice => {
                let id = match target {
                    EditPractice => self.practice().await.to_string(),
                    _ => String::new(),
                };
                let query = format!(
                    "lang=en&slug={X}&id={id}&city={A}&title=Practice {n}\
                     &summary=Apprenticeships with firms.&link=https://example.org/practice\
                     &language=it&tags=Work-based learning, youth"
                );
                (query, &["practices", "audit_log"])
            }
            DeletePractice | DeletePracticeViaY => {
                let id = self.practice().await;
                let slug = [X, Y][matches!(target, DeletePracticeViaY) as usize];
                let query = format!("lang=en&slug={slug}&id={id}&confirm=yes");
                (query, &["practices", "audit_log"])
            }
            CityProfile => {
                let query = format!(
                    "lang=en&slug={A}&description_en=Profile {n}&description_it=Profilo {n}\
                     &website="
                );
                (query, &["cities", "audit_log"])
            }
            CityFacts => {
                let latitude = 45.0705 + n as f64 / 10_000.0;
                let query = format!(
                    "lang=en&slug={A}&name_en=Turin&name_it=Torino&latitude={latitude:.4}\
                     &longitude=7.6868&joined=2016"
                );
                (query, &["cities", "audit_log"])
            }
            ClusterRole => {
                let mut tx = self.app.db.begin_write().await.unwrap();
                db::network::set_cluster_role(&mut tx, self.a, self.x, Some(true))
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
                let query = format!("lang=en&slug={A}&cluster={X}&role=member");
                (query, &["city_clusters", "audit_log"])
            }
            ClusterProfile => {
                let query =
                    format!("lang=en&slug={X}&description_en=Profile {n}&description_it=Profilo");
                (query, &["clusters", "audit_log"])
            }
            GrantRole => {
                let query = format!(
                    "lang=en&email=invited{n}@example.org&name=Invited&locale=en&kind=city\
                     &target={A}"
                );
                (query, &["users", "grants", "outbox", "audit_log"])
            }
            RevokeRole => {
                let email = format!("holder{n}@example.org");
                let id = self.app.user(&email, "en", &[Role::City(self.a)]).await;
                let query = format!("lang=en&user_id={id}&kind=city&target={A}");
                (query, &["grants", "audit_log"])
            }
        };
        Call {
            endpoint: target.endpoint(),
            form: form(&query),
            // The adhesion form carries a logo, so it is only ever sent as multipart.
            multipart: matches!(target, EditAdhesion),
            touches,
        }
    }
}

/// A meeting form as the page sends it: two weekly online dates from next week, with seats.
fn meeting_form(owner: &str, title: &str) -> String {
    let day = (Utc::now() + Duration::days(7)).date_naive();
    format!(
        "lang=en&owner={owner}&title={title}&language=en&audience=signatories&mode=online\
         &online_link=https://meet.example.org/matrix&timezone=Europe/Rome\
         &start={day}T17:30&end={day}T19:00&repeat=weekly&count=2&registration=yes&capacity=5"
    )
}
