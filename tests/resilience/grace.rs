//! The shutdown drain has a limit of its own: a client that holds a request
//! open (here, a body announced and never sent) does not keep the process
//! alive past `shutdown_grace_secs`, even though the request timeout is
//! longer; the process still exits 0 and says what it cut off.

use std::time::{Duration, Instant};

use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use crate::common::Backend;
use crate::serve::Serve;

async fn a_stuck_request_does_not_hold_the_shutdown(backend: Backend, database_url: &str) {
    let mut serve = Serve::spawn(
        backend,
        database_url,
        &[
            ("IURHUB_SHUTDOWN_GRACE_SECS", "1"),
            ("IURHUB_REQUEST_TIMEOUT_SECS", "60"),
        ],
    );
    serve.ready().await;

    // A request whose body never comes: the handler waits for it (until the
    // 60 s request timeout), so the connection is busy, not idle.
    let mut stuck = TcpStream::connect(serve.app.addr).await.unwrap();
    stuck
        .write_all(
            b"POST /graphql HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n\
              content-length: 1000\r\n\r\n{\"query\":",
        )
        .await
        .unwrap();
    stuck.flush().await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;

    let signalled = Instant::now();
    serve.sigterm();
    let status = serve.exit_within(Duration::from_secs(10)).await;
    let took = signalled.elapsed();
    assert!(status.success(), "exit status {status}:\n{}", serve.log());
    // One second of grace, not the minute of the request timeout.
    assert!(
        took >= Duration::from_millis(900),
        "the process did not wait for the stuck request: {took:?}"
    );
    assert!(took < Duration::from_secs(8), "took {took:?}");
    let log = serve.log();
    assert!(
        log.contains("requests were still running when the shutdown grace period ended"),
        "{log}"
    );
    assert!(log.contains("stopped"), "{log}");
    assert!(!log.contains("panicked"), "{log}");
    eprintln!(
        "FIGURES shutdown grace {backend:?}: exited {took:?} after SIGTERM with a stuck request"
    );
    drop(stuck);
}

on_both_backends!(
    a_stuck_request_does_not_hold_the_shutdown,
    super::a_stuck_request_does_not_hold_the_shutdown
);
