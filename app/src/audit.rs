//! The audit log as the app writes it: who acted ([`Actor`]), what they did ([`Action`], whose
//! verb and record kind are fixed together), to which record and whose it is ([`Target`],
//! [`Scope`]). Every write records itself once, through [`record`], in its own transaction and
//! at the moment the caller took for the write.

use crate::AppError;
use chrono::{DateTime, Utc};
use db::meetings::Owner;
use db::Tx;
use domain::Role;
use serde_json::Value;

/// Who made a change.
#[derive(Clone, Copy, Debug)]
pub enum Actor<'a> {
    /// A signed-in person (`SessionUser::actor`).
    User { id: i64, email: &'a str },
    /// Someone with no session, acting through a link sent to their own address (a password
    /// reset, an invitation, a new address confirmed).
    Link,
    /// An organisation, through its adhesion's own link: named by the adhesion, never by its
    /// people.
    Adhesion(i64),
    /// An administrator at the server's command line.
    CommandLine,
}

impl Actor<'_> {
    fn id(self) -> Option<i64> {
        match self {
            Actor::User { id, .. } => Some(id),
            Actor::Link | Actor::Adhesion(_) | Actor::CommandLine => None,
        }
    }

    fn name(self) -> String {
        match self {
            Actor::User { email, .. } => email.to_owned(),
            Actor::Link => "(link by e-mail)".to_owned(),
            Actor::Adhesion(id) => format!("adhesion {id}"),
            Actor::CommandLine => "command line".to_owned(),
        }
    }
}

/// Whose record it is: the city and cluster whose coordinators may read the entry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    pub city: Option<i64>,
    pub cluster: Option<i64>,
}

impl Scope {
    /// Read by administrators only.
    pub const NETWORK: Scope = Scope {
        city: None,
        cluster: None,
    };

    pub fn city(id: i64) -> Self {
        Scope {
            city: Some(id),
            cluster: None,
        }
    }

    pub fn cluster(id: i64) -> Self {
        Scope {
            city: None,
            cluster: Some(id),
        }
    }

    /// A record of a city within a cluster (a practice, the city's role in the cluster).
    pub fn city_in_cluster(city: i64, cluster: i64) -> Self {
        Scope {
            city: Some(city),
            cluster: Some(cluster),
        }
    }
}

impl From<Role> for Scope {
    fn from(role: Role) -> Self {
        match role {
            Role::Admin => Scope::NETWORK,
            Role::City(id) => Scope::city(id),
            Role::Cluster(id) => Scope::cluster(id),
        }
    }
}

impl From<Owner> for Scope {
    fn from(owner: Owner) -> Self {
        match owner {
            Owner::City(id) => Scope::city(id),
            Owner::Cluster(id) => Scope::cluster(id),
        }
    }
}

/// The record a change was made to.
#[derive(Clone, Debug)]
pub struct Target {
    pub id: String,
    pub scope: Scope,
}

impl Target {
    pub fn new(id: impl ToString, scope: impl Into<Scope>) -> Self {
        Target {
            id: id.to_string(),
            scope: scope.into(),
        }
    }
}

macro_rules! actions {
    ($($variant:ident => $verb:literal on $entity:literal,)*) => {
        /// Every change the log knows. The verbs are stored, so they never change once used.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Action { $($variant,)* }

        impl Action {
            /// Every action, for the tests that compare them with what the log reads back.
            pub const ALL: &[Action] = &[$(Action::$variant,)*];

            /// The stored verb, e.g. `role.grant`.
            pub fn verb(self) -> &'static str {
                match self { $(Action::$variant => $verb,)* }
            }

            /// The kind of record the verb acts on.
            pub fn entity(self) -> &'static str {
                match self { $(Action::$variant => $entity,)* }
            }
        }
    };
}

