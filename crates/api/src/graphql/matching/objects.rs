use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::{Context, Enum, ID, Object, SimpleObject, Union};

use crate::error::ApiResult as Result;
use iurhub_domain::records::needs::Need;
use iurhub_matching::{Explanation, FactorName, Hit};

use crate::graphql::capabilities::CapabilityObject;
use crate::graphql::context::{ContextExt, load_many};
use crate::graphql::enums::{CooperationMode, DeclineReason, MatchStatus};
use crate::graphql::ids::encode_match;
use crate::graphql::loaders::DisciplineCode;
use crate::graphql::needs::NeedObject;
use crate::graphql::talents::TalentObject;
use crate::graphql::taxonomy::TaxonomyEntryObject;
use iurhub_app::matching::{
    self, CapabilityMatch, FactorView, Found, NeedMatch, SharedDiscipline, TalentMatch,
};

/// What a factor of a match score measures.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum MatchFactorName {
    /// BM25 relevance of the texts (title, keywords, body), relative to the
    /// best candidate of the same need (1.0 for the best).
    TextRelevance,
    /// Overlap of the discipline codes: per code of the need, the best
    /// credit among the candidate's codes (same code 1.0, one below the
    /// other 0.8, same 5-digit branch 0.6, same first level 0.3), averaged.
    Disciplines,
    /// Share of the need's keyword terms found among the candidate's keywords.
    Keywords,
    /// Whether the capability reaches the technology readiness level the
    /// need requires (1.0), or how far below it is (−0.25 per level).
    TrlFit,
    /// Share of the wanted cooperation modes someone responsible for the
    /// candidate is available for.
    CooperationModes,
    /// Same province (1.0) or not (0.3).
    Region,
    /// Completed cooperation projects of the candidate's organisation,
    /// n / (n + 2).
    TrackRecord,
}

impl From<FactorName> for MatchFactorName {
    fn from(n: FactorName) -> Self {
        match n {
            FactorName::Text => MatchFactorName::TextRelevance,
            FactorName::Discipline => MatchFactorName::Disciplines,
            FactorName::Keywords => MatchFactorName::Keywords,
            FactorName::Trl => MatchFactorName::TrlFit,
            FactorName::CooperationMode => MatchFactorName::CooperationModes,
            FactorName::Region => MatchFactorName::Region,
            FactorName::TrackRecord => MatchFactorName::TrackRecord,
        }
    }
}

/// A decision a caller may take on a match: one per match mutation.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum MatchAction {
    /// `shortlistMatch`: → SHORTLISTED.
    Shortlist,
    /// `contactMatch`: → CONTACTED.
    Contact,
    /// `acceptMatch`: → ACCEPTED.
    Accept,
    /// `declineMatch`: → DECLINED.
    Decline,
}

impl MatchAction {
    /// The status the action moves a pair to.
    pub fn target(self) -> iurhub_domain::MatchStatus {
        use iurhub_domain::MatchStatus as S;
        match self {
            MatchAction::Shortlist => S::Shortlisted,
            MatchAction::Contact => S::Contacted,
            MatchAction::Accept => S::Accepted,
            MatchAction::Decline => S::Declined,
        }
    }

    fn of(status: iurhub_domain::MatchStatus) -> Option<MatchAction> {
        use iurhub_domain::MatchStatus as S;
        match status {
            S::Shortlisted => Some(MatchAction::Shortlist),
            S::Contacted => Some(MatchAction::Contact),
            S::Accepted => Some(MatchAction::Accept),
            S::Declined => Some(MatchAction::Decline),
            S::Suggested => None,
        }
    }
}

/// What the caller may do with a pair of `need` now in status `from`, by the
/// rule the mutations enforce.
fn viewer_actions(
    ctx: &Context<'_>,
    need: &Need,
    from: iurhub_domain::MatchStatus,
) -> Vec<MatchAction> {
    matching::allowed_steps(ctx.identity(), need, from)
        .into_iter()
        .filter_map(MatchAction::of)
        .collect()
}

fn viewer_can(
    ctx: &Context<'_>,
    need: &Need,
    from: iurhub_domain::MatchStatus,
    action: MatchAction,
) -> bool {
    matching::may_step(ctx.identity(), need, from, action.target())
}

