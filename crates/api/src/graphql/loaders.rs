//! DataLoaders: one newtype key per batched lookup, so every relation field of
//! the GraphQL schema costs one query per request level, not one per row.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;

use iurhub_app::{App, AppError, relations};
use iurhub_domain::records::agreements::Agreement;
use iurhub_domain::records::centers::{Center, Owner};
use iurhub_domain::records::organizations::Organization;
use iurhub_domain::records::talents::Talent;
use iurhub_domain::records::taxonomy::{TaxonomyEntry, TaxonomyKind};
use iurhub_domain::records::users::User;

/// Loader errors are shared between the waiting fields.
pub type LoadError = Arc<AppError>;

/// Batches lookups of relations through the application layer.
pub struct RelationLoader(pub App);

macro_rules! key {
    ($(#[$m:meta])* $name:ident($inner:ty)) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(pub $inner);
    };
}

key!(/// An organisation by id.
    OrganizationId(i64));
key!(/// The direct children of an organisation.
    OrganizationChildren(i64));
key!(/// A user by id.
    UserId(i64));
key!(/// A talent profile by id.
    TalentId(i64));
key!(/// A framework agreement by id (whoever reads it checks its visibility).
    AgreementId(i64));
key!(/// A testing center by id.
    CenterId(i64));
key!(/// The owners of an instrument.
    InstrumentOwners(i64));
key!(/// The lines of an invoice (whoever reads it checked the invoice).
    InvoiceLines(i64));
key!(/// Discipline codes of a need.
    NeedDisciplines(i64));
key!(/// Industry codes of a need.
    NeedIndustries(i64));
key!(/// Discipline codes of a capability.
    CapabilityDisciplines(i64));
key!(/// Talent ids of a capability.
    CapabilityTalents(i64));
key!(/// Discipline codes of a talent.
    TalentDisciplines(i64));
key!(/// A discipline by code.
    DisciplineCode(String));
key!(/// An industry by code.
    IndustryCode(String));

fn ids<K: Clone>(keys: &[K], f: impl Fn(&K) -> i64) -> Vec<i64> {
    keys.iter().map(f).collect()
}

impl Loader<OrganizationId> for RelationLoader {
    type Value = Organization;
    type Error = LoadError;
    async fn load(
        &self,
        keys: &[OrganizationId],
    ) -> Result<HashMap<OrganizationId, Organization>, LoadError> {
        let rows = relations::organizations(&self.0, &ids(keys, |k| k.0)).await?;
        Ok(rows
            .into_iter()
            .map(|o| (OrganizationId(o.id), o))
            .collect())
    }
}

impl Loader<OrganizationChildren> for RelationLoader {
    type Value = Vec<Organization>;
    type Error = LoadError;
    async fn load(
        &self,
        keys: &[OrganizationChildren],
    ) -> Result<HashMap<OrganizationChildren, Vec<Organization>>, LoadError> {
        let rows = relations::children(&self.0, &ids(keys, |k| k.0)).await?;
        let mut out: HashMap<OrganizationChildren, Vec<Organization>> =
            keys.iter().map(|k| (k.clone(), Vec::new())).collect();
        for o in rows {
            if let Some(p) = o.parent_id {
                out.entry(OrganizationChildren(p)).or_default().push(o);
            }
        }
        Ok(out)
    }
}

impl Loader<UserId> for RelationLoader {
    type Value = User;
    type Error = LoadError;
    async fn load(&self, keys: &[UserId]) -> Result<HashMap<UserId, User>, LoadError> {
        let rows = relations::users(&self.0, &ids(keys, |k| k.0)).await?;
        Ok(rows.into_iter().map(|u| (UserId(u.id), u)).collect())
    }
}

impl Loader<TalentId> for RelationLoader {
    type Value = Talent;
    type Error = LoadError;
    async fn load(&self, keys: &[TalentId]) -> Result<HashMap<TalentId, Talent>, LoadError> {
        let rows = relations::talents(&self.0, &ids(keys, |k| k.0)).await?;
        Ok(rows.into_iter().map(|t| (TalentId(t.id), t)).collect())
    }
}

impl Loader<AgreementId> for RelationLoader {
    type Value = Agreement;
    type Error = LoadError;
    async fn load(
        &self,
        keys: &[AgreementId],
    ) -> Result<HashMap<AgreementId, Agreement>, LoadError> {
        let rows = relations::agreements(&self.0, &ids(keys, |k| k.0)).await?;
        Ok(rows.into_iter().map(|a| (AgreementId(a.id), a)).collect())
    }
}

impl Loader<CenterId> for RelationLoader {
    type Value = Center;
    type Error = LoadError;
    async fn load(&self, keys: &[CenterId]) -> Result<HashMap<CenterId, Center>, LoadError> {
        let rows = relations::centers(&self.0, &ids(keys, |k| k.0)).await?;
        Ok(rows.into_iter().map(|c| (CenterId(c.id), c)).collect())
    }
}

macro_rules! link_loader {
    ($key:ident, $read:ident, $value:ty) => {
        impl Loader<$key> for RelationLoader {
            type Value = Vec<$value>;
            type Error = LoadError;
            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Vec<$value>>, LoadError> {
                let mut found = relations::$read(&self.0, &ids(keys, |k| k.0)).await?;
                Ok(keys
                    .iter()
                    .map(|k| (k.clone(), found.remove(&k.0).unwrap_or_default()))
                    .collect())
            }
        }
    };
}

link_loader!(NeedDisciplines, need_disciplines, String);
link_loader!(NeedIndustries, need_industries, String);
link_loader!(CapabilityDisciplines, capability_disciplines, String);
link_loader!(CapabilityTalents, capability_talents, i64);
link_loader!(TalentDisciplines, talent_disciplines, String);
link_loader!(InstrumentOwners, instrument_owners, Owner);
link_loader!(
    InvoiceLines,
    invoice_lines,
    iurhub_domain::records::billing::InvoiceLine
);

macro_rules! code_loader {
    ($key:ident, $kind:expr) => {
        impl Loader<$key> for RelationLoader {
            type Value = TaxonomyEntry;
            type Error = LoadError;
            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, TaxonomyEntry>, LoadError> {
                let codes: Vec<String> = keys.iter().map(|k| k.0.clone()).collect();
                let rows = relations::taxonomy_entries(&self.0, $kind, &codes).await?;
                Ok(rows
                    .into_iter()
                    .map(|e| ($key(e.code.clone()), e))
                    .collect())
            }
        }
    };
}

code_loader!(DisciplineCode, TaxonomyKind::Discipline);
code_loader!(IndustryCode, TaxonomyKind::Industry);
