//! `iurhub`: the command-line entry point. Everything it does lives in the
//! library crates; this file only parses arguments.

mod generate;
mod import;
mod import_file;
mod ops;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use iurhub_api::{LogFormat, Server, Settings};
use iurhub_fixtures::demo::DemoSummary;
use iurhub_store::{DatabaseConnection, Store, db};

/// mimalloc instead of the system allocator: requests allocate and free many
/// small objects from several threads, where it measured faster (see
/// docs/PERFORMANCE.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Password of every demo account created by `seed-demo`.
const DEMO_PASSWORD: &str = "iurhub-demo-2026";

/// Industry–university–research cooperation service.
#[derive(Parser)]
#[command(name = "iurhub", version, about)]
struct Cli {
    /// Configuration file (TOML); `IURHUB_*` variables override it.
    #[arg(long, global = true, env = "IURHUB_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP service (the default).
    Serve {
        /// Load the demo data set before serving (idempotent).
        #[arg(long, env = "IURHUB_DEMO")]
        demo: bool,
    },
    /// Apply, roll back or list database migrations.
    Migrate {
        #[command(subcommand)]
        action: Option<MigrateAction>,
    },
    /// Load the demo data set (idempotent) and print the demo accounts.
    SeedDemo,
    /// Copy the live SQLite database into FILE, safely while the server runs
    ///
    /// The copy is a consistent snapshot (SQLite `VACUUM INTO`, one read
    /// transaction; the server keeps serving and writing). FILE must not exist
    /// unless `--force` is given. Restore: stop the server and copy FILE over
    /// the database file, or point IURHUB_DATABASE_URL at it.
    ///
    /// On PostgreSQL nothing is done: the command prints the `pg_dump` command
    /// for the configured database (without its password) and exits with
    /// status 2.
    #[command(verbatim_doc_comment)]
    Backup(ops::BackupArgs),
    /// Create accounts and set platform roles (ADMIN, COORDINATOR).
    User {
        #[command(subcommand)]
        action: ops::UserCommand,
    },
    /// Measure matching quality (nDCG@10, Recall@100, MRR@10) on a BEIR-format folder
    /// (corpus.jsonl → capabilities, queries.jsonl → needs, qrels/test.tsv).
    Eval {
        /// The folder, e.g. ../shared/eval/scifact.
        dir: PathBuf,
        /// Evaluate only the first N judged queries.
        #[arg(long)]
        max_queries: Option<usize>,
    },
    /// Import capabilities, needs or talents from a JSON Lines (.jsonl) or CSV
    /// (.csv) file: every row is checked first and a file with a bad row is
    /// refused whole; then all rows are written in one transaction.
    Import(import::ImportArgs),
    /// Write synthetic enterprises, universities, needs and capabilities (bilingual
    /// text, real taxonomy codes) into the database, for benchmarks and capacity
    /// planning. Refused when the database already holds synthetic data.
    Generate(generate::GenerateArgs),
    /// Rank every published need for the coordinators' opportunity queue now
    ///
    /// What the `opportunity_ranking` job of the server does 500 needs per
    /// run: the needs never ranked, or changed since, get their best
    /// candidates kept. For a database filled outside the server (`import`,
    /// `generate`, a restore); it builds its own search index in memory and
    /// may run while the server serves.
    #[command(verbatim_doc_comment)]
    RankOpportunities,
    /// Write the GraphQL schema (SDL) to a file.
    ExportSchema {
        /// Where to write it.
        #[arg(long, default_value = "schema.graphql")]
        out: PathBuf,
        /// Fail instead of writing when the file differs.
        #[arg(long)]
        check: bool,
    },
}