/// A discipline of the need and the candidate's discipline that gave it its
/// credit.
#[derive(SimpleObject)]
#[graphql(name = "SharedDiscipline")]
pub struct SharedDisciplineObject {
    /// The need's discipline.
    pub need: TaxonomyEntryObject,
    /// The candidate's discipline closest to it (the same one, one above or
    /// below it, or one of the same branch).
    pub candidate: TaxonomyEntryObject,
    /// 1.0 the same code, 0.8 one below the other, 0.6 the same 5-digit
    /// branch, 0.3 the same first level.
    pub credit: f64,
}

impl From<SharedDiscipline> for SharedDisciplineObject {
    fn from(d: SharedDiscipline) -> Self {
        SharedDisciplineObject {
            need: TaxonomyEntryObject(d.need),
            candidate: TaxonomyEntryObject(d.candidate),
            credit: d.credit,
        }
    }
}

/// One factor of a match score.
#[derive(SimpleObject)]
#[graphql(name = "MatchFactor")]
pub struct MatchFactorObject {
    /// What the factor measures.
    pub name: MatchFactorName,
    /// How well the pair does on this factor, 0–1.
    pub value: f64,
    /// The factor's share of the score; 0 when it does not apply to this pair.
    pub weight: f64,
    /// `value × weight`; the contributions add up to the score.
    pub contribution: f64,
    /// Why, in words, in the request's language (`Accept-Language`: English
    /// or Chinese), naming disciplines by name and terms as they stand in
    /// the texts.
    pub detail: String,
    /// DISCIPLINES: each discipline of the need with the candidate's
    /// discipline that gave it its credit; empty for the other factors.
    pub disciplines: Vec<SharedDisciplineObject>,
    /// TEXT_RELEVANCE: the matched words; KEYWORDS: the shared keywords —
    /// as they stand in the texts. Empty for the other factors.
    pub terms: Vec<String>,
    /// COOPERATION_MODES: the wanted modes someone responsible is available
    /// for; empty for the other factors.
    pub cooperation_modes: Vec<CooperationMode>,
}

impl From<FactorView> for MatchFactorObject {
    fn from(f: FactorView) -> Self {
        MatchFactorObject {
            name: f.name.into(),
            value: f.value,
            weight: f.weight,
            contribution: f.contribution,
            detail: f.detail,
            disciplines: f.disciplines.into_iter().map(Into::into).collect(),
            terms: f.terms,
            cooperation_modes: f.modes.into_iter().map(Into::into).collect(),
        }
    }
}

/// The factors of an explanation as a reader is shown them; the
/// disciplines' names come through the request's loader (one query for a
/// page of matches).
async fn factors(
    ctx: &Context<'_>,
    e: &Explanation,
    matched: &[String],
    candidate_keywords: &[String],
    need_keywords: &[String],
) -> Result<Vec<MatchFactorObject>> {
    let codes = matching::explanation_codes(e);
    let names: HashMap<String, _> = load_many(ctx, codes.into_iter().map(DisciplineCode).collect())
        .await?
        .into_iter()
        .map(|entry| (entry.code.clone(), entry))
        .collect();
    let keywords = [candidate_keywords.join(" ; "), need_keywords.join(" ; ")];
    Ok(matching::present_factors(
        ctx.app(),
        e,
        &names,
        matched,
        &[&keywords[0], &keywords[1]],
        crate::i18n::current(),
    )
    .into_iter()
    .map(Into::into)
    .collect())
}

/// A capability suggested for a need, with why, where the pair stands and
/// what the caller may decide.
pub struct MatchObject(pub Box<CapabilityMatch>);

/// A capability suggested for a need, with why, where the pair stands and
/// what the caller may decide.
#[Object(name = "Match")]
impl MatchObject {
    /// Global id of the (need, capability) pair.
    pub async fn id(&self) -> ID {
        ID(encode_match(self.0.need.id, self.0.capability.id))
    }

    /// 0–1; the sum of the factors' contributions.
    async fn score(&self) -> f64 {
        self.0.explanation.score
    }

    /// The score factor by factor (empty for a decided pair that is no
    /// longer ranked: its score is the one it had when decided).
    async fn factors(&self, ctx: &Context<'_>) -> Result<Vec<MatchFactorObject>> {
        let matched = matching::capability_match_terms(ctx.app(), &self.0);
        factors(
            ctx,
            &self.0.explanation,
            &matched,
            &self.0.capability.keywords,
            &self.0.need.keywords,
        )
        .await
    }

