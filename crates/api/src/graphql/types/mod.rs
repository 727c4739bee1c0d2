//! GraphQL object types, one file per domain area. Each wraps a store struct;
//! database models never reach the schema.

pub mod capability;
pub mod matching;
pub mod need;
pub mod node;
pub mod organization;
pub mod project;
pub mod search;
pub mod talent;
pub mod taxonomy;
pub mod user;

pub use capability::CapabilityObject;
pub use matching::{MatchFactorObject, MatchObject, NeedMatchObject, TalentMatchObject};
pub use need::NeedObject;
pub use node::Node;
pub use organization::{MembershipObject, OrganizationObject};
pub use project::{ChecklistItemObject, MilestoneObject, ProjectEventObject, ProjectObject};
pub use search::{SearchHit, SearchResult, SearchType};
pub use talent::TalentObject;
pub use taxonomy::TaxonomyEntryObject;
pub use user::UserObject;
