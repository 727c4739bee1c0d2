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
use sea_orm::{ConnectOptions, ConnectionTrait, Database};
use secrecy::SecretString;
use serde_json::{Value, json};
use tokio::sync::oneshot;

/// Runs one test body on SQLite and on PostgreSQL.
macro_rules! e2e {
    // The harness's settings as they are (`TestApp::spawn`).
    ($name:ident, |$app:ident| $body:expr) => {
        e2e!(
            $name,
            settings = |_: &mut iurhub_api::Settings| {},
            |$app| $body
        );
    };
    // `e2e!(name, settings = |s: &mut Settings| …, |app| …)`: on a server
    // whose settings the closure changes first.
    ($name:ident, settings = $configure:expr, |$app:ident| $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($app: crate::common::TestApp) {
                $body.await
            }

            #[test]
            fn sqlite() {
                crate::common::on_runtime(async {
                    let app = crate::common::TestApp::spawn_with(
                        crate::common::Backend::Sqlite,
                        $configure,
                    )
                    .await
                    .expect("SQLite is always available");
                    run(app).await;
                });
            }

            #[test]
            fn postgres() {
                crate::common::on_runtime(async {
                    // `None`: skipped (no PostgreSQL outside CI); the harness
                    // said so.
                    if let Some(app) = crate::common::TestApp::spawn_with(
                        crate::common::Backend::Postgres,
                        $configure,
                    )
                    .await
                    {
                        run(app).await;
                    }
                });
            }
        }
    };
}

/// Runs a test body on a runtime like `#[tokio::test(flavor =
/// "multi_thread", worker_threads = 2)]`'s, but once the body is done waits
/// at most 10 s for the server's background work (the database pool's
/// upkeep, index commits) instead of for ever: the test's verdict is the
/// body's (a failure too is reported after that wait), and a task that
/// outlives its database and files cannot hang the run.
pub fn on_runtime(body: impl std::future::Future<Output = ()>) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| runtime.block_on(body)));
    runtime.shutdown_timeout(std::time::Duration::from_secs(10));
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
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
    /// The serving task (to wait for its end, [`TestApp::restart_with`]).
    server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    /// PostgreSQL only: the test database, dropped after the server is told to
    /// stop (fields drop after `Drop::drop`), also when the test panics.
    pg: Option<TestDatabase>,
    /// The server's data directory (the SQLite file, the search index).
    dir: Option<tempfile::TempDir>,
}

/// A database created for one test on the PostgreSQL server; dropped
/// (`WITH (FORCE)`, best-effort) with this value.
pub struct TestDatabase {
    pub admin_url: String,
    pub name: String,
}

impl TestDatabase {
    /// `CREATE DATABASE iurhub_t_<random hex>` on the server of `admin_url`.
    pub async fn create(admin_url: &str) -> TestDatabase {
        let name = format!("iurhub_t_{}", random_hex(8));
        let admin = connect_admin(admin_url).await;
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap_or_else(|e| panic!("creating the test database {name}: {e}"));
        admin.close().await.ok();
        TestDatabase {
            admin_url: admin_url.to_owned(),
            name,
        }
    }

    /// The URL of this database.
    pub fn url(&self) -> String {
        with_database(&self.admin_url, &self.name)
    }
}

/// `url` with its database name replaced by `name` (user, password, host,
/// port and query parameters kept).
pub fn with_database(url: &str, name: &str) -> String {
    let (without_query, query) = match url.split_once('?') {
        Some((u, q)) => (u, Some(q)),
        None => (url, None),
    };
    let authority_start = without_query.find("://").map_or(0, |i| i + 3);
    let path_start = without_query[authority_start..]
        .find('/')
        .map_or(without_query.len(), |j| authority_start + j);
    let mut out = format!("{}/{name}", &without_query[..path_start]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        drop_database(self.admin_url.clone(), self.name.clone());
    }
}

/// A single-connection pool on the admin database.
async fn connect_admin(admin_url: &str) -> sea_orm::DatabaseConnection {
    let mut opts = ConnectOptions::new(admin_url.to_owned());
    opts.max_connections(1)
        .min_connections(0)
        .sqlx_logging(false)
        .connect_timeout(std::time::Duration::from_secs(10));
    Database::connect(opts)
        .await
        .unwrap_or_else(|e| panic!("connecting to PostgreSQL at {admin_url}: {e}"))
}