#[derive(Subcommand, Clone, Copy)]
enum MigrateAction {
    /// Apply every pending migration (the default).
    Up,
    /// Roll back the last migration, or `--all`.
    Down {
        #[arg(long)]
        all: bool,
    },
    /// List applied and pending migrations.
    Status,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Before the logger exists: always text.
    let settings = match Settings::load(cli.config.as_deref()) {
        Ok(settings) => settings,
        Err(err) => return fail(LogFormat::Text, err.into()),
    };
    let format = settings.log_format;
    iurhub_api::telemetry::init(format);
    let result = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the runtime")
        .and_then(|runtime| {
            runtime.block_on(run(
                cli.command.unwrap_or(Command::Serve { demo: false }),
                settings,
            ))
        });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => fail(format, err),
    }
}

/// Reports the error that ends the command and picks the exit status.
fn fail(format: LogFormat, err: anyhow::Error) -> ExitCode {
    if let Some(ops::Exit(code)) = err.downcast_ref::<ops::Exit>() {
        // The command printed its message already.
        return ExitCode::from(*code);
    }
    iurhub_api::telemetry::report_fatal(format, &err);
    ExitCode::FAILURE
}

async fn run(command: Command, settings: Settings) -> anyhow::Result<()> {
    match command {
        Command::Serve { demo } => {
            // Seed first: the server indexes what the database holds at start.
            if demo {
                seed_demo(settings.clone()).await?;
            }
            let server = Server::build(settings).await?;
            server.run_until(shutdown_signal()).await
        }
        Command::Migrate { action } => migrate(settings, action.unwrap_or(MigrateAction::Up)).await,
        Command::SeedDemo => seed_demo(settings).await,
        Command::Backup(args) => ops::backup(&settings, args).await,
        Command::User { action } => ops::user(&cli_app(&settings).await?, action).await,
        Command::ExportSchema { out, check } => export_schema(&out, check),
        Command::RankOpportunities => rank_opportunities(&settings).await,
        Command::Import(args) => import::run(&cli_app(&settings).await?, args).await,
        Command::Generate(args) => {
            let conn = connect(&settings).await?;
            db::migrate(&conn).await?;
            generate::run(&Store::new(conn), args).await
        }
        Command::Eval { dir, max_queries } => {
            let report =
                iurhub_app::evaluation::run(&dir, &settings.matching_weights, max_queries).await?;
            let m = report.metrics;
            println!("data set     {}", dir.display());
            println!("documents    {} indexed", report.documents);
            println!("queries      {}", m.queries);
            println!("nDCG@10      {:.4}", m.ndcg_at_10);
            println!("Recall@100   {:.4}", m.recall_at_100);
            println!("MRR@10       {:.4}", m.mrr_at_10);
            println!("load         {:.1} s", report.load_secs);
            println!(
                "rank         {:.1} s ({:.1} ms per query)",
                report.rank_secs,
                1000.0 * report.rank_secs / m.queries.max(1) as f64
            );
            Ok(())
        }
    }
}

/// The application for a command that reads and writes like a user
/// (imports, account administration): migrated, without a text index.
async fn cli_app(settings: &Settings) -> anyhow::Result<iurhub_app::App> {
    if settings.database_url.is_none() {
        std::fs::create_dir_all(&settings.data_dir)?;
    }
    iurhub_app::App::connect(&settings.database_url(), 2, iurhub_app::Options::default()).await
}

