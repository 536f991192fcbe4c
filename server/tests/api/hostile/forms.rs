//! What each server function's form sends when filled in by a person: the valid neighbours a
//! hostile value travels with, so that it gets past the other fields' parsing to the code
//! behind; the length limits of its text fields; and the page the form is on, for posts
//! without JavaScript. A server function missing here (one added later) still gets every case,
//! with [`GENERIC`] fields.

use crate::helpers::{TestApp, PASSWORD};
use chrono::{Duration, Utc};

/// The city, the cluster and the member of that cluster the records belong to.
pub const CITY: &str = "lucca";
pub const CLUSTER: &str = "entrepreneurship";
pub const MEMBER: &str = "torino";

/// Fields for a server function this table does not know: the names most of them take.
pub const GENERIC: &str = "lang=en&slug=lucca&id=1&token=made-up-token&email=ada@example.org";

/// Records of the demo network and of the set-up, which the forms name.
pub struct Fixtures {
    pub meeting: i64,
    pub occurrence: i64,
    /// A meeting the forms that cancel, move or delete may do so to.
    pub spare_occurrence: i64,
    pub spare_meeting: i64,
    pub registration: i64,
    pub adhesion: i64,
    pub practice: i64,
    pub origin: i64,
    /// Someone holding a city role that `revoke_role` may take.
    pub holder: i64,
    pub partner: i64,
    pub commitment: (i64, String),
    pub sector: (i64, String),
}

/// A form written as `name=value&…`, unencoded: no value here holds `&` or `=`.
fn pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

/// The fields a server function missing from [`realistic`] gets.
pub fn generic() -> Vec<(String, String)> {
    pairs(GENERIC)
}

