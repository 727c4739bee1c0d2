//! `iurhub import`: the command-line face of [`crate::import_file`] —
//! arguments, the report of bad rows and the progress bar.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use crate::import_file::{self, Kind};
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use iurhub_app::App;

#[derive(Args)]
pub struct ImportArgs {
    /// What the file holds.
    #[arg(long, value_enum)]
    kind: ImportKind,
    /// Organisation of the rows that have no `organizationId` (a database id or a global ID).
    #[arg(long)]
    organization: Option<String>,
    /// Publish the imported capabilities or needs (default: DRAFT).
    #[arg(long)]
    publish: bool,
    /// E-mail of the user recorded as creator (default: the oldest ADMIN).
    #[arg(long, value_name = "EMAIL")]
    created_by: Option<String>,
    /// The file: `.jsonl` (one JSON object per line) or `.csv` (with a header row).
    file: PathBuf,
}

#[derive(Clone, Copy, ValueEnum)]
enum ImportKind {
    Capabilities,
    Needs,
    Talents,
}

impl From<ImportKind> for Kind {
    fn from(kind: ImportKind) -> Kind {
        match kind {
            ImportKind::Capabilities => Kind::Capabilities,
            ImportKind::Needs => Kind::Needs,
            ImportKind::Talents => Kind::Talents,
        }
    }
}

pub async fn run(app: &App, args: ImportArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let kind = Kind::from(args.kind);
    anyhow::ensure!(
        !(args.publish && kind == Kind::Talents),
        "--publish applies to capabilities and needs; talent profiles have no status"
    );
    let creator = import_file::creator(app, args.created_by.as_deref()).await?;
    let organization = args
        .organization
        .as_deref()
        .map(import_file::organization_arg)
        .transpose()?;
    let checked = match import_file::read_and_check(app, kind, &args.file, organization).await? {
        Ok(checked) => checked,
        Err(rejected) => {
            for error in &rejected.errors {
                eprintln!("{}: {error}", args.file.display());
            }
            anyhow::bail!(
                "{} of {} rows of {} are invalid; nothing was imported",
                rejected.bad_rows,
                rejected.rows,
                args.file.display()
            );
        }
    };

    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::new(checked.len() as u64).with_style(
            ProgressStyle::with_template(
                "{msg} {wide_bar} {pos}/{len} rows ({per_sec}, {eta} left)",
            )?
            .progress_chars("=> "),
        )
    } else {
        ProgressBar::hidden()
    };
    bar.set_message(format!("importing {kind}"));
    let count = import_file::write(app, checked, creator.id, args.publish, &mut |done| {
        bar.set_position(done as u64)
    })
    .await;
    bar.finish_and_clear();
    let count = count?;
    println!(
        "imported {count} {kind} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
