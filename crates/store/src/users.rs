//! Users, memberships and refresh tokens.

use chrono::{DateTime, Utc};
use iurhub_domain::Message;
use iurhub_domain::{OrgRole, PlatformRole, ScopedRole};
use sea_orm::sea_query::ExprTrait;
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set, Statement,
};

use crate::entities::{agreement_coordinators, memberships, refresh_tokens, role_grants, users};
use crate::error::{StoreError, StoreResult, unique_as};
use crate::rows::{self, Records};
use crate::{Store, parse_enum};

pub use iurhub_domain::records::agreements::AgreementCoordinatorGrant;
pub use iurhub_domain::records::users::{Membership, RefreshToken, RoleGrant, User};

impl From<agreement_coordinators::Model> for AgreementCoordinatorGrant {
    fn from(m: agreement_coordinators::Model) -> Self {
        AgreementCoordinatorGrant {
            id: m.id,
            user_id: m.user_id,
            agreement_id: m.agreement_id,
            granted_by: m.granted_by,
            granted_at: m.granted_at,
            revoked_by: m.revoked_by,
            revoked_at: m.revoked_at,
        }
    }
}

impl TryFrom<role_grants::Model> for RoleGrant {
    type Error = StoreError;
    fn try_from(m: role_grants::Model) -> StoreResult<Self> {
        Ok(RoleGrant {
            id: m.id,
            user_id: m.user_id,
            role: parse_enum(&m.role)?,
            organization_id: m.organization_id,
            granted_by: m.granted_by,
            granted_at: m.granted_at,
            revoked_by: m.revoked_by,
            revoked_at: m.revoked_at,
        })
    }
}

impl From<users::Model> for User {
    fn from(m: users::Model) -> Self {
        User {
            id: m.id,
            email: m.email,
            display_name: m.display_name,
            platform_role: m.platform_role.as_deref().and_then(|r| r.parse().ok()),
            locale: iurhub_domain::records::notifications::locale_of(&m.locale),
            digest_frequency: m.digest_frequency.parse().unwrap_or_default(),
            created_at: m.created_at,
        }
    }
}

impl TryFrom<memberships::Model> for Membership {
    type Error = StoreError;
    fn try_from(m: memberships::Model) -> StoreResult<Self> {
        Ok(Membership {
            id: m.id,
            user_id: m.user_id,
            organization_id: m.organization_id,
            role: parse_enum(&m.role)?,
            created_at: m.created_at,
        })
    }
}

