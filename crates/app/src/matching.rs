//! The matching pipeline: candidates from the text index, then structured
//! factors, visibility and decisions. The API and `iurhub eval` both rank
//! through here.

use iurhub_domain::NotificationKind;
use iurhub_domain::records::notifications::{NewNotice, NoticeSubject, Notices, Recipients};
use std::collections::HashMap;
use std::sync::Arc;

use iurhub_domain::docking::{Docking, conflict_of_interest};
use iurhub_domain::records::taxonomy::{TaxonomyEntry, TaxonomyKind};
use iurhub_domain::{
    CapabilityStatus, ConflictOfInterest, Locale, MatchSide, MatchStatus, Message, NeedStatus,
};
use iurhub_matching::{
    CandidateProfile, DocKind, Explanation, FactorName, IndexDoc, NeedProfile, Reach, explain,
    query_text, rank_candidates, rank_needs,
};
use iurhub_store::Scope;
use iurhub_store::capabilities::Capability;
use iurhub_store::matches::{IndexText, MatchRow};
use iurhub_store::needs::Need;
use iurhub_store::talents::Talent;

use crate::App;
use crate::caller::{Caller, Identity};
use crate::error::{AppError, AppResult};
use crate::match_cache::{Lookup, MatchedWords, RankedCapability};

/// How many text candidates are re-scored with the structured factors.
pub const CANDIDATES: usize = 200;

/// The index document of a need.
pub fn need_doc(n: &Need) -> IndexDoc {
    let text = IndexText {
        id: n.id,
        organization_id: n.organization_id,
        title: n.title.clone(),
        subtitle: None,
        body: n.description.clone(),
        keywords: n.keywords.clone(),
        shared: n.is_shared(),
    };
    text_doc(DocKind::Need, text)
}

pub fn capability_doc(c: &Capability) -> IndexDoc {
    let text = IndexText {
        id: c.id,
        organization_id: c.organization_id,
        title: c.title.clone(),
        subtitle: None,
        body: c.summary.clone(),
        keywords: c.keywords.clone(),
        shared: c.is_shared(),
    };
    text_doc(DocKind::Capability, text)
}

pub fn talent_doc(t: &Talent) -> IndexDoc {
    let text = IndexText {
        id: t.id,
        organization_id: t.organization_id,
        title: t.name.clone(),
        subtitle: t.title.clone(),
        body: t.bio.clone(),
        keywords: t.keywords.clone(),
        // Every signed-in user sees every talent profile.
        shared: true,
    };
    text_doc(DocKind::Talent, text)
}

/// The index document of an object's indexed texts: the one shape both the
/// rebuild at start (texts read alone) and every write (whole rows) index.
/// A talent's title is its name and its academic title. Whether the object
/// is shared (seen by every signed-in user) decides its partition: only
/// shared documents count in the statistics that score every document.
fn text_doc(kind: DocKind, text: IndexText) -> IndexDoc {
    let title = match kind {
        DocKind::Talent => format!("{} {}", text.title, text.subtitle.unwrap_or_default()),
        _ => text.title,
    };
    IndexDoc {
        kind,
        id: text.id,
        organization_id: text.organization_id,
        title,
        body: text.body,
        keywords: text.keywords,
        shared: text.shared,
    }
}

/// The index documents a reader may be shown: the shared ones and the
/// restricted ones of the organisations it manages (all of them for
/// coordinators and admins). Hidden documents are not even retrieved, so they
/// take no place among the candidates.
fn reach(scope: &Scope) -> Reach<'_> {
    match scope {
        Scope::All => Reach::Everything,
        Scope::Reader {
            organization_ids, ..
        } => Reach::Organizations(organization_ids),
    }
}

/// Rebuilds the index from the database, then loads the ranking profiles
/// (at start).
pub async fn rebuild(app: &App) -> AppResult<usize> {
    let store = &app.store;
    let index = &*app.index;
    let started = std::time::Instant::now();
    let needs = store.need_texts().await?;
    let capabilities = store.capability_texts().await?;
    let talents = store.talent_texts().await?;
    let loaded = started.elapsed();
    let n = needs.len() + capabilities.len() + talents.len();
    let docs = needs
        .into_iter()
        .map(|t| text_doc(DocKind::Need, t))
        .chain(
            capabilities
                .into_iter()
                .map(|t| text_doc(DocKind::Capability, t)),
        )
        .chain(talents.into_iter().map(|t| text_doc(DocKind::Talent, t)));
    index.upsert(docs).map_err(AppError::internal)?;
    let indexed = started.elapsed();
    index.optimize().map_err(AppError::internal)?;
    let merged = started.elapsed();
    let profiled = crate::profiles::load(app).await?;
    tracing::debug!(
        load_ms = loaded.as_millis() as u64,
        index_ms = (indexed - loaded).as_millis() as u64,
        merge_ms = (merged - indexed).as_millis() as u64,
        profiles_ms = (started.elapsed() - merged).as_millis() as u64,
        profiles = profiled,
        "search index rebuild phases"
    );
    Ok(n)
}

/// Keeps the index in step with a write, in one index update; a failure is
/// logged, never fatal for the write that already happened (the next start
/// rebuilds the index: an index on disk that missed a write is not
/// reopened).
pub(crate) fn reindex(app: &App, docs: Vec<IndexDoc>) {
    let count = docs.len();
    if count == 0 {
        return;
    }
    if let Err(err) = app.index.upsert(docs) {
        tracing::error!(count, error = %err, "search index update failed");
        if let Some(disk) = app.on_disk() {
            disk.broken();
        }
    }
}

/// One ranked capability for a need.
#[derive(Debug, Clone)]
pub struct CapabilityMatch {
    /// Shared: a need's matches are many and come from kept rankings, so
    /// building a page copies pointers, not texts.
    pub need: Arc<Need>,
    pub capability: Arc<Capability>,
    pub explanation: Arc<Explanation>,
    /// The stored decision, if any.
    pub row: Option<MatchRow>,
    /// Its matched terms as written, once found (kept with the ranking).
    pub words: MatchedWords,
}

