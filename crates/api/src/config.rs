//! Typed, layered configuration: defaults → config file → `IURHUB_*` variables.

use std::fmt;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Toml};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// Which defaults and safety checks apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// Zero configuration: a generated JWT secret is acceptable.
    #[default]
    Dev,
    /// Every secret must be given; GraphiQL and introspection are off.
    Production,
}

/// Where attachments' bytes are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum FileStoreKind {
    /// A directory of the server (`file_store_dir`).
    #[default]
    Dir,
    /// An S3-compatible bucket (`s3_*`).
    S3,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// Every setting of the service. `IURHUB_<FIELD>` overrides `<field>` of the
/// config file, which overrides the default shown in docs/CONFIGURATION.md.
#[derive(Clone, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// `host:port` to listen on.
    pub listen: String,
    /// `sqlite://…` or `postgres://…`; `None` means `sqlite://<data_dir>/iurhub.db`.
    pub database_url: Option<String>,
    /// Directory for the SQLite file and the generated JWT secret.
    pub data_dir: PathBuf,
    pub profile: Profile,
    pub log_format: LogFormat,
    /// HMAC key for access tokens (HS256), at least 32 bytes.
    pub jwt_secret: Option<SecretString>,
    pub jwt_issuer: String,
    pub jwt_audience: String,
    /// Lifetime of an access token, in seconds.
    pub access_token_ttl_secs: u64,
    /// Lifetime of a refresh token, in seconds.
    pub refresh_token_ttl_secs: u64,
    /// Clock skew accepted when checking `exp`, in seconds (at most 30).
    pub jwt_leeway_secs: u64,
    pub bootstrap_admin_email: Option<String>,
    pub bootstrap_admin_password: Option<SecretString>,
    /// Largest database pool.
    pub db_max_connections: u32,
    /// Longest time one request may take, in seconds.
    pub request_timeout_secs: u64,
    /// Longest wait for in-flight requests after a shutdown signal.
    pub shutdown_grace_secs: u64,
    /// Largest request body, in bytes.
    pub body_limit_bytes: usize,
    /// Deepest GraphQL query accepted.
    pub graphql_max_depth: usize,
    /// Largest GraphQL query complexity accepted.
    pub graphql_max_complexity: usize,
    /// Most lexical tokens in a GraphQL document.
    pub graphql_max_tokens: usize,
    /// Most aliased fields in a GraphQL document.
    pub graphql_max_aliases: usize,
    /// Most root fields one operation selects.
    pub graphql_max_root_fields: usize,
    /// Most directives on one field.
    pub graphql_max_directives: usize,
    /// Most fields of a GraphQL document with every fragment spread
    /// expanded at every use (refuses fragment bombs before validation).
    pub graphql_max_expanded_fields: usize,
    /// Most items in one list value of a GraphQL request (written in the
    /// document or given as a variable).
    pub graphql_max_list_items: usize,
    /// Most JSON values (scalars, lists and objects) in the variables of a
    /// GraphQL request.
    pub graphql_max_variable_values: usize,
    /// Largest page of every list (GraphQL `first`/`last`, REST `first`):
    /// from the default page size (20) up to 100.
    pub page_size_max: u64,
    /// Whether GraphQL introspection is served (default: on in dev, off in production).
    pub graphql_introspection: Option<bool>,
    /// Origins allowed by CORS; empty means same-origin only.
    pub cors_allowed_origins: Vec<String>,
    /// Weights of the matching factors (`[matching_weights]` in the file).
    pub matching_weights: iurhub_matching::Weights,
    /// Lowest match score pushed to `matchSuggested` subscribers (0–1).
    pub matching_suggest_min_score: f64,
    /// Needs whose ranking is kept between requests (least recently used
    /// go first); 0 ranks every request afresh.
    pub matching_cache_needs: usize,
    /// Longest a kept ranking is used, in seconds, whatever else happens.
    pub matching_cache_ttl_secs: u64,
    /// Keep the search index in `<data_dir>/search-index` and reopen it at
    /// start when it is current (docs/MATCHING.md, "The index on disk");
    /// `false` rebuilds it in memory at every start.
    pub search_index_on_disk: bool,
    /// Bytes of answers to anonymous GraphQL queries kept (0: none).
    pub response_cache_bytes: usize,
    /// Longest an answer to an anonymous query is served again, in
    /// milliseconds: how stale a change made by another process may look
    /// to anonymous readers.
    pub response_cache_ttl_ms: u64,
    /// Shortest instrument booking, in minutes.
    pub booking_min_minutes: i64,
    /// Longest instrument booking, in hours.
    pub booking_max_hours: i64,
    /// How far ahead instruments can be booked, in days.
    pub booking_horizon_days: i64,
    /// How long a freed window offered to the next user of an instrument's
    /// waiting list is held for them before it passes on, in seconds.
    pub waitlist_offer_hold_secs: i64,
    /// PostgreSQL: hear other replicas' writes at once (`LISTEN`); off, they
    /// are found by polling only.
    pub replica_listen: bool,
    /// PostgreSQL: seconds between polls for other replicas' writes (the
    /// fallback when notifications were missed).
    pub replica_poll_secs: u64,
    /// Whether `GET /metrics` serves Prometheus metrics (without auth: keep
    /// it off the public network).
    pub metrics_enabled: bool,
    /// Whether the rate limits apply (429 with `Retry-After` when exceeded).
    pub rate_limit_enabled: bool,
    /// Requests one client IP may make at once to each of register, login
    /// and refresh.
    pub rate_limit_auth_per_ip_burst: u32,
    /// Seconds after which one more such request is allowed.
    pub rate_limit_auth_per_ip_period_secs: u64,
    /// Sign-in attempts on one account (from any address) at once.
    pub rate_limit_login_per_account_burst: u32,
    /// Seconds after which one more attempt on the account is allowed.
    pub rate_limit_login_per_account_period_secs: u64,
    /// GraphQL requests over HTTP one user (anonymous: one client IP) may
    /// make at once.
    pub rate_limit_graphql_per_user_burst: u32,
    /// GraphQL requests per second one user may make after the burst.
    pub rate_limit_graphql_per_user_per_sec: u32,
    /// Reverse proxies (addresses or CIDR networks) whose `X-Forwarded-For`
    /// names the client IP; empty: the socket peer is the client.
    pub trusted_proxies: Vec<String>,
    /// Largest attachment, in bytes.
    pub attachments_max_bytes: u64,
    /// Where attachments' bytes are kept.
    pub file_store: FileStoreKind,
    /// The directory of `file_store = "dir"`; `None` means `<data_dir>/files`.
    pub file_store_dir: Option<PathBuf>,
    /// The S3 endpoint (`https://minio.internal:9000`); `None`: AWS itself.
    pub s3_endpoint: Option<String>,
    /// The bucket of `file_store = "s3"` (it must exist).
    pub s3_bucket: Option<String>,
    /// The bucket's region.
    pub s3_region: String,
    /// Access key id; `None`: `AWS_ACCESS_KEY_ID` of the environment.
    pub s3_access_key_id: Option<String>,
    /// Secret access key; `None`: `AWS_SECRET_ACCESS_KEY` of the environment.
    pub s3_secret_access_key: Option<SecretString>,
    /// Address the bucket in the path (`endpoint/bucket/key`, MinIO and
    /// most self-hosted servers) instead of the host name.
    pub s3_path_style: bool,
    /// Keep the objects under this prefix of the bucket.
    pub s3_prefix: String,
    /// The SMTP server that sends notification e-mail: `smtp://host:25`,
    /// `smtp://user:password@host:587?tls=required` (STARTTLS) or
    /// `smtps://user:password@host:465`. `None`: no e-mail is sent; it
    /// waits in the outbox until a server with one runs.
    pub smtp_url: Option<SecretString>,
    /// The sender of notification e-mail (its domain names the messages).
    pub mail_from: String,
    /// How often the outbox is read for retries and for e-mail written by
    /// other servers, in seconds (a local write wakes it at once).
    pub mail_poll_secs: u64,
    /// How long one SMTP attempt may take, in seconds.
    pub smtp_timeout_secs: u64,
    /// How long an e-mail claimed by a server is left to it before another
    /// may send it (after a crash between sending and marking), in seconds;
    /// longer than `smtp_timeout_secs`.
    pub mail_lease_secs: u64,
    /// Whether this server takes part in the scheduled work (deadlines,
    /// reminders); each run happens once per cluster whatever the number
    /// of servers taking part.
    pub scheduler_enabled: bool,
    /// How often each scheduled job runs, in seconds.
    pub schedule_every_secs: u64,
    /// How many days before its due date a checklist item reminds.
    pub checklist_due_days: u32,
    /// How many days a published need or capability stays unconfirmed
    /// before its organisation is told (and 30 days more before it leaves
    /// the public lists).
    pub listing_confirm_days: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            database_url: None,
            data_dir: PathBuf::from("./data"),
            profile: Profile::Dev,
            log_format: LogFormat::Text,
            jwt_secret: None,
            jwt_issuer: "iurhub".into(),
            jwt_audience: "iurhub-api".into(),
            access_token_ttl_secs: 15 * 60,
            refresh_token_ttl_secs: 30 * 24 * 3600,
            jwt_leeway_secs: 30,
            bootstrap_admin_email: None,
            bootstrap_admin_password: None,
            db_max_connections: 10,
            request_timeout_secs: 30,
            shutdown_grace_secs: 40,
            body_limit_bytes: 1024 * 1024,
            graphql_max_depth: 12,
            graphql_max_complexity: 5_000,
            graphql_max_tokens: 2_000,
            graphql_max_aliases: 30,
            graphql_max_root_fields: 15,
            graphql_max_directives: 5,
            graphql_max_expanded_fields: 5_000,
            graphql_max_list_items: 2_000,
            graphql_max_variable_values: 50_000,
            page_size_max: iurhub_domain::MAX_PAGE_SIZE,
            graphql_introspection: None,
            cors_allowed_origins: Vec::new(),
            matching_weights: iurhub_matching::Weights::default(),
            matching_suggest_min_score: 0.3,
            matching_cache_needs: 1_000,
            search_index_on_disk: true,
            matching_cache_ttl_secs: 300,
            response_cache_bytes: 16 * 1024 * 1024,
            response_cache_ttl_ms: 1_000,
            booking_min_minutes: 30,
            booking_max_hours: 24,
            booking_horizon_days: 90,
            waitlist_offer_hold_secs: 7_200,
            replica_listen: true,
            replica_poll_secs: 5,
            metrics_enabled: true,
            rate_limit_enabled: true,
            rate_limit_auth_per_ip_burst: 10,
            rate_limit_auth_per_ip_period_secs: 6,
            rate_limit_login_per_account_burst: 5,
            rate_limit_login_per_account_period_secs: 60,
            rate_limit_graphql_per_user_burst: 100,
            rate_limit_graphql_per_user_per_sec: 20,
            trusted_proxies: Vec::new(),
            attachments_max_bytes: iurhub_app::threads::DEFAULT_MAX_ATTACHMENT_BYTES,
            file_store: FileStoreKind::Dir,
            file_store_dir: None,
            s3_endpoint: None,
            s3_bucket: None,
            s3_region: "us-east-1".into(),
            s3_access_key_id: None,
            s3_secret_access_key: None,
            s3_path_style: false,
            s3_prefix: String::new(),
            smtp_url: None,
            mail_from: "iurhub <noreply@iurhub.local>".into(),
            mail_poll_secs: 5,
            smtp_timeout_secs: 15,
            mail_lease_secs: iurhub_app::mail::DEFAULT_LEASE.as_secs(),
            scheduler_enabled: true,
            schedule_every_secs: 3600,
            checklist_due_days: 3,
            listing_confirm_days: iurhub_domain::records::freshness::DEFAULT_CONFIRM_DAYS,
        }
    }
}

