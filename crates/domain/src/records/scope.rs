//! What a caller may see.

/// The reader's reach, computed once per request by the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Platform ADMIN or COORDINATOR: everything.
    All,
    /// Anyone else: public objects, platform objects when signed in, and
    /// everything of the organisations the reader manages.
    Reader {
        signed_in: bool,
        organization_ids: Vec<i64>,
    },
}

impl Scope {
    pub const ANONYMOUS: Scope = Scope::Reader {
        signed_in: false,
        organization_ids: Vec::new(),
    };

    /// Whether the reader manages `organization_id` (or sees everything).
    pub fn manages(&self, organization_id: i64) -> bool {
        match self {
            Scope::All => true,
            Scope::Reader {
                organization_ids, ..
            } => organization_ids.contains(&organization_id),
        }
    }

    pub fn signed_in(&self) -> bool {
        match self {
            Scope::All => true,
            Scope::Reader { signed_in, .. } => *signed_in,
        }
    }
}