impl CapabilityMatch {
    pub fn status(&self) -> MatchStatus {
        self.row
            .as_ref()
            .map_or(MatchStatus::Suggested, |r| r.status)
    }
}

/// One ranked capability for a need, without the capability's row (see
/// [`with_capabilities`]).
#[derive(Debug, Clone)]
pub struct RankedMatch {
    pub need: Arc<Need>,
    pub capability_id: i64,
    pub organization_id: i64,
    pub explanation: Arc<Explanation>,
    /// The stored decision, if any.
    pub row: Option<MatchRow>,
    /// Its matched terms as written, once found (kept with the ranking).
    pub words: MatchedWords,
}

impl RankedMatch {
    pub fn status(&self) -> MatchStatus {
        self.row
            .as_ref()
            .map_or(MatchStatus::Suggested, |r| r.status)
    }
}

/// The ranked matches of a page with their capabilities, read in one batch;
/// `K` is whatever the caller keeps beside each (a cursor). A capability
/// that cannot be read is left out (rows are never deleted).
pub async fn with_capabilities<K>(
    app: &App,
    page: Vec<(K, RankedMatch)>,
) -> AppResult<Vec<(K, CapabilityMatch)>> {
    let ids: Vec<i64> = page.iter().map(|(_, m)| m.capability_id).collect();
    let rows: HashMap<i64, Arc<Capability>> = app
        .store
        .capabilities_by_ids(&ids)
        .await?
        .into_iter()
        .map(|c| (c.id, Arc::new(c)))
        .collect();
    Ok(page
        .into_iter()
        .filter_map(|(key, m)| {
            let capability = rows.get(&m.capability_id)?.clone();
            Some((
                key,
                CapabilityMatch {
                    need: m.need,
                    capability,
                    explanation: m.explanation,
                    row: m.row,
                    words: m.words,
                },
            ))
        })
        .collect())
}

/// Filters of a need's matches.
#[derive(Debug, Clone, Default)]
pub struct MatchFilter {
    pub min_score: Option<f64>,
    pub organization_id: Option<i64>,
    pub discipline_code: Option<String>,
    /// Only pairs in one of these statuses. Without it, every pair but the
    /// declined ones; DECLINED pairs are listed only when named here.
    pub status: Option<Vec<MatchStatus>>,
    /// Also capabilities of the need's own organisation or group (a
    /// conflict of interest, [`conflict_of_interest`]); without it, those
    /// are left out unless the pair has a stored decision.
    pub include_own_organization: bool,
}

impl MatchFilter {
    fn admits(&self, status: MatchStatus) -> bool {
        match &self.status {
            None => status != MatchStatus::Declined,
            Some(wanted) => wanted.contains(&status),
        }
    }
}

/// Scoring profiles of many needs, with a fixed number of queries.
async fn need_profiles(app: &App, needs: &[&Need]) -> AppResult<HashMap<i64, NeedProfile>> {
    let store = &app.store;
    let index = &*app.index;
    let ids: Vec<i64> = needs.iter().map(|n| n.id).collect();
    let (mut disciplines, mut industries) = store.need_codes_many(&ids).await?;
    let org_ids: Vec<i64> = needs.iter().map(|n| n.organization_id).collect();
    let provinces: HashMap<i64, Option<String>> = store
        .organizations_by_ids(&org_ids)
        .await?
        .into_iter()
        .map(|o| (o.id, o.region.province))
        .collect();
    Ok(needs
        .iter()
        .map(|need| {
            let profile = NeedProfile {
                keyword_terms: index.keyword_terms(&need.keywords),
                discipline_codes: disciplines.remove(&need.id).unwrap_or_default(),
                industry_codes: industries.remove(&need.id).unwrap_or_default(),
                trl_required: need.trl_required,
                cooperation_modes: need.cooperation_modes.clone(),
                province: provinces.get(&need.organization_id).cloned().flatten(),
            };
            (need.id, profile)
        })
        .collect())
}

async fn need_profile(app: &App, need: &Need) -> AppResult<NeedProfile> {
    let _store = &app.store;
    let _index = &*app.index;
    let mut profiles = need_profiles(app, &[need]).await?;
    Ok(profiles.remove(&need.id).unwrap_or_default())
}

/// Published capabilities ranked for `need`, best first, without declined
/// ones (unless `filter.status` asks for them). The ranking comes from `cache` while nothing behind it changed; the
/// filters and decisions are applied per call.
pub async fn capabilities_for_need(
    app: &App,
    need: &Need,
    filter: &MatchFilter,
) -> AppResult<Vec<RankedMatch>> {
    let store = &app.store;
    let index = &*app.index;
    let cache = &*app.match_cache;
    let _weights = &app.weights;
    let _timer = crate::metrics::MatchingTimer::start("capabilities_for_need");
    let ranking = match cache.lookup(index, need.id, need.version) {
        Lookup::Hit(ranking) => ranking,
        Lookup::Miss(ticket) => {
            let ranking = Arc::new(rank_for_need(app, need).await?);
            cache.store(ticket, ranking.clone());
            ranking
        }
    };
    if ranking.is_empty() {
        return Ok(Vec::new());
    }
    let need = Arc::new(need.clone());
    let rows: HashMap<i64, MatchRow> = store
        .matches_of_need(need.id)
        .await?
        .into_iter()
        .map(|m| (m.capability_id, m))
        .collect();
    let parents = if filter.include_own_organization {
        HashMap::new()
    } else {
        let sides = ranking.iter().map(|r| r.organization_id);
        store
            .organization_parents_of(sides.chain([need.organization_id]))
            .await?
    };
    let parent_of = |id: i64| parents.get(&id).copied();
    Ok(ranking
        .iter()
        .filter(|r| {
            filter.include_own_organization
                || rows.contains_key(&r.capability_id)
                || conflict_of_interest(need.organization_id, r.organization_id, parent_of)
                    .is_none()
        })
        .filter(|r| {
            filter.admits(
                rows.get(&r.capability_id)
                    .map_or(MatchStatus::Suggested, |row| row.status),
            )
        })
        .filter(|r| {
            filter
                .organization_id
                .is_none_or(|org| r.organization_id == org)
        })
        .filter(|r| {
            filter
                .discipline_code
                .as_deref()
                .is_none_or(|code| r.discipline_codes.iter().any(|c| c.starts_with(code)))
        })
        .filter(|r| filter.min_score.is_none_or(|m| r.explanation.score >= m))
        .map(|r| RankedMatch {
            need: need.clone(),
            capability_id: r.capability_id,
            organization_id: r.organization_id,
            explanation: r.explanation.clone(),
            row: rows.get(&r.capability_id).cloned(),
            words: r.words.clone(),
        })
        .collect())
}