/// The form of the server function at `endpoint` (its path less `/api/`), if known.
pub fn realistic(endpoint: &str, f: &Fixtures) -> Option<Vec<(String, String)>> {
    let day = (Utc::now() + Duration::days(9)).date_naive();
    let (c, s) = (&f.commitment, &f.sector);
    let token = "lang=en&token=made-up-token";
    let query = match endpoint {
        "me" | "dashboard" | "people" | "outbox" | "pact_cities" => String::new(),
        "sign_in" => "lang=en&email=nobody@example.org&password=not the password".into(),
        "sign_out" => "lang=en".into(),
        "request_reset" => "lang=en&email=nobody@example.org".into(),
        "reset_password" => format!("{token}&password=a long new password&confirm=another one"),
        "accept_invitation" => {
            format!("{token}&name=Ada&password=a long new password&confirm=another one")
        }
        // The right current password, so that the new ones are read, and two that differ, so
        // that nothing is ever changed.
        "change_password" => {
            format!("lang=en&current={PASSWORD}&password=a long new password&confirm=another one")
        }
        "change_email" => "lang=en&current=not the password&email=new@example.org".into(),
        "confirm_email"
        | "registration"
        | "confirm_registration"
        | "cancel_registration"
        | "replace_registration_link"
        | "pact_confirmation"
        | "pact_confirm"
        | "pact_adhesion"
        | "pact_invitation"
        | "pact_accept" => token.into(),
        "pact_withdraw" => format!("{token}&confirm=yes"),
        "link_valid" => "token=made-up-token&purpose=reset".into(),
        "managed_meetings" => "lang=en&past=false&page=1".into(),
        "meeting_draft" => format!("lang=en&id={}&owner=city:{CITY}", f.meeting),
        "save_meeting" => format!(
            "lang=en&owner=city:{CITY}&title=Tavolo&description=Un incontro.&sector=\
             &language=it&audience=signatories&mode=in-person&place=Sala&address=Via Roma 1\
             &latitude=43.8430&longitude=10.5050&online_link=&timezone=Europe/Rome\
             &start={day}T17:30&end={day}T19:00&repeat=weekly&count=2&until=&exceptions=\
             &capacity=5&registration=yes&opens=&closes=&reminders=24h"
        ),
        "cancel_meeting" => format!("lang=en&id={}", f.spare_meeting),
        // Without `confirm`, so that it is never deleted.
        "delete_meeting" => format!("lang=en&id={}", f.spare_meeting),
        "move_date" => format!(
            "lang=en&occurrence={}&start={day}T10:00&end={day}T11:00",
            f.spare_occurrence
        ),
        "cancel_date" | "reinstate_date" => {
            format!("lang=en&occurrence={}", f.spare_occurrence)
        }
        "attendees" => format!("lang=en&occurrence={}", f.occurrence),
        "manage_registration" => format!(
            "lang=en&registration={}&action=move&target={}",
            f.registration, f.spare_occurrence
        ),
        "message_registrants" => format!(
            "lang=en&occurrence={}&subject=Hello&body=See you there.",
            f.occurrence
        ),
        "calendar" => format!("lang=en&query=city={CITY}"),
        "meeting" => format!("lang=en&id={}", f.occurrence),
        "register" => format!(
            "lang=en&occurrence={}&name=Ada&email=ada@example.org&organisation=Biblioteca\
             &needs=&consent=yes&website=",
            f.occurrence
        ),
        "cluster_page" => format!("lang=en&slug={CLUSTER}"),
        "practices" => format!("slug={CLUSTER}"),
        "practice_form" => format!("slug={CLUSTER}&id={}", f.practice),
        "save_practice" => format!(
            "lang=en&slug={CLUSTER}&id=&city={MEMBER}&title=Practice&summary=With firms.\
             &link=https://example.org/practice&language=it&tags=youth"
        ),
        "delete_practice" => format!("lang=en&slug={CLUSTER}&id={}", f.practice),
        "city_profile" | "city_placing" => format!("slug={CITY}"),
        "update_city_profile" => format!(
            "lang=en&slug={CITY}&description_en=Profile&description_it=Profilo\
             &website=https://example.org/"
        ),
        "cluster_profile" => format!("slug={CLUSTER}"),
        "update_cluster_profile" => {
            format!("lang=en&slug={CLUSTER}&description_en=Profile&description_it=Profilo")
        }
        "grant_role" => format!(
            "lang=en&email=invited@example.org&name=Invited&locale=en&kind=city&target={CITY}"
        ),
        "revoke_role" => format!("lang=en&user_id={}&kind=city&target={CITY}", f.holder),
        "audit_log" => "before=1000000".into(),
        "update_city_facts" => format!(
            "lang=en&slug={CITY}&name_en=Lucca&name_it=Lucca&latitude=43.8430\
             &longitude=10.5050&joined=2016"
        ),
        "set_cluster_role" => format!("lang=en&slug={CITY}&cluster={CLUSTER}&role=member"),
        "embed_builder" => format!("lang=en&city={CITY}"),
        "allow_origin" => format!("lang=en&city={CITY}&origin=https://comune.example.org"),
        "forbid_origin" => format!("lang=en&city={CITY}&id={}", f.origin),
        "city_places" => format!("slug={CITY}&sector="),
        "world_map" => format!("filter[cluster]={CLUSTER}&filter[q]=luc"),
        "pact_queue" => format!("lang=en&slug={CITY}&query=status=pending"),
        "pact_adhesion_admin" => format!("lang=en&id={}", f.adhesion),
        "pact_decide" => format!("lang=en&id={}&decision=approve&reason=", f.adhesion),
        "pact_admin" | "pact_table" | "pact_form" => format!("lang=en&slug={CITY}"),
        "pact_save" => format!(
            "lang=en&slug={CITY}&title_en=Lucca Pact&title_it=Patto lucchese\
             &signed_on=2021-10-27&text_en=Text.&text_it=Testo."
        ),
        "pact_partner" => format!(
            "lang=en&slug={CITY}&id={}&name=Partner&role_en=Host&role_it=Ospite\
             &website=https://example.org/",
            f.partner
        ),
        "pact_commitment" => format!(
            "lang=en&slug={CITY}&id={}&key={}&label_en=Mentor&label_it=Mentore",
            c.0, c.1
        ),
        "pact_sector" => format!(
            "lang=en&slug={CITY}&id={}&key={}&name_en=Libraries&name_it=Biblioteche",
            s.0, s.1
        ),
        "pact_invite" => format!(
            "lang=en&slug={CITY}&meeting={}&sectors[]={}",
            f.meeting, s.1
        ),
        "pact" => format!("lang=en&slug={CITY}&query="),
        "pact_resend" => format!("lang=en&slug={CITY}&email=nobody@example.org"),
        "pact_certificate" => format!("lang=en&slug={CITY}&id={}", f.adhesion),
        // The two functions without an endpoint name: `get_city` and `get_overview`, whose
        // path ends with a hash.
        e if e.starts_with("get_city") => format!("slug={CITY}"),
        e if e.starts_with("get_overview") => String::new(),
        _ => return None,
    };
    Some(pairs(&query))
}