    /// Words of the need found in the capability, as they stand in the
    /// capability's texts (or the need's): never stems, single characters
    /// or bare numbers.
    async fn matched_terms(&self, ctx: &Context<'_>) -> Vec<String> {
        matching::capability_match_terms(ctx.app(), &self.0)
    }

    /// Where the pair stands in its life cycle.
    async fn status(&self) -> MatchStatus {
        self.0.status().into()
    }

    /// The conversation of the pair between the need's and the
    /// capability's organisations (made when first read); null for readers
    /// who are neither party's members, its agreement's coordinators nor
    /// admins.
    async fn thread(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<crate::graphql::threads::ThreadObject>> {
        crate::graphql::threads::thread_of(
            ctx,
            iurhub_domain::records::threads::ThreadSubject::Match {
                need_id: self.0.need.id,
                capability_id: self.0.capability.id,
            },
        )
        .await
    }

    /// Why the pair was declined.
    async fn decline_reason(&self) -> Option<DeclineReason> {
        self.0
            .row
            .as_ref()
            .and_then(|r| r.decline_reason)
            .map(Into::into)
    }

    /// The comment given with the decline, if any.
    async fn decline_comment(&self) -> Option<&str> {
        self.0
            .row
            .as_ref()
            .and_then(|r| r.decline_comment.as_deref())
    }

    /// The need.
    async fn need(&self) -> NeedObject {
        NeedObject::new((*self.0.need).clone())
    }

    /// The suggested capability.
    async fn capability(&self) -> CapabilityObject {
        CapabilityObject((*self.0.capability).clone())
    }

    /// Whether `shortlistMatch` would succeed for the caller now.
    async fn viewer_can_shortlist(&self, ctx: &Context<'_>) -> bool {
        viewer_can(ctx, &self.0.need, self.0.status(), MatchAction::Shortlist)
    }

    /// Whether `contactMatch` would succeed for the caller now.
    async fn viewer_can_contact(&self, ctx: &Context<'_>) -> bool {
        viewer_can(ctx, &self.0.need, self.0.status(), MatchAction::Contact)
    }

    /// Whether `acceptMatch` would succeed for the caller now.
    async fn viewer_can_accept(&self, ctx: &Context<'_>) -> bool {
        viewer_can(ctx, &self.0.need, self.0.status(), MatchAction::Accept)
    }

    /// Whether `declineMatch` would succeed for the caller now.
    async fn viewer_can_decline(&self, ctx: &Context<'_>) -> bool {
        viewer_can(ctx, &self.0.need, self.0.status(), MatchAction::Decline)
    }

    /// Every decision the caller may take now, in life-cycle order (the
    /// `viewerCan…` flags that are true); empty for those who do not decide
    /// and for ACCEPTED and DECLINED pairs.
    async fn viewer_actions(&self, ctx: &Context<'_>) -> Vec<MatchAction> {
        viewer_actions(ctx, &self.0.need, self.0.status())
    }
}

/// A need a capability fits, with the pair's decision.
pub struct NeedMatchObject(pub NeedMatch);

/// A need a capability fits, with the pair's decision.
#[Object(name = "NeedMatch")]
impl NeedMatchObject {
    /// Global id of the (need, capability) pair: the id of its `Match`,
    /// which the need's side reads and decides on.
    async fn match_id(&self) -> ID {
        ID(encode_match(self.0.need.id, self.0.capability.id))
    }

    /// Where the pair stands: SUGGESTED until the need's side decides
    /// (declined pairs are not listed).
    async fn status(&self) -> MatchStatus {
        self.0.status().into()
    }

    /// 0–1, the need ranked for this capability; the sum of the factors'
    /// contributions.
    async fn score(&self) -> f64 {
        self.0.explanation.score
    }

    /// The score factor by factor.
    async fn factors(&self, ctx: &Context<'_>) -> Result<Vec<MatchFactorObject>> {
        let matched = matching::need_match_terms(ctx.app(), &self.0);
        factors(
            ctx,
            &self.0.explanation,
            &matched,
            &self.0.need.keywords,
            &self.0.capability.keywords,
        )
        .await
    }

    /// Words of the capability found in the need, as they stand in the
    /// need's texts (or the capability's).
    async fn matched_terms(&self, ctx: &Context<'_>) -> Vec<String> {
        matching::need_match_terms(ctx.app(), &self.0)
    }

