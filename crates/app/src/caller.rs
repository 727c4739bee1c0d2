//! Who is calling: a signed-in user with the organisations they manage, or
//! nobody. The transports verify the credentials; the application resolves
//! the user once per request ([`crate::accounts::identity`]), from the callers
//! kept between requests when it can ([`crate::caller_cache`]).

use std::sync::Arc;

use iurhub_domain::{PlatformRole, policy};
use iurhub_store::Scope;
use iurhub_store::users::User;

use crate::error::AppError;

/// A signed-in user with what they may manage.
#[derive(Debug, Clone)]
pub struct Caller {
    user: User,
    /// Organisations the user is a member of, plus every descendant of those
    /// it administers or coordinates.
    managed_org_ids: Vec<i64>,
    /// Organisations the user administers (ORG_ADMIN), with their descendants.
    administered_org_ids: Vec<i64>,
    /// Organisations below the user's SUPERVISOR grants: a supervisor reads
    /// and changes nothing at all ([`Caller::read_only`]).
    supervised_org_ids: Vec<i64>,
    /// Agreements of the user's active agreement COORDINATOR grants.
    coordinated_agreement_ids: Vec<i64>,
    /// What the user may see, derived once from the above: every check of
    /// the request reads it without copying the organisation list.
    scope: Scope,
}

impl Caller {
    pub(crate) fn new(
        user: User,
        managed_org_ids: Vec<i64>,
        administered_org_ids: Vec<i64>,
        supervised_org_ids: Vec<i64>,
        coordinated_agreement_ids: Vec<i64>,
    ) -> Caller {
        let mut caller = Caller {
            user,
            managed_org_ids,
            administered_org_ids,
            supervised_org_ids,
            coordinated_agreement_ids,
            scope: Scope::ANONYMOUS,
        };
        caller.scope = if caller.is_admin() {
            Scope::All
        } else {
            Scope::Reader {
                signed_in: true,
                organization_ids: caller.managed_org_ids.clone(),
                supervised_ids: caller.supervised_org_ids.clone(),
                coordinated_agreement_ids: caller.coordinated_agreement_ids.clone(),
            }
        };
        caller
    }

    pub fn user(&self) -> &User {
        &self.user
    }

    /// Organisations the user is a member of, plus every descendant of those
    /// it administers or coordinates.
    pub fn managed_org_ids(&self) -> &[i64] {
        &self.managed_org_ids
    }

    /// Organisations the user administers (ORG_ADMIN), with their
    /// descendants.
    pub fn administered_org_ids(&self) -> &[i64] {
        &self.administered_org_ids
    }

    /// Agreements the user coordinates (active agreement COORDINATOR
    /// grants).
    pub fn coordinated_agreement_ids(&self) -> &[i64] {
        &self.coordinated_agreement_ids
    }

    pub fn id(&self) -> i64 {
        self.user.id
    }

    /// This caller as the identity the visibility rules read.
    pub fn identity(&self) -> Identity {
        Identity::User(Arc::new(self.clone()))
    }

    pub fn is_admin(&self) -> bool {
        self.user.platform_role == Some(PlatformRole::Admin)
    }

    /// Platform staff (ADMIN or COORDINATOR): creates and edits
    /// organisations, finds people by e-mail, reads the platform's figures.
    /// Only an ADMIN sees every organisation's records ([`Scope::All`]); a
    /// COORDINATOR's records come from their grants.
    pub fn is_staff(&self) -> bool {
        self.user.platform_role.is_some()
    }

    /// Holds a SUPERVISOR grant.
    fn supervises(&self) -> bool {
        !self.supervised_org_ids.is_empty()
    }

    /// A supervisor: reads, and changes nothing at all
    /// ([`policy::may_write`]).
    pub fn read_only(&self) -> bool {
        !policy::may_write(self.user.platform_role, self.supervises())
    }

    /// Sees the platform's figures: staff and supervisors.
    pub fn reads_figures(&self) -> bool {
        self.is_staff() || self.supervises()
    }

    /// May change objects owned by `organization_id`
    /// ([`policy::may_manage`]).
    pub fn can_manage(&self, organization_id: i64) -> bool {
        policy::may_manage(&self.scope, organization_id)
    }

    /// May add members to `organization_id` ([`policy::may_administer`]).
    pub fn can_administer(&self, organization_id: i64) -> bool {
        policy::may_administer(
            self.user.platform_role,
            &self.administered_org_ids,
            organization_id,
        )
    }

    /// Sees the account details of user `user_id` (e-mail address, platform
    /// role, memberships): the user themself, coordinators and admins.
    pub fn sees_account_of(&self, user_id: i64) -> bool {
        self.id() == user_id || self.is_staff()
    }

    pub fn scope(&self) -> &Scope {
        &self.scope
    }
}

/// The caller of a request, or nobody.
#[derive(Debug, Clone)]
pub enum Identity {
    Anonymous,
    /// Shared with the callers kept between requests.
    User(Arc<Caller>),
}

impl Identity {
    pub fn scope(&self) -> &Scope {
        static ANONYMOUS: Scope = Scope::ANONYMOUS;
        match self {
            Identity::Anonymous => &ANONYMOUS,
            Identity::User(c) => c.scope(),
        }
    }

    /// The signed-in caller, or UNAUTHENTICATED.
    pub fn require(&self) -> Result<&Caller, AppError> {
        match self {
            Identity::User(c) => Ok(c),
            Identity::Anonymous => Err(AppError::Unauthenticated("auth.required")),
        }
    }

    /// Whether the caller may change nothing at all (a supervisor,
    /// [`Caller::read_only`]): every mutation is refused FORBIDDEN with
    /// [`Identity::read_only_refusal`].
    pub fn read_only(&self) -> bool {
        matches!(self, Identity::User(c) if c.read_only())
    }

    /// The refusal of a write by a read-only caller.
    pub fn read_only_refusal() -> AppError {
        AppError::denied(iurhub_domain::Message::new("account.read_only"))
    }

    /// The signed-in caller, or UNAUTHENTICATED, as it is shared.
    pub fn into_caller(self) -> Result<Arc<Caller>, AppError> {
        match self {
            Identity::User(c) => Ok(c),
            Identity::Anonymous => Err(AppError::Unauthenticated("auth.required")),
        }
    }
}
