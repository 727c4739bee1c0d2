use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::{Context, Enum, ID, Object, SimpleObject, Union};

use crate::error::ApiResult as Result;
use iurhub_domain::records::needs::Need;
use iurhub_matching::{Explanation, FactorName, Hit};

use crate::graphql::capabilities::CapabilityObject;
use crate::graphql::context::{ContextExt, load_many, load_one};
use crate::graphql::enums::{
    ConflictOfInterest, CooperationMode, DeclineReason, MatchSide, MatchStatus, SideDecision,
};
use crate::graphql::ids::encode_match;
use crate::graphql::loaders::DisciplineCode;
use crate::graphql::loaders::UserId;
use crate::graphql::needs::NeedObject;
use crate::graphql::organizations::UserObject;
use crate::graphql::scalars::DateTime;
use crate::graphql::talents::TalentObject;
use crate::graphql::taxonomy::TaxonomyEntryObject;
use iurhub_app::matching::{
    self, CapabilityMatch, FactorView, Found, NeedMatch, SharedDiscipline, TalentMatch,
};
use iurhub_domain::docking::Docking;
use iurhub_domain::records::capabilities::Capability;
use iurhub_domain::records::matches::{MatchRow, SideState};

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

/// What the caller may do with a pair standing at `now`, by the rule the
/// mutations enforce (for the side the caller acts for by default).
fn viewer_actions(
    ctx: &Context<'_>,
    need: &Need,
    capability: &Capability,
    now: Docking,
) -> Vec<MatchAction> {
    matching::allowed_steps(ctx.identity(), need, capability, now)
        .into_iter()
        .filter_map(MatchAction::of)
        .collect()
}

fn viewer_can(
    ctx: &Context<'_>,
    need: &Need,
    capability: &Capability,
    now: Docking,
    action: MatchAction,
) -> bool {
    matching::may_step(ctx.identity(), need, capability, now, action.target())
}

/// How the caller sees the need of one match object, asked once per object
/// ([`matching::need_sight`]: a blind or disclosed need costs a look at its
/// disclosures and teaser) however many of its fields depend on it, and
/// whether this object's showing of a disclosed need's text was logged.
/// Never kept beyond the object: a subscription builds a new one for every
/// event.
#[derive(Default)]
pub struct Sight {
    sight: tokio::sync::OnceCell<matching::NeedSight>,
    logged: tokio::sync::OnceCell<bool>,
}

impl Sight {
    async fn of(&self, ctx: &Context<'_>, need: &Need) -> Result<matching::NeedSight> {
        Ok(*self
            .sight
            .get_or_try_init(|| matching::need_sight(ctx.app(), ctx.identity().scope(), need))
            .await?)
    }

    /// Whether the caller may be shown the need's text — its fields, the
    /// factors and terms quoting it: a need they see, or one disclosed to
    /// their organisation, the showing logged once per object (`false` if
    /// the disclosure was revoked meanwhile).
    async fn reads(&self, ctx: &Context<'_>, need: &Need) -> Result<bool> {
        match self.of(ctx, need).await? {
            matching::NeedSight::Full => Ok(true),
            matching::NeedSight::Disclosed => Ok(*self
                .logged
                .get_or_try_init(|| matching::log_disclosed_read(ctx.app(), ctx.identity(), need))
                .await?),
            matching::NeedSight::Teaser | matching::NeedSight::None => Ok(false),
        }
    }

    /// Whether the caller sees `need` blind, through its teaser (or not at
    /// all, which no resolver reaches).
    async fn sealed(&self, ctx: &Context<'_>, need: &Need) -> Result<bool> {
        Ok(!matches!(
            self.of(ctx, need).await?,
            matching::NeedSight::Full | matching::NeedSight::Disclosed
        ))
    }

    /// The need as the caller is shown it: null while sealed.
    async fn shown(&self, ctx: &Context<'_>, need: &Need) -> Result<Option<NeedObject>> {
        Ok(self
            .reads(ctx, need)
            .await?
            .then(|| NeedObject::new(need.clone())))
    }
}

