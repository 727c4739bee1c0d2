//! Synthetic data at scale, for benchmarks and capacity planning: enterprises
//! with needs and universities with capabilities, bilingual text from the
//! technology domains of the cooperation agreement ([`corpus`]), written in
//! multi-row inserts, one transaction per chunk. The same seed gives the same
//! rows, so two databases (SQLite and PostgreSQL) can hold the same content.

mod corpus;

use chrono::{Duration, NaiveDate, Utc};
use iurhub_domain::{CapabilityStatus, NeedStatus, OrgKind, Visibility};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::sea_query::{Alias, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

pub use corpus::{Generator, Lang, SynthDoc};

use crate::entities::{organizations, research_capabilities, tech_needs};
use crate::taxonomy::TaxonomyKind;
use crate::{Store, StoreError, StoreResult, to_json};

/// How much to generate.
#[derive(Debug, Clone, Copy)]
pub struct SyntheticSpec {
    pub capabilities: usize,
    pub needs: usize,
    pub seed: u64,
}

/// What was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyntheticSummary {
    pub universities: usize,
    pub enterprises: usize,
    pub capabilities: usize,
    pub needs: usize,
}

/// Rows per INSERT statement and per transaction. A capability row binds 13
/// values, so a chunk stays far below SQLite's 32,766 and PostgreSQL's 65,535
/// bind parameters.
const CHUNK: usize = 500;

/// Capabilities per synthetic university and needs per synthetic enterprise.
const CAPABILITIES_PER_UNIVERSITY: usize = 200;
const NEEDS_PER_ENTERPRISE: usize = 10;

/// Name prefix of every synthetic organisation; a database that has one is
/// refused, so a second run cannot mix two corpora.
const MARKER: &str = "合成";

const REGIONS: &[(&str, &str)] = &[
    ("陕西省", "西安市"),
    ("北京市", "北京市"),
    ("上海市", "上海市"),
    ("广东省", "深圳市"),
    ("江苏省", "南京市"),
    ("浙江省", "杭州市"),
    ("四川省", "成都市"),
    ("湖北省", "武汉市"),
];

const INDUSTRIES: &[&str] = &["C33", "C34", "C35", "C38", "C39", "C40", "C43", "M73"];

impl Store {
    /// Writes `spec.capabilities` PUBLISHED-or-DRAFT capabilities of synthetic
    /// universities and `spec.needs` needs of synthetic enterprises, created by
    /// `created_by`. `progress(written, total)` is called after each chunk.
    /// A database that already holds synthetic organisations is a CONFLICT.
    pub async fn generate_synthetic(
        &self,
        created_by: i64,
        spec: SyntheticSpec,
        progress: &mut (dyn FnMut(usize, usize) + Send),
    ) -> StoreResult<SyntheticSummary> {
        let existing = organizations::Entity::find()
            .filter(organizations::Column::Name.starts_with(MARKER))
            .one(&self.db)
            .await?;
        if existing.is_some() {
            return Err(StoreError::conflict(
                "organizations",
                "this database already holds synthetic data; generate into an empty database",
            ));
        }
        let disciplines = DisciplineMap::load(self).await?;
        let universities = spec
            .capabilities
            .div_ceil(CAPABILITIES_PER_UNIVERSITY)
            .max(1);
        let enterprises = spec.needs.div_ceil(NEEDS_PER_ENTERPRISE).max(1);
        let university_ids = self
            .synthetic_organizations(OrgKind::University, universities)
            .await?;
        let enterprise_ids = self
            .synthetic_organizations(OrgKind::Enterprise, enterprises)
            .await?;

        let total = spec.capabilities + spec.needs;
        let mut written = 0;
        // Separate streams: the capabilities do not change when only the
        // number of needs does.
        let mut corpus = Generator::new(spec.seed);
        let mut dice = StdRng::seed_from_u64(spec.seed ^ 0x5eed);
        for start in (0..spec.capabilities).step_by(CHUNK) {
            let n = CHUNK.min(spec.capabilities - start);
            let docs: Vec<SynthDoc> = (start..start + n)
                .map(|i| corpus.doc(i as i64 + 1))
                .collect();
            let owners: Vec<i64> = (start..start + n)
                .map(|i| university_ids[i % universities])
                .collect();
            self.insert_capabilities(created_by, &docs, &owners, &disciplines, &mut dice)
                .await?;
            written += n;
            progress(written, total);
        }
        let mut corpus = Generator::new(spec.seed.wrapping_add(1));
        for start in (0..spec.needs).step_by(CHUNK) {
            let n = CHUNK.min(spec.needs - start);
            let docs: Vec<SynthDoc> = (start..start + n)
                .map(|i| corpus.doc(i as i64 + 1))
                .collect();
            let owners: Vec<i64> = (start..start + n)
                .map(|i| enterprise_ids[i % enterprises])
                .collect();
            self.insert_needs(created_by, &docs, &owners, &disciplines, &mut dice)
                .await?;
            written += n;
            progress(written, total);
        }
        Ok(SyntheticSummary {
            universities,
            enterprises,
            capabilities: spec.capabilities,
            needs: spec.needs,
        })
    }