/// `iurhub rank-opportunities`: ranks every need waiting for the queue,
/// with the server's matching weights, and prints how many and how long.
async fn rank_opportunities(settings: &Settings) -> anyhow::Result<()> {
    if settings.database_url.is_none() {
        std::fs::create_dir_all(&settings.data_dir)?;
    }
    let options = iurhub_app::Options {
        weights: settings.matching_weights,
        suggest_min_score: settings.matching_suggest_min_score,
        ..iurhub_app::Options::default()
    };
    let app = iurhub_app::App::connect(&settings.database_url(), 2, options).await?;
    let started = std::time::Instant::now();
    let indexed = iurhub_app::matching::rebuild(&app)
        .await
        .map_err(|e| anyhow::anyhow!(e.message()))?;
    println!(
        "indexed      {indexed} documents in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let started = std::time::Instant::now();
    let mut ranked = 0;
    loop {
        let batch = iurhub_app::opportunities::rank_waiting(&app, 1_000)
            .await
            .map_err(|e| anyhow::anyhow!(e.message()))?;
        if batch == 0 {
            break;
        }
        ranked += batch;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "ranked       {ranked} needs in {secs:.1} s ({:.1} ms per need)",
        1000.0 * secs / ranked.max(1) as f64
    );
    Ok(())
}

async fn connect(settings: &Settings) -> anyhow::Result<DatabaseConnection> {
    if settings.database_url.is_none() {
        std::fs::create_dir_all(&settings.data_dir)?;
    }
    Ok(db::connect(&settings.database_url(), 2).await?)
}

async fn migrate(settings: Settings, action: MigrateAction) -> anyhow::Result<()> {
    use iurhub_migration::{Migrator, MigratorTrait};
    let conn = connect(&settings).await?;
    match action {
        MigrateAction::Up => {
            // Under the migration lock, like a starting server.
            db::migrate(&conn).await?;
            println!("database is up to date");
        }
        MigrateAction::Down { all } => {
            let lock = db::MigrationLock::acquire(&conn).await?;
            let result = Migrator::down(&conn, if all { None } else { Some(1) }).await;
            lock.release().await;
            result?;
            println!(
                "rolled back {}",
                if all {
                    "every migration"
                } else {
                    "the last migration"
                }
            );
        }
        MigrateAction::Status => {
            for m in Migrator::get_migration_with_status(&conn).await? {
                println!("{:<10} {}", format!("{:?}", m.status()), m.name());
            }
        }
    }
    Ok(())
}

async fn seed_demo(settings: Settings) -> anyhow::Result<()> {
    let conn = connect(&settings).await?;
    db::migrate(&conn).await?;
    let store = Store::new(conn);
    let summary = seed(&store).await?;
    // The years of cooperation, through the application layer (matching
    // ranks the needs, the rules of every step hold).
    let app = iurhub_app::App::new(store.clone(), iurhub_app::Options::default())?;
    let history = iurhub_fixtures::history::seed_history(&app, &store)
        .await
        .map_err(|e| anyhow::anyhow!("loading the demo history: {}", e.message()))?;
    print_demo(&summary);
    println!(
        "demo history recorded: {} matches, {} projects, {} bookings, {} activities, {} plan targets, {} work items, \
         {} teasers, {} disclosures, {} messages",
        history.matches,
        history.projects,
        history.bookings,
        history.activities,
        history.targets,
        history.work_items,
        history.teasers,
        history.disclosures,
        history.messages
    );
    Ok(())
}

async fn seed(store: &Store) -> anyhow::Result<DemoSummary> {
    let hash =
        tokio::task::spawn_blocking(|| iurhub_api::auth::hash_password(DEMO_PASSWORD)).await??;
    Ok(iurhub_fixtures::demo::seed_demo(store, &hash).await?)
}

fn print_demo(summary: &DemoSummary) {
    println!(
        "demo data loaded: {} organizations, {} users, {} talents, {} capabilities, {} needs, {} instruments, {} agreements created",
        summary.organizations,
        summary.users,
        summary.talents,
        summary.capabilities,
        summary.needs,
        summary.instruments,
        summary.agreements
    );
    println!("\ndemo accounts (password for all: {DEMO_PASSWORD}):");
    for (email, name, role) in &summary.accounts {
        println!("  {email:<40} {role:<12} {name}");
    }
}

fn export_schema(out: &std::path::Path, check: bool) -> anyhow::Result<()> {
    let sdl = iurhub_api::graphql::sdl();
    if check {
        let current = std::fs::read_to_string(out).unwrap_or_default();
        anyhow::ensure!(
            current == sdl,
            "{} is stale: run `iurhub export-schema`",
            out.display()
        );
        println!("{} is up to date", out.display());
    } else {
        std::fs::write(out, sdl).with_context(|| format!("writing {}", out.display()))?;
        println!("wrote {}", out.display());
    }
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received; finishing in-flight requests");
}