/// The text candidates of a kind for a query (the best [`CANDIDATES`]),
/// within `reach`.
fn candidates(
    app: &App,
    kind: DocKind,
    text: &str,
    reach: Reach<'_>,
) -> AppResult<Vec<iurhub_matching::Hit>> {
    app.index
        .search(kind, text, CANDIDATES, reach)
        .map_err(AppError::internal)
}

/// Every published capability among the text candidates of `need`, scored
/// and explained, best first: what [`MatchCache`] keeps. The candidates are
/// ranked from the profiles in memory ([`crate::profiles`]): nothing is read
/// per candidate.
async fn rank_for_need(app: &App, need: &Need) -> AppResult<Vec<RankedCapability>> {
    let weights = &app.weights;
    let hits = candidates(
        app,
        DocKind::Capability,
        &query_text(&need.title, &need.description, &need.keywords),
        Reach::Shared,
    )?;
    if hits.is_empty() {
        return Ok(Vec::new());
    }
    let need_profile = need_profile(app, need).await?;
    app.profiles.sync(app).await?;
    let mut candidates = app.profiles.candidates(hits.iter().map(|h| h.id));
    Ok(rank_candidates(
        hits,
        &need_profile,
        |id| candidates.get(&id).map(|c| &c.profile),
        weights,
    )
    .into_iter()
    .filter_map(|r| {
        let candidate = candidates.remove(&r.id)?;
        Some(RankedCapability {
            capability_id: r.id,
            organization_id: candidate.organization_id,
            explanation: Arc::new(r.explanation),
            discipline_codes: candidate.profile.discipline_codes,
            words: MatchedWords::default(),
        })
    })
    .collect())
}

/// One ranked need for a capability (only needs the reader may see).
#[derive(Debug, Clone)]
pub struct NeedMatch {
    pub need: Need,
    /// The capability the need was ranked for.
    pub capability: Arc<Capability>,
    pub explanation: Explanation,
    /// The stored decision on the pair, if any (never DECLINED: declined
    /// pairs are not listed).
    pub row: Option<MatchRow>,
}

impl NeedMatch {
    pub fn status(&self) -> MatchStatus {
        self.row
            .as_ref()
            .map_or(MatchStatus::Suggested, |r| r.status)
    }
}

/// Published needs the reader may see, ranked for `capability`.
pub async fn needs_for_capability(
    app: &App,
    scope: &Scope,
    capability: &Capability,
) -> AppResult<Vec<NeedMatch>> {
    let store = &app.store;
    let weights = &app.weights;
    let _timer = crate::metrics::MatchingTimer::start("needs_for_capability");
    let text = query_text(&capability.title, &capability.summary, &capability.keywords);
    let mut hits = candidates(app, DocKind::Need, &text, reach(scope))?;
    // Signed-in readers are also ranked the CONFIDENTIAL needs of other
    // organisations they may see blind (their teaser and score,
    // [`need_sight`]): the best documents of the whole index join the
    // candidates the reader reaches — which they never displace — and the
    // sight filters them.
    if let Scope::Reader {
        signed_in: true, ..
    } = scope
    {
        let reached: std::collections::HashSet<i64> = hits.iter().map(|h| h.id).collect();
        hits.extend(
            candidates(app, DocKind::Need, &text, Reach::Everything)?
                .into_iter()
                .filter(|h| !reached.contains(&h.id)),
        );
    }
    let ids: Vec<i64> = hits.iter().map(|h| h.id).collect();
    let mut needs: HashMap<i64, Need> = HashMap::with_capacity(ids.len());
    for n in store.needs_by_ids(&ids).await? {
        if n.status == NeedStatus::Published && need_sight(app, scope, &n).await? != NeedSight::None
        {
            needs.insert(n.id, n);
        }
    }
    let mut rows: HashMap<i64, MatchRow> = store
        .matches_of_capability(capability.id)
        .await?
        .into_iter()
        .map(|m| (m.need_id, m))
        .collect();
    needs.retain(|id, _| {
        rows.get(id)
            .is_none_or(|m| m.status != MatchStatus::Declined)
    });
    app.profiles.sync(app).await?;
    let candidate = app.profiles.profile(capability.id).unwrap_or_default();
    let profiles = need_profiles(app, &needs.values().collect::<Vec<_>>()).await?;
    let shared = Arc::new(capability.clone());
    let mut ranked: Vec<NeedMatch> = rank_needs(hits, &candidate, |id| profiles.get(&id), weights)
        .into_iter()
        .filter_map(|r| {
            Some(NeedMatch {
                need: needs.remove(&r.id)?,
                capability: shared.clone(),
                explanation: r.explanation,
                row: rows.remove(&r.id),
            })
        })
        .collect();
    // Pairs decided on (by either side) that are no longer ranked, with the
    // score they had when decided, after the ranked ones.
    let mut decided: Vec<MatchRow> = rows
        .into_values()
        .filter(|m| m.status != MatchStatus::Declined)
        .collect();
    decided.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
    let ids: Vec<i64> = decided.iter().map(|m| m.need_id).collect();
    let mut others: HashMap<i64, Need> = HashMap::with_capacity(ids.len());
    for n in store.needs_by_ids(&ids).await? {
        if need_sight(app, scope, &n).await? != NeedSight::None {
            others.insert(n.id, n);
        }
    }
    ranked.extend(decided.into_iter().filter_map(|row| {
        Some(NeedMatch {
            need: others.remove(&row.need_id)?,
            capability: shared.clone(),
            explanation: stored_explanation(&row),
            row: Some(row),
        })
    }));
    Ok(ranked)
}