/// The teaser of a CONFIDENTIAL need, for a reader of one of its matches.
async fn teaser(
    ctx: &Context<'_>,
    need: &Need,
) -> Result<Option<crate::graphql::disclosures::NeedTeaserObject>> {
    if need.visibility != iurhub_domain::Visibility::Confidential {
        return Ok(None);
    }
    crate::graphql::disclosures::teaser_of_need(ctx, need).await
}

/// One side's decision on a match.
pub struct MatchSideDecisionObject {
    side: iurhub_domain::MatchSide,
    state: SideState,
    /// Whether the reader is shown who decided (they decide for that side).
    shows_decider: bool,
}

impl MatchSideDecisionObject {
    fn of(
        ctx: &Context<'_>,
        need: &Need,
        capability: &Capability,
        row: Option<&MatchRow>,
        side: iurhub_domain::MatchSide,
    ) -> Self {
        MatchSideDecisionObject {
            side,
            state: row.map(|r| *r.side(side)).unwrap_or_default(),
            shows_decider: matching::sides_of(ctx.identity(), need, capability).contains(&side),
        }
    }
}

/// One side's decision on a match.
#[Object(name = "MatchSideDecision")]
impl MatchSideDecisionObject {
    /// Which side.
    async fn side(&self) -> MatchSide {
        self.side.into()
    }

    /// What the side decided; null while it has not.
    async fn decision(&self) -> Option<SideDecision> {
        self.state.decision.map(Into::into)
    }

    /// When it decided.
    async fn decided_at(&self) -> Option<DateTime> {
        self.state.decided_at.map(DateTime)
    }

    /// Who decided, shown to those who decide for the same side (null for
    /// the other side, and for acceptances recorded before both sides
    /// decided).
    async fn decided_by(&self, ctx: &Context<'_>) -> Result<Option<UserObject>> {
        let Some(id) = self.state.decided_by.filter(|_| self.shows_decider) else {
            return Ok(None);
        };
        Ok(load_one(ctx, UserId(id)).await?.map(UserObject))
    }
}

