//! SIGTERM under write load loses no accepted write: concurrent clients keep
//! creating needs through GraphQL while `iurhub serve` is told to stop and
//! until it refuses their connections. Every write answered 200 with an id
//! must be in the database afterwards; nothing may be answered 5xx or cut
//! short; the process exits 0, promptly.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use base64::Engine;
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::{Value, json};

use crate::common::Backend;
use crate::serve::{CREATE_NEED, Serve, need_input, writer};

/// Concurrent writers, each on a connection (pool) of its own.
const CLIENTS: usize = 12;
/// The signal comes once this many writes have been accepted (the server is
/// busy then), or, on a slow machine, after `WARM_UP_FOR` with at least one
/// write per client.
const WARM_UP: usize = 150;
const WARM_UP_FOR: Duration = Duration::from_secs(5);
/// The process must be gone this long after SIGTERM (nothing here holds a
/// connection open, so the drain is the in-flight writes only).
const EXIT_WITHIN: Duration = Duration::from_secs(10);

/// What one client saw.
#[derive(Default)]
struct Seen {
    /// Writes answered 200 with an id: (database id, title).
    accepted: Vec<(i64, String)>,
    /// Of those, answered after `kill -TERM` had returned: in flight at the
    /// signal (or sent just before the server noticed it) and drained.
    drained: usize,
    /// Requests that got no answer at all after SIGTERM (a keep-alive
    /// connection the server closed as it stopped): not accepted.
    unanswered: usize,
    /// Answers with a 5xx status.
    server_errors: Vec<String>,
    /// Answers whose body could not be read to the end or was not JSON.
    truncated: Vec<String>,
    /// Other answers without the need (4xx, GraphQL errors).
    refused: Vec<String>,
    /// The loop ended on a refused connection (not on the deadline).
    ended_refused: bool,
}

struct Shared {
    base: String,
    token: String,
    org: String,
    /// Set just before the signal: from then on, requests may go unanswered.
    signalled: AtomicBool,
    /// When `kill -TERM` returned.
    signalled_at: OnceLock<Instant>,
    accepted: AtomicUsize,
    deadline: Instant,
}

/// Writes needs titled `c<n>-<i>` until a connection is refused.
async fn client(n: usize, shared: Arc<Shared>) -> Seen {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let mut seen = Seen::default();
    for i in 0.. {
        if Instant::now() > shared.deadline {
            break;
        }
        let title = format!("c{n}-{i}");
        let sent = http
            .post(format!("{}/graphql", shared.base))
            .bearer_auth(&shared.token)
            .json(&json!({"query": CREATE_NEED, "variables": need_input(&shared.org, &title)}))
            .send()
            .await;
        let res = match sent {
            Ok(res) => res,
            Err(e) => {
                assert!(
                    shared.signalled.load(Ordering::SeqCst),
                    "client {n}: {title} failed before SIGTERM: {e:?}"
                );
                if e.is_connect() {
                    seen.ended_refused = true;
                    break;
                }
                seen.unanswered += 1;
                continue;
            }
        };
        let status = res.status();
        let body = match res.bytes().await {
            Ok(bytes) => bytes,
            Err(e) => {
                seen.truncated
                    .push(format!("{title}: {status}, body cut: {e:?}"));
                continue;
            }
        };
        let answered = Instant::now();
        if status.is_server_error() {
            seen.server_errors.push(format!(
                "{title}: {status} {}",
                String::from_utf8_lossy(&body)
            ));
            continue;
        }
        let Ok(body) = serde_json::from_slice::<Value>(&body) else {
            seen.truncated.push(format!(
                "{title}: {status}, not JSON: {}",
                String::from_utf8_lossy(&body)
            ));
            continue;
        };
        let need = &body["data"]["createNeed"]["need"];
        match (status.as_u16(), need["id"].as_str()) {
            (200, Some(id)) if body.get("errors").is_none() => {
                assert_eq!(need["title"], title.as_str());
                seen.accepted.push((need_row_id(id), title));
                shared.accepted.fetch_add(1, Ordering::SeqCst);
                if shared.signalled_at.get().is_some_and(|at| answered > *at) {
                    seen.drained += 1;
                }
            }
            _ => seen.refused.push(format!("{title}: {status} {body}")),
        }
    }
    seen
}

/// The row id inside a need's global id (base64 of `Need:<id>`).
fn need_row_id(global: &str) -> i64 {
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(global)
        .unwrap();
    let text = String::from_utf8(raw).unwrap();
    text.strip_prefix("Need:")
        .unwrap_or_else(|| panic!("not a need id: {text}"))
        .parse()
        .unwrap()
}

