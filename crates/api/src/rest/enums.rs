//! The closed vocabularies of the REST resources as OpenAPI `enum` schemas
//! (so generated clients get unions, not `string`). Each mirrors a domain
//! vocabulary variant for variant — the conversion is an exhaustive match,
//! so a value added to the domain fails to compile here until it is added —
//! and serialises as the same `SCREAMING_SNAKE_CASE` text (a test checks).

use serde::Serialize;
use utoipa::ToSchema;

/// Declares a REST enum mirroring domain vocabulary `$domain`.
macro_rules! rest_enum {
    ($(#[$meta:meta])* $name:ident mirrors $domain:ident { $($variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Serialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum $name {
            $($variant),+
        }

        impl From<iurhub_domain::$domain> for $name {
            fn from(d: iurhub_domain::$domain) -> Self {
                match d {
                    $(iurhub_domain::$domain::$variant => $name::$variant),+
                }
            }
        }

        #[cfg(test)]
        impl $name {
            /// Every domain value with its text here and in the domain.
            fn texts() -> Vec<(String, &'static str)> {
                iurhub_domain::$domain::ALL
                    .iter()
                    .map(|d| {
                        let here = serde_json::to_value($name::from(*d)).unwrap();
                        (here.as_str().unwrap().to_owned(), d.as_str())
                    })
                    .collect()
            }
        }
    };
}

/// What a match score is made of (as `MatchFactorName` in GraphQL).
#[derive(Serialize, ToSchema, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MatchFactorName {
    /// How well the texts match (BM25, relative to the best candidate).
    TextRelevance,
    /// Shared disciplines, with partial credit along the classification.
    Disciplines,
    /// The share of the need's keywords among the candidate's.
    Keywords,
    /// Whether the candidate reaches the required readiness level.
    TrlFit,
    /// The wanted cooperation modes someone responsible is available for.
    CooperationModes,
    /// Whether both sides are in the same region.
    Region,
    /// Projects the candidate's organisation completed with others.
    TrackRecord,
}

impl From<iurhub_matching::FactorName> for MatchFactorName {
    fn from(name: iurhub_matching::FactorName) -> Self {
        use iurhub_matching::FactorName as F;
        match name {
            F::Text => MatchFactorName::TextRelevance,
            F::Discipline => MatchFactorName::Disciplines,
            F::Keywords => MatchFactorName::Keywords,
            F::Trl => MatchFactorName::TrlFit,
            F::CooperationMode => MatchFactorName::CooperationModes,
            F::Region => MatchFactorName::Region,
            F::TrackRecord => MatchFactorName::TrackRecord,
        }
    }
}

rest_enum! {
    /// Life cycle of a need: DRAFT → PUBLISHED → IN_COOPERATION → CLOSED, or WITHDRAWN.
    NeedStatus mirrors NeedStatus { Draft, Published, InCooperation, Closed, Withdrawn }
}

rest_enum! {
    /// Who may see a need: everybody, signed-in users, or its organisation and coordinators.
    Visibility mirrors Visibility { Public, Platform, Confidential }
}

rest_enum! {
    /// A way of cooperating.
    CooperationMode mirrors CooperationMode {
        Consulting, Secondment, JointTraining, JointResearch, TechnologyTransfer, Testing,
    }
}

rest_enum! {
    /// Life cycle of a capability.
    CapabilityStatus mirrors CapabilityStatus { Draft, Published, Archived }
}

rest_enum! {
    /// What an achievement is.
    AchievementKind mirrors AchievementKind { Patent, Paper, Award, Project, Standard, Software }
}

rest_enum! {
    /// Where a (need, capability) pair stands.
    MatchStatus mirrors MatchStatus { Suggested, Shortlisted, Contacted, Accepted, Declined }
}

rest_enum! {
    /// What an organisation is.
    OrgKind mirrors OrgKind { Enterprise, University, Institute, Government, Other }
}

rest_enum! {
    /// The area of the cooperation agreement a project belongs to.
    ProjectArea mirrors ProjectArea {
        TalentSharing, JointTraining, JointResearchPlatform, TestingCenter,
        VocationalEducation, OrganizationPairing, Other,
    }
}

rest_enum! {
    /// Life cycle of a project.
    ProjectStatus mirrors ProjectStatus { Proposed, Agreed, InProgress, Completed, Terminated }
}

rest_enum! {
    /// Whether an instrument can be booked.
    InstrumentStatus mirrors InstrumentStatus { Available, Maintenance, Retired }
}

#[cfg(test)]
mod tests {
    #[test]
    fn factor_names_are_spelled_as_in_graphql() {
        use iurhub_matching::FactorName as F;
        for name in [
            F::Text,
            F::Discipline,
            F::Keywords,
            F::Trl,
            F::CooperationMode,
            F::Region,
            F::TrackRecord,
        ] {
            let here = serde_json::to_value(super::MatchFactorName::from(name)).unwrap();
            assert_eq!(here, name.api_name());
        }
    }

    use super::*;

    #[test]
    fn every_rest_enum_spells_its_values_as_the_domain_does() {
        for texts in [
            NeedStatus::texts(),
            Visibility::texts(),
            CooperationMode::texts(),
            CapabilityStatus::texts(),
            AchievementKind::texts(),
            MatchStatus::texts(),
            OrgKind::texts(),
            ProjectArea::texts(),
            ProjectStatus::texts(),
            InstrumentStatus::texts(),
        ] {
            for (here, domain) in texts {
                assert_eq!(here, domain);
            }
        }
    }
}