    /// The need.
    async fn need(&self) -> NeedObject {
        NeedObject::new(self.0.need.clone())
    }

    /// Whether `shortlistMatch` on `matchId` would succeed for the caller now.
    async fn viewer_can_shortlist(&self, ctx: &Context<'_>) -> bool {
        viewer_can(ctx, &self.0.need, self.0.status(), MatchAction::Shortlist)
    }

    /// Whether `contactMatch` on `matchId` would succeed for the caller now.
    async fn viewer_can_contact(&self, ctx: &Context<'_>) -> bool {
        viewer_can(ctx, &self.0.need, self.0.status(), MatchAction::Contact)
    }

    /// Whether `acceptMatch` on `matchId` would succeed for the caller now.
    async fn viewer_can_accept(&self, ctx: &Context<'_>) -> bool {
        viewer_can(ctx, &self.0.need, self.0.status(), MatchAction::Accept)
    }

    /// Whether `declineMatch` on `matchId` would succeed for the caller now.
    async fn viewer_can_decline(&self, ctx: &Context<'_>) -> bool {
        viewer_can(ctx, &self.0.need, self.0.status(), MatchAction::Decline)
    }

    /// Every decision the caller may take on the pair now: the need's
    /// organisation, coordinators and admins decide, so this is empty for
    /// the capability's own organisation.
    async fn viewer_actions(&self, ctx: &Context<'_>) -> Vec<MatchAction> {
        viewer_actions(ctx, &self.0.need, self.0.status())
    }
}

/// A person whose expertise fits a need.
pub struct TalentMatchObject(pub TalentMatch);

/// A person whose expertise fits a need.
#[Object(name = "TalentMatch")]
impl TalentMatchObject {
    /// 0–1; the sum of the factors' contributions.
    async fn score(&self) -> f64 {
        self.0.explanation.score
    }

    /// The score factor by factor.
    async fn factors(&self, ctx: &Context<'_>) -> Result<Vec<MatchFactorObject>> {
        let matched = matching::talent_match_terms(ctx.app(), &self.0);
        factors(
            ctx,
            &self.0.explanation,
            &matched,
            &self.0.talent.keywords,
            &self.0.need.keywords,
        )
        .await
    }

    /// Words of the need found in the profile, as they stand in the
    /// profile's texts (or the need's).
    async fn matched_terms(&self, ctx: &Context<'_>) -> Vec<String> {
        matching::talent_match_terms(ctx.app(), &self.0)
    }

    /// The talent profile.
    async fn talent(&self) -> TalentObject {
        TalentObject(self.0.talent.clone())
    }
}

/// What `search` looks through.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum SearchType {
    /// Technology needs.
    Need,
    /// Research capabilities.
    Capability,
    /// Talent profiles (signed-in users only).
    Talent,
}

/// An object found by `search`.
#[derive(Union)]
pub enum SearchResult {
    Need(NeedObject),
    Capability(CapabilityObject),
    Talent(TalentObject),
}

impl From<Found> for SearchResult {
    fn from(found: Found) -> Self {
        match found {
            Found::Need(n) => SearchResult::Need(NeedObject::new(n)),
            Found::Capability(c) => SearchResult::Capability(CapabilityObject(c)),
            Found::Talent(t) => SearchResult::Talent(TalentObject(t)),
        }
    }
}

/// Why a search result was found: the fields of its edge.
pub struct SearchHitFields {
    pub hit: Hit,
    pub found: Found,
    /// The query as sent.
    pub query: Arc<str>,
}

/// Why a search result was found: the fields of its edge.
#[Object]
impl SearchHitFields {
    /// BM25 relevance; comparable within one search.
    async fn score(&self) -> f64 {
        f64::from(self.hit.score)
    }

    /// Words of the query found in the object, as they stand in its texts:
    /// never stems, single characters or bare numbers.
    async fn matched_terms(&self, ctx: &Context<'_>) -> Vec<String> {
        matching::found_terms(ctx.app(), &self.hit, &self.found)
    }

    /// An excerpt with the matched words in `<b>…</b>`; the text is
    /// HTML-escaped. From the body, else from the keywords, else from the
    /// title — never empty.
    async fn snippet(&self, ctx: &Context<'_>) -> Result<String> {
        Ok(matching::snippet(ctx.app(), &self.query, &self.found)?)
    }
}
