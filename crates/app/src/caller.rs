//! Who is calling: a signed-in user with the organisations they manage, or
//! nobody. The transports verify the credentials; the application resolves
//! the user once per request ([`crate::App::identity`]).

use iurhub_domain::{PlatformRole, policy};
use iurhub_store::Scope;
use iurhub_store::users::User;

use crate::error::AppError;

/// A signed-in user with what they may manage.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    /// Organisations the user is a member of, plus every descendant of those
    /// it administers.
    pub managed_org_ids: Vec<i64>,
    /// Organisations the user administers (ORG_ADMIN), with their descendants.
    pub administered_org_ids: Vec<i64>,
}

impl Caller {
    pub fn id(&self) -> i64 {
        self.user.id
    }

    pub fn is_admin(&self) -> bool {
        self.user.platform_role == Some(PlatformRole::Admin)
    }

    /// ADMIN or COORDINATOR: sees and may curate everything.
    pub fn is_staff(&self) -> bool {
        self.user.platform_role.is_some()
    }

    /// May change objects owned by `organization_id`
    /// ([`policy::may_manage`]).
    pub fn can_manage(&self, organization_id: i64) -> bool {
        policy::may_manage(&self.scope(), organization_id)
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

    pub fn scope(&self) -> Scope {
        if self.is_staff() {
            Scope::All
        } else {
            Scope::Reader {
                signed_in: true,
                organization_ids: self.managed_org_ids.clone(),
            }
        }
    }
}

/// The caller of a request, or nobody.
#[derive(Debug, Clone)]
pub enum Identity {
    Anonymous,
    User(Box<Caller>),
}

impl Identity {
    pub fn scope(&self) -> Scope {
        match self {
            Identity::Anonymous => Scope::ANONYMOUS,
            Identity::User(c) => c.scope(),
        }
    }

    /// The signed-in caller, or UNAUTHENTICATED.
    pub fn require(&self) -> Result<&Caller, AppError> {
        match self {
            Identity::User(c) => Ok(c),
            Identity::Anonymous => Err(AppError::Unauthenticated("sign in to do this")),
        }
    }
}