/// A configuration that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration: {0}")]
    Load(#[from] Box<figment::Error>),
    #[error("configuration: {0}")]
    Invalid(String),
}

impl Settings {
    /// Loads defaults, then `file` (or `IURHUB_CONFIG`, or `./iurhub.toml` when
    /// present), then the `IURHUB_*` environment.
    pub fn load(file: Option<&Path>) -> Result<Settings, ConfigError> {
        let file = file
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("IURHUB_CONFIG").map(PathBuf::from));
        let mut figment = Figment::new();
        match file {
            Some(path) => {
                if !path.exists() {
                    return Err(ConfigError::Invalid(format!(
                        "config file {} does not exist",
                        path.display()
                    )));
                }
                figment = figment.merge(Toml::file(path));
            }
            None => figment = figment.merge(Toml::file("iurhub.toml")),
        }
        let mut settings: Settings = figment
            .merge(Env::prefixed("IURHUB_").ignore(&["config"]).split("__"))
            .extract()
            .map_err(Box::new)?;
        settings.drop_empty();
        settings.validate()?;
        Ok(settings)
    }

    /// An empty value (`IURHUB_JWT_SECRET=`) means "not set", as in most tools.
    fn drop_empty(&mut self) {
        fn empty(s: &str) -> bool {
            s.trim().is_empty()
        }
        if self.database_url.as_deref().is_some_and(empty) {
            self.database_url = None;
        }
        if self.bootstrap_admin_email.as_deref().is_some_and(empty) {
            self.bootstrap_admin_email = None;
        }
        if self
            .jwt_secret
            .as_ref()
            .is_some_and(|s| empty(s.expose_secret()))
        {
            self.jwt_secret = None;
        }
        if self
            .bootstrap_admin_password
            .as_ref()
            .is_some_and(|s| empty(s.expose_secret()))
        {
            self.bootstrap_admin_password = None;
        }
    }

    /// Checks values that no type can express.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |m: &str| Err(ConfigError::Invalid(m.to_owned()));
        if self.jwt_leeway_secs > 30 {
            return invalid("jwt_leeway_secs must be at most 30");
        }
        if self.access_token_ttl_secs == 0 || self.refresh_token_ttl_secs == 0 {
            return invalid("token lifetimes must be positive");
        }
        if let Some(secret) = &self.jwt_secret {
            if secret.expose_secret().len() < 32 {
                return invalid("IURHUB_JWT_SECRET must be at least 32 bytes");
            }
        } else if self.profile == Profile::Production {
            return invalid("IURHUB_JWT_SECRET is required in the production profile");
        }
        if self.bootstrap_admin_email.is_some() != self.bootstrap_admin_password.is_some() {
            return invalid(
                "IURHUB_BOOTSTRAP_ADMIN_EMAIL and IURHUB_BOOTSTRAP_ADMIN_PASSWORD go together",
            );
        }
        if !(1024..=1024 * 1024 * 1024).contains(&self.attachments_max_bytes) {
            return invalid("attachments_max_bytes must be from 1 KiB to 1 GiB");
        }
        if self.file_store == FileStoreKind::S3
            && self
                .s3_bucket
                .as_deref()
                .is_none_or(|b| b.trim().is_empty())
        {
            return invalid("file_store = \"s3\" needs s3_bucket (IURHUB_S3_BUCKET)");
        }
        if self.db_max_connections == 0 || self.request_timeout_secs == 0 {
            return invalid("db_max_connections and request_timeout_secs must be positive");
        }
        if self.graphql_max_expanded_fields == 0
            || self.graphql_max_list_items == 0
            || self.graphql_max_variable_values == 0
        {
            return invalid(
                "graphql_max_expanded_fields, graphql_max_list_items and graphql_max_variable_values must be positive",
            );
        }
        if self.booking_min_minutes < 1
            || self.booking_max_hours < 1
            || self.booking_horizon_days < 1
            || self.booking_min_minutes > self.booking_max_hours * 60
        {
            return invalid(
                "booking_min_minutes, booking_max_hours and booking_horizon_days must be positive, the minimum not above the maximum",
            );
        }
        if !(1..=7 * 86_400).contains(&self.waitlist_offer_hold_secs) {
            return invalid("waitlist_offer_hold_secs must be between 1 and 604800 (a week)");
        }
        if !(iurhub_domain::DEFAULT_PAGE_SIZE..=iurhub_domain::MAX_PAGE_SIZE)
            .contains(&self.page_size_max)
        {
            return Err(ConfigError::Invalid(format!(
                "page_size_max must be between {} and {}",
                iurhub_domain::DEFAULT_PAGE_SIZE,
                iurhub_domain::MAX_PAGE_SIZE
            )));
        }
        if self.response_cache_bytes > 1 << 30 {
            return invalid("response_cache_bytes must be 1 GiB (1073741824) at most");
        }
        if !(1..=60_000).contains(&self.response_cache_ttl_ms) {
            return invalid("response_cache_ttl_ms must be between 1 and 60000");
        }
        if !(1..=3600).contains(&self.shutdown_grace_secs) {
            return invalid("shutdown_grace_secs must be between 1 and 3600");
        }
        if !(1..=86_400).contains(&self.schedule_every_secs) {
            return invalid("schedule_every_secs must be between 1 and 86400");
        }
        if self.checklist_due_days > 365 {
            return invalid("checklist_due_days must be at most 365");
        }
        if !(1..=3650).contains(&self.listing_confirm_days) {
            return invalid("listing_confirm_days must be between 1 and 3650");
        }
        if !(1..=3600).contains(&self.mail_poll_secs) {
            return invalid("mail_poll_secs must be between 1 and 3600");
        }
        if !(1..=600).contains(&self.smtp_timeout_secs) {
            return invalid("smtp_timeout_secs must be between 1 and 600");
        }
        if self.mail_lease_secs <= self.smtp_timeout_secs || self.mail_lease_secs > 86_400 {
            return invalid(
                "mail_lease_secs must be longer than smtp_timeout_secs and at most a day",
            );
        }
        if self.smtp_url.is_some() {
            self.mailer()
                .map_err(|e| ConfigError::Invalid(format!("{e:#}")))?;
        }
        if !(1..=3600).contains(&self.replica_poll_secs) {
            return invalid("replica_poll_secs must be between 1 and 3600");
        }
        if !(0.0..=1.0).contains(&self.matching_suggest_min_score) {
            return invalid("matching_suggest_min_score must be between 0 and 1");
        }
        if self.rate_limit_auth_per_ip_burst == 0
            || self.rate_limit_auth_per_ip_period_secs == 0
            || self.rate_limit_login_per_account_burst == 0
            || self.rate_limit_login_per_account_period_secs == 0
            || self.rate_limit_graphql_per_user_burst == 0
            || self.rate_limit_graphql_per_user_per_sec == 0
        {
            return invalid(
                "rate limits must be positive (turn them off with rate_limit_enabled = false)",
            );
        }
        if let Some(bad) = self
            .trusted_proxies
            .iter()
            .find(|p| parse_proxy(p).is_none())
        {
            return Err(ConfigError::Invalid(format!(
                "trusted_proxies: {bad:?} is not an IP address or CIDR network"
            )));
        }
        Ok(())
    }

    /// The booking limits.
    pub fn booking_rules(&self) -> iurhub_app::instruments::BookingRules {
        iurhub_app::instruments::BookingRules {
            min_minutes: self.booking_min_minutes,
            max_hours: self.booking_max_hours,
            horizon_days: self.booking_horizon_days,
            offer_hold_secs: self.waitlist_offer_hold_secs,
        }
    }

    /// The database URL in force.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("iurhub.db").display()
            ),
        }
    }

    /// Whether introspection is served.
    pub fn introspection_enabled(&self) -> bool {
        self.graphql_introspection
            .unwrap_or(self.profile == Profile::Dev)
    }
}