/// Drops a test database on the admin connection, best-effort, on a thread of
/// its own (the caller may be inside a runtime, or unwinding from a panic).
fn drop_database(admin_url: String, name: String) {
    let worker = std::thread::spawn(move || {
        let Ok(rt) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        rt.block_on(async {
            let work = async {
                // Give the stopping server's pool a moment to close; FORCE
                // terminates whatever is left.
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                let mut opts = ConnectOptions::new(admin_url);
                opts.max_connections(1).sqlx_logging(false);
                match Database::connect(opts).await {
                    Ok(admin) => {
                        if let Err(e) = admin
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                            ))
                            .await
                        {
                            eprintln!("could not drop test database {name}: {e}");
                        }
                        let _ = admin.close().await;
                    }
                    Err(e) => eprintln!("could not drop test database {name}: {e}"),
                }
            };
            if tokio::time::timeout(std::time::Duration::from_secs(15), work)
                .await
                .is_err()
            {
                eprintln!("could not drop test database {name}: timed out");
            }
        });
    });
    let _ = worker.join();
}

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// The settings of every server of the harness, on `database_url` with
/// `data_dir`.
fn harness_settings(database_url: &str, data_dir: &std::path::Path) -> Settings {
    Settings {
        listen: "127.0.0.1:0".into(),
        database_url: Some(database_url.to_owned()),
        data_dir: data_dir.to_path_buf(),
        jwt_secret: Some(SecretString::from(
            "test secret that is long enough for HS256",
        )),
        bootstrap_admin_email: Some(ADMIN_EMAIL.into()),
        bootstrap_admin_password: Some(SecretString::from(ADMIN_PASSWORD)),
        db_max_connections: 5,
        // Every test signs in from 127.0.0.1 many times: the limits stay
        // on (their code runs) but out of reach; tests/api/ratelimit.rs
        // lowers them.
        rate_limit_auth_per_ip_burst: 1_000_000,
        rate_limit_login_per_account_burst: 1_000_000,
        rate_limit_graphql_per_user_burst: 1_000_000,
        ..Settings::default()
    }
}