/// The explanation kept with a decided pair: its score and matched terms
/// when decided (no factors).
fn stored_explanation(row: &MatchRow) -> Explanation {
    Explanation {
        score: row.score,
        factors: Vec::new(),
        matched_terms: serde_json::from_str(&row.matched_terms).unwrap_or_default(),
    }
}

/// One ranked talent for a need.
#[derive(Debug, Clone)]
pub struct TalentMatch {
    pub talent: Talent,
    /// The need the talent was ranked for.
    pub need: Arc<Need>,
    pub explanation: Explanation,
    /// How the talent's organisation is related to the need's (a conflict
    /// of interest), if it is.
    pub conflict: Option<ConflictOfInterest>,
}

/// Talent profiles ranked for `need`.
pub async fn talents_for_need(app: &App, need: &Need) -> AppResult<Vec<TalentMatch>> {
    let store = &app.store;
    let index = &*app.index;
    let weights = &app.weights;
    let _timer = crate::metrics::MatchingTimer::start("talents_for_need");
    let hits = candidates(
        app,
        DocKind::Talent,
        &query_text(&need.title, &need.description, &need.keywords),
        Reach::Shared,
    )?;
    if hits.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = hits.iter().map(|h| h.id).collect();
    let mut talents: HashMap<i64, Talent> = store
        .talents_by_ids(&ids)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let disciplines = store.talent_disciplines(&ids).await?;
    let sides = talents.values().map(|t| t.organization_id);
    let parents = store
        .organization_parents_of(sides.chain([need.organization_id]))
        .await?;
    let parent_of = |id: i64| parents.get(&id).copied();
    let need_profile = need_profile(app, need).await?;
    let shared = Arc::new(need.clone());
    let profiles: HashMap<i64, CandidateProfile> = talents
        .values()
        .map(|talent| {
            let profile = CandidateProfile {
                keyword_terms: index.keyword_terms(&talent.keywords),
                discipline_codes: disciplines.get(&talent.id).cloned().unwrap_or_default(),
                trl: None,
                availability: talent.availability.clone(),
                province: None,
                completed_projects: None,
            };
            (talent.id, profile)
        })
        .collect();
    Ok(
        rank_candidates(hits, &need_profile, |id| profiles.get(&id), weights)
            .into_iter()
            .filter_map(|r| {
                let talent = talents.remove(&r.id)?;
                let conflict =
                    conflict_of_interest(need.organization_id, talent.organization_id, parent_of);
                Some(TalentMatch {
                    talent,
                    need: shared.clone(),
                    explanation: r.explanation,
                    conflict,
                })
            })
            .collect(),
    )
}

/// The current state and explanation of one pair, ranked or not.
pub async fn pair(app: &App, need: &Need, capability_id: i64) -> AppResult<CapabilityMatch> {
    match ranked_pair(app, need, capability_id).await? {
        Some(found) => Ok(found),
        None => unranked_pair(app, need, capability_id, true).await,
    }
}

/// A pair not among the current suggestions (declined, unpublished since,
/// or no shared terms): the stored decision with the factors it had. A
/// pair nobody decided on is reported with a score of 0 when
/// `undecided_shown` (and its capability is published), else NOT_FOUND.
async fn unranked_pair(
    app: &App,
    need: &Need,
    capability_id: i64,
    undecided_shown: bool,
) -> AppResult<CapabilityMatch> {
    let store = &app.store;
    let capability = store
        .capability(capability_id)
        .await?
        .ok_or(AppError::NotFound("match"))?;
    let row = store.match_row(need.id, capability_id).await?;
    let explanation = match &row {
        Some(r) => stored_explanation(r),
        None if undecided_shown && capability.status == CapabilityStatus::Published => explain(
            0.0,
            Vec::new(),
            &NeedProfile::default(),
            &CandidateProfile::default(),
            &app.weights,
        ),
        None => return Err(AppError::NotFound("match")),
    };
    Ok(CapabilityMatch {
        need: Arc::new(need.clone()),
        capability: Arc::new(capability),
        explanation: Arc::new(explanation),
        row,
        words: MatchedWords::default(),
    })
}

/// The pair as the matching ranks it now, if the capability is among the
/// need's suggestions (own organisation included).
async fn ranked_pair(
    app: &App,
    need: &Need,
    capability_id: i64,
) -> AppResult<Option<CapabilityMatch>> {
    let everyone = MatchFilter {
        include_own_organization: true,
        ..MatchFilter::default()
    };
    let ranked = capabilities_for_need(app, need, &everyone).await?;
    let Some(found) = ranked
        .into_iter()
        .find(|m| m.capability_id == capability_id)
    else {
        return Ok(None);
    };
    Ok(with_capabilities(app, vec![((), found)])
        .await?
        .pop()
        .map(|((), found)| found))
}

/// One decision on a pair.
#[derive(Debug, Clone)]
pub struct Step {
    pub need_id: i64,
    pub capability_id: i64,
    pub to: MatchStatus,
    /// Reason code and comment, for DECLINED.
    pub reason: Option<(iurhub_domain::DeclineReason, Option<String>)>,
    /// The side decided for; by default the caller's first ([`acting_side`]).
    pub side: Option<MatchSide>,
}

/// Moves a pair through its life cycle (shortlist, contact, accept,
/// decline) for one side ([`check_step`]); the pair is NOT_FOUND for those
/// who may not see it ([`visible_match`]). Subscribers of the need hear of
/// it.
pub async fn decide(app: &App, caller: &Caller, step: Step) -> AppResult<CapabilityMatch> {
    let Step {
        need_id,
        capability_id,
        to,
        reason,
        side,
    } = step;
    let who = caller.identity();
    let current = visible_match(app, &who, need_id, capability_id).await?;
    let mut notices = Notices::none();
    let row = record(app, caller, &current, to, reason, side, Some(&mut notices)).await?;
    crate::notifications::written(app, &notices);
    app.events.publish(crate::events::Event::MatchChanged {
        need_id,
        capability_id: Some(capability_id),
        interest_id: None,
    });
    Ok(CapabilityMatch {
        row: Some(row),
        ..current
    })
}

