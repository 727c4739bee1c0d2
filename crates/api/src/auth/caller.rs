//! Who is calling: resolved once per request from the bearer token.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use iurhub_domain::PlatformRole;
use iurhub_store::users::User;
use iurhub_store::{Scope, Store};

use crate::error::ApiError;
use crate::state::AppState;

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
    pub async fn load(store: &Store, user: User) -> Result<Caller, ApiError> {
        let managed_org_ids = store.managed_organization_ids(user.id).await?;
        let administered_org_ids = store.administered_organization_ids(user.id).await?;
        Ok(Caller {
            user,
            managed_org_ids,
            administered_org_ids,
        })
    }

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

    /// May change objects owned by `organization_id`.
    pub fn can_manage(&self, organization_id: i64) -> bool {
        self.is_staff() || self.managed_org_ids.contains(&organization_id)
    }

    /// May add members to `organization_id`.
    pub fn can_administer(&self, organization_id: i64) -> bool {
        self.is_admin() || self.administered_org_ids.contains(&organization_id)
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
    pub fn require(&self) -> Result<&Caller, ApiError> {
        match self {
            Identity::User(c) => Ok(c),
            Identity::Anonymous => Err(ApiError::Unauthenticated("sign in to do this")),
        }
    }

    /// Resolves the bearer token of a request; a present but invalid token is
    /// UNAUTHENTICATED rather than anonymous.
    pub async fn from_header(state: &AppState, header: Option<&str>) -> Result<Identity, ApiError> {
        let Some(value) = header else {
            return Ok(Identity::Anonymous);
        };
        let (user_id, _) = bearer_claims(state, value)?;
        let user = state
            .store
            .user(user_id)
            .await?
            .ok_or(ApiError::Unauthenticated(
                "the access token's user no longer exists",
            ))?;
        Ok(Identity::User(Box::new(
            Caller::load(&state.store, user).await?,
        )))
    }
}

/// The user id and claims of a `Bearer <access token>` header value; a
/// malformed value or an invalid, expired or wrongly typed token is
/// UNAUTHENTICATED. HTTP requests and WebSocket sign-ins both verify here.
pub fn bearer_claims(
    state: &AppState,
    header: &str,
) -> Result<(i64, crate::auth::AccessClaims), ApiError> {
    let token = header
        .strip_prefix("Bearer ")
        .or_else(|| header.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(ApiError::Unauthenticated(
            "the Authorization header must be `Bearer <access token>`",
        ))?;
    state.jwt.verify_claims(token).map_err(|err| {
        tracing::debug!(%err, "access token refused");
        ApiError::Unauthenticated("the access token is invalid or expired")
    })
}

impl FromRequestParts<AppState> for Identity {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let header = match parts.headers.get(AUTHORIZATION) {
            Some(v) => Some(v.to_str().map_err(|_| {
                ApiError::Unauthenticated("the Authorization header is not valid text")
            })?),
            None => None,
        };
        Identity::from_header(state, header).await
    }
}
