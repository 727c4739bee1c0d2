//! The end-to-end harness: the real server, in-process, on port 0, with a
//! fresh database per test — a SQLite file in a temporary directory, or a new
//! database on a PostgreSQL cluster.
//!
//! PostgreSQL comes from `IURHUB_TEST_DATABASE_URL` (an admin URL; set by
//! `scripts/test`). Without it the harness starts a throwaway cluster from the
//! machine's PostgreSQL binaries, once per test process; with no binaries it
//! skips loudly — except under CI, where skipping is a failure.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use iurhub_api::{Server, Settings};
use rand::RngCore;
use sea_orm::{ConnectionTrait, Database};
use secrecy::SecretString;
use serde_json::{Value, json};
use tokio::sync::oneshot;

/// Runs one test body on SQLite and on PostgreSQL.
macro_rules! e2e {
    ($name:ident, |$app:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($app: crate::common::TestApp) {
                $body.await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = crate::common::TestApp::spawn(crate::common::Backend::Sqlite)
                    .await
                    .expect("SQLite is always available");
                run(app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(app) =
                    crate::common::TestApp::spawn(crate::common::Backend::Postgres).await
                {
                    let cleanup = app.cleanup_handle();
                    run(app).await;
                    cleanup.drop_database().await;
                }
            }
        }
    };
}

pub const ADMIN_EMAIL: &str = "admin@test.iurhub";
pub const ADMIN_PASSWORD: &str = "admin password for tests";
/// Password of every account made by [`TestApp::user`].
pub const DEFAULT_PASSWORD: &str = "a default test password";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running server and a client for it.
pub struct TestApp {
    pub addr: SocketAddr,
    pub base: String,
    pub client: reqwest::Client,
    pub backend: Backend,
    /// The database the server uses (to run the CLI against it).
    pub database_url: String,
    shutdown: Option<oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
    pg: Option<(String, String)>,
}

/// Drops a test's PostgreSQL database once the test is done with it.
pub struct Cleanup {
    pg: Option<(String, String)>,
}

impl Cleanup {
    pub async fn drop_database(self) {
        if let Some((admin_url, name)) = self.pg {
            // Give the stopped server's pool a moment to close its connections.
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            if let Ok(admin) = Database::connect(&admin_url).await {
                let _ = admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await;
                let _ = admin.close().await;
            }
        }
    }
}

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