impl TestApp {
    /// Starts the server; `None` only when PostgreSQL is unavailable outside CI.
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Like [`TestApp::spawn`], with the harness's settings changed by
    /// `configure` first (e.g. low rate limits).
    pub async fn spawn_with(
        backend: Backend,
        configure: impl FnOnce(&mut Settings),
    ) -> Option<TestApp> {
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
                let db = TestDatabase::create(&postgres_admin_url()?).await;
                (db.url(), Some(db))
            }
        };
        let mut settings = harness_settings(&database_url, dir.path());
        configure(&mut settings);
        Some(TestApp::serve(settings, backend, database_url, pg, dir).await)
    }

    async fn serve(
        settings: Settings,
        backend: Backend,
        database_url: String,
        pg: Option<TestDatabase>,
        dir: tempfile::TempDir,
    ) -> TestApp {
        let server = Server::build(settings).await.expect("starting the server");
        let addr = server.local_addr();
        let (tx, rx) = oneshot::channel::<()>();
        let serving = tokio::spawn(server.run_until(async {
            let _ = rx.await;
        }));
        TestApp {
            addr,
            base: format!("http://{addr}"),
            client: reqwest::Client::new(),
            backend,
            database_url,
            shutdown: Some(tx),
            server: Some(serving),
            pg,
            dir: Some(dir),
        }
    }

    /// The server's data directory.
    pub fn data_dir(&self) -> &std::path::Path {
        self.dir.as_ref().expect("a server of the harness").path()
    }

    /// Stops this server (waiting until it has stopped) and starts another
    /// on the same database and data directory, with the harness's settings
    /// changed by `configure`.
    pub async fn restart_with(mut self, configure: impl FnOnce(&mut Settings)) -> TestApp {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(serving) = self.server.take() {
            serving
                .await
                .expect("the server task")
                .expect("the server stops cleanly");
        }
        let dir = self.dir.take().expect("a server of the harness");
        let mut settings = harness_settings(&self.database_url, dir.path());
        configure(&mut settings);
        TestApp::serve(
            settings,
            self.backend,
            self.database_url.clone(),
            self.pg.take(),
            dir,
        )
        .await
    }

    /// A client for a server the test started itself (a process), listening
    /// on `addr`; nothing is stopped or dropped with it.
    pub fn remote(addr: SocketAddr, backend: Backend, database_url: &str) -> TestApp {
        TestApp {
            addr,
            base: format!("http://{addr}"),
            client: reqwest::Client::new(),
            backend,
            database_url: database_url.to_owned(),
            shutdown: None,
            server: None,
            pg: None,
            dir: None,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// PostgreSQL only: the database this test runs on.
    pub fn postgres_database(&self) -> Option<&TestDatabase> {
        self.pg.as_ref()
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    /// GETs `path` with `token` as the bearer.
    pub async fn get_as(&self, path: &str, token: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("GET")
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

    /// POSTs `{email, password}` to the sign-in endpoint.
    pub async fn post_login(&self, email: &str, password: &str) -> reqwest::Response {
        self.post_json(
            "/api/v1/auth/login",
            json!({"email": email, "password": password}),
            None,
        )
        .await
    }

    /// POSTs `{refreshToken}` to the token refresh endpoint.
    pub async fn post_refresh(&self, refresh_token: &str) -> reqwest::Response {
        self.post_json(
            "/api/v1/auth/refresh",
            json!({"refreshToken": refresh_token}),
            None,
        )
        .await
    }

    /// POSTs `{refreshToken}` to the sign-out endpoint.
    pub async fn post_logout(&self, refresh_token: &str) -> reqwest::Response {
        self.post_json(
            "/api/v1/auth/logout",
            json!({"refreshToken": refresh_token}),
            None,
        )
        .await
    }

    /// Signs in and returns the access token.
    pub async fn login(&self, email: &str, password: &str) -> String {
        let res = self.post_login(email, password).await;
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

    /// Like [`TestApp::gql`], asking for messages in `lang`
    /// (`Accept-Language`).
    pub async fn gql_in(
        &self,
        token: Option<&str>,
        lang: &str,
        query: &str,
        variables: Value,
    ) -> Value {
        let mut req = self
            .client
            .post(self.url("/graphql"))
            .header("accept-language", lang)
            .json(&json!({"query": query, "variables": variables}));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.expect("POST /graphql");
        res.json().await.expect("GraphQL response is JSON")
    }

    /// Like [`TestApp::gql`], but fails the test unless the first error's code
    /// is `code` (see [`assert_code`]); returns the whole response body.
    #[track_caller]
    pub fn gql_err<'a>(
        &'a self,
        token: Option<&'a str>,
        query: &'a str,
        variables: Value,
        code: &'a str,
    ) -> impl std::future::Future<Output = Value> + 'a {
        let location = std::panic::Location::caller();
        async move {
            let body = self.gql(token, query, variables).await;
            assert_eq!(
                error_code(&body).as_deref(),
                Some(code),
                "at {location}: {body}"
            );
            body
        }
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
        // The test database (if any) is dropped right after, with the fields.
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// The first error's `extensions.code`.
/// Whether `s` holds a CJK character (a message written in Chinese).
pub fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

pub fn error_code(resp: &Value) -> Option<String> {
    resp["errors"][0]["extensions"]["code"]
        .as_str()
        .map(str::to_owned)
}

/// The first error's message; fails the test when there is none.
#[track_caller]
pub fn error_message(resp: &Value) -> String {
    text(&resp["errors"][0]["message"])
}

/// Fails the test unless the first error's `extensions.code` is `code`;
/// the message shows the whole response.
#[track_caller]
pub fn assert_code(resp: &Value, code: &str) {
    assert_eq!(error_code(resp).as_deref(), Some(code), "{resp}");
}

/// Like [`assert_code`], with `why` (what was asked) before the response.
#[track_caller]
pub fn assert_code_why(resp: &Value, code: &str, why: impl std::fmt::Display) {
    assert_eq!(error_code(resp).as_deref(), Some(code), "{why}: {resp}");
}

/// The string at `v` (e.g. `data["createNeed"]["need"]["id"]`); fails the
/// test when it is missing or not a string.
#[track_caller]
pub fn text(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("a string, not {v}"))
        .to_owned()
}

/// The `(start, end)` of each entry of a list of time spans (e.g. an
/// instrument's `availability`), as the server wrote them.
pub fn spans(list: &Value) -> Vec<(String, String)> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|s| (text(&s["start"]), text(&s["end"])))
        .collect()
}

/// The node ids of a `search` result, in order.
pub fn search_hit_ids(data: &Value) -> Vec<String> {
    data["search"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| text(&h["node"]["id"]))
        .collect()
}

/// Percent-encodes every byte but unreserved ASCII (for a URL query value).
pub fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Fails the test unless the response's `content-type` is `expected`.
#[track_caller]
pub fn assert_content_type(res: &reqwest::Response, expected: &str) {
    assert_eq!(res.headers()["content-type"].to_str().unwrap(), expected);
}

/// The titles of a `needs` connection's nodes, in order.
pub fn titles(data: &Value) -> Vec<String> {
    data["needs"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| text(&e["node"]["title"]))
        .collect()
}

/// A TCP port nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// An `iurhub serve` child process started by [`spawn_serve`] (not yet
/// ready), its address, its stderr file and its working directory.
pub struct Spawned {
    pub child: std::process::Child,
    pub addr: SocketAddr,
    pub log: PathBuf,
    pub dir: tempfile::TempDir,
}

/// Starts `cmd` (the `iurhub` binary) as `serve` in a new temporary
/// directory on a free port against `database_url`, with its data under
/// `dir/data`, the JWT `secret`, the tests' bootstrap admin and stderr in
/// `dir/stderr.log`; then `env`, in order, so it overrides these.
pub fn spawn_serve<'e>(
    mut cmd: Command,
    database_url: &str,
    secret: &str,
    env: impl IntoIterator<Item = &'e (&'e str, &'e str)>,
) -> Spawned {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let log = dir.path().join("stderr.log");
    cmd.current_dir(dir.path())
        .arg("serve")
        .env("IURHUB_LISTEN", format!("127.0.0.1:{port}"))
        .env("IURHUB_DATABASE_URL", database_url)
        .env("IURHUB_DATA_DIR", dir.path().join("data"))
        .env("IURHUB_JWT_SECRET", secret)
        .env("IURHUB_BOOTSTRAP_ADMIN_EMAIL", ADMIN_EMAIL)
        .env("IURHUB_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .stdout(std::process::Stdio::null())
        // A file, not a pipe: nobody reads while the test runs.
        .stderr(std::process::Stdio::from(
            std::fs::File::create(&log).unwrap(),
        ));
    for (key, value) in env {
        cmd.env(key, value);
    }
    let child = cmd.spawn().expect("starting iurhub serve");
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    Spawned {
        child,
        addr,
        log,
        dir,
    }
}

/// An admin URL of a PostgreSQL server for tests, or `None` to skip.
pub fn postgres_admin_url() -> Option<String> {
    if let Ok(url) = std::env::var("IURHUB_TEST_DATABASE_URL") {
        return Some(url);
    }
    static CLUSTER: OnceLock<Option<String>> = OnceLock::new();
    CLUSTER
        .get_or_init(|| {
            if std::env::var_os("CI").is_some() {
                panic!(
                    "PostgreSQL tests must not be skipped in CI: set IURHUB_TEST_DATABASE_URL \
                     (scripts/test does)"
                );
            }
            let Some(bin) = postgres_bin_dir() else {
                eprintln!(
                    "SKIPPED PostgreSQL: no PostgreSQL binaries (looked at $PG_BIN, \
                     /usr/lib/postgresql/15/bin and `pg_config --bindir`); run ./scripts/test"
                );
                return None;
            };
            Some(start_cluster(&bin))
        })
        .clone()
}

/// Where `initdb` and `pg_ctl` are: `$PG_BIN` (as for `scripts/test`), the
/// Debian PostgreSQL 15 directory, or `pg_config --bindir`.
fn postgres_bin_dir() -> Option<PathBuf> {
    let has_initdb = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Some(dir) = std::env::var_os("PG_BIN") {
        let dir = PathBuf::from(dir);
        return has_initdb(&dir).then_some(dir);
    }
    let debian = PathBuf::from("/usr/lib/postgresql/15/bin");
    if has_initdb(&debian) {
        return Some(debian);
    }
    let out = Command::new("pg_config").arg("--bindir").output().ok()?;
    let dir = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
    (out.status.success() && has_initdb(&dir)).then_some(dir)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

/// Runs a PostgreSQL binary, as the `postgres` user when we are root.
fn pg(bin: &Path, binary: &str, args: &[&str]) -> Command {
    let path = bin.join(binary);
    let mut c = if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(path);
        c
    } else {
        Command::new(path)
    };
    // The `postgres` user may not be allowed into the test's working directory.
    c.args(args).current_dir("/");
    c
}

/// Starts a throwaway cluster for this test process and arranges for it to
/// stop when the process ends.
fn start_cluster(bin: &Path) -> String {
    let cluster = PgCluster::init(bin);
    cluster.start();
    eprintln!(
        "started a throwaway PostgreSQL cluster on port {} for this test process",
        cluster.port
    );
    let url = cluster.admin_url();
    // Shared by every test of the process: its watchdog, not a drop, stops
    // and deletes it when the process ends.
    std::mem::forget(cluster);
    url
}

/// A PostgreSQL cluster of one test's own, which the test may stop and start
/// again on the same port and data directory (the shared cluster of
/// [`postgres_admin_url`] must never be stopped: other tests use it).
///
/// Dropping it stops it (`-m immediate`) and deletes its directories, also
/// when the test panics; should the test process be killed instead, a
/// watchdog does the same when the process ends.
pub struct PgCluster {
    bin: PathBuf,
    data: PathBuf,
    sock: PathBuf,
    pub port: u16,
}

/// A cluster of the test's own ([`PgCluster`]), started; `None` (after
/// saying so) when there are no PostgreSQL binaries outside CI. Under CI a
/// missing binary fails the test.
pub fn dedicated_cluster() -> Option<PgCluster> {
    let Some(bin) = postgres_bin_dir() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "PostgreSQL tests must not be skipped in CI: no PostgreSQL binaries (looked at \
             $PG_BIN, /usr/lib/postgresql/15/bin and `pg_config --bindir`)"
        );
        eprintln!(
            "SKIPPED PostgreSQL: no PostgreSQL binaries for a cluster of this test's own \
             (looked at $PG_BIN, /usr/lib/postgresql/15/bin and `pg_config --bindir`)"
        );
        return None;
    };
    let cluster = PgCluster::init(&bin);
    cluster.start();
    Some(cluster)
}

