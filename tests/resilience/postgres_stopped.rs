//! The PostgreSQL server process itself stops under a running `iurhub serve`
//! and starts again (same port, same data directory); and PostgreSQL is down
//! when `iurhub serve` starts.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::{self, Backend};
use crate::serve::{CREATE_NEED, Serve, free_port, need_input, writer};

/// The promise of issue 7: `/readyz` follows the database within this.
const READY_WITHIN: Duration = Duration::from_secs(2);
/// "Fail fast": a request during the outage is answered within this.
const FAIL_WITHIN: Duration = Duration::from_secs(3);

const TITLES: &str = "{ needs(first: 100) { totalCount edges { node { title } } } }";

/// Polls `/readyz` until it answers `status`; the time since `from`, or a
/// failure naming the last answer once `limit` has passed (also when the
/// answer is right but late). Each probe has a
/// client timeout, so a hanging `/readyz` fails the test instead of stalling it.
async fn readyz_until(serve: &Serve, status: u16, from: Instant, limit: Duration) -> Duration {
    let app = &serve.app;
    loop {
        let answer = app
            .client
            .get(app.url("/readyz"))
            .timeout(limit + Duration::from_secs(1))
            .send()
            .await
            .map(|r| r.status().as_u16());
        if answer.as_ref().is_ok_and(|s| *s == status) {
            // The answer itself must come in time, not only the request.
            let took = from.elapsed();
            assert!(took < limit, "/readyz {status} only after {took:?}");
            return took;
        }
        assert!(
            from.elapsed() < limit,
            "/readyz not {status} within {limit:?}: last answer {answer:?}\n{}",
            serve.log()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// One GraphQL POST, timed; its HTTP status and body.
async fn timed_gql(
    serve: &Serve,
    token: Option<&str>,
    query: &str,
    variables: Value,
) -> (u16, Value, Duration) {
    let app = &serve.app;
    let started = Instant::now();
    let mut req = app
        .client
        .post(app.url("/graphql"))
        .json(&json!({"query": query, "variables": variables}))
        // Far beyond FAIL_WITHIN: a hang shows as a slow answer, not a stall.
        .timeout(Duration::from_secs(20));
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    let res = req.send().await.expect("an answer, not a dropped request");
    let status = res.status().as_u16();
    let body: Value = res.json().await.expect("a JSON body");
    (status, body, started.elapsed())
}

use crate::common::titles;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_postgres_server_fails_requests_fast_and_the_service_recovers() {
    // A cluster of this test's own: the shared one must keep running.
    let Some(cluster) = common::dedicated_cluster() else {
        return;
    };
    let mut serve = Serve::spawn(Backend::Postgres, &cluster.admin_url(), &[]);
    serve.ready().await;
    let (token, org) = writer(&serve.app, "writer@pg-stopped.test").await;
    serve
        .app
        .gql_ok(Some(&token), CREATE_NEED, need_input(&org, "before"))
        .await;

    // `fast`: PostgreSQL terminates every backend (the server's pooled
    // connections among them) and the postmaster exits; `-w` returns once
    // it is gone, so from here on a connection attempt is refused.
    let stopping = Instant::now();
    cluster.stop("fast");
    let stopped = Instant::now();
    let stop_took = stopped - stopping;

    let to_503 = readyz_until(&serve, 503, stopped, READY_WITHIN).await;

    // A read and a write as a signed-in member, and a read without a token:
    // the server knows the database is down and answers each at once with
    // the retryable 503 and a code, without waiting for the pool.
    let mut failed_in = Vec::new();
    for (what, token, query, variables) in [
        ("read", Some(token.as_str()), TITLES, json!({})),
        (
            "write",
            Some(token.as_str()),
            CREATE_NEED,
            need_input(&org, "during"),
        ),
        ("anonymous read", None, TITLES, json!({})),
    ] {
        let (status, body, took) = timed_gql(&serve, token, query, variables).await;
        assert!(took < FAIL_WITHIN, "the {what} failed only after {took:?}");
        assert_eq!(status, 503, "the {what}: {body}");
        assert_eq!(
            common::error_code(&body).as_deref(),
            Some("INTERNAL_SERVER_ERROR"),
            "the {what}: {body}"
        );
        assert_eq!(
            body["errors"][0]["message"], "the database is unavailable, try again shortly",
            "the {what}: {body}"
        );
        failed_in.push(took);
    }
    // REST: a 503 with a code.
    let started = Instant::now();
    let res = serve
        .app
        .client
        .get(serve.app.url("/api/v1/needs"))
        .timeout(Duration::from_secs(20))
        .send()
        .await
        .unwrap();
    let rest_took = started.elapsed();
    assert_eq!(res.status(), 503);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "INTERNAL_SERVER_ERROR", "{body}");
    assert!(
        rest_took < FAIL_WITHIN,
        "REST failed only after {rest_took:?}"
    );

    // The same server process on the same port and data directory: the
    // service comes back by itself, no restart of iurhub.
    let starting = Instant::now();
    cluster.start();
    let started = Instant::now();
    let to_200 = readyz_until(&serve, 200, started, Duration::from_secs(10)).await;
    let data = serve
        .app
        .gql_ok(Some(&token), CREATE_NEED, need_input(&org, "after"))
        .await;
    assert_eq!(data["createNeed"]["need"]["title"], "after");
    let data = serve.app.gql_ok(Some(&token), TITLES, json!({})).await;
    // The write refused during the outage left nothing behind.
    let mut seen = titles(&data);
    seen.sort();
    assert_eq!(seen, ["after", "before"]);

    let log = serve.log();
    assert!(!log.contains("panicked"), "{log}");
    // The operator is told both ways.
    assert!(log.contains("the database server is down"), "{log}");
    assert!(log.contains("the database server is back"), "{log}");
    // And it still stops cleanly.
    serve.sigterm();
    let status = serve.exit_within(Duration::from_secs(10)).await;
    assert!(status.success(), "exit status {status}:\n{}", serve.log());

    eprintln!(
        "FIGURES postgres stopped: pg_ctl stop -m fast took {stop_took:?}; /readyz 503 after \
         {to_503:?}; read failed in {:?}, write in {:?}, anonymous read in {:?}, REST in \
         {rest_took:?}; pg_ctl start took {:?}; /readyz 200 again {to_200:?} after it returned",
        failed_in[0],
        failed_in[1],
        failed_in[2],
        started - starting,
    );
}

/// `iurhub serve` with PostgreSQL down: nothing listens on the port, which is
/// what a stopped PostgreSQL server looks like to a client. The pool retries
/// for its 5 s acquire timeout (a database starting at the same moment is
/// waited for); then, as OPERATIONS.md promises of a start that fails, one
/// JSON line `exiting on error` names the database (its password hidden) and
/// the cause, and the exit status is 1 — not a panic, not a hang. No
/// PostgreSQL needed, so this runs everywhere.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_down_at_start_is_a_clear_error_and_exit_status_1() {
    let port = free_port();
    let url = format!("postgres://iurhub:pg-password-not-for-logs@127.0.0.1:{port}/iurhub");
    let mut serve = Serve::spawn(Backend::Postgres, &url, &[("IURHUB_LOG_FORMAT", "json")]);
    let started = Instant::now();
    let status = serve.exit_within(Duration::from_secs(20)).await;
    let took = started.elapsed();
    let log = serve.log();
    assert_eq!(status.code(), Some(1), "exit status {status}:\n{log}");
    assert!(!log.contains("panicked"), "{log}");
    assert!(!log.contains("pg-password-not-for-logs"), "{log}");
    let last: Value = serde_json::from_str(log.lines().last().unwrap_or_default())
        .unwrap_or_else(|e| panic!("the last line is not JSON ({e}):\n{log}"));
    assert_eq!(last["level"], "ERROR", "{last}");
    assert_eq!(last["message"], "exiting on error", "{last}");
    let error = last["error"].as_str().unwrap();
    assert!(
        error.starts_with(&format!(
            "connecting to postgres://iurhub:***@127.0.0.1:{port}/iurhub: "
        )),
        "{error}"
    );
    // The cause, not only "pool timed out".
    assert!(error.contains("Connection refused"), "{error}");
    eprintln!("FIGURES postgres down at start: exit status 1 after {took:?}: {error}");
}
