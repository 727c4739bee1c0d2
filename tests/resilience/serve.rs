//! One `iurhub serve` child process, and the writes the tests make through it.

use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::{Backend, TestApp};

pub const CREATE_NEED: &str = "mutation($input: CreateNeedInput!) {
  createNeed(input: $input) { need { id title } } }";

pub use crate::common::free_port;

/// The binary under test, with nothing inherited that would configure it.
pub fn iurhub() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_iurhub"));
    cmd.env_remove("IURHUB_DATABASE_URL")
        .env_remove("IURHUB_CONFIG")
        .env("RUST_LOG", "info")
        .stdin(Stdio::null());
    cmd
}

/// An `iurhub serve` process on a port of its own; killed if still running
/// when dropped (a failing test leaves nothing behind).
pub struct Serve {
    pub app: TestApp,
    child: Option<Child>,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Serve {
    /// Starts the process; it serves only after [`Serve::ready`]. `env` is
    /// set last, so it overrides the defaults here.
    pub fn spawn(backend: Backend, database_url: &str, env: &[(&str, &str)]) -> Serve {
        let s = crate::common::spawn_serve(
            iurhub(),
            database_url,
            "the secret of the resilience tests, long enough",
            // One writer signs in once and writes hundreds of times a second:
            // the per-user GraphQL limit stays on but out of reach.
            [("IURHUB_RATE_LIMIT_GRAPHQL_PER_USER_BURST", "1000000")]
                .iter()
                .chain(env),
        );
        Serve {
            app: TestApp::remote(s.addr, backend, database_url),
            child: Some(s.child),
            log: s.log,
            _dir: s.dir,
        }
    }

    /// Waits (30 s at most) until `/readyz` answers 200; fails at once if
    /// the process ends first.
    pub async fn ready(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(res) = self.app.client.get(self.app.url("/readyz")).send().await
                && res.status() == 200
            {
                return;
            }
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                panic!(
                    "iurhub serve exited ({status}) before it was ready:\n{}",
                    self.log()
                );
            }
            assert!(
                Instant::now() < deadline,
                "iurhub serve not ready within 30 s:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Its stderr so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Sends SIGTERM (`kill`: the tests may not use `unsafe` for libc).
    pub fn sigterm(&self) {
        let pid = self.child.as_ref().unwrap().id();
        let sent = Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .unwrap();
        assert!(sent.success(), "kill -TERM {pid} failed");
    }

    /// Waits for the process to end, at most `limit`; its exit status.
    pub async fn exit_within(&mut self, limit: Duration) -> ExitStatus {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                self.child = None;
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "iurhub serve still running after {limit:?}:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        // A failing test shows what the server said.
        if std::thread::panicking() {
            eprintln!("--- iurhub serve stderr ---\n{}", self.log());
        }
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A member of a new enterprise, signed in: its token and the organisation's id.
pub async fn writer(app: &TestApp, email: &str) -> (String, String) {
    let admin = app.admin_token().await;
    let data = app
        .gql_ok(
            Some(&admin),
            "mutation($input: CreateOrganizationInput!) {
               createOrganization(input: $input) { organization { id } } }",
            json!({"input": {"name": "Enterprise W", "kind": "ENTERPRISE"}}),
        )
        .await;
    let org = crate::common::text(&data["createOrganization"]["organization"]["id"]);
    let token = app.user(email).await;
    app.gql_ok(
        Some(&admin),
        "mutation($input: AddMemberInput!) { addMember(input: $input) { membership { id } } }",
        json!({"input": {"organizationId": org, "email": email, "role": "MEMBER"}}),
    )
    .await;
    (token, org)
}

/// The variables of a `createNeed` titled `title`.
pub fn need_input(org: &str, title: &str) -> Value {
    json!({"input": {
        "organizationId": org, "title": title,
        "description": "written while the server was being tested", "keywords": ["resilience"],
        "visibility": "PUBLIC"}})
}