/// Hides credentials in a database URL: `postgres://user:***@host/db`.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => match url[scheme + 3..at].split_once(':') {
            Some((user, _password)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
            None => url.to_owned(),
        },
        _ => url.to_owned(),
    }
}

impl Settings {
    /// The attachments' file store these settings name.
    pub fn file_store(&self) -> anyhow::Result<std::sync::Arc<dyn iurhub_app::files::FileStore>> {
        use iurhub_app::files::DirStore;
        use iurhub_files::{S3Config, S3Store};
        Ok(match self.file_store {
            FileStoreKind::Dir => std::sync::Arc::new(DirStore::new(
                self.file_store_dir
                    .clone()
                    .unwrap_or_else(|| self.data_dir.join("files")),
            )),
            FileStoreKind::S3 => {
                let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
                std::sync::Arc::new(S3Store::new(&S3Config {
                    endpoint: self.s3_endpoint.clone().filter(|e| !e.is_empty()),
                    bucket: self.s3_bucket.clone().unwrap_or_default(),
                    region: self.s3_region.clone(),
                    access_key_id: self
                        .s3_access_key_id
                        .clone()
                        .or_else(|| env("AWS_ACCESS_KEY_ID")),
                    secret_access_key: self
                        .s3_secret_access_key
                        .as_ref()
                        .map(|s| s.expose_secret().to_owned())
                        .or_else(|| env("AWS_SECRET_ACCESS_KEY")),
                    path_style: self.s3_path_style,
                    prefix: self.s3_prefix.clone(),
                })?)
            }
        })
    }
}

