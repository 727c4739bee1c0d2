//! Records with every field but the ones a test is about left empty, for
//! the tests of the rules on them.

use chrono::Utc;

use super::needs::Need;
use super::projects::Project;
use crate::{NeedStatus, ProjectArea, ProjectStatus, Visibility};

/// A need of `organization_id` in `status` with `visibility`.
pub(crate) fn need(organization_id: i64, status: NeedStatus, visibility: Visibility) -> Need {
    Need {
        id: 1,
        organization_id,
        created_by: 1,
        title: String::new(),
        description: String::new(),
        keywords: Vec::new(),
        trl_required: None,
        budget_min: None,
        budget_max: None,
        deadline: None,
        cooperation_modes: Vec::new(),
        visibility,
        status,
        version: 1,
        agreement_id: None,
        published_at: None,
        confirmed_at: chrono::Utc::now(),
        created_at: Utc::now(),
        updated_at: Utc::now(),
    }
}

/// A project in `status` between `party_ids`, linked to nothing.
pub(crate) fn project(status: ProjectStatus, party_ids: &[i64]) -> Project {
    let now = Utc::now();
    Project {
        id: 1,
        title: String::new(),
        area: ProjectArea::ALL[0],
        status,
        need_id: None,
        capability_id: None,
        match_id: None,
        agreement_id: None,
        start_date: None,
        end_date: None,
        termination_reason: None,
        version: 1,
        created_by: 1,
        created_at: now,
        updated_at: now,
        items_total: 0,
        items_done: 0,
        progress: 0,
        funding: None,
        agreed_at: None,
        started_at: None,
        ended_at: None,
        party_ids: party_ids.to_vec(),
        parties: party_ids
            .iter()
            .map(|o| crate::records::consent::ProjectParty {
                organization_id: *o,
                consent: crate::PartyConsent::Accepted,
                responded_by: None,
                responded_at: None,
                decline_reason: None,
            })
            .collect(),
        confirmations: Vec::new(),
    }
}