/// The multipart forms: the pact sign-up, its update by the organisation and its edit by a
/// coordinator.
pub fn multipart(endpoint: &str, f: &Fixtures) -> Option<Vec<(String, String)>> {
    let common = "organisation=Biblioteca civica&legal_form=association&sector=museums-culture\
         &address=Via Fillungo 1, Lucca&contact_name=Giulia Bianchi&representative=Marco Rossi";
    let query = match endpoint {
        "pact_join" => format!(
            "lang=en&slug={CITY}&{common}&tax_code=&latitude=43.8441&longitude=10.5049\
             &website=https://example.org/&email=giulia@example.org&phone=+39 0583 000000\
             &authority=yes&privacy=yes&listed=yes&commitments[]={}",
            f.commitment.0
        ),
        "pact_update" => format!("lang=en&token=made-up-token&{common}"),
        "pact_edit" => format!(
            "lang=en&id={}&{common}&commitments[]={}",
            f.adhesion, f.commitment.0
        ),
        _ => return None,
    };
    Some(pairs(&query))
}

/// Stored text fields and the most characters each admits: one more must be refused as too
/// long, that many must not be; control characters (a NUL above all, which PostgreSQL cannot
/// store and SQLite would) must be refused too.
pub const LIMITS: &[(&str, &str, usize)] = {
    use app::calendar::manage::ops as meetings;
    use app::calendar::ops as registrations;
    use domain::Name;
    &[
        ("save_meeting", "title", meetings::MAX_TITLE),
        ("save_meeting", "description", meetings::MAX_DESCRIPTION),
        ("save_meeting", "place", meetings::MAX_PLACE),
        ("save_meeting", "address", meetings::MAX_PLACE),
        ("message_registrants", "subject", meetings::MAX_SUBJECT),
        ("message_registrants", "body", meetings::MAX_MESSAGE),
        ("register", "name", Name::MAX_CHARS),
        ("register", "organisation", registrations::MAX_ORGANISATION),
        ("register", "needs", registrations::MAX_NEEDS),
        ("grant_role", "name", 100),
        ("accept_invitation", "name", 100),
        ("update_city_profile", "description_en", 4000),
        ("update_city_profile", "description_it", 4000),
        ("update_cluster_profile", "description_en", 4000),
        ("update_cluster_profile", "description_it", 4000),
        ("update_city_facts", "name_en", Name::MAX_CHARS),
        ("save_practice", "title", Name::MAX_CHARS),
        ("save_practice", "summary", 2000),
        ("pact_save", "title_en", 200),
        ("pact_save", "text_en", 50_000),
        ("pact_partner", "name", Name::MAX_CHARS),
        ("pact_partner", "role_en", 200),
        ("pact_commitment", "label_en", 200),
        ("pact_sector", "name_en", 200),
        ("pact_decide", "reason", 1000),
        ("pact_join", "organisation", Name::MAX_CHARS),
        ("pact_join", "contact_name", Name::MAX_CHARS),
        ("pact_join", "address", 300),
        ("pact_edit", "representative", Name::MAX_CHARS),
    ]
};

/// Fields that take a web address: a `javascript:` one must be refused. (The sign-up's
/// `website` is not one: it is the field only bots fill in.)
pub const URLS: &[(&str, &str)] = &[
    ("save_meeting", "online_link"),
    ("save_practice", "link"),
    ("update_city_profile", "website"),
    ("pact_partner", "website"),
    ("allow_origin", "origin"),
];

