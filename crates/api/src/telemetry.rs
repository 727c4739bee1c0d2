//! Logging set-up for the binary.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Installs the global subscriber: `RUST_LOG` (default `info`), text or JSON
/// lines on stderr (stdout stays free for command output). The search
/// index's library logs at `info` and above unless `RUST_LOG` names it
/// (`tantivy=debug`): at `debug` it writes several lines per index commit,
/// and the index on disk commits at every write.
pub fn init(format: LogFormat) {
    let named = std::env::var("RUST_LOG").is_ok_and(|v| v.contains("tantivy"));
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn"));
    let filter = if named {
        filter
    } else {
        filter.add_directive("tantivy=info".parse().expect("a valid directive"))
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    let result = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
    // A second call (tests) keeps the first subscriber.
    let _ = result;
}

/// Reports the error that ends the process on stderr: `Error: …` with its
/// causes as text, or, with JSON logs, one JSON line like the other log lines
/// (written directly, so that no `RUST_LOG` filter hides it).
pub fn report_fatal(format: LogFormat, err: &anyhow::Error) {
    match format {
        LogFormat::Text => eprintln!("Error: {err:?}"),
        LogFormat::Json => eprintln!("{}", fatal_line(err)),
    }
}

fn fatal_line(err: &anyhow::Error) -> String {
    serde_json::json!({
        "timestamp": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        "level": "ERROR",
        "message": "exiting on error",
        "error": format!("{err:#}"),
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fatal_error_is_one_json_line_with_its_causes() {
        let err = anyhow::anyhow!("Address already in use").context("binding 127.0.0.1:8080");
        let line = fatal_line(&err);
        assert!(!line.contains('\n'));
        let value: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(value["level"], "ERROR");
        assert_eq!(
            value["error"],
            "binding 127.0.0.1:8080: Address already in use"
        );
    }
}
