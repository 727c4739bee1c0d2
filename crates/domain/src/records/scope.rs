//! What a caller may see.

/// The reader's reach, computed once per request by the application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Platform ADMIN: everything.
    All,
    /// Anyone else: public objects, platform objects when signed in,
    /// everything of the organisations the reader manages, the projects
    /// of the organisations the reader supervises, and the agreements the
    /// reader coordinates with the work filed under them.
    Reader {
        signed_in: bool,
        /// Organisations the reader manages: those they are a member of,
        /// and every organisation below those they administer (ORG_ADMIN)
        /// or coordinate (a COORDINATOR grant).
        organization_ids: Vec<i64>,
        /// Organisations below a SUPERVISOR grant of the reader: their
        /// projects are visible, nothing of them may be changed.
        supervised_ids: Vec<i64>,
        /// Agreements of an active agreement COORDINATOR grant of the
        /// reader: the agreement and the needs, projects and activities
        /// filed under it, as a party's member (and every need's matches).
        coordinated_agreement_ids: Vec<i64>,
    },
}

impl Scope {
    pub const ANONYMOUS: Scope = Scope::Reader {
        signed_in: false,
        organization_ids: Vec::new(),
        supervised_ids: Vec::new(),
        coordinated_agreement_ids: Vec::new(),
    };

    /// A signed-in reader who manages `organization_ids` and supervises
    /// nothing.
    pub fn member_of(organization_ids: Vec<i64>) -> Scope {
        Scope::Reader {
            signed_in: true,
            organization_ids,
            supervised_ids: Vec::new(),
            coordinated_agreement_ids: Vec::new(),
        }
    }

    /// Whether the reader manages `organization_id` (or sees everything).
    pub fn manages(&self, organization_id: i64) -> bool {
        match self {
            Scope::All => true,
            Scope::Reader {
                organization_ids, ..
            } => organization_ids.contains(&organization_id),
        }
    }

    /// Whether the reader manages or supervises `organization_id` (or sees
    /// everything): who sees its projects.
    pub fn oversees(&self, organization_id: i64) -> bool {
        match self {
            Scope::All => true,
            Scope::Reader {
                organization_ids,
                supervised_ids,
                ..
            } => {
                organization_ids.contains(&organization_id)
                    || supervised_ids.contains(&organization_id)
            }
        }
    }

    /// The organisations the reader manages or supervises (those
    /// [`Scope::oversees`] names), ascending without repeats; `None` for a
    /// reader who sees everything.
    pub fn overseen_ids(&self) -> Option<Vec<i64>> {
        match self {
            Scope::All => None,
            Scope::Reader {
                organization_ids,
                supervised_ids,
                ..
            } => {
                let mut ids: Vec<i64> = organization_ids
                    .iter()
                    .chain(supervised_ids)
                    .copied()
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                Some(ids)
            }
        }
    }

    /// Whether the reader coordinates the agreement `agreement_id` (an
    /// agreement COORDINATOR grant), or sees everything; `None` (filed
    /// under no agreement) is nobody's.
    pub fn coordinates(&self, agreement_id: Option<i64>) -> bool {
        let Some(id) = agreement_id else {
            return false;
        };
        match self {
            Scope::All => true,
            Scope::Reader {
                coordinated_agreement_ids,
                ..
            } => coordinated_agreement_ids.contains(&id),
        }
    }

    pub fn signed_in(&self) -> bool {
        match self {
            Scope::All => true,
            Scope::Reader { signed_in, .. } => *signed_in,
        }
    }
}
