//! Testing centers, the owners of co-built instruments, and legal entities:
//! who counts as "external" to an instrument.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use crate::PlatformRole;
use crate::error::DomainError;
use crate::messages::Message;

/// A testing center: run by one organisation, co-built by others; several
/// on one platform.
#[derive(Debug, Clone, PartialEq)]
pub struct Center {
    pub id: i64,
    /// The organisation that runs it (its ORG_ADMINs manage the center).
    pub organization_id: i64,
    pub name: String,
    pub description: String,
    /// The co-building organisations, ascending.
    pub cobuilder_ids: Vec<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Center {
    /// The organisation running it and its co-builders.
    pub fn member_ids(&self) -> Vec<i64> {
        let mut ids = vec![self.organization_id];
        ids.extend(&self.cobuilder_ids);
        ids
    }
}

/// One owner of an instrument and its share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner {
    pub organization_id: i64,
    /// Percent, 1 to 100; the shares of an instrument add up to 100.
    pub share_percent: i32,
}

/// Most co-builders of a center and most owners of an instrument.
pub const MAX_PARTNERS: usize = 20;

/// The organisation tree as far as legal entities go: each organisation's
/// parent and whether it is a legal entity itself.
#[derive(Debug, Clone, Default)]
pub struct LegalEntities {
    parents: HashMap<i64, i64>,
    marked: HashSet<i64>,
}

impl LegalEntities {
    /// From each organisation's parent and the organisations marked as
    /// legal entities.
    pub fn new(parents: HashMap<i64, i64>, marked: impl IntoIterator<Item = i64>) -> Self {
        LegalEntities {
            parents,
            marked: marked.into_iter().collect(),
        }
    }

    /// The legal entity `organization_id` belongs to: the nearest
    /// organisation at or above it marked as one; the top of its tree when
    /// none is.
    pub fn of(&self, organization_id: i64) -> i64 {
        let chain = crate::policy::chain_of(organization_id, &|o| self.parents.get(&o).copied());
        chain
            .iter()
            .copied()
            .find(|o| self.marked.contains(o))
            .or_else(|| chain.last().copied())
            .unwrap_or(organization_id)
    }

    /// Whether `organization_id` is `ancestor` or below it.
    pub fn is_within(&self, organization_id: i64, ancestor: i64) -> bool {
        crate::policy::chain_of(organization_id, &|o| self.parents.get(&o).copied())
            .contains(&ancestor)
    }

