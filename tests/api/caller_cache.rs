//! Callers are kept between requests (crates/app/src/caller_cache.rs), yet
//! a change of the user, their platform role, a membership or the
//! organisation tree takes effect at the next request: at once when this
//! server makes it; when another process does (the command line, a
//! statement on the database), at once on SQLite and within the
//! notification delay on PostgreSQL. Every test reads as the user first, so
//! the caller is kept when the change comes.

use std::time::{Duration, Instant};

use base64::Engine;
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};

use crate::common::{Backend, TestApp, error_code, text};
use crate::fixtures::{World, add_member, create_org};

/// How long another process's change may take to reach a PostgreSQL
/// server's kept callers (LISTEN/NOTIFY; docs/OPERATIONS.md "Scaling out").
const WITHIN: Duration = Duration::from_secs(2);

const NEED: &str = "query($id: ID!) { need(id: $id) { title } }";
const STATS: &str = "{ stats { overdueChecklistItems } }";
const ME: &str = "{ me { id } }";
const REMOVE: &str =
    "mutation($input: RemoveMemberInput!) { removeMember(input: $input) { deletedId } }";
const UPDATE_ORG: &str = "mutation($input: UpdateOrganizationInput!) {
  updateOrganization(input: $input) { organization { id name } } }";

/// The database id inside a global id (`Organization:5` → 5).
fn database_id(global: &str) -> i64 {
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(global)
        .unwrap();
    let text = String::from_utf8(raw).unwrap();
    text.split_once(':').unwrap().1.parse().unwrap()
}

/// Adds `email` to `org` with `role` (as the platform admin); the
/// membership's id.
async fn join(app: &TestApp, admin: &str, org: &str, email: &str, role: &str) -> String {
    let res = add_member(app, admin, org, email, role).await;
    assert!(res.get("errors").is_none(), "{res}");
    text(&res["data"]["addMember"]["membership"]["id"])
}

/// Runs `sql` on the app's database through a connection of its own, as
/// another process would.
async fn elsewhere(app: &TestApp, sql: &str) {
    let db = Database::connect(&app.database_url).await.unwrap();
    db.execute_unprepared(sql).await.unwrap();
    db.close().await.unwrap();
}