impl PgCluster {
    /// `initdb` in a new temporary directory, for a free loopback port; not
    /// started yet. Arms the watchdog.
    fn init(bin: &Path) -> PgCluster {
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
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700))
                .expect("chmod 700 the data directory");
        }
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
        let cluster = PgCluster {
            bin: bin.to_path_buf(),
            data,
            sock,
            port,
        };
        cluster.spawn_watchdog();
        let data_s = cluster.data.display().to_string();
        let ok = pg(
            bin,
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
        cluster
    }

    /// The admin URL (`postgres` database, trust auth).
    pub fn admin_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn log_path(&self) -> PathBuf {
        self.data.join("log")
    }

    /// The server's log so far (for failure messages).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.log_path()).unwrap_or_default()
    }

    /// `pg_ctl start -w`: the server accepts connections when this returns.
    pub fn start(&self) {
        let opts = format!(
            "-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=300",
            self.port,
            self.sock.display()
        );
        let data_s = self.data.display().to_string();
        let log = self.log_path().display().to_string();
        let ok = pg(
            &self.bin,
            "pg_ctl",
            &["-D", &data_s, "-l", &log, "-o", &opts, "-w", "start"],
        )
        .stdout(std::process::Stdio::null())
        .status()
        .expect("pg_ctl start")
        .success();
        assert!(ok, "pg_ctl start failed:\n{}", self.log());
    }

    /// `pg_ctl stop -w -m <mode>` (`smart`, `fast` or `immediate`): the
    /// server process is gone when this returns.
    pub fn stop(&self, mode: &str) {
        let data_s = self.data.display().to_string();
        let ok = pg(
            &self.bin,
            "pg_ctl",
            &["-D", &data_s, "-m", mode, "-w", "stop"],
        )
        .stdout(std::process::Stdio::null())
        .status()
        .expect("pg_ctl stop")
        .success();
        assert!(ok, "pg_ctl stop -m {mode} failed:\n{}", self.log());
    }

    /// Stops the cluster and deletes its directories once this process has
    /// ended, however it ended (the drop does it earlier; then this finds
    /// nothing left to do).
    fn spawn_watchdog(&self) {
        let data_s = self.data.display().to_string();
        let pg_ctl = self.bin.join("pg_ctl").display().to_string();
        let stop = if is_root() {
            format!("cd / && runuser -u postgres -- '{pg_ctl}' -D '{data_s}' -m immediate stop")
        } else {
            format!("cd / && '{pg_ctl}' -D '{data_s}' -m immediate stop")
        };
        let watchdog = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; {stop} >/dev/null 2>&1; rm -rf '{data_s}' '{sock}'",
            pid = std::process::id(),
            sock = self.sock.display()
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
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        // Best-effort: the test may have stopped it already.
        let data_s = self.data.display().to_string();
        let _ = pg(
            &self.bin,
            "pg_ctl",
            &["-D", &data_s, "-m", "immediate", "-w", "stop"],
        )
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status();
        let _ = std::fs::remove_dir_all(&self.data);
        let _ = std::fs::remove_dir_all(&self.sock);
    }
}

