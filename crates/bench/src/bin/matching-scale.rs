//! Matching at scale: builds the in-memory index over N synthetic bilingual
//! capabilities, ranks 500 synthetic needs through the same two stages the
//! API uses (BM25 candidates, then factor scoring, top 10), and, in the same
//! run, answers the same queries with PostgreSQL full-text search
//! (tsvector + GIN, `ts_rank`) for a ratio. Not a test: it prints figures.
//!
//! ```text
//! ./scripts/with-postgres cargo run --release -p iurhub-bench --bin matching-scale -- --docs 100000
//! ```

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Parser;
use iurhub_bench::stats::{Summary, ms, proc_status_mib};
use iurhub_bench::synth::{Generator, SynthDoc};
use iurhub_matching::{
    CandidateProfile, DocKind, IndexDoc, NeedProfile, Reach, SearchIndex, Weights, query_text,
    rank_candidates,
};
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement, Value};

/// How many text candidates are re-scored (as in the API).
const CANDIDATES: usize = 200;

#[derive(Parser)]
#[command(about = "Matching latency over N synthetic capabilities, against PostgreSQL ts_rank")]
struct Args {
    /// Number of capabilities.
    #[arg(long, default_value_t = 10_000)]
    docs: usize,
    /// Number of timed needs.
    #[arg(long, default_value_t = 500)]
    needs: usize,
    /// Untimed needs run first.
    #[arg(long, default_value_t = 50)]
    warmup: usize,
    /// PostgreSQL for the comparison (a throwaway database: the table
    /// `bench_capabilities` is dropped and recreated).
    #[arg(long, env = "IURHUB_TEST_DATABASE_URL")]
    postgres_url: Option<String>,
    /// Distinct query terms scored at most (the rarest); the API's default.
    #[arg(long, default_value_t = iurhub_matching::index::DEFAULT_MAX_QUERY_TERMS)]
    max_query_terms: usize,
    /// Keep the segments of the bulk load (the server merges them at start).
    #[arg(long)]
    no_merge: bool,
    /// Skip the PostgreSQL comparison.
    #[arg(long)]
    no_postgres: bool,
}

fn index_doc(d: &SynthDoc) -> IndexDoc {
    IndexDoc {
        kind: DocKind::Capability,
        id: d.id,
        title: d.title.clone(),
        body: d.body.clone(),
        keywords: d.keywords.clone(),
        shared: true,
        organization_id: 1,
    }
}

fn candidate_profile(index: &SearchIndex, d: &SynthDoc) -> CandidateProfile {
    CandidateProfile {
        keyword_terms: index.analyze(&d.keywords.join(" ")),
        discipline_codes: d.discipline_codes.clone(),
        trl: d.trl,
        availability: d.modes.clone(),
        province: Some(d.province.clone()),
        completed_projects: Some(d.completed_projects),
    }
}

fn need_profile(index: &SearchIndex, d: &SynthDoc) -> NeedProfile {
    NeedProfile {
        keyword_terms: index.analyze(&d.keywords.join(" ")),
        discipline_codes: d.discipline_codes.clone(),
        industry_codes: Vec::new(),
        trl_required: d.trl,
        cooperation_modes: d.modes.clone(),
        province: Some(d.province.clone()),
    }
}

/// Full pipeline for one need: profile, BM25 candidates, factor scoring, top 10.
fn match_need(
    index: &SearchIndex,
    profiles: &HashMap<i64, CandidateProfile>,
    weights: &Weights,
    need: &SynthDoc,
) -> anyhow::Result<Vec<i64>> {
    let profile = need_profile(index, need);
    let hits = index.search(
        DocKind::Capability,
        &query_text(&need.title, &need.body, &need.keywords),
        CANDIDATES,
        Reach::Shared,
    )?;
    let mut ranked = rank_candidates(hits, &profile, |id| profiles.get(&id), weights);
    ranked.truncate(10);
    Ok(ranked.into_iter().map(|r| r.id).collect())
}