/// The sides of a pair in `MatchSide` order, as their GraphQL values.
fn sides(list: Vec<iurhub_domain::MatchSide>) -> Vec<MatchSide> {
    list.into_iter().map(Into::into).collect()
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
pub struct MatchObject(pub Box<CapabilityMatch>, Sight);

/// A capability suggested for a need, with why, where the pair stands and
/// what the caller may decide.
#[Object(name = "Match")]
impl MatchObject {
    /// Global id of the (need, capability) pair.
    pub async fn id(&self) -> ID {
        ID(encode_match(self.0.need.id, self.0.capability.id))
    }

    /// For a need asking for testing: the instruments of the capability's
    /// legal entity (run or owned by it) that fit the need, best first —
    /// the people and the instruments of one suggestion. Empty for other
    /// needs, and while the need is `sealed`.
    async fn instruments(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<crate::graphql::centers::InstrumentMatchObject>> {
        if !self.1.reads(ctx, &self.0.need).await? {
            return Ok(Vec::new());
        }
        Ok(iurhub_app::instrument_matches::for_need(
            ctx.app(),
            ctx.identity(),
            &self.0.need,
            Some(self.0.capability.organization_id),
        )
        .await?
        .into_iter()
        .map(crate::graphql::centers::InstrumentMatchObject)
        .collect())
    }

    /// 0–1; the sum of the factors' contributions.
    async fn score(&self) -> f64 {
        self.0.explanation.score
    }

    /// The score factor by factor (empty for a decided pair that is no
    /// longer ranked: its score is the one it had when decided; empty while
    /// the need is `sealed`: the factors would quote its text).
    async fn factors(&self, ctx: &Context<'_>) -> Result<Vec<MatchFactorObject>> {
        if !self.1.reads(ctx, &self.0.need).await? {
            return Ok(Vec::new());
        }
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
    /// or bare numbers. Empty while the need is `sealed`.
    async fn matched_terms(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        if !self.1.reads(ctx, &self.0.need).await? {
            return Ok(Vec::new());
        }
        Ok(matching::capability_match_terms(ctx.app(), &self.0))
    }

    /// True while the caller sees the need blind: a CONFIDENTIAL need of
    /// another organisation, not disclosed to the caller's organisation.
    /// Then `need` is null, `factors` and `matchedTerms` are empty, and
    /// `teaser` and `score` are what the caller is shown; the need's side
    /// discloses the need with `offerDisclosure`.
    async fn sealed(&self, ctx: &Context<'_>) -> Result<bool> {
        self.1.sealed(ctx, &self.0.need).await
    }

    /// The teaser its owner wrote for a CONFIDENTIAL need (null for other
    /// needs, and while none is written).
    async fn teaser(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<crate::graphql::disclosures::NeedTeaserObject>> {
        teaser(ctx, &self.0.need).await
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

    /// The need; null while it is `sealed` for the caller (read `teaser`).
    /// A read of a need disclosed to the caller's organisation is logged.
    async fn need(&self, ctx: &Context<'_>) -> Result<Option<NeedObject>> {
        self.1.shown(ctx, &self.0.need).await
    }

    /// The suggested capability.
    async fn capability(&self) -> CapabilityObject {
        CapabilityObject((*self.0.capability).clone())
    }

    /// Whether `shortlistMatch` would succeed for the caller now (for the
    /// side of `viewerSide`).
    async fn viewer_can_shortlist(&self, ctx: &Context<'_>) -> bool {
        viewer_can(
            ctx,
            &self.0.need,
            &self.0.capability,
            self.docking(),
            MatchAction::Shortlist,
        )
    }

    /// Whether `contactMatch` would succeed for the caller now (for the
    /// side of `viewerSide`).
    async fn viewer_can_contact(&self, ctx: &Context<'_>) -> bool {
        viewer_can(
            ctx,
            &self.0.need,
            &self.0.capability,
            self.docking(),
            MatchAction::Contact,
        )
    }

    /// Whether `acceptMatch` would succeed for the caller now (for the side
    /// of `viewerSide`).
    async fn viewer_can_accept(&self, ctx: &Context<'_>) -> bool {
        viewer_can(
            ctx,
            &self.0.need,
            &self.0.capability,
            self.docking(),
            MatchAction::Accept,
        )
    }

    /// Whether `declineMatch` would succeed for the caller now (for the
    /// side of `viewerSide`).
    async fn viewer_can_decline(&self, ctx: &Context<'_>) -> bool {
        viewer_can(
            ctx,
            &self.0.need,
            &self.0.capability,
            self.docking(),
            MatchAction::Decline,
        )
    }

    /// Every decision the caller may take now for the side of `viewerSide`,
    /// in life-cycle order (the `viewerCan…` flags that are true); empty for
    /// those who do not decide and for ACCEPTED and DECLINED pairs.
    async fn viewer_actions(&self, ctx: &Context<'_>) -> Vec<MatchAction> {
        viewer_actions(ctx, &self.0.need, &self.0.capability, self.docking())
    }

    /// The need side's decision (the need's organisation).
    async fn need_side(&self, ctx: &Context<'_>) -> MatchSideDecisionObject {
        let side = iurhub_domain::MatchSide::Need;
        MatchSideDecisionObject::of(
            ctx,
            &self.0.need,
            &self.0.capability,
            self.0.row.as_ref(),
            side,
        )
    }

    /// The capability side's decision (the capability's organisation).
    async fn capability_side(&self, ctx: &Context<'_>) -> MatchSideDecisionObject {
        let side = iurhub_domain::MatchSide::Capability;
        MatchSideDecisionObject::of(
            ctx,
            &self.0.need,
            &self.0.capability,
            self.0.row.as_ref(),
            side,
        )
    }

    /// The sides that still have to decide: empty once the match is
    /// ACCEPTED (both accepted) or DECLINED (one declined).
    async fn waiting_for(&self) -> Vec<MatchSide> {
        sides(self.docking().waiting_for())
    }

    /// The side that declined, for a DECLINED match.
    async fn declined_by(&self) -> Option<MatchSide> {
        self.docking().declined_by().map(Into::into)
    }

    /// The side the caller's decisions are taken for when a mutation names
    /// none: the need side if they decide for it, else the capability side;
    /// null for those who decide for neither.
    async fn viewer_side(&self, ctx: &Context<'_>) -> Option<MatchSide> {
        matching::sides_of(ctx.identity(), &self.0.need, &self.0.capability)
            .first()
            .map(|s| (*s).into())
    }

    /// Every side the caller decides for (both for admins and coordinators
    /// whose scope holds both organisations; pass `side` to the mutations
    /// to act for the second).
    async fn viewer_sides(&self, ctx: &Context<'_>) -> Vec<MatchSide> {
        sides(matching::sides_of(
            ctx.identity(),
            &self.0.need,
            &self.0.capability,
        ))
    }
}

impl MatchObject {
    pub fn new(found: CapabilityMatch) -> Self {
        MatchObject(Box::new(found), Sight::default())
    }

    fn docking(&self) -> Docking {
        matching::docking_of(self.0.row.as_ref())
    }
}

/// A need a capability fits, with the pair's decision.
pub struct NeedMatchObject(pub NeedMatch, Sight);

/// A need a capability fits, with the pair's decision.
#[Object(name = "NeedMatch")]
impl NeedMatchObject {
    /// Global id of the (need, capability) pair: the id of its `Match`,
    /// which the need's side reads and decides on.
    async fn match_id(&self) -> ID {
        ID(encode_match(self.0.need.id, self.0.capability.id))
    }

    /// Where the pair stands: SUGGESTED until a side decides (declined
    /// pairs are not listed).
    async fn status(&self) -> MatchStatus {
        self.0.status().into()
    }

    /// 0–1, the need ranked for this capability; the sum of the factors'
    /// contributions.
    async fn score(&self) -> f64 {
        self.0.explanation.score
    }

    /// The score factor by factor (empty while the need is `sealed`).
    async fn factors(&self, ctx: &Context<'_>) -> Result<Vec<MatchFactorObject>> {
        if !self.1.reads(ctx, &self.0.need).await? {
            return Ok(Vec::new());
        }
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
    /// need's texts (or the capability's). Empty while the need is
    /// `sealed`.
    async fn matched_terms(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        if !self.1.reads(ctx, &self.0.need).await? {
            return Ok(Vec::new());
        }
        Ok(matching::need_match_terms(ctx.app(), &self.0))
    }

    /// True while the caller sees the need blind (a CONFIDENTIAL need of
    /// another organisation with a teaser, not disclosed to the caller's
    /// organisation): `need` is null, `factors` and `matchedTerms` empty;
    /// `teaser` and `score` are what the caller is shown.
    async fn sealed(&self, ctx: &Context<'_>) -> Result<bool> {
        self.1.sealed(ctx, &self.0.need).await
    }

    /// The teaser its owner wrote for a CONFIDENTIAL need (null for other
    /// needs).
    async fn teaser(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<crate::graphql::disclosures::NeedTeaserObject>> {
        teaser(ctx, &self.0.need).await
    }

    /// The need; null while it is `sealed` for the caller (read `teaser`).
    /// A read of a need disclosed to the caller's organisation is logged.
    async fn need(&self, ctx: &Context<'_>) -> Result<Option<NeedObject>> {
        self.1.shown(ctx, &self.0.need).await
    }

    /// Whether `shortlistMatch` on `matchId` would succeed for the caller
    /// now (for the side of `viewerSide`; the need side's step).
    async fn viewer_can_shortlist(&self, ctx: &Context<'_>) -> bool {
        viewer_can(
            ctx,
            &self.0.need,
            &self.0.capability,
            self.docking(),
            MatchAction::Shortlist,
        )
    }

    /// Whether `contactMatch` on `matchId` would succeed for the caller now
    /// (for the side of `viewerSide`; the need side's step).
    async fn viewer_can_contact(&self, ctx: &Context<'_>) -> bool {
        viewer_can(
            ctx,
            &self.0.need,
            &self.0.capability,
            self.docking(),
            MatchAction::Contact,
        )
    }

    /// Whether `acceptMatch` on `matchId` would succeed for the caller now
    /// (for the side of `viewerSide`).
    async fn viewer_can_accept(&self, ctx: &Context<'_>) -> bool {
        viewer_can(
            ctx,
            &self.0.need,
            &self.0.capability,
            self.docking(),
            MatchAction::Accept,
        )
    }

    /// Whether `declineMatch` on `matchId` would succeed for the caller now
    /// (for the side of `viewerSide`).
    async fn viewer_can_decline(&self, ctx: &Context<'_>) -> bool {
        viewer_can(
            ctx,
            &self.0.need,
            &self.0.capability,
            self.docking(),
            MatchAction::Decline,
        )
    }

    /// Every decision the caller may take on the pair now, for the side of
    /// `viewerSide`: the capability side accepts or declines.
    async fn viewer_actions(&self, ctx: &Context<'_>) -> Vec<MatchAction> {
        viewer_actions(ctx, &self.0.need, &self.0.capability, self.docking())
    }

    /// The need side's decision.
    async fn need_side(&self, ctx: &Context<'_>) -> MatchSideDecisionObject {
        let side = iurhub_domain::MatchSide::Need;
        MatchSideDecisionObject::of(
            ctx,
            &self.0.need,
            &self.0.capability,
            self.0.row.as_ref(),
            side,
        )
    }

    /// The capability side's decision.
    async fn capability_side(&self, ctx: &Context<'_>) -> MatchSideDecisionObject {
        let side = iurhub_domain::MatchSide::Capability;
        MatchSideDecisionObject::of(
            ctx,
            &self.0.need,
            &self.0.capability,
            self.0.row.as_ref(),
            side,
        )
    }

    /// The sides that still have to decide (CAPABILITY among them: the
    /// capability's side is awaited).
    async fn waiting_for(&self) -> Vec<MatchSide> {
        sides(self.docking().waiting_for())
    }

    /// The side the caller's decisions are taken for when a mutation names
    /// none; null for those who decide for neither.
    async fn viewer_side(&self, ctx: &Context<'_>) -> Option<MatchSide> {
        matching::sides_of(ctx.identity(), &self.0.need, &self.0.capability)
            .first()
            .map(|s| (*s).into())
    }
}

impl NeedMatchObject {
    pub fn new(found: NeedMatch) -> Self {
        NeedMatchObject(found, Sight::default())
    }

    fn docking(&self) -> Docking {
        matching::docking_of(self.0.row.as_ref())
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

    /// A conflict of interest: the talent's organisation is the need's own
    /// (SAME_ORGANIZATION) or of the same group (SAME_GROUP); null when
    /// unrelated. Such a talent is still listed, flagged.
    async fn conflict_of_interest(&self) -> Option<ConflictOfInterest> {
        self.0.conflict.map(Into::into)
    }

    /// Why the talent is flagged, in the request's language; null when it
    /// is not.
    async fn conflict_detail(&self) -> Option<String> {
        self.0.conflict.map(|c| {
            let key = match c {
                iurhub_domain::ConflictOfInterest::SameOrganization => {
                    "match.conflict.same_organization"
                }
                iurhub_domain::ConflictOfInterest::SameGroup => "match.conflict.same_group",
            };
            iurhub_domain::Message::new(key).render(crate::i18n::current())
        })
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
