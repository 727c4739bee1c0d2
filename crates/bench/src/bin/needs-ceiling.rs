//! The ceilings of the needs load benchmark (`bench/run`): a plain axum
//! server that answers `POST /graphql`, whatever the body, with the JSON
//! iurhub returns for
//!
//! ```graphql
//! { needs(first: 20, filter: {status: [PUBLISHED]}) { edges { node {
//!     title keywords organization { name region { province city } } } } } }
//! ```
//!
//! asked anonymously.
//!
//! - `--mode sql`: runs the equivalent SQL on PostgreSQL (one statement, a
//!   join, over a pooled sqlx connection) and serialises the rows: what a
//!   hand-written handler costs, the ceiling for GraphQL overhead.
//! - `--mode static`: answers a fixed, pre-serialised body read from a file
//!   at start: the HTTP ceiling.
//!
//! ```text
//! needs-ceiling --mode sql --database-url postgres://… --listen 127.0.0.1:8091
//! needs-ceiling --mode static --body-file response.json --listen 127.0.0.1:8092
//! ```

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, bail};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use clap::{Parser, ValueEnum};
use sea_orm::sqlx::PgPool;
use sea_orm::sqlx::postgres::PgPoolOptions;
use serde::Serialize;

/// The rows iurhub's anonymous `needs(filter: {status: [PUBLISHED]})` page
/// shows, newest first (the default order, `CREATED_AT DESC`, is by id),
/// with each need's organisation. The scope of an anonymous reader is
/// public needs in a released status; the filter narrows it to PUBLISHED.
const NEEDS_SQL: &str = "\
SELECT n.title, n.keywords, o.name, o.region_province, o.region_city \
FROM tech_needs n LEFT JOIN organizations o ON o.id = n.organization_id \
WHERE n.status = 'PUBLISHED' AND n.visibility = 'PUBLIC' \
ORDER BY n.id DESC LIMIT $1";

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Mode {
    /// Run the equivalent SQL on every request.
    Sql,
    /// Answer a fixed body read at start.
    Static,
}

#[derive(Parser)]
#[command(about = "Plain-axum ceilings for the needs load benchmark (bench/run)")]
struct Args {
    #[arg(long, value_enum)]
    mode: Mode,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8090")]
    listen: SocketAddr,
    /// PostgreSQL to query (`--mode sql`).
    #[arg(long, env = "DATABASE_URL")]
    database_url: Option<String>,
    /// Connections in the pool (iurhub's default `db_max_connections`).
    #[arg(long, default_value_t = 10)]
    pool: u32,
    /// Needs per page.
    #[arg(long, default_value_t = 20)]
    first: i64,
    /// The body to answer (`--mode static`), e.g. iurhub's response saved
    /// with curl.
    #[arg(long)]
    body_file: Option<PathBuf>,
}

#[derive(Serialize)]
struct Body<'a> {
    data: Data<'a>,
}

#[derive(Serialize)]
struct Data<'a> {
    needs: Connection<'a>,
}

#[derive(Serialize)]
struct Connection<'a> {
    edges: Vec<Edge<'a>>,
}

#[derive(Serialize)]
struct Edge<'a> {
    node: Node<'a>,
}

#[derive(Serialize)]
struct Node<'a> {
    title: &'a str,
    keywords: Vec<String>,
    organization: Option<Organization<'a>>,
}

#[derive(Serialize)]
struct Organization<'a> {
    name: &'a str,
    region: Region<'a>,
}

#[derive(Serialize)]
struct Region<'a> {
    province: Option<&'a str>,
    city: Option<&'a str>,
}

type Row = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

#[derive(Clone)]
struct SqlState {
    pool: PgPool,
    first: i64,
}

fn json(status: StatusCode, body: impl Into<axum::body::Body>) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.into(),
    )
        .into_response()
}

fn failure(message: impl std::fmt::Display) -> Response {
    let body = serde_json::json!({ "errors": [{ "message": message.to_string() }] });
    json(StatusCode::INTERNAL_SERVER_ERROR, body.to_string())
}

async fn needs_sql(State(state): State<SqlState>, _body: Bytes) -> Response {
    let rows: Vec<Row> = match sea_orm::sqlx::query_as(NEEDS_SQL)
        .bind(state.first)
        .fetch_all(&state.pool)
        .await
    {
        Ok(rows) => rows,
        Err(e) => return failure(e),
    };
    let mut edges = Vec::with_capacity(rows.len());
    for (title, keywords, name, province, city) in &rows {
        let keywords: Vec<String> = match serde_json::from_str(keywords) {
            Ok(k) => k,
            Err(e) => return failure(format!("keywords of {title:?}: {e}")),
        };
        edges.push(Edge {
            node: Node {
                title,
                keywords,
                organization: name.as_deref().map(|name| Organization {
                    name,
                    region: Region {
                        province: province.as_deref(),
                        city: city.as_deref(),
                    },
                }),
            },
        });
    }
    let body = Body {
        data: Data {
            needs: Connection { edges },
        },
    };
    match serde_json::to_vec(&body) {
        Ok(bytes) => json(StatusCode::OK, bytes),
        Err(e) => failure(e),
    }
}

async fn fixed(State(body): State<Bytes>, _request: Bytes) -> Response {
    json(StatusCode::OK, body)
}

async fn healthz() -> &'static str {
    "ok"
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let app = match args.mode {
        Mode::Sql => {
            let Some(url) = args.database_url.as_deref() else {
                bail!("--mode sql needs --database-url (or DATABASE_URL)");
            };
            if !url.starts_with("postgres") {
                bail!("--mode sql runs on PostgreSQL only, got {url:?}");
            }
            let pool = PgPoolOptions::new()
                .max_connections(args.pool)
                .connect(url)
                .await
                .context("connecting to PostgreSQL")?;
            // Fail at start, not under load, when the schema is not there.
            sea_orm::sqlx::query(NEEDS_SQL)
                .bind(args.first)
                .fetch_all(&pool)
                .await
                .context("running the needs query (is the database migrated?)")?;
            Router::new()
                .route("/graphql", post(needs_sql))
                .with_state(SqlState {
                    pool,
                    first: args.first,
                })
        }
        Mode::Static => {
            let Some(path) = args.body_file.as_deref() else {
                bail!("--mode static needs --body-file");
            };
            let body =
                std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            serde_json::from_slice::<serde_json::Value>(&body)
                .with_context(|| format!("{} is not JSON", path.display()))?;
            Router::new()
                .route("/graphql", post(fixed))
                .with_state(Bytes::from(body))
        }
    }
    .route("/healthz", get(healthz));
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("binding {}", args.listen))?;
    eprintln!(
        "needs-ceiling ({}) listening on http://{}/graphql",
        match args.mode {
            Mode::Sql => "sql",
            Mode::Static => "static",
        },
        args.listen
    );
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                    .expect("SIGTERM handler");
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        })
        .await?;
    Ok(())
}