/// Records `caller`'s step `to` on the pair `current` for `side`, by the
/// one rule ([`check_step`]), with the notices it causes when `notices` is
/// given: an acceptance or a refusal tells the other side's members
/// ([`decision_notice`]); `None` when the step is part of an act that tells
/// of itself (an interest). The caller tells the need's subscribers and
/// the notices' recipients.
pub(crate) async fn record(
    app: &App,
    caller: &Caller,
    current: &CapabilityMatch,
    to: MatchStatus,
    reason: Option<(iurhub_domain::DeclineReason, Option<String>)>,
    side: Option<MatchSide>,
    notices: Option<&mut Notices>,
) -> AppResult<MatchRow> {
    let who = caller.identity();
    let from = current.row.as_ref().map(MatchRow::docking);
    let (_, side, next) = check_step(
        &who,
        &current.need,
        &current.capability,
        docking_of(current.row.as_ref()),
        to,
        side,
    )?;
    let (decline_reason, decline_comment) = match reason {
        Some((r, c)) => (Some(r), c),
        None => (None, None),
    };
    let decision = iurhub_store::matches::MatchDecision {
        side,
        docking: next,
        score: current.explanation.score,
        factors: serde_json::to_string(&current.explanation.factors).map_err(AppError::internal)?,
        matched_terms: serde_json::to_string(&current.explanation.matched_terms)
            .map_err(AppError::internal)?,
        decline_reason,
        decline_comment,
        decided_by: caller.id(),
    };
    let mut quiet = Notices::none();
    let notices = match notices {
        Some(notices) => {
            if let Some(notice) = decision_notice(current, side, to) {
                notices.push(notice.by(caller.id()));
            }
            notices
        }
        None => &mut quiet,
    };
    let row = app
        .store
        .decide_match(
            current.need.id,
            current.capability.id,
            from,
            decision,
            notices,
        )
        .await?;
    app.written();
    Ok(row)
}

/// What a side's acceptance or refusal of a pair tells the other side's
/// members. It names the capability only: the research side may see the
/// need blind (through its teaser), and its inbox and mailbox stay so.
fn decision_notice(
    current: &CapabilityMatch,
    side: MatchSide,
    to: MatchStatus,
) -> Option<NewNotice> {
    let kind = match to {
        MatchStatus::Accepted => NotificationKind::MatchAccepted,
        MatchStatus::Declined => NotificationKind::MatchDeclined,
        _ => return None,
    };
    let other = match side {
        MatchSide::Need => current.capability.organization_id,
        MatchSide::Capability => current.need.organization_id,
    };
    Some(
        NewNotice::new(kind, Recipients::MembersOf(vec![other]))
            .about(NoticeSubject::Match {
                need_id: current.need.id,
                capability_id: current.capability.id,
            })
            .with("capability", &current.capability.title),
    )
}

/// One visible object found by free-text search.
#[derive(Debug, Clone)]
pub enum Found {
    Need(Need),
    Capability(Capability),
    Talent(Talent),
}

/// The most hits of one kind a search pages through.
pub const SEARCH_MAX: usize = 1000;

impl Found {
    /// The object's texts as indexed: title, keywords, body (a talent's
    /// title is its name and academic title).
    pub fn texts(&self) -> (String, &[String], &str) {
        match self {
            Found::Need(n) => (n.title.clone(), &n.keywords, &n.description),
            Found::Capability(c) => (c.title.clone(), &c.keywords, &c.summary),
            Found::Talent(t) => (
                format!("{} {}", t.name, t.title.as_deref().unwrap_or_default()),
                &t.keywords,
                &t.bio,
            ),
        }
    }

    /// What the index calls the object's kind.
    pub fn kind(&self) -> DocKind {
        match self {
            Found::Need(_) => DocKind::Need,
            Found::Capability(_) => DocKind::Capability,
            Found::Talent(_) => DocKind::Talent,
        }
    }
}

/// Free-text search over the objects `who` may see, best first, at least
/// `want` of them when there are that many: the best [`SEARCH_MAX`] hits of
/// each kind at most (`want` of `usize::MAX` asks for all of those, so the
/// list's length is the total). Each kind is searched once, however often
/// `kinds` names it. Hits carry no snippets: [`snippet`] makes one for the
/// hits shown.
pub async fn search(
    app: &App,
    who: &Identity,
    text: &str,
    kinds: &[DocKind],
    want: usize,
) -> AppResult<Vec<(iurhub_matching::Hit, Found)>> {
    let _timer = crate::metrics::MatchingTimer::start("search");
    let mut distinct: Vec<DocKind> = Vec::with_capacity(3);
    for kind in kinds {
        if !distinct.contains(kind) {
            distinct.push(*kind);
        }
    }
    // Over-fetch: hidden objects are dropped after retrieval. When too few
    // are left and a kind had more, search once more with the whole window.
    let mut fetch = want.saturating_mul(3).saturating_add(20).min(SEARCH_MAX);
    loop {
        let (found, cut) = search_window(app, who, text, &distinct, fetch).await?;
        if found.len() >= want || !cut || fetch == SEARCH_MAX {
            return Ok(found);
        }
        fetch = SEARCH_MAX;
    }
}

