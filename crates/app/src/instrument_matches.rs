//! Instruments for TESTING needs: a need asking for testing
//! (`CooperationMode::Testing`) is matched to the instruments that fit its
//! text — analysed as the matching engine analyses needs — as well as to
//! capabilities; a suggested capability carries the fitting instruments of
//! its legal entity (need ↔ people ↔ instruments in one suggestion).
//!
//! The reader sees the instruments they may read: every one signed in, the
//! public ones anonymous. Retired instruments are never suggested.

use iurhub_domain::records::centers::instrument_fit;
use iurhub_domain::records::instruments::Instrument;
use iurhub_domain::records::needs::Need;
use iurhub_domain::{CooperationMode, InstrumentStatus};

use crate::App;
use crate::caller::Identity;
use crate::error::AppResult;

/// Most instruments suggested for one need or one suggestion.
pub const MAX_SUGGESTED: usize = 20;

/// An instrument that fits a need, with why.
#[derive(Debug, Clone)]
pub struct InstrumentMatch {
    pub instrument: Instrument,
    /// The need's terms found in the instrument / the need's terms.
    pub score: f64,
    /// The need's terms found in the instrument.
    pub terms: Vec<String>,
}

/// The instruments `who` may read that fit `need`, best first (ties by
/// name), at most [`MAX_SUGGESTED`]; none unless the need asks for testing.
/// `legal_entity_of`: only instruments run or owned by an organisation of
/// that legal entity.
pub async fn for_need(
    app: &App,
    who: &Identity,
    need: &Need,
    legal_entity_of: Option<i64>,
) -> AppResult<Vec<InstrumentMatch>> {
    if !need.cooperation_modes.contains(&CooperationMode::Testing) {
        return Ok(Vec::new());
    }
    let need_terms = app.index.analyze(&format!(
        "{}\n{}\n{}",
        need.title,
        need.description,
        need.keywords.join("\n")
    ));
    let keyword_terms = app.index.analyze(&need.keywords.join("\n"));
    let anonymous = matches!(who, Identity::Anonymous);
    let mut instruments: Vec<Instrument> = app
        .store
        .all_instruments()
        .await?
        .into_iter()
        .filter(|i| i.status != InstrumentStatus::Retired)
        .filter(|i| i.public || !anonymous)
        .collect();
    if let Some(capability_org) = legal_entity_of {
        let entities = app.store.legal_entities().await?;
        let entity = entities.of(capability_org);
        let ids: Vec<i64> = instruments.iter().map(|i| i.id).collect();
        let owners = app.store.instrument_owners(&ids).await?;
        instruments.retain(|i| {
            entities.of(i.organization_id) == entity
                || owners
                    .get(&i.id)
                    .is_some_and(|o| o.iter().any(|o| entities.of(o.organization_id) == entity))
        });
    }
    let mut found: Vec<InstrumentMatch> = instruments
        .into_iter()
        .filter_map(|i| {
            let own = app.index.analyze(&format!(
                "{}\n{}\n{}\n{}",
                i.name, i.model, i.category, i.description
            ));
            let fit = instrument_fit(&need_terms, &keyword_terms, &own)?;
            Some(InstrumentMatch {
                instrument: i,
                score: fit.score,
                terms: fit.terms,
            })
        })
        .collect();
    found.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.instrument.name.cmp(&b.instrument.name))
            .then(a.instrument.id.cmp(&b.instrument.id))
    });
    found.truncate(MAX_SUGGESTED);
    Ok(found)
}