impl Store {
    /// Creates a user; a taken e-mail is a CONFLICT on `email`.
    pub async fn create_user(
        &self,
        email: &str,
        password_hash: &str,
        display_name: &str,
        platform_role: Option<PlatformRole>,
    ) -> StoreResult<User> {
        let now = Utc::now();
        let model = users::ActiveModel {
            email: Set(email.to_owned()),
            password_hash: Set(password_hash.to_owned()),
            display_name: Set(display_name.to_owned()),
            platform_role: Set(platform_role.map(|r| r.as_str().to_owned())),
            locale: Set(iurhub_domain::records::notifications::locale_key(
                iurhub_domain::Locale::Zh,
            )
            .to_owned()),
            digest_frequency: Set(iurhub_domain::DigestFrequency::default()
                .as_str()
                .to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .map_err(unique_as("email", "email.taken"))?;
        Ok(model.into())
    }

    /// The user and password hash for `email` (already normalised).
    pub async fn user_credentials(&self, email: &str) -> StoreResult<Option<(User, String)>> {
        let found = users::Entity::find()
            .filter(users::Column::Email.eq(email))
            .one(&self.db)
            .await?;
        Ok(found.map(|m| {
            let hash = m.password_hash.clone();
            (m.into(), hash)
        }))
    }

    pub async fn user(&self, id: i64) -> StoreResult<Option<User>> {
        Ok(users::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .map(Into::into))
    }

    pub async fn user_by_email(&self, email: &str) -> StoreResult<Option<User>> {
        Ok(self.user_credentials(email).await?.map(|(u, _)| u))
    }

    /// The platform ADMIN that was created first (usually the bootstrap admin).
    pub async fn oldest_admin(&self) -> StoreResult<Option<User>> {
        Ok(users::Entity::find()
            .filter(users::Column::PlatformRole.eq(PlatformRole::Admin.as_str()))
            .order_by_asc(users::Column::CreatedAt)
            .order_by_asc(users::Column::Id)
            .one(&self.db)
            .await?
            .map(Into::into))
    }

    pub async fn users_by_ids(&self, ids: &[i64]) -> StoreResult<Vec<User>> {
        Ok(users::Entity::find()
            .filter(users::Column::Id.is_in(ids.iter().copied()))
            .all(&self.db)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    pub async fn set_platform_role(
        &self,
        user_id: i64,
        role: Option<PlatformRole>,
    ) -> StoreResult<()> {
        let res = users::Entity::update_many()
            .col_expr(
                users::Column::PlatformRole,
                Expr::value(role.map(|r| r.as_str().to_owned())),
            )
            .col_expr(users::Column::UpdatedAt, Expr::value(Utc::now()))
            .filter(users::Column::Id.eq(user_id))
            .exec(&self.db)
            .await?;
        if res.rows_affected == 0 {
            return Err(StoreError::NotFound("user"));
        }
        Ok(())
    }

    /// Adds `user_id` to an organisation; an existing membership is a CONFLICT.
    pub async fn add_membership(
        &self,
        user_id: i64,
        organization_id: i64,
        role: OrgRole,
    ) -> StoreResult<Membership> {
        memberships::ActiveModel {
            user_id: Set(user_id),
            organization_id: Set(organization_id),
            role: Set(role.as_str().to_owned()),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .map_err(unique_as("email", "membership.exists"))?
        .try_into()
    }

    pub async fn memberships_of_user(&self, user_id: i64) -> StoreResult<Vec<Membership>> {
        memberships::Entity::find()
            .filter(memberships::Column::UserId.eq(user_id))
            .order_by_asc(memberships::Column::Id)
            .records(&self.db)
            .await
    }

    pub async fn memberships_by_ids(&self, ids: &[i64]) -> StoreResult<Vec<Membership>> {
        rows::by_ids::<memberships::Entity, _, _>(&self.db, memberships::Column::Id, ids).await
    }

    /// Organisations whose objects `user_id` may change: those it is a member
    /// of, and every descendant of those it administers (ORG_ADMIN) or
    /// coordinates (an active COORDINATOR grant).
    pub async fn managed_organization_ids(&self, user_id: i64) -> StoreResult<Vec<i64>> {
        let sql = "WITH RECURSIVE below(id) AS ( \
                SELECT organization_id FROM memberships WHERE user_id = $1 AND role = 'ORG_ADMIN' \
                UNION \
                SELECT organization_id FROM role_grants \
                    WHERE user_id = $1 AND role = 'COORDINATOR' AND revoked_at IS NULL \
                UNION \
                SELECT o.id FROM organizations o JOIN below b ON o.parent_id = b.id \
            ) \
            SELECT id FROM below \
            UNION \
            SELECT organization_id FROM memberships WHERE user_id = $1";
        self.ids_query(sql, user_id).await
    }

    /// Organisations below an active SUPERVISOR grant of `user_id`, the
    /// granted ones included.
    pub async fn supervised_organization_ids(&self, user_id: i64) -> StoreResult<Vec<i64>> {
        let sql = "WITH RECURSIVE below(id) AS ( \
                SELECT organization_id FROM role_grants \
                    WHERE user_id = $1 AND role = 'SUPERVISOR' AND revoked_at IS NULL \
                UNION \
                SELECT o.id FROM organizations o JOIN below b ON o.parent_id = b.id \
            ) SELECT id FROM below";
        self.ids_query(sql, user_id).await
    }

    /// Grants `role` over `organization_id` and its descendants to `user_id`.
    pub async fn grant_role(
        &self,
        user_id: i64,
        role: ScopedRole,
        organization_id: i64,
        granted_by: Option<i64>,
    ) -> StoreResult<RoleGrant> {
        role_grants::ActiveModel {
            user_id: Set(user_id),
            role: Set(role.as_str().to_owned()),
            organization_id: Set(organization_id),
            granted_by: Set(granted_by),
            granted_at: Set(Utc::now()),
            revoked_by: Set(None),
            revoked_at: Set(None),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .map_err(unique_as("role", "role.grant.exists"))?
        .try_into()
    }

    /// Revokes an active grant; `None` when it was revoked already (or is
    /// gone).
    pub async fn revoke_role(
        &self,
        id: i64,
        revoked_by: Option<i64>,
    ) -> StoreResult<Option<RoleGrant>> {
        let res = role_grants::Entity::update_many()
            .col_expr(
                role_grants::Column::RevokedAt,
                Expr::value(Some(Utc::now())),
            )
            .col_expr(role_grants::Column::RevokedBy, Expr::value(revoked_by))
            .filter(role_grants::Column::Id.eq(id))
            .filter(role_grants::Column::RevokedAt.is_null())
            .exec(&self.db)
            .await?;
        if res.rows_affected == 0 {
            return Ok(None);
        }
        Ok(self.role_grants_by_ids(&[id]).await?.pop())
    }

    pub async fn role_grants_by_ids(&self, ids: &[i64]) -> StoreResult<Vec<RoleGrant>> {
        rows::by_ids::<role_grants::Entity, _, _>(&self.db, role_grants::Column::Id, ids).await
    }

    /// The grants of a user, or over an organisation, oldest first; revoked
    /// ones only with `include_revoked`.
    pub async fn role_grants(
        &self,
        user_id: Option<i64>,
        organization_id: Option<i64>,
        include_revoked: bool,
    ) -> StoreResult<Vec<RoleGrant>> {
        let mut find = role_grants::Entity::find();
        if let Some(user_id) = user_id {
            find = find.filter(role_grants::Column::UserId.eq(user_id));
        }
        if let Some(org) = organization_id {
            find = find.filter(role_grants::Column::OrganizationId.eq(org));
        }
        if !include_revoked {
            find = find.filter(role_grants::Column::RevokedAt.is_null());
        }
        find.order_by_asc(role_grants::Column::Id)
            .records(&self.db)
            .await
    }

    /// Agreements `user_id` coordinates (an active agreement COORDINATOR
    /// grant).
    pub async fn coordinated_agreement_ids(&self, user_id: i64) -> StoreResult<Vec<i64>> {
        let sql = "SELECT agreement_id FROM agreement_coordinators \
            WHERE user_id = $1 AND revoked_at IS NULL";
        self.ids_query(sql, user_id).await
    }

    /// Makes `user_id` a coordinator of `agreement_id`; an active grant of
    /// the same is a CONFLICT on `email` (the database's partial unique
    /// index decides between two grants at once).
    pub async fn grant_agreement_coordinator(
        &self,
        user_id: i64,
        agreement_id: i64,
        granted_by: Option<i64>,
    ) -> StoreResult<AgreementCoordinatorGrant> {
        Ok(agreement_coordinators::ActiveModel {
            user_id: Set(user_id),
            agreement_id: Set(agreement_id),
            granted_by: Set(granted_by),
            granted_at: Set(Utc::now()),
            revoked_by: Set(None),
            revoked_at: Set(None),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .map_err(unique_as("email", "agreement.coordinator.exists"))?
        .into())
    }

    /// Revokes an active agreement coordinator grant; `None` when it was
    /// revoked already (or is gone).
    pub async fn revoke_agreement_coordinator(
        &self,
        id: i64,
        revoked_by: Option<i64>,
    ) -> StoreResult<Option<AgreementCoordinatorGrant>> {
        use agreement_coordinators::Column as C;
        let res = agreement_coordinators::Entity::update_many()
            .col_expr(C::RevokedAt, Expr::value(Some(Utc::now())))
            .col_expr(C::RevokedBy, Expr::value(revoked_by))
            .filter(C::Id.eq(id))
            .filter(C::RevokedAt.is_null())
            .exec(&self.db)
            .await?;
        if res.rows_affected == 0 {
            return Ok(None);
        }
        Ok(self.agreement_coordinator_grants_by_ids(&[id]).await?.pop())
    }

    pub async fn agreement_coordinator_grants_by_ids(
        &self,
        ids: &[i64],
    ) -> StoreResult<Vec<AgreementCoordinatorGrant>> {
        use agreement_coordinators::Column as C;
        Ok(agreement_coordinators::Entity::find()
            .filter(C::Id.is_in(ids.iter().copied()))
            .order_by_asc(C::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// The agreement coordinator grants of a user, or over an agreement,
    /// oldest first; revoked ones only with `include_revoked`.
    pub async fn agreement_coordinator_grants(
        &self,
        user_id: Option<i64>,
        agreement_id: Option<i64>,
        include_revoked: bool,
    ) -> StoreResult<Vec<AgreementCoordinatorGrant>> {
        use agreement_coordinators::Column as C;
        let mut find = agreement_coordinators::Entity::find();
        if let Some(user_id) = user_id {
            find = find.filter(C::UserId.eq(user_id));
        }
        if let Some(agreement_id) = agreement_id {
            find = find.filter(C::AgreementId.eq(agreement_id));
        }
        if !include_revoked {
            find = find.filter(C::RevokedAt.is_null());
        }
        Ok(find
            .order_by_asc(C::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// Organisations `user_id` administers (ORG_ADMIN) and all their descendants.
    pub async fn administered_organization_ids(&self, user_id: i64) -> StoreResult<Vec<i64>> {
        let sql = "WITH RECURSIVE administered(id) AS ( \
                SELECT organization_id FROM memberships WHERE user_id = $1 AND role = 'ORG_ADMIN' \
                UNION \
                SELECT o.id FROM organizations o JOIN administered a ON o.parent_id = a.id \
            ) SELECT id FROM administered";
        self.ids_query(sql, user_id).await
    }

    /// Organisation `organization_id` and every organisation below it.
    pub async fn organization_subtree_ids(&self, organization_id: i64) -> StoreResult<Vec<i64>> {
        let sql = "WITH RECURSIVE below(id) AS ( \
                SELECT id FROM organizations WHERE id = $1 \
                UNION \
                SELECT o.id FROM organizations o JOIN below b ON o.parent_id = b.id \
            ) SELECT id FROM below";
        self.ids_query(sql, organization_id).await
    }

    async fn ids_query(&self, sql: &str, user_id: i64) -> StoreResult<Vec<i64>> {
        let backend = self.db.get_database_backend();
        let sql = match backend {
            sea_orm::DatabaseBackend::Postgres => sql.to_owned(),
            _ => sql.replace("$1", "?1"),
        };
        let rows = self
            .db
            .query_all_raw(Statement::from_sql_and_values(
                backend,
                sql,
                [user_id.into()],
            ))
            .await?;
        let mut ids = rows
            .iter()
            .map(|r| r.try_get_by_index::<i64>(0))
            .collect::<Result<Vec<_>, _>>()?;
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    pub async fn insert_refresh_token(
        &self,
        user_id: i64,
        family_id: &str,
        token_hash: &str,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        refresh_tokens::ActiveModel {
            user_id: Set(user_id),
            family_id: Set(family_id.to_owned()),
            token_hash: Set(token_hash.to_owned()),
            expires_at: Set(expires_at),
            used_at: Set(None),
            revoked_at: Set(None),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&self.db)
        .await?;
        Ok(())
    }

    pub async fn refresh_token_by_hash(
        &self,
        token_hash: &str,
    ) -> StoreResult<Option<RefreshToken>> {
        Ok(refresh_tokens::Entity::find()
            .filter(refresh_tokens::Column::TokenHash.eq(token_hash))
            .one(&self.db)
            .await?
            .map(|m| RefreshToken {
                id: m.id,
                user_id: m.user_id,
                family_id: m.family_id,
                expires_at: m.expires_at,
                used_at: m.used_at,
                revoked_at: m.revoked_at,
            }))
    }

    /// Marks a refresh token used; `false` when it was already used or revoked
    /// (a concurrent or replayed use).
    pub async fn consume_refresh_token(&self, id: i64) -> StoreResult<bool> {
        let res = refresh_tokens::Entity::update_many()
            .col_expr(
                refresh_tokens::Column::UsedAt,
                Expr::value(Some(Utc::now())),
            )
            .filter(refresh_tokens::Column::Id.eq(id))
            .filter(refresh_tokens::Column::UsedAt.is_null())
            .filter(refresh_tokens::Column::RevokedAt.is_null())
            .exec(&self.db)
            .await?;
        Ok(res.rows_affected == 1)
    }

    /// Revokes every token of a family (logout, or reuse detected).
    pub async fn revoke_refresh_family(&self, family_id: &str) -> StoreResult<()> {
        refresh_tokens::Entity::update_many()
            .col_expr(
                refresh_tokens::Column::RevokedAt,
                Expr::value(Some(Utc::now())),
            )
            .filter(refresh_tokens::Column::FamilyId.eq(family_id))
            .filter(refresh_tokens::Column::RevokedAt.is_null())
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Whether a sign-in (a refresh-token family) was revoked: by logout, or
    /// because one of its refresh tokens was presented twice. A family whose
    /// tokens were all purged is not revoked (its access tokens expired long
    /// before).
    pub async fn refresh_family_revoked(&self, family_id: &str) -> StoreResult<bool> {
        let revoked = refresh_tokens::Entity::find()
            .filter(refresh_tokens::Column::FamilyId.eq(family_id))
            .filter(refresh_tokens::Column::RevokedAt.is_not_null())
            .count(&self.db)
            .await?;
        Ok(revoked > 0)
    }

    /// Deletes refresh tokens that expired before `before`.
    pub async fn purge_expired_refresh_tokens(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        let stmt = Query::delete()
            .from_table(refresh_tokens::Entity)
            .and_where(Expr::col(refresh_tokens::Column::ExpiresAt).lt(before))
            .to_owned();
        Ok(self.db.execute(&stmt).await?.rows_affected())
    }
}

/// Which users a search may find.
#[derive(Debug, Clone, Default)]
pub struct UserSearch {
    /// Case-insensitive text in the display name (and, with
    /// `match_email`, in the e-mail address).
    pub query: Option<String>,
    /// Whether `query` also looks at e-mail addresses (only for callers who
    /// see every account).
    pub match_email: bool,
    /// Only members of one of these organisations; `None`: everybody.
    pub organization_ids: Option<Vec<i64>>,
}

impl Store {
    /// The memberships of an organisation, oldest first, one page.
    pub async fn members_of(
        &self,
        organization_id: i64,
        args: crate::page::PageArgs,
    ) -> StoreResult<crate::page::Page<Membership>> {
        use crate::page::{Key, Order, paginate_records};
        let select = memberships::Entity::find()
            .filter(memberships::Column::OrganizationId.eq(organization_id));
        let order: Order<memberships::Entity> = (memberships::Column::Id, |m| Key::new(m.id, m.id));
        paginate_records(
            &self.db,
            select,
            order,
            memberships::Column::Id,
            false,
            args,
        )
        .await
    }

    /// Users by display name (then id), one page.
    pub async fn search_users(
        &self,
        search: &UserSearch,
        args: crate::page::PageArgs,
    ) -> StoreResult<crate::page::Page<User>> {
        use crate::page::{Key, paginate};
        use sea_orm::Condition;
        let columns: &[users::Column] = if search.match_email {
            &[users::Column::DisplayName, users::Column::Email]
        } else {
            &[users::Column::DisplayName]
        };
        let cond = Condition::all()
            .add_option(crate::scope::keyword_in(&search.query, columns))
            .add_option(search.organization_ids.as_ref().map(|orgs| {
                users::Column::Id.in_subquery(
                    Query::select()
                        .column(memberships::Column::UserId)
                        .from(memberships::Entity)
                        .and_where(memberships::Column::OrganizationId.is_in(orgs.iter().copied()))
                        .to_owned(),
                )
            }));
        let select = users::Entity::find().filter(cond);
        let page = paginate(
            &self.db,
            select,
            users::Column::DisplayName,
            users::Column::Id,
            false,
            args,
            |m| Key::new(m.display_name.clone(), m.id),
        )
        .await?;
        page.try_map(|m| Ok::<User, StoreError>(m.into()))
    }

    /// Removes a membership. The last ORG_ADMIN of an organisation stays: removing
    /// it is a CONFLICT (checked in the same transaction as the delete).
    pub async fn remove_membership(&self, id: i64) -> StoreResult<Membership> {
        let txn = self.write().await?;
        let found: Membership = crate::rows::get::<memberships::Entity, _>(&txn, id, "membership")
            .await?
            .try_into()?;
        if found.role == OrgRole::OrgAdmin {
            // Two removals of an organisation's admins take turns.
            crate::rows::lock::<crate::entities::organizations::Entity, _>(
                &txn,
                found.organization_id,
                "organization",
            )
            .await?;
            let admins = memberships::Entity::find()
                .filter(memberships::Column::OrganizationId.eq(found.organization_id))
                .filter(memberships::Column::Role.eq(OrgRole::OrgAdmin.as_str()))
                .count(&txn)
                .await?;
            if admins <= 1 {
                return Err(StoreError::conflict(
                    "id",
                    Message::new("membership.last_admin"),
                ));
            }
        }
        memberships::Entity::delete_by_id(id).exec(&txn).await?;
        txn.commit().await?;
        Ok(found)
    }

    /// Changes a user's display name.
    pub async fn set_display_name(&self, user_id: i64, display_name: &str) -> StoreResult<User> {
        let model = users::ActiveModel {
            id: sea_orm::Set(user_id),
            display_name: Set(display_name.to_owned()),
            updated_at: Set(Utc::now()),
            ..Default::default()
        }
        .update(&self.db)
        .await?;
        Ok(model.into())
    }

    /// Replaces a user's password hash and revokes every sign-in of the user
    /// but `keep_family` (one transaction). Returns the revoked families.
    pub async fn set_password_hash(
        &self,
        user_id: i64,
        password_hash: &str,
        keep_family: Option<&str>,
    ) -> StoreResult<Vec<String>> {
        let txn = self.write().await?;
        let now = Utc::now();
        users::ActiveModel {
            id: Set(user_id),
            password_hash: Set(password_hash.to_owned()),
            updated_at: Set(now),
            ..Default::default()
        }
        .update(&txn)
        .await?;
        let mut open = refresh_tokens::Entity::find()
            .filter(refresh_tokens::Column::UserId.eq(user_id))
            .filter(refresh_tokens::Column::RevokedAt.is_null());
        if let Some(keep) = keep_family {
            open = open.filter(refresh_tokens::Column::FamilyId.ne(keep));
        }
        let mut families: Vec<String> = open
            .all(&txn)
            .await?
            .into_iter()
            .map(|t| t.family_id)
            .collect();
        families.sort();
        families.dedup();
        if !families.is_empty() {
            refresh_tokens::Entity::update_many()
                .col_expr(refresh_tokens::Column::RevokedAt, Expr::value(Some(now)))
                .filter(refresh_tokens::Column::FamilyId.is_in(families.clone()))
                .filter(refresh_tokens::Column::RevokedAt.is_null())
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        Ok(families)
    }
}