impl Settings {
    /// The SMTP mailer these settings name, if any.
    pub fn mailer(&self) -> anyhow::Result<Option<std::sync::Arc<dyn iurhub_app::mail::Mailer>>> {
        let Some(url) = self
            .smtp_url
            .as_ref()
            .filter(|u| !u.expose_secret().is_empty())
        else {
            return Ok(None);
        };
        let mailer = iurhub_mail::SmtpMailer::new(&iurhub_mail::SmtpConfig {
            url: url.expose_secret().to_owned(),
            from: self.mail_from.clone(),
            timeout: std::time::Duration::from_secs(self.smtp_timeout_secs),
        })
        .map_err(|e| anyhow::anyhow!("smtp_url / mail_from: {e}"))?;
        Ok(Some(std::sync::Arc::new(mailer)))
    }
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("listen", &self.listen)
            .field("database_url", &redact_url(&self.database_url()))
            .field("data_dir", &self.data_dir)
            .field("profile", &self.profile)
            .field("log_format", &self.log_format)
            .field("jwt_secret", &self.jwt_secret.as_ref().map(|_| "***"))
            .field("bootstrap_admin_email", &self.bootstrap_admin_email)
            .field("db_max_connections", &self.db_max_connections)
            .field("file_store", &self.file_store)
            .field("s3_endpoint", &self.s3_endpoint)
            .field("s3_bucket", &self.s3_bucket)
            .field(
                "s3_secret_access_key",
                &self.s3_secret_access_key.as_ref().map(|_| "***"),
            )
            .field("smtp_url", &self.smtp_url.as_ref().map(|_| "***"))
            .field("mail_from", &self.mail_from)
            .finish_non_exhaustive()
    }
}