/// The visible hits among the best `fetch` of each kind, best first, and
/// whether a kind had more than `fetch`.
async fn search_window(
    app: &App,
    who: &Identity,
    text: &str,
    kinds: &[DocKind],
    fetch: usize,
) -> AppResult<(Vec<(iurhub_matching::Hit, Found)>, bool)> {
    let store = &app.store;
    let index = &*app.index;
    let scope = who.scope();
    let mut cut = false;
    let mut out = Vec::new();
    for kind in kinds {
        if *kind == DocKind::Talent && !scope.signed_in() {
            continue;
        }
        let hits = index
            .search(*kind, text, fetch, reach(scope))
            .map_err(AppError::internal)?;
        cut |= hits.len() == fetch;
        let ids: Vec<i64> = hits.iter().map(|h| h.id).collect();
        match kind {
            DocKind::Need => {
                let mut found: HashMap<i64, Need> = store
                    .needs_by_ids(&ids)
                    .await?
                    .into_iter()
                    .filter(|n| n.visible_to(scope))
                    .map(|n| (n.id, n))
                    .collect();
                out.extend(
                    hits.into_iter()
                        .filter_map(|h| found.remove(&h.id).map(|n| (h, Found::Need(n)))),
                );
            }
            DocKind::Capability => {
                let mut found: HashMap<i64, Capability> = store
                    .capabilities_by_ids(&ids)
                    .await?
                    .into_iter()
                    .filter(|c| c.visible_to(scope))
                    .map(|c| (c.id, c))
                    .collect();
                out.extend(
                    hits.into_iter()
                        .filter_map(|h| found.remove(&h.id).map(|c| (h, Found::Capability(c)))),
                );
            }
            DocKind::Talent => {
                let mut found: HashMap<i64, Talent> = store
                    .talents_by_ids(&ids)
                    .await?
                    .into_iter()
                    .map(|t| (t.id, t))
                    .collect();
                out.extend(
                    hits.into_iter()
                        .filter_map(|h| found.remove(&h.id).map(|t| (h, Found::Talent(t)))),
                );
            }
        }
    }
    out.sort_by(|a, b| b.0.score.total_cmp(&a.0.score));
    Ok((out, cut))
}

/// A highlighted excerpt of a found object for the query `text`: the
/// matched words in `<b>…</b>`, the text HTML-escaped; from the body, else
/// the keywords, else the title, never empty when the object has text.
pub fn snippet(app: &App, text: &str, found: &Found) -> AppResult<String> {
    let (title, keywords, body) = found.texts();
    app.index
        .snippet(found.kind(), text, &title, keywords, body)
        .map_err(AppError::internal)
}

/// Index terms (an explanation's or a hit's matched terms) as the words
/// stand in `texts`, searched in order: never stems, single characters or
/// bare numbers.
pub fn surface_terms(app: &App, terms: &[String], texts: &[&str]) -> Vec<String> {
    app.index.surface_forms(terms, texts)
}

/// The texts of a need, as indexed: title, keywords, description.
fn need_texts(need: &Need) -> [String; 3] {
    [
        need.title.clone(),
        need.keywords.join(" ; "),
        need.description.clone(),
    ]
}

/// The texts of a capability, as indexed: title, keywords, summary.
fn capability_texts(capability: &Capability) -> [String; 3] {
    [
        capability.title.clone(),
        capability.keywords.join(" ; "),
        capability.summary.clone(),
    ]
}

/// The matched terms of a found object, as the words stand in its texts.
pub fn found_terms(app: &App, hit: &iurhub_matching::Hit, found: &Found) -> Vec<String> {
    let (title, keywords, body) = found.texts();
    let keywords = keywords.join(" ; ");
    surface_terms(app, &hit.matched_terms, &[&title, &keywords, body])
}

/// The matched terms of a need's match as the words stand in the
/// capability's texts (then the need's).
pub fn capability_match_terms(app: &App, m: &CapabilityMatch) -> Vec<String> {
    m.words
        .get_or_init(|| {
            let texts: Vec<String> = capability_texts(&m.capability)
                .into_iter()
                .chain(need_texts(&m.need))
                .collect();
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            surface_terms(app, &m.explanation.matched_terms, &texts)
        })
        .clone()
}

/// The matched terms of a capability's matching need as the words stand in
/// the need's texts (then the capability's).
pub fn need_match_terms(app: &App, m: &NeedMatch) -> Vec<String> {
    let texts: Vec<String> = need_texts(&m.need)
        .into_iter()
        .chain(capability_texts(&m.capability))
        .collect();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    surface_terms(app, &m.explanation.matched_terms, &texts)
}

/// The matched terms of a talent's match as the words stand in the talent's
/// texts (then the need's).
pub fn talent_match_terms(app: &App, m: &TalentMatch) -> Vec<String> {
    let found = Found::Talent(m.talent.clone());
    let (title, keywords, body) = found.texts();
    let texts: Vec<String> = [title, keywords.join(" ; "), body.to_owned()]
        .into_iter()
        .chain(need_texts(&m.need))
        .collect();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    surface_terms(app, &m.explanation.matched_terms, &texts)
}

/// Who may see and decide on a need's matches, follow its suggestions and
/// start projects from them: the need's organisation (its managers),
/// coordinators and admins. UNAUTHENTICATED for anonymous callers,
/// FORBIDDEN for everybody else.
pub fn may_decide<'a>(who: &'a Identity, need: &Need) -> AppResult<&'a Caller> {
    let caller = who.require()?;
    if iurhub_domain::policy::decides_matches_of(who.scope(), need) {
        Ok(caller)
    } else {
        Err(AppError::denied(Message::new("match.decide.forbidden")))
    }
}

/// How a reader sees the need of a match from the capability's side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NeedSight {
    /// The need itself: the reader may see it.
    Full,
    /// The need itself, read through a disclosure in force to an
    /// organisation the reader manages: each showing of its text is logged
    /// ([`log_disclosed_read`]).
    Disclosed,
    /// Blind: its teaser and the pair's score, nothing of its text, owner or
    /// explanation — a released CONFIDENTIAL need with a teaser, not
    /// disclosed to the reader's organisation.
    Teaser,
    /// Nothing: its matches do not exist for the reader.
    None,
}

/// What the capability side of a match may see of the match's need: the
/// one rule every capability-side path goes through (a match by id,
/// `node(id:)`, a capability's matching needs, decisions, the pair's
/// conversation). A CONFIDENTIAL need is matched on its full text, but
/// outside its organisation it is shown only through the teaser its owner
/// wrote (no teaser: not at all) until the need's side discloses it
/// ([`crate::disclosures`]). Nothing is logged here; showing the disclosed
/// text is logged by [`log_disclosed_read`].
pub async fn need_sight(app: &App, scope: &Scope, need: &Need) -> AppResult<NeedSight> {
    if need.visible_to(scope) {
        return Ok(NeedSight::Full);
    }
    if !iurhub_domain::policy::may_see_match_of(scope, need) {
        return Ok(NeedSight::None);
    }
    if crate::disclosure_reads::in_force_for(app, scope, need)
        .await?
        .is_some()
    {
        return Ok(NeedSight::Disclosed);
    }
    Ok(if crate::disclosures::teaser(app, need).await?.is_some() {
        NeedSight::Teaser
    } else {
        NeedSight::None
    })
}