/// The bucket the S3 storage tests use (each test under a prefix of its own).
pub const S3_TEST_BUCKET: &str = "iurhub-tests";

/// The S3-compatible server of the tests (`scripts/with-s3` starts one and
/// sets `IURHUB_TEST_S3_URL`), with [`S3_TEST_BUCKET`] made on it; `None`
/// (the test is skipped, and says so) when none is given — never in CI.
pub async fn s3_url() -> Option<String> {
    let Ok(url) = std::env::var("IURHUB_TEST_S3_URL") else {
        if std::env::var_os("CI").is_some() {
            panic!(
                "S3 storage tests must not be skipped in CI: set IURHUB_TEST_S3_URL (scripts/test does)"
            );
        }
        eprintln!("SKIPPED S3: IURHUB_TEST_S3_URL is not set; run ./scripts/test");
        return None;
    };
    // Making a bucket one already owns is no error on the test server (409
    // when two tests make it at once).
    let res = reqwest::Client::new()
        .put(format!("{url}/{S3_TEST_BUCKET}"))
        .send()
        .await
        .expect("the S3 test server answers");
    assert!(
        res.status().is_success() || res.status() == 409,
        "creating the test bucket: {}",
        res.status()
    );
    Some(url)
}

/// A real SMTP server (`scripts/smtp-sink.py`, aiosmtpd; `scripts/test`
/// installs it) that keeps every message it receives; stopped when dropped.
pub struct SmtpSink {
    pub port: u16,
    dir: tempfile::TempDir,
    child: Option<std::process::Child>,
    delay_first_ms: u64,
}