/// Parses a `trusted_proxies` entry: an address (`10.0.0.5`) or a network
/// (`10.0.0.0/8`, `fd00::/8`).
pub fn parse_proxy(entry: &str) -> Option<ipnet::IpNet> {
    let entry = entry.trim();
    entry.parse::<ipnet::IpNet>().ok().or_else(|| {
        entry
            .parse::<std::net::IpAddr>()
            .ok()
            .map(ipnet::IpNet::from)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_validate() {
        Settings::default().validate().unwrap();
    }

    #[test]
    fn empty_values_mean_unset() {
        let mut s = Settings {
            database_url: Some(String::new()),
            bootstrap_admin_email: Some(" ".into()),
            bootstrap_admin_password: Some(SecretString::from("")),
            ..Settings::default()
        };
        s.drop_empty();
        assert!(
            s.database_url.is_none()
                && s.bootstrap_admin_email.is_none()
                && s.bootstrap_admin_password.is_none()
        );
        s.validate().unwrap();
    }

    #[test]
    fn production_requires_a_secret() {
        let s = Settings {
            profile: Profile::Production,
            ..Settings::default()
        };
        assert!(s.validate().is_err());
    }

    #[test]
    fn short_secret_and_wide_leeway_are_rejected() {
        let s = Settings {
            jwt_secret: Some(SecretString::from("short")),
            ..Settings::default()
        };
        assert!(s.validate().is_err());
        let s = Settings {
            jwt_leeway_secs: 60,
            ..Settings::default()
        };
        assert!(s.validate().is_err());
    }

    #[test]
    fn rate_limits_are_positive_and_proxies_are_addresses() {
        let s = Settings {
            rate_limit_login_per_account_burst: 0,
            ..Settings::default()
        };
        assert!(s.validate().is_err());
        let s = Settings {
            trusted_proxies: vec!["10.0.0.0/8".into(), "::1".into()],
            ..Settings::default()
        };
        s.validate().unwrap();
        let s = Settings {
            trusted_proxies: vec!["proxy.internal".into()],
            ..Settings::default()
        };
        assert!(s.validate().is_err());
    }

    #[test]
    fn the_page_size_cap_lies_between_the_default_page_and_100() {
        for (max, ok) in [
            (19, false),
            (20, true),
            (50, true),
            (100, true),
            (101, false),
        ] {
            let s = Settings {
                page_size_max: max,
                ..Settings::default()
            };
            assert_eq!(s.validate().is_ok(), ok, "page_size_max = {max}");
        }
    }

    #[test]
    fn the_response_cache_is_bounded() {
        for (bytes, ttl_ms, ok) in [
            (0, 1_000, true),
            (1 << 30, 60_000, true),
            ((1 << 30) + 1, 1_000, false),
            (1 << 20, 0, false),
            (1 << 20, 60_001, false),
        ] {
            let s = Settings {
                response_cache_bytes: bytes,
                response_cache_ttl_ms: ttl_ms,
                ..Settings::default()
            };
            assert_eq!(s.validate().is_ok(), ok, "{bytes} bytes, {ttl_ms} ms");
        }
    }

    #[test]
    fn the_document_limits_are_positive() {
        Settings::default().validate().unwrap();
        for configure in [
            |s: &mut Settings| s.graphql_max_expanded_fields = 0,
            |s: &mut Settings| s.graphql_max_list_items = 0,
            |s: &mut Settings| s.graphql_max_variable_values = 0,
        ] {
            let mut s = Settings::default();
            configure(&mut s);
            assert!(s.validate().is_err());
        }
    }

    #[test]
    fn debug_hides_secrets_and_passwords_in_urls() {
        let s = Settings {
            database_url: Some("postgres://iurhub:hunter2hunter2@db:5432/iurhub".into()),
            jwt_secret: Some(SecretString::from("a".repeat(40))),
            ..Settings::default()
        };
        let printed = format!("{s:?}");
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(!printed.contains(&"a".repeat(40)), "{printed}");
        assert!(printed.contains("postgres://iurhub:***@db:5432/iurhub"));
    }
}