/// Logs that `who` is shown the text of `need` through the disclosure in
/// force to their organisation ([`NeedSight::Disclosed`]); `false` when
/// there is none any more (revoked meanwhile: show nothing).
pub async fn log_disclosed_read(app: &App, who: &Identity, need: &Need) -> AppResult<bool> {
    Ok(
        crate::disclosure_reads::read_through_disclosure(app, who, need)
            .await?
            .is_some(),
    )
}

/// The sides of a pair `who` decides for, need side first: the need side
/// for those who decide on the need's matches
/// ([`iurhub_domain::policy::decides_matches_of`]), the capability side for
/// the managers of the capability's organisation who may see its matches
/// ([`iurhub_domain::policy::may_see_match_of`]; whether they do is
/// [`visible_match`]). Admins and coordinators whose scope holds
/// both organisations decide for both.
pub fn sides_of(who: &Identity, need: &Need, capability: &Capability) -> Vec<MatchSide> {
    let scope = who.scope();
    if !scope.signed_in() {
        return Vec::new();
    }
    let mut sides = Vec::with_capacity(2);
    if iurhub_domain::policy::decides_matches_of(scope, need) {
        sides.push(MatchSide::Need);
    }
    if iurhub_domain::policy::decides_for_capability(scope, capability)
        && iurhub_domain::policy::may_see_match_of(scope, need)
    {
        sides.push(MatchSide::Capability);
    }
    sides
}

/// The side a decision of `who` is taken for: the one asked for (FORBIDDEN
/// if `who` does not decide for it), else the first of [`sides_of`]
/// (FORBIDDEN when none).
pub fn acting_side(
    who: &Identity,
    need: &Need,
    capability: &Capability,
    asked: Option<MatchSide>,
) -> AppResult<MatchSide> {
    let sides = sides_of(who, need, capability);
    match asked {
        Some(side) if sides.contains(&side) => Ok(side),
        Some(side) => Err(AppError::denied(
            Message::new("match.side.not_yours").with("side", side),
        )),
        None => sides
            .first()
            .copied()
            .ok_or_else(|| AppError::denied(Message::new("match.decide.forbidden"))),
    }
}

/// The one rule of a decision on a pair standing at `now`: the caller
/// decides for a side of it ([`acting_side`]) and the docking rules allow
/// that side's step ([`Docking::step`]). [`decide`] enforces it and the
/// `viewerCan…` flags of a match report it, so they cannot disagree.
pub fn check_step<'a>(
    who: &'a Identity,
    need: &Need,
    capability: &Capability,
    now: Docking,
    to: MatchStatus,
    asked: Option<MatchSide>,
) -> AppResult<(&'a Caller, MatchSide, Docking)> {
    let caller = who.require()?;
    let side = acting_side(who, need, capability, asked)?;
    let next = now.step(side, to)?;
    Ok((caller, side, next))
}

/// Whether `who` may move a pair standing at `now` to `to`, for the side
/// it acts for by default ([`check_step`]).
pub fn may_step(
    who: &Identity,
    need: &Need,
    capability: &Capability,
    now: Docking,
    to: MatchStatus,
) -> bool {
    check_step(who, need, capability, now, to, None).is_ok()
}

/// The statuses `who` may move a pair standing at `now` to, in life-cycle
/// order ([`check_step`]); empty for those who do not decide.
pub fn allowed_steps(
    who: &Identity,
    need: &Need,
    capability: &Capability,
    now: Docking,
) -> Vec<MatchStatus> {
    [
        MatchStatus::Shortlisted,
        MatchStatus::Contacted,
        MatchStatus::Accepted,
        MatchStatus::Declined,
    ]
    .into_iter()
    .filter(|to| may_step(who, need, capability, now, *to))
    .collect()
}

/// Where a pair with this stored row (or none) stands.
pub fn docking_of(row: Option<&MatchRow>) -> Docking {
    row.map_or(Docking::suggested(), MatchRow::docking)
}

/// The need `need_id` if `who` may see it (NOT_FOUND otherwise) and decide
/// on its matches ([`may_decide`]).
pub async fn need_for_matching(app: &App, who: &Identity, need_id: i64) -> AppResult<Need> {
    let need = super::needs::visible(app, who, need_id).await?;
    may_decide(who, &need)?;
    Ok(need)
}

/// The match of (need, capability) if `who` may see it: those who decide
/// on the need's matches, and the capability side ([`sides_of`]: the
/// managers of the capability's organisation who may see the need).
/// NOT_FOUND for everybody else, as for a pair that does not exist.
pub async fn visible_match(
    app: &App,
    who: &Identity,
    need_id: i64,
    capability_id: i64,
) -> AppResult<CapabilityMatch> {
    who.require()?;
    let store = &app.store;
    let need = store
        .need(need_id)
        .await?
        .ok_or(AppError::NotFound("match"))?;
    let capability = store
        .capability(capability_id)
        .await?
        .ok_or(AppError::NotFound("match"))?;
    let sides = sides_of(who, &need, &capability);
    if sides.is_empty() {
        return Err(AppError::NotFound("match"));
    }
    if sides.contains(&MatchSide::Need) {
        return pair(app, &need, capability_id).await;
    }
    match need_sight(app, who.scope(), &need).await? {
        NeedSight::Full | NeedSight::Disclosed => pair(app, &need, capability_id).await,
        NeedSight::None => Err(AppError::NotFound("match")),
        // Blind, only a pair the matching ranks or a side decided on: no
        // scoring any capability against a CONFIDENTIAL need by its id.
        NeedSight::Teaser => match ranked_pair(app, &need, capability_id).await? {
            Some(found) => Ok(found),
            None => unranked_pair(app, &need, capability_id, false).await,
        },
    }
}