/// Every need in the database, read directly: (id, title).
async fn stored_needs(database_url: &str) -> BTreeSet<(i64, String)> {
    let db = Database::connect(database_url).await.unwrap();
    let backend = db.get_database_backend();
    if backend == sea_orm::DatabaseBackend::Sqlite {
        let check = db
            .query_one_raw(Statement::from_string(backend, "PRAGMA integrity_check"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(check.try_get_by_index::<String>(0).unwrap(), "ok");
    }
    let rows = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT id, title FROM tech_needs",
        ))
        .await
        .unwrap();
    db.close().await.unwrap();
    rows.iter()
        .map(|r| {
            (
                r.try_get_by_index::<i64>(0).unwrap(),
                r.try_get_by_index::<String>(1).unwrap(),
            )
        })
        .collect()
}

async fn sigterm_under_write_load(backend: Backend, database_url: &str) {
    let mut serve = Serve::spawn(backend, database_url, &[]);
    serve.ready().await;
    let (token, org) = writer(&serve.app, "writer@sigterm.test").await;
    let shared = Arc::new(Shared {
        base: serve.app.base.clone(),
        token,
        org,
        signalled: AtomicBool::new(false),
        signalled_at: OnceLock::new(),
        accepted: AtomicUsize::new(0),
        deadline: Instant::now() + Duration::from_secs(25),
    });
    let clients: Vec<_> = (0..CLIENTS)
        .map(|n| tokio::spawn(client(n, shared.clone())))
        .collect();

    // Under load first, then the signal.
    let warm_up = Instant::now();
    loop {
        let accepted = shared.accepted.load(Ordering::SeqCst);
        if accepted >= WARM_UP || (warm_up.elapsed() >= WARM_UP_FOR && accepted >= CLIENTS) {
            break;
        }
        assert!(
            warm_up.elapsed() < Duration::from_secs(15),
            "only {accepted} writes accepted in 15 s:\n{}",
            serve.log()
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let before_signal = shared.accepted.load(Ordering::SeqCst);
    shared.signalled.store(true, Ordering::SeqCst);
    let signalled = Instant::now();
    serve.sigterm();
    shared.signalled_at.set(Instant::now()).unwrap();
    let status = serve.exit_within(EXIT_WITHIN).await;
    let shutdown = signalled.elapsed();
    let log = serve.log();
    assert!(status.success(), "exit status {status}:\n{log}");
    assert!(!log.contains("panicked"), "{log}");

    let mut all = Seen::default();
    for (n, task) in clients.into_iter().enumerate() {
        let seen = task.await.expect("a client failed");
        assert!(seen.ended_refused, "client {n} was never refused");
        all.accepted.extend(seen.accepted);
        all.drained += seen.drained;
        all.unanswered += seen.unanswered;
        all.server_errors.extend(seen.server_errors);
        all.truncated.extend(seen.truncated);
        all.refused.extend(seen.refused);
    }
    assert!(
        all.server_errors.is_empty(),
        "5xx: {:#?}",
        all.server_errors
    );
    assert!(all.truncated.is_empty(), "cut short: {:#?}", all.truncated);
    assert!(all.refused.is_empty(), "refused: {:#?}", all.refused);
    // Twelve clients always have writes in flight: some must have been
    // answered after the signal, or the drain was never put to the test.
    assert!(all.drained > 0, "no write was answered after SIGTERM");

    // Accepted ⇒ durable: every write answered with an id is stored, under
    // that id. And nothing was written without an answer: the server
    // answered every write it committed before it exited.
    let stored = stored_needs(database_url).await;
    let accepted: BTreeSet<(i64, String)> = all.accepted.iter().cloned().collect();
    assert_eq!(accepted.len(), all.accepted.len(), "an id answered twice");
    let lost: Vec<_> = accepted.difference(&stored).collect();
    assert!(lost.is_empty(), "accepted but not stored: {lost:?}");
    let unanswered: Vec<_> = stored.difference(&accepted).collect();
    assert!(
        unanswered.is_empty(),
        "stored but never answered: {unanswered:?}"
    );

    eprintln!(
        "FIGURES sigterm {backend:?}: {} writes accepted ({before_signal} before SIGTERM, {} \
         answered after it, i.e. drained), {} requests unanswered at the close, 0 5xx, 0 cut \
         short; exit status 0 {shutdown:?} after SIGTERM; {} needs stored",
        accepted.len(),
        all.drained,
        all.unanswered,
        stored.len()
    );
}

on_both_backends!(
    under_write_load_loses_no_accepted_write,
    super::sigterm_under_write_load
);
