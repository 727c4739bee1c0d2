//! The ceilings of the needs load benchmark (`bench/run`): a plain axum
//! server that answers `POST /graphql`, whatever the body, with the JSON
//! iurhub returns for
//!
//! ```graphql
//! { needs(first: 20, filter: {status: [PUBLISHED]}) { edges { node {
//!     title keywords organization { name region { province city } } } } } }
//! ```
//!
//! asked anonymously, or by a signed-in user.
//!
//! - `--mode sql`: runs the equivalent SQL on PostgreSQL (one statement, a
//!   join, over a pooled sqlx connection) and serialises the rows: what a
//!   hand-written handler costs, the ceiling for GraphQL overhead.
//! - `--mode signed-in-sql`: the same read for the caller of an iurhub access
//!   token: verifies the token (`Authorization: Bearer`, HS256, iurhub's
//!   issuer and audience) and applies the caller's visibility in the same
//!   statement: every need for platform staff, else the released PUBLIC and
//!   PLATFORM needs and every need of the organisations the caller manages
//!   (member of, or below one they administer). A missing or bad token is
//!   401.
//! - `--mode static`: answers a fixed, pre-serialised body read from a file
//!   at start: the HTTP ceiling.
//!
//! ```text
//! needs-ceiling --mode sql --database-url postgres://… --listen 127.0.0.1:8091
//! needs-ceiling --mode signed-in-sql --database-url postgres://… --jwt-secret … --listen 127.0.0.1:8093
//! needs-ceiling --mode static --body-file response.json --listen 127.0.0.1:8092
//! ```

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, bail};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use clap::{Parser, ValueEnum};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use sea_orm::sqlx::PgPool;
use sea_orm::sqlx::postgres::PgPoolOptions;
use serde::{Deserialize, Serialize};

/// The rows iurhub's anonymous `needs(filter: {status: [PUBLISHED]})` page
/// shows, newest first (the default order, `CREATED_AT DESC`, is by id),
/// with each need's organisation. The scope of an anonymous reader is
/// public needs in a released status; the filter narrows it to PUBLISHED.
const NEEDS_SQL: &str = "\
SELECT n.title, n.keywords, o.name, o.region_province, o.region_city \
FROM tech_needs n LEFT JOIN organizations o ON o.id = n.organization_id \
WHERE n.status = 'PUBLISHED' AND n.visibility = 'PUBLIC' \
ORDER BY n.id DESC LIMIT $1";

/// The same page for the user of a verified token (`$1`), with iurhub's
/// visibility rule for a signed-in reader (crates/store/src/needs.rs,
/// `scope_condition`; crates/store/src/users.rs, `managed_organization_ids`)
/// written into the one statement. A user that no longer exists sees nothing.
const SIGNED_IN_NEEDS_SQL: &str = "\
WITH RECURSIVE administered(id) AS ( \
    SELECT organization_id FROM memberships WHERE user_id = $1 AND role = 'ORG_ADMIN' \
    UNION \
    SELECT o.id FROM organizations o JOIN administered a ON o.parent_id = a.id \
), caller AS ( \
    SELECT platform_role IS NOT NULL AS staff, \
        ARRAY(SELECT id FROM administered \
              UNION SELECT organization_id FROM memberships WHERE user_id = $1) AS organizations \
    FROM users WHERE id = $1 \
) \
SELECT n.title, n.keywords, o.name, o.region_province, o.region_city \
FROM caller c CROSS JOIN tech_needs n LEFT JOIN organizations o ON o.id = n.organization_id \
WHERE n.status = 'PUBLISHED' \
  AND (c.staff OR n.visibility IN ('PUBLIC', 'PLATFORM') OR n.organization_id = ANY (c.organizations)) \
ORDER BY n.id DESC LIMIT $2";

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Mode {
    /// Run the equivalent SQL on every request.
    Sql,
    /// Verify the caller's token and run the signed-in SQL on every request.
    SignedInSql,
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
    /// The HS256 secret of iurhub's access tokens (`--mode signed-in-sql`).
    #[arg(long, env = "IURHUB_JWT_SECRET", hide_env_values = true)]
    jwt_secret: Option<String>,
    /// The issuer iurhub writes into its tokens.
    #[arg(long, default_value = "iurhub")]
    jwt_issuer: String,
    /// The audience iurhub writes into its tokens.
    #[arg(long, default_value = "iurhub-api")]
    jwt_audience: String,
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
    /// Set in `--mode signed-in-sql`.
    tokens: Option<Arc<Tokens>>,
}

/// How access tokens are verified.
struct Tokens {
    key: DecodingKey,
    validation: Validation,
}

/// The claims the handler reads from an access token.
#[derive(Deserialize)]
struct Claims {
    sub: String,
    typ: String,
}

impl Tokens {
    fn new(secret: &str, issuer: &str, audience: &str) -> Tokens {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[issuer]);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        Tokens {
            key: DecodingKey::from_secret(secret.as_bytes()),
            validation,
        }
    }

    /// The user id of the bearer token in `headers`.
    fn user_id(&self, headers: &HeaderMap) -> Option<i64> {
        let token = headers
            .get(header::AUTHORIZATION)?
            .to_str()
            .ok()?
            .strip_prefix("Bearer ")?;
        let claims = jsonwebtoken::decode::<Claims>(token, &self.key, &self.validation)
            .ok()?
            .claims;
        (claims.typ == "access").then_some(())?;
        claims.sub.parse().ok()
    }
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

async fn needs_sql(State(state): State<SqlState>, headers: HeaderMap, _body: Bytes) -> Response {
    let query = match &state.tokens {
        None => sea_orm::sqlx::query_as(NEEDS_SQL),
        Some(tokens) => {
            let Some(user_id) = tokens.user_id(&headers) else {
                let body = serde_json::json!({ "errors": [{ "message": "sign in first" }] });
                return json(StatusCode::UNAUTHORIZED, body.to_string());
            };
            sea_orm::sqlx::query_as(SIGNED_IN_NEEDS_SQL).bind(user_id)
        }
    };
    let rows: Vec<Row> = match query.bind(state.first).fetch_all(&state.pool).await {
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
        Mode::Sql | Mode::SignedInSql => {
            let Some(url) = args.database_url.as_deref() else {
                bail!("--mode sql needs --database-url (or DATABASE_URL)");
            };
            if !url.starts_with("postgres") {
                bail!("--mode sql runs on PostgreSQL only, got {url:?}");
            }
            let tokens = match (args.mode, args.jwt_secret.as_deref()) {
                (Mode::SignedInSql, Some(secret)) => Some(Arc::new(Tokens::new(
                    secret,
                    &args.jwt_issuer,
                    &args.jwt_audience,
                ))),
                (Mode::SignedInSql, None) => {
                    bail!("--mode signed-in-sql needs --jwt-secret (or IURHUB_JWT_SECRET)")
                }
                _ => None,
            };
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
            sea_orm::sqlx::query(SIGNED_IN_NEEDS_SQL)
                .bind(0_i64)
                .bind(args.first)
                .fetch_all(&pool)
                .await
                .context("running the signed-in needs query")?;
            Router::new()
                .route("/graphql", post(needs_sql))
                .with_state(SqlState {
                    pool,
                    first: args.first,
                    tokens,
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
            Mode::SignedInSql => "signed-in-sql",
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
