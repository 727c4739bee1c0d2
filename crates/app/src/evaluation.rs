//! `iurhub eval`: ranking quality of the matching pipeline on a BEIR-format
//! data set. The corpus becomes published capabilities and the queries
//! published needs of a fresh database; each need is ranked by the same
//! [`service::matching`] code the API serves.

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use anyhow::Context as _;
use iurhub_domain::validate::{CapabilityFields, MAX_TITLE, NeedFields};
use iurhub_domain::{CapabilityStatus, NeedStatus, OrgKind, Visibility};
use iurhub_matching::Weights;
use iurhub_matching::eval::{Dataset, Metrics, evaluate};
use iurhub_store::{Store, db};

use crate::App;
use crate::matching::{MatchFilter, capabilities_for_need, rebuild};

/// The outcome of an evaluation run.
#[derive(Debug, Clone)]
pub struct Report {
    pub metrics: Metrics,
    pub documents: usize,
    pub load_secs: f64,
    pub rank_secs: f64,
}

/// Splits a long text into a title that fits and the full text.
fn title_and_rest(title: &str, text: &str) -> (String, String) {
    if title.chars().count() <= MAX_TITLE {
        (title.to_owned(), text.to_owned())
    } else {
        (
            title.chars().take(MAX_TITLE).collect(),
            format!("{title}\n{text}"),
        )
    }
}

/// Runs the evaluation on `dir` with `weights`; `max_queries` limits the run.
pub async fn run(
    dir: &Path,
    weights: &Weights,
    max_queries: Option<usize>,
) -> anyhow::Result<Report> {
    let data = Dataset::load(dir)?;
    let started = Instant::now();
    let tmp = std::env::temp_dir().join(format!("iurhub-eval-{}", std::process::id()));
    std::fs::create_dir_all(&tmp)?;
    let url = format!("sqlite://{}?mode=rwc", tmp.join("eval.db").display());
    let conn = db::connect(&url, 4).await?;
    db::migrate(&conn).await?;
    let store = Store::new(conn);
    store.ensure_taxonomy().await?;
    let org = store
        .create_organization(
            iurhub_domain::validate::OrganizationFields {
                name: "Evaluation corpus".into(),
                kind: OrgKind::Other,
                parent_id: None,
                region: Default::default(),
            }
            .validate()?,
        )
        .await?;
    let user = store
        .create_user("eval@iurhub.invalid", "-", "Evaluation", None)
        .await?;

    let capabilities: Vec<(i64, CapabilityFields)> = data
        .corpus
        .iter()
        .map(|d| {
            let (title, summary) = title_and_rest(&d.title, &d.text);
            let fields = CapabilityFields {
                title,
                summary,
                keywords: Vec::new(),
                discipline_codes: Vec::new(),
                trl: None,
                achievements: Vec::new(),
                talent_ids: Vec::new(),
            };
            (org.id, fields)
        })
        .collect();
    let created = store
        .import_capabilities(
            user.id,
            capabilities,
            CapabilityStatus::Published,
            &mut |_| {},
        )
        .await
        .context("loading the corpus")?;
    let corpus_id: HashMap<i64, &str> = created
        .iter()
        .map(|c| c.id)
        .zip(data.corpus.iter().map(|d| d.id.as_str()))
        .collect();

    let queries: Vec<_> = data
        .queries
        .iter()
        .take(max_queries.unwrap_or(usize::MAX))
        .collect();
    let needs: Vec<(i64, NeedFields)> = queries
        .iter()
        .map(|q| {
            let (title, description) = title_and_rest(&q.text, "");
            let fields = NeedFields {
                title,
                description,
                keywords: Vec::new(),
                discipline_codes: Vec::new(),
                industry_codes: Vec::new(),
                trl_required: None,
                budget_min: None,
                budget_max: None,
                deadline: None,
                cooperation_modes: Vec::new(),
                visibility: Visibility::Public,
            };
            (org.id, fields)
        })
        .collect();
    let needs = store
        .import_needs(user.id, needs, NeedStatus::Published, &mut |_| {})
        .await?;
    let app = App::new(
        store.clone(),
        crate::Options {
            weights: *weights,
            ..crate::Options::default()
        },
    )?;
    let documents = rebuild(&app)
        .await
        .map_err(|e| anyhow::anyhow!(e.message()))?;
    let load_secs = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let mut rankings: HashMap<String, Vec<String>> = HashMap::new();
    for (query, need) in queries.iter().zip(&needs) {
        let ranked = capabilities_for_need(&app, need, &MatchFilter::default())
            .await
            .map_err(|e| anyhow::anyhow!(e.message()))?;
        let list = ranked
            .iter()
            .take(100)
            .filter_map(|m| corpus_id.get(&m.capability_id).map(|s| (*s).to_owned()))
            .collect();
        rankings.insert(query.id.clone(), list);
    }
    let rank_secs = started.elapsed().as_secs_f64();
    let qrels = data
        .qrels
        .iter()
        .filter(|(q, _)| rankings.contains_key(*q))
        .map(|(q, r)| (q.clone(), r.clone()))
        .collect();
    let metrics = evaluate(&qrels, &rankings);
    store.connection().clone().close().await.ok();
    std::fs::remove_dir_all(&tmp).ok();
    Ok(Report {
        metrics,
        documents,
        load_secs,
        rank_secs,
    })
}
