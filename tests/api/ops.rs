//! Operator tasks with the real binary: `iurhub backup`, `iurhub user
//! create|set-role`, and what the server writes to its logs.

use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};

use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::{Value, json};

use crate::cli::{free_port, iurhub, terminate, wait_ready};
use crate::common::{self, Backend, TestApp};

/// Runs `iurhub ARGS` on the app's database, `stdin` piped in when given.
fn cli(app: &TestApp, args: &[&str], stdin: Option<&str>) -> Output {
    run_on(&app.database_url, args, stdin)
}

fn run_on(database_url: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = iurhub();
    cmd.env("IURHUB_DATABASE_URL", database_url)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if stdin.is_some() {
        cmd.stdin(Stdio::piped());
    }
    let mut child = cmd.spawn().unwrap();
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    child.wait_with_output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[track_caller]
fn assert_ok(out: &Output) {
    assert!(
        out.status.success(),
        "status {}\nstdout: {}\nstderr: {}",
        out.status,
        stdout(out),
        stderr(out)
    );
}

/// `url` with the password of its user replaced by (or set to) `password`.
fn with_password(url: &str, password: &str) -> String {
    let start = url.find("://").map_or(0, |i| i + 3);
    match url[start..].find('@') {
        Some(at) => {
            let user = url[start..start + at].split(':').next().unwrap();
            format!("{}{user}:{password}{}", &url[..start], &url[start + at..])
        }
        None => format!("{}postgres:{password}@{}", &url[..start], &url[start..]),
    }
}

/// Names of the organisations in the SQLite file at `path`, read directly.
async fn organization_names(path: &Path) -> Vec<String> {
    let db = Database::connect(format!("sqlite://{}?mode=ro", path.display()))
        .await
        .unwrap();
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT name FROM organizations ORDER BY id",
        ))
        .await
        .unwrap();
    let check = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "PRAGMA integrity_check",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(check.try_get_by_index::<String>(0).unwrap(), "ok");
    db.close().await.unwrap();
    rows.iter()
        .map(|r| r.try_get_by_index::<String>(0).unwrap())
        .collect()
}

const CREATE_ORG: &str = "mutation($input: CreateOrganizationInput!) {
  createOrganization(input: $input) { organization { id } } }";

async fn create_org(app: &TestApp, token: &str, name: &str) {
    app.gql_ok(
        Some(token),
        CREATE_ORG,
        json!({"input": {"name": name, "kind": "ENTERPRISE"}}),
    )
    .await;
}