fn row(label: &str, s: &Summary) {
    println!(
        "| {label} | {} | {} | {} | {} | {} | {:.0} |",
        s.n,
        ms(s.mean),
        ms(s.p50),
        ms(s.p90),
        ms(s.p99),
        1.0 / s.mean.as_secs_f64()
    );
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let rss_start = proc_status_mib("VmRSS:").unwrap_or(f64::NAN);
    let t = Instant::now();
    let corpus = Generator::new(1).docs(args.docs);
    let needs = Generator::new(2).docs(args.needs + args.warmup);
    let generate = t.elapsed();
    let rss_corpus = proc_status_mib("VmRSS:").unwrap_or(f64::NAN);

    // Index build: what the server does at start for these documents.
    let t = Instant::now();
    let index = SearchIndex::in_memory()?.with_max_query_terms(args.max_query_terms);
    index.upsert(corpus.iter().map(index_doc))?;
    let segments_loaded = index.segments(DocKind::Capability);
    if !args.no_merge {
        index.optimize()?;
    }
    let profiles: HashMap<i64, CandidateProfile> = corpus
        .iter()
        .map(|d| (d.id, candidate_profile(&index, d)))
        .collect();
    let build = t.elapsed();
    let rss_built = proc_status_mib("VmRSS:").unwrap_or(f64::NAN);
    let weights = Weights::default();

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let pg = if args.no_postgres {
        None
    } else {
        let Some(url) = args.postgres_url.as_deref() else {
            anyhow::bail!(
                "no PostgreSQL for the comparison: pass --postgres-url (or run under ./scripts/with-postgres), or --no-postgres"
            );
        };
        Some(runtime.block_on(Pg::load(url, &index, &corpus))?)
    };

    for need in &needs[..args.warmup] {
        match_need(&index, &profiles, &weights, need)?;
        if let Some(pg) = &pg {
            runtime.block_on(pg.top10(&index, need))?;
        }
    }
    // The three measurements alternate need by need, so a noisy moment on
    // the machine hits all of them alike.
    let timed = &needs[args.warmup..];
    let mut full = Vec::with_capacity(timed.len());
    let mut text_only = Vec::with_capacity(timed.len());
    let mut pg_samples = Vec::with_capacity(timed.len());
    let mut overlap = 0;
    let mut empty = 0;
    for need in timed {
        let t = Instant::now();
        let top = match_need(&index, &profiles, &weights, need)?;
        full.push(t.elapsed());
        empty += usize::from(top.is_empty());
        let t = Instant::now();
        let hits = index.search(
            DocKind::Capability,
            &query_text(&need.title, &need.body, &need.keywords),
            10,
            Reach::Shared,
        )?;
        text_only.push(t.elapsed());
        std::hint::black_box(hits);
        if let Some(pg) = &pg {
            let t = Instant::now();
            let theirs = runtime.block_on(pg.top10(&index, need))?;
            pg_samples.push(t.elapsed());
            overlap += top.iter().filter(|id| theirs.contains(id)).count();
        }
    }
    let peak = proc_status_mib("VmHWM:").unwrap_or(f64::NAN);
    let full = Summary::of(&mut full);
    let text_only = Summary::of(&mut text_only);

    println!("## Matching over {} synthetic capabilities", args.docs);
    println!();
    println!(
        "corpus generated in {:.2} s; index + profiles built in {:.2} s ({:.0} docs/s; \
         {segments_loaded} segments after loading, {} when searched)",
        generate.as_secs_f64(),
        build.as_secs_f64(),
        args.docs as f64 / build.as_secs_f64(),
        index.segments(DocKind::Capability)
    );
    println!(
        "memory: RSS {rss_start:.0} MiB at start, {rss_corpus:.0} MiB with the generated corpus, \
         {rss_built:.0} MiB with index and profiles (index + profiles ≈ {:.0} MiB); peak RSS {peak:.0} MiB",
        rss_built - rss_corpus
    );
    println!(
        "needs: {} timed after {} warm-up; {empty} found nothing; at most {} query terms scored",
        timed.len(),
        args.warmup,
        args.max_query_terms
    );
    println!();
    println!("| query (single thread) | n | mean ms | p50 ms | p90 ms | p99 ms | queries/s |");
    println!("|---|---|---|---|---|---|---|");
    row("iurhub top-10 (BM25 200 → factors)", &full);
    row("iurhub text stage only (BM25 top-10)", &text_only);
    let Some(pg) = pg else {
        return Ok(());
    };
    let theirs = Summary::of(&mut pg_samples);
    row("PostgreSQL ts_rank top-10 (GIN)", &theirs);
    println!();
    println!(
        "PostgreSQL: loaded and indexed in {:.2} s; ratio PostgreSQL / iurhub full pipeline: \
         mean {:.1}×, p50 {:.1}×, p99 {:.1}×",
        pg.load.as_secs_f64(),
        theirs.mean.as_secs_f64() / full.mean.as_secs_f64(),
        theirs.p50.as_secs_f64() / full.p50.as_secs_f64(),
        theirs.p99.as_secs_f64() / full.p99.as_secs_f64(),
    );
    println!(
        "top-10 overlap with PostgreSQL: {:.0}% (different rankers; a sanity check that both answer the same question)",
        100.0 * overlap as f64 / (10 * timed.len()).max(1) as f64
    );
    runtime.block_on(pg.drop())?;
    Ok(())
}