impl TestApp {
    /// Starts the server; `None` only when PostgreSQL is unavailable outside CI.
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        let dir = tempfile::tempdir().expect("temporary directory");
        let (database_url, pg) = match backend {
            Backend::Sqlite => (
                format!(
                    "sqlite://{}?mode=rwc",
                    dir.path().join("iurhub.db").display()
                ),
                None,
            ),
            Backend::Postgres => {
                let admin_url = postgres_admin_url()?;
                let name = format!("iurhub_t_{}", random_hex(8));
                let admin = Database::connect(&admin_url)
                    .await
                    .expect("connecting to PostgreSQL");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("creating the test database");
                admin.close().await.ok();
                let base = admin_url.rsplit_once('/').expect("URL with a database").0;
                (format!("{base}/{name}"), Some((admin_url, name)))
            }
        };
        let settings = Settings {
            listen: "127.0.0.1:0".into(),
            database_url: Some(database_url.clone()),
            data_dir: dir.path().to_path_buf(),
            jwt_secret: Some(SecretString::from(
                "test secret that is long enough for HS256",
            )),
            bootstrap_admin_email: Some(ADMIN_EMAIL.into()),
            bootstrap_admin_password: Some(SecretString::from(ADMIN_PASSWORD)),
            db_max_connections: 5,
            ..Settings::default()
        };
        let server = Server::build(settings).await.expect("starting the server");
        let addr = server.local_addr();
        let (tx, rx) = oneshot::channel::<()>();
        tokio::spawn(server.run_until(async {
            let _ = rx.await;
        }));
        Some(TestApp {
            addr,
            base: format!("http://{addr}"),
            client: reqwest::Client::new(),
            backend,
            database_url,
            shutdown: Some(tx),
            _dir: dir,
            pg,
        })
    }

    pub fn cleanup_handle(&self) -> Cleanup {
        Cleanup {
            pg: self.pg.clone(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn post_json(
        &self,
        path: &str,
        body: Value,
        token: Option<&str>,
    ) -> reqwest::Response {
        let mut req = self.client.post(self.url(path)).json(&body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.expect("POST")
    }

    pub async fn register(
        &self,
        email: &str,
        password: &str,
        display_name: &str,
    ) -> reqwest::Response {
        self.post_json(
            "/api/v1/auth/register",
            json!({"email": email, "password": password, "displayName": display_name}),
            None,
        )
        .await
    }

    /// Signs in and returns the access token.
    pub async fn login(&self, email: &str, password: &str) -> String {
        let res = self
            .post_json(
                "/api/v1/auth/login",
                json!({"email": email, "password": password}),
                None,
            )
            .await;
        let status = res.status();
        let body: Value = res.json().await.expect("JSON body");
        assert_eq!(status, 200, "login of {email} failed: {body}");
        body["accessToken"]
            .as_str()
            .expect("accessToken")
            .to_owned()
    }

    pub async fn admin_token(&self) -> String {
        self.login(ADMIN_EMAIL, ADMIN_PASSWORD).await
    }

    /// Registers `email` (display name = e-mail) and returns its access token.
    pub async fn user(&self, email: &str) -> String {
        let res = self.register(email, DEFAULT_PASSWORD, email).await;
        assert_eq!(
            res.status(),
            201,
            "registering {email}: {}",
            res.text().await.unwrap_or_default()
        );
        self.login(email, DEFAULT_PASSWORD).await
    }

    /// POSTs a GraphQL operation and returns the whole response body.
    pub async fn gql(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let res = self
            .post_json(
                "/graphql",
                json!({"query": query, "variables": variables}),
                token,
            )
            .await;
        res.json().await.expect("GraphQL response is JSON")
    }

    /// Like [`TestApp::gql`], but fails the test on any error and returns `data`.
    pub async fn gql_ok(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let body = self.gql(token, query, variables).await;
        assert!(body.get("errors").is_none(), "GraphQL errors: {body}");
        body["data"].clone()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// The first error's `extensions.code`.
pub fn error_code(resp: &Value) -> Option<String> {
    resp["errors"][0]["extensions"]["code"]
        .as_str()
        .map(str::to_owned)
}

const PG_BIN: &str = "/usr/lib/postgresql/15/bin";

/// An admin URL of a PostgreSQL server for tests, or `None` to skip.
fn postgres_admin_url() -> Option<String> {
    if let Ok(url) = std::env::var("IURHUB_TEST_DATABASE_URL") {
        return Some(url);
    }
    static CLUSTER: OnceLock<Option<String>> = OnceLock::new();
    CLUSTER
        .get_or_init(|| {
            if std::env::var_os("CI").is_some() {
                panic!("PostgreSQL tests must not be skipped in CI: set IURHUB_TEST_DATABASE_URL (scripts/test does)");
            }
            if !Path::new(PG_BIN).join("initdb").exists() {
                eprintln!("SKIPPED PostgreSQL: no PostgreSQL binaries in {PG_BIN}; run ./scripts/test");
                return None;
            }
            Some(start_cluster())
        })
        .clone()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

/// Runs a PostgreSQL binary, as the `postgres` user when we are root.
fn pg(binary: &str, args: &[&str]) -> Command {
    let path = Path::new(PG_BIN).join(binary);
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(path).args(args);
        c
    } else {
        let mut c = Command::new(path);
        c.args(args);
        c
    }
}

/// Starts a throwaway cluster for this test process and arranges for it to
/// stop when the process ends.
fn start_cluster() -> String {
    let data = tempfile::Builder::new()
        .prefix("iurhub-pg-")
        .tempdir()
        .expect("tempdir")
        .keep();
    let sock: PathBuf = tempfile::Builder::new()
        .prefix("iurhub-pgsock-")
        .tempdir()
        .expect("tempdir")
        .keep();
    if is_root() {
        for d in [&data, &sock] {
            Command::new("chown")
                .args(["postgres:postgres"])
                .arg(d)
                .status()
                .expect("chown");
        }
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let data_s = data.display().to_string();
    let ok = pg(
        "initdb",
        &[
            "-D",
            &data_s,
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ],
    )
    .stdout(std::process::Stdio::null())
    .status()
    .expect("initdb")
    .success();
    assert!(ok, "initdb failed");
    let opts = format!(
        "-c listen_addresses=127.0.0.1 -p {port} -k {} -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=300",
        sock.display()
    );
    let log = data.join("log").display().to_string();
    let ok = pg(
        "pg_ctl",
        &["-D", &data_s, "-l", &log, "-o", &opts, "-w", "start"],
    )
    .stdout(std::process::Stdio::null())
    .status()
    .expect("pg_ctl start")
    .success();
    assert!(ok, "pg_ctl start failed; see {log}");
    let stop = if is_root() {
        format!("runuser -u postgres -- {PG_BIN}/pg_ctl -D {data_s} -m immediate stop")
    } else {
        format!("{PG_BIN}/pg_ctl -D {data_s} -m immediate stop")
    };
    let watchdog = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {stop} >/dev/null 2>&1; rm -rf {data_s} {sock}",
        pid = std::process::id(),
        sock = sock.display()
    );
    // The watchdog outlives this process on purpose; nobody waits for it.
    #[allow(clippy::zombie_processes)]
    Command::new("sh")
        .args(["-c", &watchdog])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("cluster watchdog");
    eprintln!("started a throwaway PostgreSQL cluster on port {port} for this test process");
    format!("postgres://postgres@127.0.0.1:{port}/postgres")
}