e2e!(
    backup_copies_the_live_database_or_names_pg_dump,
    |app| async move {
        let admin = app.admin_token().await;
        create_org(&app, &admin, "Before backup 备份前").await;
        app.user("kept@example.org").await;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("copy.db");
        let file_arg = file.to_str().unwrap();

        if app.backend == Backend::Postgres {
            // Nothing is done; the operator is told the pg_dump command, without
            // the password of the configured URL.
            let url = with_password(&app.database_url, "pg-Secret-Value-42");
            let out = run_on(&url, &["backup", file_arg], None);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(2), "{err}");
            assert!(err.contains("pg_dump --format=custom"), "{err}");
            assert!(err.contains(file_arg), "{err}");
            let without = with_password(&app.database_url, "").replace(":@", "@");
            assert!(err.contains(&format!("--dbname={without}")), "{err}");
            assert!(err.contains(":***@"), "the configured URL, redacted: {err}");
            assert!(!err.contains("pg-Secret-Value-42"), "{err}");
            assert!(!stdout(&out).contains("pg-Secret-Value-42"));
            assert!(!file.exists(), "nothing written");
            return;
        }

        // While the server runs: a consistent copy.
        let out = cli(&app, &["backup", file_arg], None);
        assert_ok(&out);
        assert!(stdout(&out).contains("backed up"), "{}", stdout(&out));
        assert_eq!(
            organization_names(&file).await,
            vec!["Before backup 备份前"]
        );

        // Writes after the backup are not in it, and an existing file is kept...
        create_org(&app, &admin, "After backup 备份后").await;
        let out = cli(&app, &["backup", file_arg], None);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
        assert_eq!(organization_names(&file).await.len(), 1);
        // ...unless --force replaces it.
        let out = cli(&app, &["backup", "--force", file_arg], None);
        assert_ok(&out);
        assert_eq!(
            organization_names(&file).await,
            vec!["Before backup 备份前", "After backup 备份后"]
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec!["copy.db"], "no partial files left behind");

        // The copy is a complete database: migrations all applied...
        let copy_url = format!("sqlite://{}", file.display());
        let out = run_on(&copy_url, &["migrate", "status"], None);
        assert_ok(&out);
        let status = stdout(&out);
        assert!(status.lines().count() >= 7, "{status}");
        assert_eq!(
            status.matches("Applied").count(),
            status.lines().count(),
            "{status}"
        );

        // ...and a second server on it serves the data: restore = point
        // IURHUB_DATABASE_URL at the file.
        let port = free_port();
        let work = tempfile::tempdir().unwrap();
        let child = iurhub()
            .current_dir(work.path())
            .env("IURHUB_DATABASE_URL", &copy_url)
            .env("IURHUB_LISTEN", format!("127.0.0.1:{port}"))
            .env(
                "IURHUB_JWT_SECRET",
                "a restore test secret of at least 32 bytes",
            )
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        wait_ready(port).await;
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        let login: Value = client
            .post(format!("{base}/api/v1/auth/login"))
            .json(&json!({"email": "kept@example.org", "password": common::DEFAULT_PASSWORD}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = login["accessToken"]
            .as_str()
            .unwrap_or_else(|| panic!("the user in the backup signs in: {login}"));
        let res: Value = client
        .post(format!("{base}/graphql"))
        .bearer_auth(token)
        .json(&json!({"query": "{ me { email } organizations(first: 10) { totalCount edges { node { name } } } }"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
        assert_eq!(res["data"]["me"]["email"], "kept@example.org", "{res}");
        assert_eq!(res["data"]["organizations"]["totalCount"], 2, "{res}");
        terminate(child).await;

        // A database that does not exist is not silently created and copied.
        let missing = dir.path().join("missing.db");
        let out = run_on(
            &format!("sqlite://{}?mode=rwc", missing.display()),
            &["backup", dir.path().join("x.db").to_str().unwrap()],
            None,
        );
        assert_eq!(out.status.code(), Some(1));
        assert!(
            stderr(&out).contains("no SQLite database"),
            "{}",
            stderr(&out)
        );
        assert!(!missing.exists());
    }
);

e2e!(user_create_then_sign_in, |app| async move {
    // A chosen password, on standard input.
    let out = cli(
        &app,
        &[
            "user",
            "create",
            "--email",
            "New.Coordinator@Example.org",
            "--name",
            "新协调员 New Coordinator",
            "--password-stdin",
            "--role",
            "COORDINATOR",
        ],
        Some("a distinctive pass 42\n"),
    );
    assert_ok(&out);
    assert!(
        stdout(&out).contains("created user new.coordinator@example.org"),
        "{}",
        stdout(&out)
    );
    assert!(!stdout(&out).contains("distinctive"), "never echoed");
    assert!(!stderr(&out).contains("distinctive"), "never logged");
    let token = app
        .login("new.coordinator@example.org", "a distinctive pass 42")
        .await;
    let me = app
        .gql_ok(
            Some(&token),
            "{ me { email displayName platformRole } }",
            json!({}),
        )
        .await;
    assert_eq!(me["me"]["displayName"], "新协调员 New Coordinator");
    assert_eq!(me["me"]["platformRole"], "COORDINATOR");

    // A generated password, printed once.
    let out = cli(
        &app,
        &[
            "user",
            "create",
            "--email",
            "gen@example.org",
            "--name",
            "Gen",
        ],
        None,
    );
    assert_ok(&out);
    let text = stdout(&out);
    let password = text
        .lines()
        .find_map(|l| l.strip_prefix("password: "))
        .unwrap_or_else(|| panic!("the generated password is printed: {text}"));
    assert!(password.len() >= 20, "{password}");
    let token = app.login("gen@example.org", password).await;
    let me = app
        .gql_ok(Some(&token), "{ me { platformRole } }", json!({}))
        .await;
    assert_eq!(me["me"]["platformRole"], Value::Null);

    // The same e-mail again (in another case) is refused.
    let out = cli(
        &app,
        &[
            "user",
            "create",
            "--email",
            "NEW.coordinator@example.org",
            "--name",
            "Someone else",
            "--password-stdin",
        ],
        Some("another long password\n"),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("already exists"), "{}", stderr(&out));
    // The first password still works.
    app.login("new.coordinator@example.org", "a distinctive pass 42")
        .await;

    // The rules of registration apply, every problem named at once.
    let out = cli(
        &app,
        &[
            "user",
            "create",
            "--email",
            "not-an-email",
            "--name",
            "X",
            "--password-stdin",
        ],
        Some("short\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("--email: must be a valid e-mail address"),
        "{err}"
    );
    assert!(
        err.contains("password: must be at least 10 characters"),
        "{err}"
    );
});

const STATS: &str = "{ stats { overdueChecklistItems } }";

/// The answer to [`STATS`] once its error code is `code` (`None`: no
/// error): the first one on SQLite (the server reads the access version at
/// every request), one within 2 s on PostgreSQL (the command line's write
/// is notified; docs/OPERATIONS.md "Signed-in callers").
async fn stats_until(app: &TestApp, token: &str, code: Option<&str>) -> Value {
    let from = std::time::Instant::now();
    loop {
        let body = app.gql(Some(token), STATS, json!({})).await;
        if common::error_code(&body).as_deref() == code {
            return body;
        }
        assert!(
            app.backend == Backend::Postgres && from.elapsed() < std::time::Duration::from_secs(2),
            "expected {code:?}: {body}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

e2e!(
    user_set_role_grants_and_revokes_coordination,
    |app| async move {
        let token = app.user("dora@example.org").await;
        app.gql_err(Some(&token), STATS, json!({}), "FORBIDDEN")
            .await;

        let out = cli(
            &app,
            &["user", "set-role", "Dora@Example.org", "COORDINATOR"],
            None,
        );
        assert_ok(&out);
        assert!(
            stdout(&out).contains("dora@example.org: platform role COORDINATOR (was NONE)"),
            "{}",
            stdout(&out)
        );
        // The same token: the running server hears of the new role (at the
        // next request on SQLite, by notification on PostgreSQL).
        let body = stats_until(&app, &token, None).await;
        assert!(
            body["data"]["stats"]["overdueChecklistItems"].is_u64(),
            "{body}"
        );

        let out = cli(
            &app,
            &["user", "set-role", "dora@example.org", "none"],
            None,
        );
        assert_ok(&out);
        stats_until(&app, &token, Some("FORBIDDEN")).await;

        let out = cli(
            &app,
            &["user", "set-role", "nobody@example.org", "ADMIN"],
            None,
        );
        assert_eq!(out.status.code(), Some(1));
        assert!(
            stderr(&out).contains("no user with the e-mail nobody@example.org"),
            "{}",
            stderr(&out)
        );
        let out = cli(
            &app,
            &["user", "set-role", "dora@example.org", "OWNER"],
            None,
        );
        assert!(!out.status.success());
        assert!(
            stderr(&out).contains("ADMIN, COORDINATOR, NONE"),
            "{}",
            stderr(&out)
        );
    }
);

e2e!(operator_commands_have_help, |_app| async move {
    for (args, expected) in [
        (&["backup", "--help"][..], "VACUUM INTO"),
        (&["backup", "--help"][..], "pg_dump"),
        (&["backup", "--help"][..], "--force"),
        (&["user", "--help"][..], "set-role"),
        (&["user", "create", "--help"][..], "--password-stdin"),
        (&["user", "create", "--help"][..], "printed once"),
        (
            &["user", "set-role", "--help"][..],
            "ADMIN, COORDINATOR, NONE",
        ),
        (&["--help"][..], "backup"),
    ] {
        let out = iurhub().args(args).output().unwrap();
        assert_ok(&out);
        assert!(
            stdout(&out).contains(expected),
            "{args:?}: {}",
            stdout(&out)
        );
    }
});

e2e!(
    json_logs_carry_request_ids_and_no_secrets,
    |app| async move {
        const PASSWORD: &str = "Pw-LeakCanary-7391";
        const WRONG: &str = "Pw-WrongCanary-2468";
        const JWT_SECRET: &str = "jwt-Secret-Canary-0123456789abcdefghijklmnop";
        const ADMIN_PASSWORD: &str = "Admin-Canary-Pw-5150";
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let mut cmd = iurhub();
        cmd.current_dir(dir.path())
            .env("IURHUB_LISTEN", format!("127.0.0.1:{port}"))
            .env("IURHUB_LOG_FORMAT", "json")
            .env("RUST_LOG", "debug")
            .env("IURHUB_JWT_SECRET", JWT_SECRET)
            .env("IURHUB_BOOTSTRAP_ADMIN_EMAIL", "root@logs.test")
            .env("IURHUB_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if app.backend == Backend::Postgres {
            cmd.env("IURHUB_DATABASE_URL", &app.database_url);
        }
        let child = cmd.spawn().unwrap();
        wait_ready(port).await;
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        let mut request_ids = Vec::new();
        let mut post = async |path: &str, body: Value, token: Option<&str>| {
            let mut req = client.post(format!("{base}{path}")).json(&body);
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            let res = req.send().await.unwrap();
            let id = res.headers()["x-request-id"].to_str().unwrap().to_owned();
            request_ids.push(id);
            let status = res.status().as_u16();
            (status, res.json::<Value>().await.unwrap_or(Value::Null))
        };

        let (status, _) = post(
            "/api/v1/auth/register",
            json!({"email": "canary@logs.test", "password": PASSWORD, "displayName": "Canary"}),
            None,
        )
        .await;
        assert_eq!(status, 201);
        let (status, _) = post(
            "/api/v1/auth/login",
            json!({"email": "canary@logs.test", "password": WRONG}),
            None,
        )
        .await;
        assert_eq!(status, 401);
        let (status, pair) = post(
            "/api/v1/auth/login",
            json!({"email": "canary@logs.test", "password": PASSWORD}),
            None,
        )
        .await;
        assert_eq!(status, 200, "{pair}");
        let access = crate::common::text(&pair["accessToken"]);
        let refresh = crate::common::text(&pair["refreshToken"]);
        let (_, me) = post(
            "/graphql",
            json!({"query": "query Me { me { email } }"}),
            Some(&access),
        )
        .await;
        assert_eq!(me["data"]["me"]["email"], "canary@logs.test", "{me}");
        // A tampered token is refused (and the refusal logged at debug).
        let (status, _) = post(
            "/graphql",
            json!({"query": "{ me { email } }"}),
            Some(&format!("{access}x")),
        )
        .await;
        assert_eq!(status, 401);
        let (status, rotated) = post(
            "/api/v1/auth/refresh",
            json!({"refreshToken": refresh}),
            None,
        )
        .await;
        assert_eq!(status, 200, "{rotated}");
        let access2 = crate::common::text(&rotated["accessToken"]);
        let refresh2 = crate::common::text(&rotated["refreshToken"]);
        // Reusing the old refresh token is detected and logged (a warning).
        let (status, _) = post(
            "/api/v1/auth/refresh",
            json!({"refreshToken": refresh}),
            None,
        )
        .await;
        assert_eq!(status, 401);
        let (status, _) = post(
            "/api/v1/auth/login",
            json!({"email": "root@logs.test", "password": ADMIN_PASSWORD}),
            None,
        )
        .await;
        assert_eq!(status, 200, "the bootstrap admin exists");
        let log = terminate(child).await;

        // One JSON object per line.
        let lines: Vec<Value> = log
            .lines()
            .map(|l| {
                serde_json::from_str::<Value>(l)
                    .unwrap_or_else(|e| panic!("not a JSON log line ({e}): {l}"))
            })
            .collect();
        assert!(lines.iter().all(Value::is_object));
        assert!(
            lines.iter().any(|l| l["level"] == "DEBUG"),
            "RUST_LOG=debug is in effect: {log}"
        );
        // A line per request, each with its request id (the x-request-id header).
        let logged_ids: Vec<&str> = lines
            .iter()
            .filter(|l| l["message"] == "request")
            .map(|l| {
                let id = l["span"]["request_id"].as_str().unwrap_or_default();
                assert!(!id.is_empty(), "a request line without request id: {l}");
                id
            })
            .collect();
        for id in &request_ids {
            assert!(
                logged_ids.contains(&id.as_str()),
                "request {id} not logged: {log}"
            );
        }
        assert!(
            lines
                .iter()
                .any(|l| l["message"] == "user registered" && l["span"]["request_id"].is_string()),
            "events inside a request carry its id: {log}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l["message"] == "request" && l["span"]["operation"] == "Me"),
            "the GraphQL operation name is on the request's span: {log}"
        );

        // No secret, whole or in part.
        let mut secrets = vec![
            PASSWORD.to_owned(),
            WRONG.to_owned(),
            JWT_SECRET.to_owned(),
            ADMIN_PASSWORD.to_owned(),
            refresh,
            refresh2,
        ];
        for token in [&access, &access2] {
            // The header segment is the same for every token; payload and
            // signature are what identify one.
            secrets.extend(token.split('.').skip(1).map(str::to_owned));
        }
        for secret in &secrets {
            assert!(
                !log.contains(secret.as_str()),
                "`{secret}` appears in the log: {log}"
            );
        }
    }
);

e2e!(json_logs_report_a_failed_start_as_json, |app| async move {
    // The port is taken: the server cannot start.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = iurhub();
    cmd.current_dir(dir.path())
        .env("IURHUB_LISTEN", format!("127.0.0.1:{port}"))
        .env("IURHUB_LOG_FORMAT", "json")
        .env("RUST_BACKTRACE", "1");
    if app.backend == Backend::Postgres {
        cmd.env("IURHUB_DATABASE_URL", &app.database_url);
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let log = stderr(&out);
    let lines: Vec<Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let last = lines.last().unwrap();
    assert_eq!(last["level"], "ERROR", "{log}");
    let error = last["error"].as_str().unwrap();
    assert!(
        error.contains(&format!("binding 127.0.0.1:{port}")),
        "{error}"
    );
    drop(taken);
});