/// The same documents in PostgreSQL with the same word segmentation (our
/// analyzer's terms, so Chinese is searchable there too), `simple` config,
/// a GIN index, ranked by `ts_rank`.
struct Pg {
    db: sea_orm::DatabaseConnection,
    load: Duration,
}

impl Pg {
    async fn load(url: &str, index: &SearchIndex, corpus: &[SynthDoc]) -> anyhow::Result<Pg> {
        let db = Database::connect(url)
            .await
            .with_context(|| format!("connecting to {url}"))?;
        let t = Instant::now();
        db.execute_unprepared(
            "DROP TABLE IF EXISTS bench_capabilities;
             CREATE TABLE bench_capabilities (
                 id bigint PRIMARY KEY, title text NOT NULL, body text NOT NULL,
                 keywords text NOT NULL, tsv tsvector NOT NULL)",
        )
        .await?;
        for chunk in corpus.chunks(1000) {
            let mut sql = String::from(
                "INSERT INTO bench_capabilities (id, title, body, keywords, tsv) VALUES ",
            );
            let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 5);
            for (i, d) in chunk.iter().enumerate() {
                let p = i * 5;
                if i > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!(
                    "(${}, ${}, ${}, ${}, to_tsvector('simple', ${}))",
                    p + 1,
                    p + 2,
                    p + 3,
                    p + 4,
                    p + 5
                ));
                let keywords = d.keywords.join(" ");
                let terms = index
                    .analyze(&format!("{}\n{keywords}\n{}", d.title, d.body))
                    .join(" ");
                values.extend([
                    d.id.into(),
                    d.title.clone().into(),
                    d.body.clone().into(),
                    keywords.into(),
                    terms.into(),
                ]);
            }
            db.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                sql,
                values,
            ))
            .await?;
        }
        db.execute_unprepared(
            "CREATE INDEX bench_capabilities_tsv ON bench_capabilities USING gin (tsv);
             ANALYZE bench_capabilities",
        )
        .await?;
        Ok(Pg {
            db,
            load: t.elapsed(),
        })
    }

    /// The ten best by `ts_rank` for the need's analysed terms (all of them,
    /// OR-ed: PostgreSQL has no cut of common terms).
    async fn top10(&self, index: &SearchIndex, need: &SynthDoc) -> anyhow::Result<Vec<i64>> {
        let terms = index.analyze(&query_text(&need.title, &need.body, &need.keywords));
        let tsquery = terms
            .iter()
            .map(|t| format!("'{}'", t.replace('\'', "''").replace('\\', "\\\\")))
            .collect::<Vec<_>>()
            .join(" | ");
        let rows = self
            .db
            .query_all_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT id FROM bench_capabilities, to_tsquery('simple', $1) q
                 WHERE tsv @@ q ORDER BY ts_rank(tsv, q) DESC, id LIMIT 10",
                [tsquery.into()],
            ))
            .await?;
        Ok(rows
            .iter()
            .map(|r| r.try_get::<i64>("", "id"))
            .collect::<Result<Vec<_>, _>>()?)
    }

    async fn drop(self) -> anyhow::Result<()> {
        self.db
            .execute_unprepared("DROP TABLE bench_capabilities")
            .await?;
        Ok(())
    }
}
