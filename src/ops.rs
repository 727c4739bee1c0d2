//! Operator commands: `iurhub backup` and `iurhub user create|set-role`.
//!
//! They work on the database of the configuration (`IURHUB_DATABASE_URL`), so
//! they run beside a live server: a SQLite backup is `VACUUM INTO`, a
//! consistent snapshot taken in one read transaction while the server keeps
//! writing; user changes are ordinary rows the server reads on the next
//! request.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use iurhub_api::Settings;
use iurhub_api::config::redact_url;
use iurhub_app::{App, AppError, accounts};
use iurhub_domain::{PlatformRole, validate};
use iurhub_store::db;
use sea_orm::ConnectionTrait;
use sea_orm::sqlx::sqlite::SqliteConnectOptions;

/// Ends the process with this status; the message was already printed.
#[derive(Debug)]
pub struct Exit(pub u8);

impl std::fmt::Display for Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit status {}", self.0)
    }
}

impl std::error::Error for Exit {}

/// Status of `iurhub backup` on PostgreSQL: nothing was done, use `pg_dump`.
pub const EXIT_USE_PG_DUMP: u8 = 2;

// ---------------------------------------------------------------------------
// backup

#[derive(Args)]
pub struct BackupArgs {
    /// Where to write the copy (a new SQLite file). It must not exist unless
    /// `--force` is given.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Replace FILE when it exists (atomically: FILE is either the old file or
    /// the complete new copy, never half written).
    #[arg(long)]
    force: bool,
}

/// Which database a URL names.
#[derive(Debug, PartialEq, Eq)]
enum Backend {
    Sqlite,
    Postgres,
}

fn backend_of(url: &str) -> anyhow::Result<Backend> {
    let scheme = url.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
    match scheme.as_deref() {
        Some("sqlite") => Ok(Backend::Sqlite),
        Some("postgres" | "postgresql") => Ok(Backend::Postgres),
        _ => anyhow::bail!(
            "cannot tell the database of {}: expected sqlite:// or postgres://",
            redact_url(url)
        ),
    }
}

pub async fn backup(settings: &Settings, args: BackupArgs) -> anyhow::Result<()> {
    let url = settings.database_url();
    match backend_of(&url)? {
        Backend::Postgres => {
            eprint!("{}", pg_dump_hint(&url, &args.file));
            Err(Exit(EXIT_USE_PG_DUMP).into())
        }
        Backend::Sqlite => backup_sqlite(&url, &args.file, args.force).await,
    }
}

/// The message `iurhub backup` prints on PostgreSQL: the `pg_dump` command for
/// the configured database, without its password.
fn pg_dump_hint(url: &str, file: &Path) -> String {
    let file = shell_quote(&file.display().to_string());
    let target = shell_quote(&without_password(url));
    format!(
        "iurhub backup copies SQLite databases only; this configuration uses PostgreSQL\n\
         ({}). Nothing was written.\n\
         \n\
         Back it up with pg_dump (a consistent snapshot, also while the servers run):\n\
         \n\
         \x20   pg_dump --format=custom --file={file} --dbname={target}\n\
         \n\
         The password is left out: pg_dump asks for it, or reads PGPASSWORD or ~/.pgpass.\n\
         Restore into an empty database (servers stopped) with:\n\
         \n\
         \x20   pg_restore --no-owner --exit-on-error --dbname={target} {file}\n\
         \n\
         See docs/OPERATIONS.md, \"Backup and restore\".\n",
        redact_url(url)
    )
}

/// `url` without the password of its user (`postgres://user@host/db`).
fn without_password(url: &str) -> String {
    let redacted = redact_url(url);
    match (redacted.find("://"), redacted.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => match redacted[scheme + 3..at].split_once(':') {
            Some((user, _)) => format!("{}{user}{}", &redacted[..scheme + 3], &redacted[at..]),
            None => redacted,
        },
        _ => redacted,
    }
}