actions! {
    UserCreateAdmin => "user.create_admin" on "user",
    UserInvite => "user.invite" on "user",
    UserAcceptInvitation => "user.accept_invitation" on "user",
    UserPasswordReset => "user.password_reset" on "user",
    UserPasswordChange => "user.password_change" on "user",
    UserEmailChange => "user.email_change" on "user",
    RoleGrant => "role.grant" on "user",
    RoleRevoke => "role.revoke" on "user",
    CityUpdate => "city.update" on "city",
    CityFacts => "city.facts" on "city",
    CityClusterRole => "city.cluster_role" on "city",
    ClusterUpdate => "cluster.update" on "cluster",
    PracticeCreate => "practice.create" on "practice",
    PracticeUpdate => "practice.update" on "practice",
    PracticeDelete => "practice.delete" on "practice",
    MeetingCreate => "meeting.create" on "meeting",
    MeetingUpdate => "meeting.update" on "meeting",
    MeetingCancel => "meeting.cancel" on "meeting",
    MeetingDelete => "meeting.delete" on "meeting",
    MeetingMessage => "meeting.message" on "occurrence",
    OccurrenceMove => "occurrence.move" on "occurrence",
    OccurrenceCancel => "occurrence.cancel" on "occurrence",
    OccurrenceReinstate => "occurrence.reinstate" on "occurrence",
    RegistrationSeated => "registration.seated" on "registration",
    RegistrationRemoved => "registration.removed" on "registration",
    RegistrationAttendance => "registration.attendance" on "registration",
    RegistrationMoved => "registration.moved" on "registration",
    PactCreate => "pact.create" on "pact",
    PactUpdate => "pact.update" on "pact",
    PactInvite => "pact.invite" on "meeting",
    PactPartnerSave => "pact.partner.save" on "pact_partner",
    PactPartnerDelete => "pact.partner.delete" on "pact_partner",
    PactCommitmentSave => "pact.commitment.save" on "pact_commitment",
    SectorSave => "sector.save" on "sector",
    SectorDelete => "sector.delete" on "sector",
    AdhesionConfirm => "adhesion.confirm" on "adhesion",
    AdhesionUpdate => "adhesion.update" on "adhesion",
    AdhesionWithdraw => "adhesion.withdraw" on "adhesion",
    AdhesionApprove => "adhesion.approve" on "adhesion",
    AdhesionReject => "adhesion.reject" on "adhesion",
    FrameOriginAllow => "frame_origin.allow" on "frame_origin",
    FrameOriginForbid => "frame_origin.forbid" on "frame_origin",
}

/// Appends one entry in the write's own transaction, so that a change and its entry are kept
/// or lost together.
pub async fn record(
    tx: &mut Tx,
    actor: Actor<'_>,
    action: Action,
    target: Target,
    before: Option<Value>,
    after: Option<Value>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let actor_email = actor.name();
    let entry = db::audit::NewEntry {
        actor_id: actor.id(),
        actor_email: &actor_email,
        action: action.verb(),
        entity: action.entity(),
        entity_id: target.id,
        city_id: target.scope.city,
        cluster_id: target.scope.cluster,
        before,
        after,
    };
    db::audit::append(tx, &entry, now).await?;
    Ok(())
}

/// A record's state for its entry. Serialising our own types cannot fail; if it ever did, the
/// write fails rather than logging a hole.
pub fn json(value: &impl serde::Serialize) -> Result<Value, AppError> {
    serde_json::to_value(value).map_err(|e| {
        tracing::error!(error = %e, "an audit value did not serialise");
        AppError::Internal
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_verb_is_one_action_and_names_its_record_kind() {
        let mut verbs: Vec<&str> = Action::ALL.iter().map(|a| a.verb()).collect();
        verbs.sort_unstable();
        verbs.dedup();
        assert_eq!(verbs.len(), Action::ALL.len(), "a verb used twice");
        for a in Action::ALL {
            let (kind, _) = a.verb().split_once('.').expect("kind.verb");
            assert!(!kind.is_empty() && !a.entity().is_empty(), "{a:?}");
        }
    }

    #[test]
    fn a_role_scopes_its_entry_to_its_city_or_cluster() {
        assert_eq!(Scope::from(Role::City(3)), Scope::city(3));
        assert_eq!(Scope::from(Role::Cluster(4)), Scope::cluster(4));
        assert_eq!(Scope::from(Role::Admin), Scope::NETWORK);
        assert_eq!(Scope::from(Owner::Cluster(5)), Scope::cluster(5));
    }
}
