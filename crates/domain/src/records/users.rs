//! Users, memberships and refresh tokens.

use chrono::{DateTime, Utc};

use crate::{OrgRole, PlatformRole, ScopedRole};

/// A user as the rest of the system sees it (no password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub platform_role: Option<PlatformRole>,
    /// The language of the user's e-mail.
    pub locale: crate::Locale,
    /// How often the user's digest e-mail goes out.
    pub digest_frequency: crate::DigestFrequency,
    pub created_at: DateTime<Utc>,
}

/// A user's role in one organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub id: i64,
    pub user_id: i64,
    pub organization_id: i64,
    pub role: OrgRole,
    pub created_at: DateTime<Utc>,
}

/// A scoped role of a user over an organisation and its descendants;
/// revoked, never deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleGrant {
    pub id: i64,
    pub user_id: i64,
    pub role: ScopedRole,
    pub organization_id: i64,
    pub granted_by: Option<i64>,
    pub granted_at: DateTime<Utc>,
    pub revoked_by: Option<i64>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl RoleGrant {
    /// Not revoked.
    pub fn is_active(&self) -> bool {
        self.revoked_at.is_none()
    }
}

/// A stored refresh token (only its hash is kept).
#[derive(Debug, Clone)]
pub struct RefreshToken {
    pub id: i64,
    pub user_id: i64,
    pub family_id: String,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}
