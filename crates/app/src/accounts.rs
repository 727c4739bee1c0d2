//! Accounts and sign-ins: users, their credentials and refresh-token
//! families, and the caller resolved from a verified access token. The
//! transports verify and mint the tokens; hashing of secrets is theirs too.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use iurhub_domain::PlatformRole;
use iurhub_store::StoreError;
use iurhub_store::users::{RefreshToken, User};

use crate::App;
use crate::caller::{Caller, Identity};
use crate::caller_cache::Freshness;
use crate::error::{AppError, AppResult};
use crate::events::Event;

/// The signed-in user `user_id` with the organisations they manage and
/// administer, as stored now; UNAUTHENTICATED (`auth.user_gone`) when the
/// user no longer exists. Kept between requests and forgotten at every
/// change of users, memberships or organisations ([`crate::caller_cache`]):
/// the only way callers are made.
pub async fn caller(app: &App, user_id: i64) -> AppResult<Arc<Caller>> {
    let cache = &app.callers;
    if cache.freshness() == Freshness::CheckVersion {
        cache.saw_version(app.store.access_version().await?);
    }
    if let Some(caller) = cache.get(user_id) {
        return Ok(caller);
    }
    // Read before the queries: a write committed while they run moves it,
    // and what they found is not kept.
    let generation = cache.generation();
    let user = app
        .store
        .user(user_id)
        .await?
        .ok_or(AppError::Unauthenticated("auth.user_gone"))?;
    let managed_org_ids = app.store.managed_organization_ids(user.id).await?;
    let administered_org_ids = app.store.administered_organization_ids(user.id).await?;
    let supervised_org_ids = app.store.supervised_organization_ids(user.id).await?;
    let coordinated_agreement_ids = app.store.coordinated_agreement_ids(user.id).await?;
    let caller = Arc::new(Caller::new(
        user,
        managed_org_ids,
        administered_org_ids,
        supervised_org_ids,
        coordinated_agreement_ids,
    ));
    cache.keep(generation, caller.clone());
    Ok(caller)
}

/// The identity of a verified access token's user.
pub async fn identity(app: &App, user_id: i64) -> AppResult<Identity> {
    Ok(Identity::User(caller(app, user_id).await?))
}

pub async fn user(app: &App, id: i64) -> AppResult<Option<User>> {
    Ok(app.store.user(id).await?)
}

/// Creates an account with an already hashed password; CONFLICT when the
/// e-mail address is taken.
pub async fn register(
    app: &App,
    email: &str,
    password_hash: &str,
    display_name: &str,
) -> AppResult<User> {
    // A new user changes nobody's rights: kept callers stay.
    let user = app
        .store
        .create_user(email, password_hash, display_name, None)
        .await?;
    tracing::info!(user_id = user.id, "user registered");
    Ok(user)
}

/// The account with this (normalised) e-mail address.
pub async fn user_by_email(app: &App, email: &str) -> AppResult<Option<User>> {
    Ok(app.store.user_by_email(email).await?)
}

/// The oldest platform ADMIN (recorded as creator of command-line imports).
pub async fn oldest_admin(app: &App) -> AppResult<Option<User>> {
    Ok(app.store.oldest_admin().await?)
}

/// Creates an account with a platform role (operators, on the command
/// line); CONFLICT when the e-mail address is taken.
pub async fn create_with_role(
    app: &App,
    email: &str,
    password_hash: &str,
    display_name: &str,
    platform_role: Option<PlatformRole>,
) -> AppResult<User> {
    Ok(app
        .store
        .create_user(email, password_hash, display_name, platform_role)
        .await?)
}

/// Gives a user a platform role, or takes it away (`None`).
pub async fn set_platform_role(
    app: &App,
    user_id: i64,
    role: Option<PlatformRole>,
) -> AppResult<()> {
    Ok(app.access_written(app.store.set_platform_role(user_id, role).await)?)
}

