use async_graphql::{Context, Enum, ID, Object, SimpleObject, Union};

use crate::error::ApiResult as Result;
use iurhub_matching::{Explanation, Factor};

use crate::graphql::capabilities::CapabilityObject;
use crate::graphql::enums::{DeclineReason, MatchStatus};
use crate::graphql::ids::encode_match;
use crate::graphql::needs::NeedObject;
use crate::graphql::talents::TalentObject;
use iurhub_app::matching::{CapabilityMatch, NeedMatch, TalentMatch};

/// One factor of a match score.
#[derive(SimpleObject)]
#[graphql(name = "MatchFactor")]
pub struct MatchFactorObject {
    /// `text`, `discipline`, `keywords`, `trl`, `cooperationMode`, `region` or `trackRecord`.
    pub name: String,
    /// How well the pair does on this factor, 0–1.
    pub value: f64,
    /// The factor's share of the score; 0 when it does not apply to this pair.
    pub weight: f64,
    /// `value × weight`; the contributions add up to the score.
    pub contribution: f64,
    /// Why, in words.
    pub detail: String,
}

impl From<&Factor> for MatchFactorObject {
    fn from(f: &Factor) -> Self {
        MatchFactorObject {
            name: f.name.to_owned(),
            value: f.value,
            weight: f.weight,
            contribution: f.contribution,
            detail: f.detail.clone(),
        }
    }
}

fn factors(e: &Explanation) -> Vec<MatchFactorObject> {
    e.factors.iter().map(Into::into).collect()
}

/// A capability suggested for a need, with why, and where the pair stands.
pub struct MatchObject(pub Box<CapabilityMatch>);

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

    async fn factors(&self) -> Vec<MatchFactorObject> {
        factors(&self.0.explanation)
    }

    /// Analysed terms of the need found in the capability.
    async fn matched_terms(&self) -> &[String] {
        &self.0.explanation.matched_terms
    }

    async fn status(&self) -> MatchStatus {
        self.0.status().into()
    }

    /// Why the pair was declined.
    async fn decline_reason(&self) -> Option<DeclineReason> {
        self.0
            .row
            .as_ref()
            .and_then(|r| r.decline_reason)
            .map(Into::into)
    }

    async fn decline_comment(&self) -> Option<&str> {
        self.0
            .row
            .as_ref()
            .and_then(|r| r.decline_comment.as_deref())
    }

    async fn need(&self) -> NeedObject {
        NeedObject::new((*self.0.need).clone())
    }

    async fn capability(&self) -> CapabilityObject {
        CapabilityObject((*self.0.capability).clone())
    }
}

/// A need a capability fits.
pub struct NeedMatchObject(pub NeedMatch);

#[Object(name = "NeedMatch")]
impl NeedMatchObject {
    async fn score(&self) -> f64 {
        self.0.explanation.score
    }

    async fn factors(&self) -> Vec<MatchFactorObject> {
        factors(&self.0.explanation)
    }

    async fn matched_terms(&self) -> &[String] {
        &self.0.explanation.matched_terms
    }

    async fn need(&self) -> NeedObject {
        NeedObject::new(self.0.need.clone())
    }
}

/// A person whose expertise fits a need.
pub struct TalentMatchObject(pub TalentMatch);

#[Object(name = "TalentMatch")]
impl TalentMatchObject {
    async fn score(&self) -> f64 {
        self.0.explanation.score
    }

    async fn factors(&self) -> Vec<MatchFactorObject> {
        factors(&self.0.explanation)
    }

    async fn matched_terms(&self) -> &[String] {
        &self.0.explanation.matched_terms
    }

    async fn talent(&self, _ctx: &Context<'_>) -> Result<TalentObject> {
        Ok(TalentObject(self.0.talent.clone()))
    }
}

/// What `search` looks through.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum SearchType {
    Need,
    Capability,
    Talent,
}

/// An object found by `search`.
#[derive(Union)]
pub enum SearchResult {
    Need(NeedObject),
    Capability(CapabilityObject),
    Talent(TalentObject),
}

/// One search result with why it was found.
#[derive(SimpleObject)]
pub struct SearchHit {
    /// BM25 relevance; comparable within one search.
    pub score: f64,
    /// Analysed query terms found in the object.
    pub matched_terms: Vec<String>,
    /// An excerpt with the matched words in `<b>…</b>`; the text is HTML-escaped.
    pub snippet: String,
    pub node: SearchResult,
}
