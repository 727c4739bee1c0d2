//! DataLoaders: one newtype key per batched lookup, so every relation field of
//! the GraphQL schema costs one query per request level, not one per row.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;

use iurhub_store::organizations::Organization;
use iurhub_store::talents::Talent;
use iurhub_store::taxonomy::{TaxonomyEntry, TaxonomyKind};
use iurhub_store::users::User;
use iurhub_store::{Store, StoreError};

/// Loader errors are shared between the waiting fields.
pub type LoadError = Arc<StoreError>;

/// Batches lookups against the [`Store`].
pub struct StoreLoader(pub Store);

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

impl Loader<OrganizationId> for StoreLoader {
    type Value = Organization;
    type Error = LoadError;
    async fn load(
        &self,
        keys: &[OrganizationId],
    ) -> Result<HashMap<OrganizationId, Organization>, LoadError> {
        let rows = self.0.organizations_by_ids(&ids(keys, |k| k.0)).await?;
        Ok(rows
            .into_iter()
            .map(|o| (OrganizationId(o.id), o))
            .collect())
    }
}

impl Loader<OrganizationChildren> for StoreLoader {
    type Value = Vec<Organization>;
    type Error = LoadError;
    async fn load(
        &self,
        keys: &[OrganizationChildren],
    ) -> Result<HashMap<OrganizationChildren, Vec<Organization>>, LoadError> {
        let rows = self.0.children_of(&ids(keys, |k| k.0)).await?;
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

impl Loader<UserId> for StoreLoader {
    type Value = User;
    type Error = LoadError;
    async fn load(&self, keys: &[UserId]) -> Result<HashMap<UserId, User>, LoadError> {
        let rows = self.0.users_by_ids(&ids(keys, |k| k.0)).await?;
        Ok(rows.into_iter().map(|u| (UserId(u.id), u)).collect())
    }
}

impl Loader<TalentId> for StoreLoader {
    type Value = Talent;
    type Error = LoadError;
    async fn load(&self, keys: &[TalentId]) -> Result<HashMap<TalentId, Talent>, LoadError> {
        let rows = self.0.talents_by_ids(&ids(keys, |k| k.0)).await?;
        Ok(rows.into_iter().map(|t| (TalentId(t.id), t)).collect())
    }
}

macro_rules! link_loader {
    ($key:ident, $read:ident, $value:ty) => {
        impl Loader<$key> for StoreLoader {
            type Value = Vec<$value>;
            type Error = LoadError;
            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Vec<$value>>, LoadError> {
                let mut found = self.0.$read(&ids(keys, |k| k.0)).await?;
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
link_loader!(CapabilityTalents, capability_talent_ids, i64);
link_loader!(TalentDisciplines, talent_disciplines, String);

macro_rules! code_loader {
    ($key:ident, $kind:expr) => {
        impl Loader<$key> for StoreLoader {
            type Value = TaxonomyEntry;
            type Error = LoadError;
            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, TaxonomyEntry>, LoadError> {
                let codes: Vec<String> = keys.iter().map(|k| k.0.clone()).collect();
                let rows = self.0.taxonomy_entries($kind, &codes).await?;
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