/// Creates the platform ADMIN `email` unless that account exists (also when
/// another replica creates it at the same moment). `hash` is called only
/// when the account is created.
pub async fn ensure_admin(
    app: &App,
    email: &str,
    hash: impl AsyncFnOnce() -> anyhow::Result<String>,
) -> anyhow::Result<()> {
    if app.store.user_by_email(email).await?.is_some() {
        return Ok(());
    }
    let hash = hash().await?;
    match app
        .store
        .create_user(email, &hash, "Administrator", Some(PlatformRole::Admin))
        .await
    {
        Ok(user) => tracing::info!(user_id = user.id, "bootstrap admin created"),
        Err(StoreError::Conflict { .. }) => {}
        Err(e) => return Err(e.into()),
    }
    Ok(())
}

/// A user and their password hash, by e-mail address.
pub async fn credentials(app: &App, email: &str) -> AppResult<Option<(User, String)>> {
    Ok(app.store.user_credentials(email).await?)
}

/// Keeps the digest of a new refresh token of the sign-in `family_id`.
pub async fn keep_refresh_token(
    app: &App,
    user_id: i64,
    family_id: &str,
    digest: &str,
    expires_at: DateTime<Utc>,
) -> AppResult<()> {
    Ok(app
        .store
        .insert_refresh_token(user_id, family_id, digest, expires_at)
        .await?)
}

/// The refresh token with this digest, if one was issued.
pub async fn refresh_token(app: &App, digest: &str) -> AppResult<Option<RefreshToken>> {
    Ok(app.store.refresh_token_by_hash(digest).await?)
}

/// Marks a refresh token used; `false` when it already was (someone else
/// presented it first).
pub async fn consume_refresh_token(app: &App, id: i64) -> AppResult<bool> {
    Ok(app.store.consume_refresh_token(id).await?)
}

/// Whether the sign-in `family_id` was revoked.
pub async fn sign_in_revoked(app: &App, family_id: &str) -> AppResult<bool> {
    Ok(app.store.refresh_family_revoked(family_id).await?)
}

/// Ends a sign-in: every refresh token of it is revoked, and this server's
/// WebSockets signed in with it are told to close (those of other replicas
/// find it revoked at their next operation or event).
pub async fn end_sign_in(app: &App, family_id: &str) -> AppResult<()> {
    app.store.revoke_refresh_family(family_id).await?;
    app.events.publish(Event::SignInEnded {
        sid: family_id.to_owned(),
    });
    Ok(())
}

/// Where a user search looks.
#[derive(Debug, Clone, Default)]
pub struct UserQuery {
    /// Text in the display name (coordinators and admins: also the e-mail address).
    pub query: Option<String>,
    /// Only members of this organisation.
    pub organization_id: Option<i64>,
    /// Only members of this project's parties (e.g. to pick a checklist
    /// item's owner).
    pub project_id: Option<i64>,
}

/// Users the caller may find, by display name, one page. Coordinators and
/// admins find everybody; others find the members of the organisations they
/// belong to (and of those below an organisation they administer), and with
/// `project_id` the members of the parties of a project they see that
/// accepted it or that they manage (`Project::parties_open_to`). An
/// organisation outside that circle is FORBIDDEN (NOT_FOUND when it does not
/// exist), a project the caller does not see NOT_FOUND: nobody can list the
/// accounts of strangers.
pub async fn search_users(
    app: &App,
    caller: &Caller,
    query: UserQuery,
    args: iurhub_store::page::PageArgs,
) -> AppResult<iurhub_store::page::Page<User>> {
    let mut circle: Option<Vec<i64>> = if caller.is_staff() {
        None
    } else {
        Some(caller.managed_org_ids().to_vec())
    };
    if let Some(project) = query.project_id {
        let who = Identity::User(Arc::new(caller.clone()));
        let project = crate::projects::visible(app, &who, project).await?;
        circle = Some(project.parties_open_to(|org| caller.can_manage(org)));
    }
    if let Some(org) = query.organization_id {
        crate::organizations::get(app, org).await?;
        match &circle {
            Some(orgs) if !orgs.contains(&org) => {
                return Err(AppError::denied(iurhub_domain::Message::new(
                    "user.search.forbidden",
                )));
            }
            _ => circle = Some(vec![org]),
        }
    }
    let search = iurhub_store::users::UserSearch {
        query: query.query,
        match_email: caller.is_staff(),
        organization_ids: circle,
    };
    Ok(app.store.search_users(&search, args).await?)
}

