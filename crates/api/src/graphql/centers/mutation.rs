//! Mutations of testing centers, instrument owners and legal entities.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};

use crate::error::ApiResult as Result;
use crate::graphql::context::ContextExt;
use crate::graphql::ids::{Kind, decode};
use crate::graphql::instruments::InstrumentObject;
use crate::graphql::organizations::OrganizationObject;
use iurhub_app::centers as service;
use iurhub_domain::records::centers::Owner;

use super::{CenterObject, OwnerObject};

fn decode_all(field: &str, kind: Kind, ids: &[ID]) -> Result<Vec<i64>> {
    ids.iter().map(|id| decode(field, kind, id)).collect()
}

/// Input of `createTestingCenter`.
#[derive(InputObject)]
pub struct CreateTestingCenterInput {
    /// The organisation running it (the caller administers it).
    pub organization_id: ID,
    /// Its name, 1–200 characters.
    pub name: String,
    /// What it offers (at most 5,000 characters).
    #[graphql(default)]
    pub description: String,
    /// The co-building organisations (at most 20, not the running one).
    #[graphql(default)]
    pub cobuilder_ids: Vec<ID>,
}

/// Input of `updateTestingCenter`: omitted fields are kept.
#[derive(InputObject)]
pub struct UpdateTestingCenterInput {
    /// The center.
    pub id: ID,
    /// New name.
    pub name: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// The co-building organisations, replacing the present ones.
    pub cobuilder_ids: Option<Vec<ID>>,
}

/// Result of `createTestingCenter` and `updateTestingCenter`.
#[derive(SimpleObject)]
pub struct TestingCenterPayload {
    /// The center as it is now.
    pub testing_center: CenterObject,
}

/// One owner and its share.
#[derive(InputObject)]
pub struct InstrumentOwnerInput {
    /// The owning organisation.
    pub organization_id: ID,
    /// Its share in percent, 1–100.
    pub share_percent: i32,
}

/// Input of `setInstrumentOwners`.
#[derive(InputObject)]
pub struct SetInstrumentOwnersInput {
    /// The instrument.
    pub instrument_id: ID,
    /// Every owner (1–20, each once), shares adding up to 100; each of a
    /// legal entity running or co-building the instrument's center.
    pub owners: Vec<InstrumentOwnerInput>,
}

/// Result of `setInstrumentOwners`.
#[derive(SimpleObject)]
pub struct SetInstrumentOwnersPayload {
    /// The instrument.
    pub instrument: InstrumentObject,
    /// Its owners now, largest share first.
    pub owners: Vec<OwnerObject>,
}

/// Input of `setOrganizationLegalEntity`.
#[derive(InputObject)]
pub struct SetOrganizationLegalEntityInput {
    /// The organisation.
    pub organization_id: ID,
    /// Whether it is a legal entity (法人单位).
    pub legal_entity: bool,
}

/// Result of `setOrganizationLegalEntity`.
#[derive(SimpleObject)]
pub struct SetOrganizationLegalEntityPayload {
    /// The organisation as it is now.
    pub organization: OrganizationObject,
}

#[derive(Default)]
pub struct CentersMutation;

#[Object]
impl CentersMutation {
    /// Registers a testing center run by an organisation (its ORG_ADMINs,
    /// or ADMIN).
    async fn create_testing_center(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `CreateTestingCenterInput`.")]
        input: CreateTestingCenterInput,
    ) -> Result<TestingCenterPayload> {
        let caller = ctx.caller()?;
        let org = decode("organizationId", Kind::Organization, &input.organization_id)?;
        let cobuilders = decode_all("cobuilderIds", Kind::Organization, &input.cobuilder_ids)?;
        let center = service::create(
            ctx.app(),
            caller,
            org,
            &input.name,
            &input.description,
            &cobuilders,
        )
        .await?;
        Ok(TestingCenterPayload {
            testing_center: CenterObject(center),
        })
    }

    /// Renames a testing center or replaces its co-builders (the ORG_ADMINs
    /// of the organisation running it, or ADMIN).
    async fn update_testing_center(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `UpdateTestingCenterInput`.")]
        input: UpdateTestingCenterInput,
    ) -> Result<TestingCenterPayload> {
        let caller = ctx.caller()?;
        let id = decode("id", Kind::Center, &input.id)?;
        let cobuilders = match &input.cobuilder_ids {
            Some(ids) => Some(decode_all("cobuilderIds", Kind::Organization, ids)?),
            None => None,
        };
        let center = service::update(
            ctx.app(),
            caller,
            id,
            input.name.as_deref(),
            input.description.as_deref(),
            cobuilders.as_deref(),
        )
        .await?;
        Ok(TestingCenterPayload {
            testing_center: CenterObject(center),
        })
    }

    /// Replaces the owners of an instrument and their shares (its staff).
    async fn set_instrument_owners(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `SetInstrumentOwnersInput`.")]
        input: SetInstrumentOwnersInput,
    ) -> Result<SetInstrumentOwnersPayload> {
        let caller = ctx.caller()?;
        let id = decode("instrumentId", Kind::Instrument, &input.instrument_id)?;
        let owners = input
            .owners
            .iter()
            .map(|o| {
                Ok(Owner {
                    organization_id: decode(
                        "owners.organizationId",
                        Kind::Organization,
                        &o.organization_id,
                    )?,
                    share_percent: o.share_percent,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let (instrument, owners) = service::set_owners(ctx.app(), caller, id, owners).await?;
        Ok(SetInstrumentOwnersPayload {
            instrument: InstrumentObject(instrument),
            owners: owners.into_iter().map(OwnerObject).collect(),
        })
    }

    /// Marks an organisation as a legal entity or not (ADMIN or
    /// COORDINATOR): an organisation belongs to the nearest legal entity at
    /// or above it, and "external" service is service to another legal
    /// entity than an instrument's owners'.
    async fn set_organization_legal_entity(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `SetOrganizationLegalEntityInput`.")]
        input: SetOrganizationLegalEntityInput,
    ) -> Result<SetOrganizationLegalEntityPayload> {
        let caller = ctx.caller()?;
        let org = decode("organizationId", Kind::Organization, &input.organization_id)?;
        let organization =
            service::set_legal_entity(ctx.app(), caller, org, input.legal_entity).await?;
        Ok(SetOrganizationLegalEntityPayload {
            organization: OrganizationObject(organization),
        })
    }
}