/// Quotes a word for a POSIX shell when it needs quoting.
fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "@%+=:,./-_".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Copies the live SQLite database into `dest` with `VACUUM INTO`: one read
/// transaction, so the copy is consistent while the server keeps writing (WAL
/// readers do not block the writer).
async fn backup_sqlite(url: &str, dest: &Path, force: bool) -> anyhow::Result<()> {
    let started = Instant::now();
    let source = SqliteConnectOptions::from_str(url)
        .with_context(|| format!("reading the database URL {}", redact_url(url)))?
        .get_filename()
        .to_owned();
    anyhow::ensure!(
        source.is_file(),
        "there is no SQLite database at {} (from {}); nothing to back up",
        source.display(),
        redact_url(url)
    );
    if dest.exists() && !force {
        anyhow::bail!(
            "{} already exists; choose a new file or add --force to replace it",
            dest.display()
        );
    }
    let dir = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let dir = dir
        .canonicalize()
        .with_context(|| format!("the directory of {} does not exist", dest.display()))?;
    let name = dest
        .file_name()
        .with_context(|| format!("{} is not a file name", dest.display()))?;
    let dest = dir.join(name);
    if let (Ok(a), Ok(b)) = (source.canonicalize(), dest.canonicalize()) {
        anyhow::ensure!(
            a != b,
            "{} is the live database itself; write the backup to another file",
            dest.display()
        );
    }
    // Written next to FILE and moved into place at the end: FILE is never a
    // partial copy, and a failure leaves no stray file behind.
    let partial = dir.join(format!(
        ".{}.{}.partial",
        name.to_string_lossy(),
        std::process::id()
    ));
    let _ = std::fs::remove_file(&partial);

    let conn = db::connect(url, 1)
        .await
        .with_context(|| format!("opening {}", redact_url(url)))?;
    let target = partial
        .to_str()
        .context("the backup path is not valid UTF-8")?
        .replace('\'', "''");
    let copied = conn
        .execute_unprepared(&format!("VACUUM INTO '{target}'"))
        .await;
    conn.close().await.ok();
    if let Err(err) = copied {
        let _ = std::fs::remove_file(&partial);
        return Err(err).context("copying the database (VACUUM INTO)");
    }
    let placed = if force {
        std::fs::rename(&partial, &dest)
    } else {
        // A hard link never replaces an existing file, even one created since
        // the check above.
        std::fs::hard_link(&partial, &dest).and_then(|()| std::fs::remove_file(&partial))
    };
    if let Err(err) = placed {
        let _ = std::fs::remove_file(&partial);
        return Err(err).with_context(|| format!("writing {}", dest.display()));
    }
    let bytes = std::fs::metadata(&dest).map(|m| m.len()).unwrap_or(0);
    println!(
        "backed up {} to {} ({:.1} MiB in {:.1} s)",
        source.display(),
        dest.display(),
        bytes as f64 / (1024.0 * 1024.0),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

// ---------------------------------------------------------------------------
// users

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create an account (for example the first ADMIN, or a coordinator)
    ///
    /// The password is read from standard input with `--password-stdin`;
    /// otherwise a strong random one is generated and printed once on standard
    /// output. E-mail and password follow the rules of registration (a valid
    /// address, a password of 10 to 128 characters). An e-mail that is already
    /// registered is an error (status 1).
    #[command(verbatim_doc_comment)]
    Create {
        /// E-mail address, the sign-in name (stored in lower case).
        #[arg(long)]
        email: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// Read the password from standard input (one line; a trailing newline
        /// is dropped), e.g. `printf %s "$PW" | iurhub user create … --password-stdin`.
        #[arg(long)]
        password_stdin: bool,
        /// Platform role of the new account; none by default.
        #[arg(long, value_enum, ignore_case = true)]
        role: Option<RoleArg>,
    },
    /// Give a user a platform role, or take it away with NONE
    ///
    /// ADMIN manages organisations, members and roles; COORDINATOR (the
    /// tech-transfer office) curates, brokers matches and sees everything.
    /// Takes effect on the user's next request; an unknown e-mail is an error
    /// (status 1).
    #[command(verbatim_doc_comment)]
    SetRole {
        /// The user's e-mail address.
        email: String,
        /// The new platform role.
        #[arg(value_enum, ignore_case = true)]
        role: RoleOrNone,
    },
}

/// A platform role on the command line.
#[derive(Clone, Copy, ValueEnum)]
pub enum RoleArg {
    #[value(name = "ADMIN")]
    Admin,
    #[value(name = "COORDINATOR")]
    Coordinator,
}

/// A platform role, or none.
#[derive(Clone, Copy, ValueEnum)]
pub enum RoleOrNone {
    #[value(name = "ADMIN")]
    Admin,
    #[value(name = "COORDINATOR")]
    Coordinator,
    #[value(name = "NONE")]
    None,
}

impl From<RoleArg> for PlatformRole {
    fn from(role: RoleArg) -> PlatformRole {
        match role {
            RoleArg::Admin => PlatformRole::Admin,
            RoleArg::Coordinator => PlatformRole::Coordinator,
        }
    }
}

impl RoleOrNone {
    fn role(self) -> Option<PlatformRole> {
        match self {
            RoleOrNone::Admin => Some(PlatformRole::Admin),
            RoleOrNone::Coordinator => Some(PlatformRole::Coordinator),
            RoleOrNone::None => None,
        }
    }
}

fn role_text(role: Option<PlatformRole>) -> &'static str {
    role.map_or("NONE", PlatformRole::as_str)
}

pub async fn user(app: &App, command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Create {
            email,
            name,
            password_stdin,
            role,
        } => create_user(app, &email, &name, password_stdin, role.map(Into::into)).await,
        UserCommand::SetRole { email, role } => set_role(app, &email, role.role()).await,
    }
}