impl SmtpSink {
    /// Starts one on a free port and waits until it answers.
    pub async fn start() -> SmtpSink {
        Self::start_with_delay(0).await
    }

    /// Like [`SmtpSink::start`]; the first message it receives is answered
    /// `delay_first_ms` after it was stored.
    pub async fn start_with_delay(delay_first_ms: u64) -> SmtpSink {
        let mut sink = SmtpSink {
            port: free_port(),
            dir: tempfile::tempdir().unwrap(),
            child: None,
            delay_first_ms,
        };
        sink.run().await;
        sink
    }

    /// A sink that is not running yet: its port is reserved by nobody.
    pub fn stopped() -> SmtpSink {
        SmtpSink {
            port: free_port(),
            dir: tempfile::tempdir().unwrap(),
            child: None,
            delay_first_ms: 0,
        }
    }

    /// Starts (again) on the same port.
    pub async fn run(&mut self) {
        assert!(self.child.is_none(), "the sink runs already");
        let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/smtp-sink.py");
        let child = std::process::Command::new("python3")
            .arg(script)
            .args(["--port", &self.port.to_string()])
            .arg("--dir")
            .arg(self.dir.path())
            .args(["--delay-first-ms", &self.delay_first_ms.to_string()])
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("starting scripts/smtp-sink.py (python3 with aiosmtpd: run ./scripts/test)");
        self.child = Some(child);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        while tokio::net::TcpStream::connect(("127.0.0.1", self.port))
            .await
            .is_err()
        {
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                panic!(
                    "the SMTP sink stopped: {status} (is aiosmtpd installed? ./scripts/test installs it)"
                );
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the SMTP sink did not start"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// Stops it; mail sent meanwhile finds nobody listening.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// `smtp://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far, oldest first, decoded (`subject`,
    /// `to`, `rcptTos`, `messageId`, `text`, `html`, …).
    pub fn mails(&self) -> Vec<Value> {
        let mut files: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .map(|p| (std::fs::metadata(&p).unwrap().modified().unwrap(), p))
            .collect();
        files.sort();
        files
            .into_iter()
            .map(|(_, p)| serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap())
            .collect()
    }

    /// Waits up to `within` until at least `count` messages arrived; all of
    /// them.
    pub async fn wait_for(&self, count: usize, within: std::time::Duration) -> Vec<Value> {
        let deadline = std::time::Instant::now() + within;
        loop {
            let mails = self.mails();
            if mails.len() >= count || std::time::Instant::now() >= deadline {
                return mails;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        self.stop();
    }
}