/// Changes the caller's display name (1 to 100 characters).
pub async fn update_profile(app: &App, caller: &Caller, display_name: &str) -> AppResult<User> {
    let mut v = iurhub_domain::validate::Validator::new();
    let display_name = v.text("displayName", display_name, 1, 100);
    v.finish()?;
    Ok(
        app.wrote(
            app.access_written(app.store.set_display_name(caller.id(), &display_name).await)?,
        ),
    )
}

/// Stores a user's new password hash (the transport checked the current
/// password and hashed the new one) and ends every other sign-in of the
/// user: their refresh tokens are revoked and their WebSockets told to close.
pub async fn change_password(
    app: &App,
    user_id: i64,
    password_hash: &str,
    keep_sign_in: Option<&str>,
) -> AppResult<()> {
    // A caller holds nothing of the password: kept callers stay (the
    // sign-ins it ends are checked apart, see `sign_in_revoked`).
    let ended = app
        .store
        .set_password_hash(user_id, password_hash, keep_sign_in)
        .await?;
    for sid in ended {
        app.events.publish(Event::SignInEnded { sid });
    }
    tracing::info!(user_id, "password changed");
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use iurhub_domain::OrgKind;
    use iurhub_domain::validate::{OrganizationFields, Region};
    use iurhub_store::{Store, db};

    use crate::{App, Options};

    /// Counts the statements a signed-in request spends on its caller on
    /// SQLite: the version read only, once the caller is kept; a write of
    /// another process (here: the store, past the application) is seen at
    /// the next request.
    #[tokio::test]
    async fn a_kept_caller_costs_one_version_read_on_sqlite() {
        let dir = std::env::temp_dir().join(format!(
            "iurhub-caller-{}-{}",
            std::process::id(),
            chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.join("t.db").display());
        let mut conn = db::connect(&url, 2).await.unwrap();
        let statements = Arc::new(AtomicUsize::new(0));
        let counter = statements.clone();
        conn.set_metric_callback(move |_| {
            counter.fetch_add(1, Ordering::Relaxed);
        });
        db::migrate(&conn).await.unwrap();
        let store = Store::new(conn);
        let app = App::new(store.clone(), Options::default()).unwrap();
        let user = super::register(&app, "k@example.org", "hash", "K")
            .await
            .unwrap();
        let org = store
            .create_organization(OrganizationFields {
                name: "K".into(),
                kind: OrgKind::Enterprise,
                parent_id: None,
                region: Region::default(),
            })
            .await
            .unwrap();
        let spent = async |app: &App| {
            let before = statements.load(Ordering::Relaxed);
            let caller = super::caller(app, user.id).await.unwrap();
            (statements.load(Ordering::Relaxed) - before, caller)
        };
        let (first, caller) = spent(&app).await;
        assert_eq!(
            first, 6,
            "the version, the user, three recursive queries and the agreements coordinated"
        );
        assert!(caller.managed_org_ids().is_empty());
        let (kept, _) = spent(&app).await;
        assert_eq!(kept, 1, "the version only");

        store
            .add_membership(user.id, org.id, iurhub_domain::OrgRole::Member)
            .await
            .unwrap();
        let (after_write, caller) = spent(&app).await;
        assert_eq!(after_write, 6);
        assert_eq!(caller.managed_org_ids(), &[org.id]);
        std::fs::remove_dir_all(&dir).ok();
    }
}