/// Asks until the answer has the error code `code` (`None`: no error). On
/// SQLite the first answer must; on PostgreSQL one within [`WITHIN`].
async fn answers(app: &TestApp, token: &str, query: &str, variables: Value, code: Option<&str>) {
    let from = Instant::now();
    loop {
        let body = app.gql(Some(token), query, variables.clone()).await;
        if error_code(&body).as_deref() == code {
            return;
        }
        assert!(
            app.backend == Backend::Postgres && from.elapsed() < WITHIN,
            "expected {code:?} after {:?}: {body}",
            from.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Runs `iurhub ARGS` on the app's database.
fn cli(app: &TestApp, args: &[&str]) {
    let out = crate::cli::iurhub()
        .env("IURHUB_DATABASE_URL", &app.database_url)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

e2e!(
    a_removed_member_loses_a_confidential_need_at_the_next_request,
    |app| async move {
        let w = World::new(&app).await;
        let need = w
            .need(&app, "保密 confidential servo", "CONFIDENTIAL", true)
            .await;
        let c = app.user("c@enterprise-a.test").await;
        let membership = join(&app, &w.admin, &w.org_a, "c@enterprise-a.test", "MEMBER").await;
        for _ in 0..2 {
            app.gql_ok(Some(&c), NEED, json!({"id": need})).await;
        }

        app.gql_ok(
            Some(&w.admin),
            REMOVE,
            json!({"input": {"membershipId": membership}}),
        )
        .await;
        app.gql_err(Some(&c), NEED, json!({"id": need}), "NOT_FOUND")
            .await;

        // Back in, and leaving themself: the same.
        let membership = join(&app, &w.admin, &w.org_a, "c@enterprise-a.test", "MEMBER").await;
        app.gql_ok(Some(&c), NEED, json!({"id": need})).await;
        app.gql_ok(
            Some(&c),
            REMOVE,
            json!({"input": {"membershipId": membership}}),
        )
        .await;
        app.gql_err(Some(&c), NEED, json!({"id": need}), "NOT_FOUND")
            .await;
    }
);

e2e!(
    a_demoted_org_admin_can_no_longer_add_members,
    |app| async move {
        let w = World::new(&app).await;
        let boss = app.user("boss@enterprise-a.test").await;
        let membership = join(
            &app,
            &w.admin,
            &w.org_a,
            "boss@enterprise-a.test",
            "ORG_ADMIN",
        )
        .await;
        // Another ORG_ADMIN, so the boss is not the last one.
        app.user("deputy@enterprise-a.test").await;
        join(
            &app,
            &w.admin,
            &w.org_a,
            "deputy@enterprise-a.test",
            "ORG_ADMIN",
        )
        .await;
        for name in ["x1", "x2"] {
            app.user(&format!("{name}@enterprise-a.test")).await;
        }
        let res = add_member(&app, &boss, &w.org_a, "x1@enterprise-a.test", "MEMBER").await;
        assert!(res.get("errors").is_none(), "{res}");

        // Through this server: the ORG_ADMIN membership ends, a MEMBER one begins.
        app.gql_ok(
            Some(&w.admin),
            REMOVE,
            json!({"input": {"membershipId": membership}}),
        )
        .await;
        let membership = join(&app, &w.admin, &w.org_a, "boss@enterprise-a.test", "MEMBER").await;
        let res = add_member(&app, &boss, &w.org_a, "x2@enterprise-a.test", "MEMBER").await;
        assert_eq!(error_code(&res).as_deref(), Some("FORBIDDEN"), "{res}");

        // Another process changes the role of the membership in place.
        let add =
            "mutation($input: AddMemberInput!) { addMember(input: $input) { membership { id } } }";
        let x2 = json!({"input": {"organizationId": w.org_a, "email": "x2@enterprise-a.test", "role": "MEMBER"}});
        let id = database_id(&membership);
        elsewhere(
            &app,
            &format!("UPDATE memberships SET role = 'ORG_ADMIN' WHERE id = {id}"),
        )
        .await;
        answers(&app, &boss, add, x2.clone(), None).await;
        elsewhere(
            &app,
            &format!("UPDATE memberships SET role = 'MEMBER' WHERE id = {id}"),
        )
        .await;
        let x3 = json!({"input": {"organizationId": w.org_a, "email": "x1@enterprise-a.test", "role": "MEMBER"}});
        // x1 is a member already: an ORG_ADMIN would get CONFLICT.
        answers(&app, &boss, add, x3, Some("FORBIDDEN")).await;
    }
);

e2e!(
    a_platform_role_set_on_the_command_line_takes_effect,
    |app| async move {
        let token = app.user("dora@example.org").await;
        for _ in 0..2 {
            app.gql_err(Some(&token), STATS, json!({}), "FORBIDDEN")
                .await;
        }
        cli(
            &app,
            &["user", "set-role", "dora@example.org", "COORDINATOR"],
        );
        answers(&app, &token, STATS, json!({}), None).await;
        cli(&app, &["user", "set-role", "dora@example.org", "none"]);
        answers(&app, &token, STATS, json!({}), Some("FORBIDDEN")).await;
    }
);

e2e!(a_deleted_user_is_refused, |app| async move {
    let token = app.user("gone@example.org").await;
    let me = app.gql_ok(Some(&token), ME, json!({})).await;
    let id = database_id(&text(&me["me"]["id"]));
    // The product deletes no accounts; an operator may, on the database.
    elsewhere(
        &app,
        &format!("DELETE FROM refresh_tokens WHERE user_id = {id}"),
    )
    .await;
    elsewhere(&app, &format!("DELETE FROM users WHERE id = {id}")).await;
    answers(&app, &token, ME, json!({}), Some("UNAUTHENTICATED")).await;
});

e2e!(
    organisations_placed_under_an_administered_one_are_managed_at_once,
    |app| async move {
        let w = World::new(&app).await;
        let boss = app.user("boss@enterprise-a.test").await;
        join(
            &app,
            &w.admin,
            &w.org_a,
            "boss@enterprise-a.test",
            "ORG_ADMIN",
        )
        .await;
        let rename = |id: &str, name: &str| json!({"input": {"id": id, "name": name}});
        app.gql_ok(Some(&boss), UPDATE_ORG, rename(&w.org_a, "Enterprise A 甲"))
            .await;
        app.gql_err(
            Some(&boss),
            UPDATE_ORG,
            rename(&w.org_b, "B renamed"),
            "FORBIDDEN",
        )
        .await;

        // A new department of A, made through this server.
        let lab = create_org(&app, &w.admin, "Lab 实验室", "ENTERPRISE", Some(&w.org_a)).await;
        app.gql_ok(Some(&boss), UPDATE_ORG, rename(&lab, "Lab 2"))
            .await;

        // Enterprise B moved under A by another process.
        let (a, b) = (database_id(&w.org_a), database_id(&w.org_b));
        elsewhere(
            &app,
            &format!("UPDATE organizations SET parent_id = {a} WHERE id = {b}"),
        )
        .await;
        answers(&app, &boss, UPDATE_ORG, rename(&w.org_b, "B renamed"), None).await;
    }
);