    /// The legal entities of `organization_ids`, ascending, without repeats.
    pub fn of_all(&self, organization_ids: &[i64]) -> Vec<i64> {
        let mut out: Vec<i64> = organization_ids.iter().map(|o| self.of(*o)).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Whether work for `organization_id` is external to an instrument
    /// owned by `owner_ids`: its legal entity is none of the owners' legal
    /// entities (a sibling department of the owner, or a co-builder, is
    /// not external).
    pub fn is_external(&self, organization_id: i64, owner_ids: &[i64]) -> bool {
        let entity = self.of(organization_id);
        owner_ids.iter().all(|o| self.of(*o) != entity)
    }
}

/// Checks the owners of an instrument of `center`: at least one, at most
/// [`MAX_PARTNERS`], each once, shares of 1 to 100 percent adding up to
/// 100, and each owner of a legal entity that runs or co-builds the center.
pub fn check_owners(
    owners: &[Owner],
    center: &Center,
    entities: &LegalEntities,
) -> Result<(), DomainError> {
    let invalid = |m: Message| Err(DomainError::keyed("owners", m));
    if owners.is_empty() || owners.len() > MAX_PARTNERS {
        return invalid(Message::new("instrument.owners.count").with("max", MAX_PARTNERS));
    }
    let mut seen = HashSet::new();
    for o in owners {
        if !seen.insert(o.organization_id) {
            return invalid(Message::new("instrument.owners.repeated"));
        }
        if !(1..=100).contains(&o.share_percent) {
            return invalid(Message::new("instrument.owners.share_range"));
        }
    }
    let total: i32 = owners.iter().map(|o| o.share_percent).sum();
    if total != 100 {
        return invalid(Message::new("instrument.owners.share_total").with("total", total));
    }
    let center_entities = entities.of_all(&center.member_ids());
    if owners
        .iter()
        .any(|o| !center_entities.contains(&entities.of(o.organization_id)))
    {
        return invalid(Message::new("instrument.owners.outside_center"));
    }
    Ok(())
}

/// Whether an instrument of `organization_id` may belong to `center`: the
/// organisation's legal entity runs or co-builds the center.
pub fn center_admits(center: &Center, organization_id: i64, entities: &LegalEntities) -> bool {
    entities
        .of_all(&center.member_ids())
        .contains(&entities.of(organization_id))
}

/// How an instrument fits a TESTING need: the need's terms found in the
/// instrument's text, and their share of the need's terms.
#[derive(Debug, Clone, PartialEq)]
pub struct Fit {
    /// Shared terms / the need's terms, 0–1.
    pub score: f64,
    /// The shared terms, in the need's order.
    pub terms: Vec<String>,
}

/// Whether an instrument whose analysed text gives `instrument_terms` fits
/// a need whose analysed title, description and keywords give `need_terms`
/// (distinct, keywords' among them as `keyword_terms`): it does when it
/// holds one of the need's keyword terms or at least two of its terms.
pub fn instrument_fit(
    need_terms: &[String],
    keyword_terms: &[String],
    instrument_terms: &[String],
) -> Option<Fit> {
    let terms: Vec<String> = need_terms
        .iter()
        .filter(|t| instrument_terms.contains(t))
        .cloned()
        .collect();
    let keyword = terms.iter().any(|t| keyword_terms.contains(t));
    if terms.is_empty() || (terms.len() < 2 && !keyword) {
        return None;
    }
    Some(Fit {
        score: terms.len() as f64 / need_terms.len() as f64,
        terms,
    })
}

/// Who manages a center (renames it, names its co-builders): a platform
/// ADMIN, or an ORG_ADMIN of the organisation running it or of one above.
pub fn may_manage_center(
    platform_role: Option<PlatformRole>,
    administered_org_ids: &[i64],
    center: &Center,
) -> bool {
    crate::policy::may_administer(platform_role, administered_org_ids, center.organization_id)
}

/// Who reads a center's assessment figures: whoever reads the platform's
/// figures (platform staff, supervisors), and the ORG_ADMINs of the
/// organisation running it or of a co-builder (or of one above them).
pub fn may_report_on_center(
    reads_platform_figures: bool,
    administered_org_ids: &[i64],
    center: &Center,
) -> bool {
    reads_platform_figures
        || center
            .member_ids()
            .iter()
            .any(|o| administered_org_ids.contains(o))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Group 1 (legal entity) with the Testing Institute 2 and a sibling
    /// 3; University 10 (legal entity) with its College 11; the college's
    /// lab 12; an enterprise 20; a subsidiary 4 of the group registered as
    /// a legal entity of its own.
    fn tree() -> LegalEntities {
        let parents = HashMap::from([(2, 1), (3, 1), (4, 1), (11, 10), (12, 11)]);
        LegalEntities::new(parents, [1, 10, 20, 4])
    }

    fn center() -> Center {
        Center {
            id: 1,
            organization_id: 11,
            name: "Mechanical Analysis and Testing Center".into(),
            description: String::new(),
            cobuilder_ids: vec![2],
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn an_organisation_belongs_to_the_nearest_legal_entity_at_or_above_it() {
        let t = tree();
        assert_eq!(t.of(2), 1);
        assert_eq!(t.of(3), 1);
        assert_eq!(t.of(4), 4, "a subsidiary of its own");
        assert_eq!(t.of(12), 10);
        assert_eq!(t.of(20), 20);
        // Unmarked and parentless: its own top.
        assert_eq!(t.of(99), 99);
    }

    #[test]
    fn external_means_another_legal_entity_than_every_owner() {
        let t = tree();
        let owners = [11, 2];
        assert!(!t.is_external(3, &owners), "the group's sibling");
        assert!(!t.is_external(12, &owners), "the college's lab");
        assert!(!t.is_external(10, &owners), "the co-building university");
        assert!(t.is_external(20, &owners), "the enterprise");
        assert!(
            t.is_external(4, &owners),
            "a subsidiary with its own entity"
        );
    }

    #[test]
    fn an_instrument_fits_with_a_keyword_or_two_terms() {
        let v = |w: &[&str]| w.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let need = v(&["轴承", "断口", "sem", "分析"]);
        let keywords = v(&["断口"]);
        let fit = instrument_fit(&need, &keywords, &v(&["sem", "断口", "电镜"])).unwrap();
        assert_eq!(fit.terms, v(&["断口", "sem"]));
        assert_eq!(fit.score, 0.5);
        assert!(
            instrument_fit(&need, &keywords, &v(&["断口"])).is_some(),
            "a keyword"
        );
        assert!(
            instrument_fit(&need, &keywords, &v(&["sem"])).is_none(),
            "one plain term"
        );
        assert!(instrument_fit(&need, &keywords, &v(&["ct"])).is_none());
    }

    #[test]
    fn owners_share_100_percent_within_the_center() {
        let (t, c) = (tree(), center());
        let o = |organization_id, share_percent| Owner {
            organization_id,
            share_percent,
        };
        assert!(check_owners(&[o(11, 60), o(2, 40)], &c, &t).is_ok());
        assert!(check_owners(&[o(12, 100)], &c, &t).is_ok(), "the lab");
        for (owners, key) in [
            (vec![], "instrument.owners.count"),
            (vec![o(11, 60), o(11, 40)], "instrument.owners.repeated"),
            (vec![o(11, 0), o(2, 100)], "instrument.owners.share_range"),
            (vec![o(11, 60), o(2, 30)], "instrument.owners.share_total"),
            (
                vec![o(11, 60), o(20, 40)],
                "instrument.owners.outside_center",
            ),
        ] {
            match check_owners(&owners, &c, &t) {
                Err(DomainError::Validation(f)) => assert_eq!(f[0].key(), key),
                other => panic!("{owners:?}: {other:?}"),
            }
        }
        assert!(center_admits(&c, 3, &t), "the group's sibling");
        assert!(!center_admits(&c, 20, &t));
    }
}
