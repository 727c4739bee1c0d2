//! Technology needs (技术需求).

use chrono::{DateTime, NaiveDate, Utc};

use super::scope::Scope;
use crate::{CooperationMode, NeedStatus, Visibility, policy};

/// A technology need as stored (codes are loaded separately).
#[derive(Debug, Clone, PartialEq)]
pub struct Need {
    pub id: i64,
    pub organization_id: i64,
    pub created_by: i64,
    pub title: String,
    pub description: String,
    pub keywords: Vec<String>,
    pub trl_required: Option<i32>,
    pub budget_min: Option<i64>,
    pub budget_max: Option<i64>,
    pub deadline: Option<NaiveDate>,
    pub cooperation_modes: Vec<CooperationMode>,
    pub visibility: Visibility,
    pub status: NeedStatus,
    pub version: i32,
    /// The framework agreement the need belongs to, if any.
    pub agreement_id: Option<i64>,
    pub published_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// When its owners last confirmed it current (confirming, editing or
    /// publishing it): a PUBLISHED listing unconfirmed for long leaves the
    /// public lists ([`crate::records::freshness`]).
    pub confirmed_at: DateTime<Utc>,
}

impl Need {
    /// Whether every signed-in user may see this need (released, public or
    /// platform): the shared documents of the search index.
    pub fn is_shared(&self) -> bool {
        policy::need_is_shared(self.status, self.visibility)
    }

    /// Whether a reader with `scope` may see this need at all (see
    /// [`policy::may_see_need`]).
    pub fn visible_to(&self, scope: &Scope) -> bool {
        policy::may_see_need(scope, self)
    }
}

/// Filters of the need list; all given ones must hold.
#[derive(Debug, Clone, Default)]
pub struct NeedFilter {
    pub organization_id: Option<i64>,
    pub statuses: Vec<NeedStatus>,
    pub visibility: Option<Visibility>,
    /// Case-insensitive text in title, description or keywords.
    pub keyword: Option<String>,
    /// A discipline code; needs with this code or one below it match.
    pub discipline_code: Option<String>,
    pub industry_code: Option<String>,
    /// Only needs that belong to this agreement.
    pub agreement_id: Option<i64>,
}

/// Orderings of the need list.
pub type NeedSort = super::page::ListSort;

/// A need written in bulk by the data generators (`Store::insert_needs` in
/// `iurhub-store`), with discipline codes the taxonomy has.
#[derive(Debug, Clone)]
pub struct NewNeed {
    pub organization_id: i64,
    pub created_by: i64,
    pub title: String,
    pub description: String,
    pub keywords: Vec<String>,
    pub trl_required: Option<i32>,
    pub budget_min: Option<i64>,
    pub budget_max: Option<i64>,
    pub deadline: Option<NaiveDate>,
    pub cooperation_modes: Vec<CooperationMode>,
    pub visibility: Visibility,
    pub status: NeedStatus,
    pub discipline_codes: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shared needs of the search index are exactly those every
    /// signed-in user may see.
    #[test]
    fn shared_is_what_a_signed_in_stranger_sees() {
        let stranger = Scope::member_of(Vec::new());
        for status in NeedStatus::ALL {
            for visibility in Visibility::ALL {
                let need = super::super::examples::need(1, *status, *visibility);
                assert_eq!(
                    need.is_shared(),
                    need.visible_to(&stranger),
                    "{status:?} {visibility:?}"
                );
            }
        }
    }
}
