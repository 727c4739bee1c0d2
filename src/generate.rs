//! `iurhub generate`: synthetic enterprises, universities, needs and
//! capabilities at scale, for benchmarks and capacity planning (see
//! `iurhub_fixtures::synthetic`).

use std::io::IsTerminal;
use std::time::Instant;

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use iurhub_fixtures::synthetic::{SyntheticSpec, generate_synthetic};
use iurhub_store::Store;
use rand::RngCore;

/// The account recorded as creator of generated rows when the database has
/// no ADMIN yet. Its password is random and never shown: nobody signs in as it.
const GENERATOR_EMAIL: &str = "synthetic-data@iurhub.invalid";

#[derive(Args)]
pub struct GenerateArgs {
    /// Number of research capabilities (about 90% PUBLISHED), 200 per university.
    #[arg(long)]
    capabilities: usize,
    /// Number of technology needs (about 85% PUBLISHED, 80% PUBLIC), 10 per enterprise.
    #[arg(long, default_value_t = 1_000)]
    needs: usize,
    /// Seed: the same seed gives the same content on any database.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub async fn run(store: &Store, args: GenerateArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let creator = match store.oldest_admin().await? {
        Some(admin) => admin,
        None => match store.user_by_email(GENERATOR_EMAIL).await? {
            Some(user) => user,
            None => {
                let mut secret = [0u8; 32];
                rand::rng().fill_bytes(&mut secret);
                let password: String = secret.iter().map(|b| format!("{b:02x}")).collect();
                let hash =
                    tokio::task::spawn_blocking(move || iurhub_api::auth::hash_password(&password))
                        .await??;
                store
                    .create_user(GENERATOR_EMAIL, &hash, "Synthetic data", None)
                    .await?
            }
        },
    };
    let spec = SyntheticSpec {
        capabilities: args.capabilities,
        needs: args.needs,
        seed: args.seed,
    };
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::new((spec.capabilities + spec.needs) as u64).with_style(
            ProgressStyle::with_template(
                "generating {wide_bar} {pos}/{len} rows ({per_sec}, {eta} left)",
            )?
            .progress_chars("=> "),
        )
    } else {
        ProgressBar::hidden()
    };
    let summary = generate_synthetic(store, creator.id, spec, &mut |done, _| {
        bar.set_position(done as u64)
    })
    .await;
    bar.finish_and_clear();
    let summary = summary?;
    println!(
        "generated {} capabilities of {} universities and {} needs of {} enterprises (seed {}) in {:.1} s",
        summary.capabilities,
        summary.universities,
        summary.needs,
        summary.enterprises,
        args.seed,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