async fn create_user(
    app: &App,
    email: &str,
    name: &str,
    password_stdin: bool,
    role: Option<PlatformRole>,
) -> anyhow::Result<()> {
    let (password, generated) = if password_stdin {
        (read_password()?, None)
    } else {
        let password = generate_password();
        (password.clone(), Some(password))
    };
    // Every rule of registration, all problems at once.
    let mut v = validate::Validator::new();
    let name = v.text("--name", name, 1, 100);
    for err in [
        validate::email("--email", email).err(),
        validate::password("password", &password).err(),
    ]
    .into_iter()
    .flatten()
    {
        if let iurhub_domain::DomainError::Validation(fields) = err {
            v.extend(fields);
        }
    }
    v.finish()?;
    let email = validate::email("--email", email)?;
    if accounts::user_by_email(app, &email)
        .await
        .map_err(failed)?
        .is_some()
    {
        anyhow::bail!("a user with the e-mail {email} already exists");
    }
    let hash =
        tokio::task::spawn_blocking(move || iurhub_api::auth::hash_password(&password)).await??;
    let user = match accounts::create_with_role(app, &email, &hash, &name, role).await {
        Ok(user) => user,
        Err(e) if e.code() == iurhub_app::ErrorCode::Conflict => {
            anyhow::bail!("a user with the e-mail {email} already exists")
        }
        Err(e) => return Err(failed(e)),
    };
    tracing::info!(
        user_id = user.id,
        platform_role = role_text(role),
        "user created from the command line"
    );
    println!(
        "created user {} (id {}, platform role {})",
        user.email,
        user.id,
        role_text(user.platform_role)
    );
    if let Some(password) = generated {
        // Shown this once: only its argon2id hash is kept.
        println!("password: {password}");
        eprintln!("note: the generated password is shown only this once; pass it on securely");
    }
    Ok(())
}

/// Reads one password from standard input; a trailing newline is dropped.
fn read_password() -> anyhow::Result<String> {
    let mut stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("password (input is shown; end with Enter): ");
        let mut line = String::new();
        stdin.read_line(&mut line).context("reading the password")?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_owned());
    }
    let mut text = String::new();
    stdin
        .read_to_string(&mut text)
        .context("reading the password from standard input")?;
    let password = text
        .strip_suffix('\n')
        .map(|t| t.strip_suffix('\r').unwrap_or(t))
        .unwrap_or(&text);
    anyhow::ensure!(
        !password.contains(['\n', '\r']),
        "the password on standard input must be a single line"
    );
    Ok(password.to_owned())
}

/// 24 random letters and digits (about 143 bits), easy to paste anywhere.
fn generate_password() -> String {
    use rand::Rng;
    rand::rng()
        .sample_iter(rand::distr::Alphanumeric)
        .take(24)
        .map(char::from)
        .collect()
}

async fn set_role(app: &App, email: &str, role: Option<PlatformRole>) -> anyhow::Result<()> {
    let normalised = validate::email("email", email).unwrap_or_else(|_| email.trim().to_owned());
    let Some(user) = accounts::user_by_email(app, &normalised)
        .await
        .map_err(failed)?
    else {
        anyhow::bail!("there is no user with the e-mail {normalised}");
    };
    accounts::set_platform_role(app, user.id, role)
        .await
        .map_err(failed)?;
    tracing::info!(
        user_id = user.id,
        platform_role = role_text(role),
        "platform role set from the command line"
    );
    println!(
        "{}: platform role {} (was {})",
        user.email,
        role_text(role),
        role_text(user.platform_role)
    );
    Ok(())
}

/// An application error as a command-line failure.
fn failed(err: AppError) -> anyhow::Error {
    anyhow::anyhow!(err.message())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_their_backend() {
        assert_eq!(
            backend_of("sqlite://./data/iurhub.db?mode=rwc").unwrap(),
            Backend::Sqlite
        );
        assert_eq!(
            backend_of("postgresql://u:p@h/db").unwrap(),
            Backend::Postgres
        );
        assert!(backend_of("mysql://u:p@h/db").is_err());
    }

    #[test]
    fn the_pg_dump_hint_has_no_password() {
        let hint = pg_dump_hint(
            "postgres://iurhub:s3cret@db:5432/iurhub?sslmode=require",
            Path::new("it's.dump"),
        );
        assert!(!hint.contains("s3cret"), "{hint}");
        assert!(
            hint.contains(
                "pg_dump --format=custom --file='it'\\''s.dump' \
                 --dbname='postgres://iurhub@db:5432/iurhub?sslmode=require'"
            ),
            "{hint}"
        );
        assert!(hint.contains("postgres://iurhub:***@db:5432"), "{hint}");
        assert_eq!(
            without_password("postgres://iurhub@db/x"),
            "postgres://iurhub@db/x"
        );
        assert_eq!(shell_quote("/var/b-1.dump"), "/var/b-1.dump");
    }

    #[test]
    fn generated_passwords_are_long_and_differ() {
        let (a, b) = (generate_password(), generate_password());
        assert_eq!(a.chars().count(), 24);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, b);
        validate::password("password", &a).unwrap();
    }
}