/// Published needs a capability fits, for the capability's organisation,
/// coordinators and admins (FORBIDDEN for others); only needs the caller may
/// see.
pub async fn needs_for_own_capability(
    app: &App,
    caller: &Caller,
    capability: &Capability,
) -> AppResult<Vec<NeedMatch>> {
    if !caller.can_manage(capability.organization_id) {
        return Err(AppError::denied(Message::new(
            "capability.matching_needs.forbidden",
        )));
    }
    needs_for_capability(app, caller.scope(), capability).await
}

/// A discipline of the need and the candidate's discipline that gave it its
/// credit, by name.
#[derive(Debug, Clone)]
pub struct SharedDiscipline {
    pub need: TaxonomyEntry,
    pub candidate: TaxonomyEntry,
    /// 1.0 same code, 0.8 one below the other, 0.6 same 5-digit branch, 0.3
    /// same first level.
    pub credit: f64,
}

/// A factor of a score as a reader is shown it: disciplines by name, terms
/// as the words stand in the texts.
#[derive(Debug, Clone)]
pub struct FactorView {
    pub name: FactorName,
    pub value: f64,
    pub weight: f64,
    pub contribution: f64,
    /// Why, in words.
    pub detail: String,
    /// For the discipline factor.
    pub disciplines: Vec<SharedDiscipline>,
    /// For the keywords factor: the shared keywords as written; for the
    /// text factor: the matched terms as written.
    pub terms: Vec<String>,
    /// For the cooperation-mode factor: the wanted modes someone
    /// responsible is available for.
    pub modes: Vec<iurhub_domain::CooperationMode>,
}

/// The discipline codes an explanation names (to read their names in one
/// batch before [`present_factors`]).
pub fn explanation_codes(e: &Explanation) -> Vec<String> {
    let mut codes: Vec<String> = e
        .factors
        .iter()
        .flat_map(|f| f.codes.iter())
        .flat_map(|p| [p.need.clone(), p.candidate.clone()])
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

/// The entries of discipline codes by code (unknown codes are left out).
pub async fn discipline_names(
    app: &App,
    codes: &[String],
) -> AppResult<HashMap<String, TaxonomyEntry>> {
    Ok(app
        .store
        .taxonomy_entries(TaxonomyKind::Discipline, codes)
        .await?
        .into_iter()
        .map(|e| (e.code.clone(), e))
        .collect())
}

/// An entry for a code the classification does not list (any longer).
fn unnamed(code: &str) -> TaxonomyEntry {
    TaxonomyEntry {
        code: code.to_owned(),
        parent_code: None,
        name_zh: code.to_owned(),
        name_en: code.to_owned(),
        level: 0,
    }
}

/// A discipline's name in `locale` (English with the Chinese beside it).
fn named(e: &TaxonomyEntry, locale: Locale) -> String {
    match locale {
        Locale::Zh => e.name_zh.clone(),
        Locale::En if e.name_en == e.name_zh => e.name_en.clone(),
        Locale::En => format!("{} ({})", e.name_en, e.name_zh),
    }
}

/// A way of cooperating as words in a sentence, in `locale`.
fn mode_words(m: iurhub_domain::CooperationMode, locale: Locale) -> String {
    Message::owned(format!("cooperation_mode.{}", m.as_str().to_lowercase())).render(locale)
}

/// The factors of an explanation as a reader is shown them, their details
/// written in `locale`. `names` holds the discipline entries of
/// [`explanation_codes`]; `matched` are the matched terms as written;
/// `keyword_texts` the candidate's and the need's keywords (in that order),
/// where the shared keyword terms are looked up.
pub fn present_factors(
    app: &App,
    e: &Explanation,
    names: &HashMap<String, TaxonomyEntry>,
    matched: &[String],
    keyword_texts: &[&str],
    locale: Locale,
) -> Vec<FactorView> {
    e.factors
        .iter()
        .map(|f| {
            let applies = f.weight > 0.0;
            let mut view = FactorView {
                name: f.name,
                value: f.value,
                weight: f.weight,
                contribution: f.contribution,
                detail: f.detail.render(locale),
                disciplines: Vec::new(),
                terms: Vec::new(),
                modes: f.modes.clone(),
            };
            match f.name {
                FactorName::Text => {
                    view.terms = matched.to_vec();
                    view.detail = if matched.is_empty() {
                        Message::new("factor.text.relevance")
                    } else {
                        Message::new("factor.text.matched").with("terms", locale.join(matched))
                    }
                    .render(locale);
                }
                FactorName::Discipline if applies => {
                    view.disciplines = f
                        .codes
                        .iter()
                        .map(|p| SharedDiscipline {
                            need: names
                                .get(&p.need)
                                .cloned()
                                .unwrap_or_else(|| unnamed(&p.need)),
                            candidate: names
                                .get(&p.candidate)
                                .cloned()
                                .unwrap_or_else(|| unnamed(&p.candidate)),
                            credit: p.credit,
                        })
                        .collect();
                    view.detail = if view.disciplines.is_empty() {
                        Message::new("factor.discipline.none")
                    } else {
                        let pairs: Vec<String> = view
                            .disciplines
                            .iter()
                            .map(|d| {
                                if d.need.code == d.candidate.code {
                                    Message::new("factor.discipline.same")
                                        .with("name", named(&d.need, locale))
                                        .render(locale)
                                } else {
                                    format!(
                                        "{} ~ {}",
                                        named(&d.need, locale),
                                        named(&d.candidate, locale)
                                    )
                                }
                            })
                            .collect();
                        Message::new("factor.discipline.shared")
                            .with("pairs", locale.join_clauses(pairs))
                    }
                    .render(locale);
                }
                FactorName::Keywords if applies => {
                    view.terms = surface_terms(app, &f.terms, keyword_texts);
                    view.detail = if view.terms.is_empty() {
                        Message::new("factor.keywords.none")
                    } else {
                        Message::new("factor.keywords.shared")
                            .with("terms", locale.join(&view.terms))
                    }
                    .render(locale);
                }
                FactorName::CooperationMode if applies && !f.modes.is_empty() => {
                    let modes = f.modes.iter().map(|m| mode_words(*m, locale));
                    view.detail = Message::new("factor.modes.available")
                        .with("modes", locale.join(modes))
                        .render(locale);
                }
                _ => {}
            }
            view
        })
        .collect()
}