/// The page each form is on: a post without JavaScript goes back there with its error. (The
/// forms behind a personal link are left out: with a made-up link their page shows no form.)
pub fn page_of(endpoint: &str, f: &Fixtures) -> Option<String> {
    let path = match endpoint {
        "sign_in" => "account/sign-in".to_owned(),
        "request_reset" => "account/reset".to_owned(),
        "change_password" | "change_email" => "account".to_owned(),
        "register" => format!("meetings/{}", f.occurrence),
        "save_meeting" => "coordinate/meetings/new".to_owned(),
        "move_date" => format!("coordinate/occurrences/{}", f.spare_occurrence),
        "message_registrants" => format!("coordinate/occurrences/{}", f.occurrence),
        "update_city_profile" => format!("coordinate/cities/{CITY}"),
        "update_city_facts" => format!("coordinate/cities/{CITY}/map"),
        "update_cluster_profile" => format!("coordinate/clusters/{CLUSTER}"),
        "grant_role" => "coordinate/people".to_owned(),
        "save_practice" => format!("clusters/{CLUSTER}/practices/new"),
        "pact_save" => format!("coordinate/pacts/{CITY}/settings"),
        "pact_resend" => format!("cities/{CITY}/pact/resend"),
        "pact_join" => format!("cities/{CITY}/pact/join"),
        "pact_edit" => format!("coordinate/adhesions/{}", f.adhesion),
        "allow_origin" => "coordinate/embed".to_owned(),
        _ => return None,
    };
    Some(format!("/en/{path}"))
}

impl TestApp {
    /// The records the forms name, made through the real forms where one exists.
    pub async fn fixtures(&self, admin: &reqwest::Client) -> Fixtures {
        let city = self.city(CITY).await;
        let new_meeting = |title: &'static str| async move {
            let mut form = realistic("save_meeting", &Fixtures::blank()).unwrap();
            form.retain(|(k, _)| k != "title");
            form.push(("title".into(), title.into()));
            let form: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let (status, body) = self.call(admin, "save_meeting", &form).await;
            assert_eq!(status, 200, "{}: {body}", self.backend);
            self.meeting_titled(title).await
        };
        let (meeting, dates) = new_meeting("Fixture meeting").await;
        let (spare_meeting, spare) = new_meeting("Spare meeting").await;
        self.register_and_confirm(dates[0], "registrant@example.org")
            .await;
        let registration = self.db.registrations(dates[0]).await.unwrap()[0].id;
        let pact = self.db.pact_of_city(city).await.unwrap().expect("a pact");
        let (adhesions, _) = self
            .db
            .adhesions(pact.id, &Default::default(), 1, 0)
            .await
            .unwrap();
        let commitment = self.db.pact_commitments(pact.id).await.unwrap().remove(0);
        let partner = self.db.pact_partners(pact.id).await.unwrap().remove(0);
        let sector = self.db.sectors_of(city).await.unwrap().remove(0);
        let cluster = self.cluster(CLUSTER).await;
        let form = realistic("save_practice", &Fixtures::blank()).unwrap();
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let (status, body) = self.call(admin, "save_practice", &form).await;
        assert_eq!(status, 200, "{}: {body}", self.backend);
        let practice = self.db.practices(cluster, Some(1)).await.unwrap().remove(0);
        let origin = "https://fixture.example.org";
        let (status, body) = self
            .call(
                admin,
                "allow_origin",
                &[("lang", "en"), ("city", CITY), ("origin", origin)],
            )
            .await;
        assert_eq!(status, 200, "{}: {body}", self.backend);
        let origin = self
            .db
            .frame_origins(Some(city))
            .await
            .unwrap()
            .into_iter()
            .find(|o| o.origin == origin)
            .expect("the origin allowed")
            .id;
        let holder = self
            .user("holder@example.org", "en", &[domain::Role::City(city)])
            .await;
        Fixtures {
            meeting,
            occurrence: dates[0],
            spare_meeting,
            spare_occurrence: spare[0],
            registration,
            adhesion: adhesions[0].id,
            practice: practice.id,
            origin,
            holder,
            partner: partner.id,
            commitment: (commitment.id, commitment.slug),
            sector: (sector.id, sector.slug),
        }
    }
}

impl Fixtures {
    /// Ids that name nothing, for forms that need none.
    fn blank() -> Fixtures {
        Fixtures {
            meeting: 0,
            occurrence: 0,
            spare_occurrence: 0,
            spare_meeting: 0,
            registration: 0,
            adhesion: 0,
            practice: 0,
            origin: 0,
            holder: 0,
            partner: 0,
            commitment: (0, String::new()),
            sector: (0, String::new()),
        }
    }
}