    async fn synthetic_organizations(&self, kind: OrgKind, count: usize) -> StoreResult<Vec<i64>> {
        let label = match kind {
            OrgKind::University => ("大学", "University"),
            _ => ("企业", "Enterprise"),
        };
        let now = Utc::now();
        let mut ids = Vec::with_capacity(count);
        let txn = self.write().await?;
        for chunk in (0..count).collect::<Vec<_>>().chunks(CHUNK) {
            let models = chunk.iter().map(|&i| {
                let (province, city) = REGIONS[i % REGIONS.len()];
                organizations::ActiveModel {
                    parent_id: Set(None),
                    name: Set(format!(
                        "{MARKER}{} {:05} Synthetic {} {:05}",
                        label.0,
                        i + 1,
                        label.1,
                        i + 1
                    )),
                    kind: Set(kind.as_str().to_owned()),
                    region_province: Set(Some(province.to_owned())),
                    region_city: Set(Some(city.to_owned())),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
            });
            ids.extend(inserted_ids(
                organizations::Entity::insert_many(models)
                    .exec_with_returning_keys(&txn)
                    .await?,
            ));
        }
        txn.commit().await?;
        Ok(ids)
    }

    async fn insert_capabilities(
        &self,
        created_by: i64,
        docs: &[SynthDoc],
        owners: &[i64],
        disciplines: &DisciplineMap,
        dice: &mut StdRng,
    ) -> StoreResult<()> {
        let now = Utc::now();
        let models: Vec<_> = docs
            .iter()
            .zip(owners)
            .map(|(doc, &organization_id)| {
                let status = if dice.random_bool(0.9) {
                    CapabilityStatus::Published
                } else {
                    CapabilityStatus::Draft
                };
                research_capabilities::ActiveModel {
                    organization_id: Set(organization_id),
                    created_by: Set(created_by),
                    title: Set(doc.title.clone()),
                    summary: Set(doc.body.clone()),
                    keywords: Set(to_json(&doc.keywords)),
                    trl: Set(doc.trl),
                    achievements: Set("[]".to_owned()),
                    status: Set(status.as_str().to_owned()),
                    version: Set(1),
                    published_at: Set((status == CapabilityStatus::Published).then_some(now)),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
            })
            .collect();
        let txn = self.write().await?;
        let ids = inserted_ids(
            research_capabilities::Entity::insert_many(models)
                .exec_with_returning_keys(&txn)
                .await?,
        );
        let links = ids.iter().zip(docs).flat_map(|(&id, doc)| {
            disciplines
                .codes(&doc.discipline_codes)
                .map(move |c| (id, c))
        });
        insert_links(&txn, "capability_disciplines", "capability_id", links).await?;
        txn.commit().await?;
        Ok(())
    }

    async fn insert_needs(
        &self,
        created_by: i64,
        docs: &[SynthDoc],
        owners: &[i64],
        disciplines: &DisciplineMap,
        dice: &mut StdRng,
    ) -> StoreResult<()> {
        let now = Utc::now();
        let today = now.date_naive();
        let models: Vec<_> = docs
            .iter()
            .zip(owners)
            .map(|(doc, &organization_id)| {
                let status = match dice.random_range(0..100) {
                    0..85 => NeedStatus::Published,
                    85..95 => NeedStatus::Draft,
                    _ => NeedStatus::Closed,
                };
                let visibility = match dice.random_range(0..100) {
                    0..80 => Visibility::Public,
                    80..95 => Visibility::Platform,
                    _ => Visibility::Confidential,
                };
                let budget_min = dice.random_range(1..=50) * 10_000;
                let budget_max = budget_min * dice.random_range(2..=5);
                let deadline: NaiveDate = today + Duration::days(dice.random_range(30..=720));
                tech_needs::ActiveModel {
                    organization_id: Set(organization_id),
                    created_by: Set(created_by),
                    title: Set(doc.title.clone()),
                    description: Set(doc.body.clone()),
                    keywords: Set(to_json(&doc.keywords)),
                    trl_required: Set(doc.trl),
                    budget_min: Set(Some(budget_min)),
                    budget_max: Set(Some(budget_max)),
                    deadline: Set(Some(deadline)),
                    cooperation_modes: Set(to_json(&doc.modes)),
                    visibility: Set(visibility.as_str().to_owned()),
                    status: Set(status.as_str().to_owned()),
                    version: Set(1),
                    published_at: Set((status != NeedStatus::Draft).then_some(now)),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
            })
            .collect();
        let txn = self.write().await?;
        let ids = inserted_ids(
            tech_needs::Entity::insert_many(models)
                .exec_with_returning_keys(&txn)
                .await?,
        );
        let links = ids.iter().zip(docs).flat_map(|(&id, doc)| {
            disciplines
                .codes(&doc.discipline_codes)
                .map(move |c| (id, c))
        });
        insert_links(&txn, "need_disciplines", "need_id", links).await?;
        let industries = ids
            .iter()
            .map(|&id| (id, INDUSTRIES[id as usize % INDUSTRIES.len()].to_owned()));
        insert_links(&txn, "need_industries", "need_id", industries).await?;
        txn.commit().await?;
        Ok(())
    }
}

/// The ids a multi-row insert returned, in insertion order: ids grow with
/// each row of one statement, while `RETURNING` does not promise an order.
fn inserted_ids(mut ids: Vec<i64>) -> Vec<i64> {
    ids.sort_unstable();
    ids
}

async fn insert_links<C: ConnectionTrait>(
    db: &C,
    table: &str,
    owner: &str,
    rows: impl Iterator<Item = (i64, String)>,
) -> StoreResult<()> {
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new(table))
        .columns([Alias::new(owner), Alias::new("code")]);
    let mut any = false;
    for (id, code) in rows {
        insert.values_panic([id.into(), code.into()]);
        any = true;
    }
    if any {
        db.execute(&insert).await?;
    }
    Ok(())
}

/// Maps the corpus's made-up discipline codes onto codes the taxonomy has:
/// the first existing code below the same first-level discipline, chosen by
/// the made-up code so that equal codes map to equal codes. A first-level
/// discipline the taxonomy lacks maps to nothing.
struct DisciplineMap {
    codes: Vec<String>,
}

impl DisciplineMap {
    async fn load(store: &Store) -> StoreResult<DisciplineMap> {
        store.ensure_taxonomy().await?;
        let mut codes: Vec<String> = store
            .taxonomy(TaxonomyKind::Discipline, None)
            .await?
            .into_iter()
            .map(|e| e.code)
            .collect();
        codes.sort();
        Ok(DisciplineMap { codes })
    }

    fn codes<'a>(&'a self, synthetic: &'a [String]) -> impl Iterator<Item = String> + 'a {
        let mut seen: Vec<String> = Vec::new();
        synthetic.iter().filter_map(move |code| {
            let family: Vec<&String> = self
                .codes
                .iter()
                .filter(|c| c.len() == 7 && c.starts_with(&code[..3]))
                .collect();
            let chosen = if family.is_empty() {
                self.codes.iter().find(|c| **c == code[..3])?
            } else {
                let key: usize = code.bytes().map(usize::from).sum();
                family[key % family.len()]
            };
            if seen.contains(chosen) {
                return None;
            }
            seen.push(chosen.clone());
            Some(chosen.clone())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn generates_published_needs_and_capabilities_once() {
        // One connection: every connection to `sqlite::memory:` is a new database.
        let db = crate::db::connect("sqlite::memory:", 1).await.unwrap();
        crate::db::migrate(&db).await.unwrap();
        let store = Store::new(db);
        let user = store
            .create_user("gen@example.test", "x", "Generator", None)
            .await
            .unwrap();
        let spec = SyntheticSpec {
            capabilities: 1_203,
            needs: 57,
            seed: 9,
        };
        let mut calls = Vec::new();
        let summary = store
            .generate_synthetic(user.id, spec, &mut |done, total| calls.push((done, total)))
            .await
            .unwrap();
        assert_eq!(summary.universities, 7);
        assert_eq!(summary.enterprises, 6);
        assert_eq!(calls.last(), Some(&(1_260, 1_260)));

        let count = |sql: &'static str| {
            let db = store.db.clone();
            async move {
                let row = db
                    .query_one_raw(sea_orm::Statement::from_string(
                        db.get_database_backend(),
                        sql,
                    ))
                    .await
                    .unwrap()
                    .unwrap();
                row.try_get_by_index::<i64>(0).unwrap()
            }
        };
        assert_eq!(
            count("SELECT count(*) FROM research_capabilities").await,
            1_203
        );
        assert_eq!(count("SELECT count(*) FROM tech_needs").await, 57);
        let published = count("SELECT count(*) FROM tech_needs WHERE status = 'PUBLISHED'").await;
        assert!((30..57).contains(&published), "{published} published");
        // Every capability row links to real taxonomy codes (the foreign key
        // would refuse others), and most have one.
        let linked =
            count("SELECT count(DISTINCT capability_id) FROM capability_disciplines").await;
        assert!(linked > 600, "{linked} capabilities have a discipline");

        let again = store
            .generate_synthetic(user.id, spec, &mut |_, _| {})
            .await;
        assert!(
            matches!(again, Err(StoreError::Conflict { .. })),
            "{again:?}"
        );
    }
}
