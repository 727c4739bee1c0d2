//! `importCapabilities` and `importNeeds`: the inputs of `createCapability`
//! and `createNeed`, up to 1,000 at once, all or nothing.

use async_graphql::{Context, InputObject, Object, SimpleObject};

use crate::error::{ApiError, ApiResult as Result};
use iurhub_domain::FieldError;

use super::capabilities::{CapabilityObject, CreateCapabilityInput};
use super::needs::{CreateNeedInput, NeedObject};
use crate::graphql::context::ContextExt;
use crate::graphql::ids::{Kind, decode};
use iurhub_app::import::{CapabilityRow, NeedRow, Parsed, field_errors};

/// Result of `importCapabilities`.
#[derive(SimpleObject)]
pub struct ImportCapabilitiesPayload {
    /// The new capabilities, in input order.
    pub capabilities: Vec<CapabilityObject>,
    /// How many were created (the length of the input).
    pub count: i32,
}

/// Result of `importNeeds`.
#[derive(SimpleObject)]
pub struct ImportNeedsPayload {
    /// The new needs, in input order.
    pub needs: Vec<NeedObject>,
    /// How many were created (the length of the input).
    pub count: i32,
}

#[derive(Default)]
pub struct ImportMutation;

/// Rows for `importCapabilities`.
#[derive(InputObject)]
pub struct ImportCapabilitiesInput {
    /// 1 to 1,000 capabilities, each as `createCapability` takes it;
    /// problems are named `input.rows[<zero-based row>].<field>`.
    pub rows: Vec<CreateCapabilityInput>,
    /// Publish the new capabilities at once (else they are DRAFT).
    #[graphql(default = false)]
    pub publish: bool,
}

/// Rows for `importNeeds`.
#[derive(InputObject)]
pub struct ImportNeedsInput {
    /// 1 to 1,000 needs, each as `createNeed` takes it; problems are named
    /// `input.rows[<zero-based row>].<field>`.
    pub rows: Vec<CreateNeedInput>,
    /// Publish the new needs at once (else they are DRAFT).
    #[graphql(default = false)]
    pub publish: bool,
}

#[Object]
impl ImportMutation {
    /// Creates up to 1,000 research capabilities at once, all or nothing:
    /// every row is checked like `createCapability` (the caller must be able
    /// to write for each row's organisation), and when any row is invalid
    /// nothing is written and the BAD_USER_INPUT error names every problem as
    /// `input.rows[row].field`. DRAFT, or PUBLISHED with `publish: true`; the
    /// new capabilities are searchable and matchable at once.
    async fn import_capabilities(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `ImportCapabilitiesInput`.")]
        input: ImportCapabilitiesInput,
    ) -> Result<ImportCapabilitiesPayload> {
        capabilities(ctx, input.rows, input.publish).await
    }

    /// Creates up to 1,000 technology needs at once, all or nothing, with the
    /// rules of `createNeed` and the error shape of `importCapabilities`.
    /// DRAFT, or PUBLISHED with `publish: true`.
    async fn import_needs(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The input object: see `ImportNeedsInput`.")] input: ImportNeedsInput,
    ) -> Result<ImportNeedsPayload> {
        needs(ctx, input.rows, input.publish).await
    }
}

/// Decodes a global id, recording a failure as a problem of the row.
fn id_of(errors: &mut Vec<FieldError>, field: &str, kind: Kind, id: &str) -> i64 {
    decode(field, kind, id).unwrap_or_else(|err| {
        if let ApiError::App(err) = err {
            errors.extend(field_errors(err));
        }
        0
    })
}

fn capability_row(input: CreateCapabilityInput) -> Parsed<CapabilityRow> {
    let mut errors = Vec::new();
    let org = id_of(
        &mut errors,
        "organizationId",
        Kind::Organization,
        &input.organization_id,
    );
    let talent_ids = input
        .talent_ids
        .iter()
        .enumerate()
        .map(|(i, id)| id_of(&mut errors, &format!("talentIds[{i}]"), Kind::Talent, id))
        .filter(|id| *id > 0)
        .collect();
    let fields = input.into_fields(talent_ids);
    Parsed::new((org, fields), errors)
}

fn need_row(input: CreateNeedInput) -> Parsed<NeedRow> {
    let mut errors = Vec::new();
    let org = id_of(
        &mut errors,
        "organizationId",
        Kind::Organization,
        &input.organization_id,
    );
    if input.agreement_id.is_some() {
        errors.push(FieldError::keyed(
            "agreementId",
            iurhub_domain::Message::new("agreement.import.unsupported"),
        ));
    }
    let fields = input.into_fields();
    // A new need over the API: its deadline must not have passed.
    errors.extend(iurhub_app::needs::past_deadline(fields.deadline));
    Parsed::new((org, fields), errors)
}

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

async fn capabilities(
    ctx: &Context<'_>,
    input: Vec<CreateCapabilityInput>,
    publish: bool,
) -> Result<ImportCapabilitiesPayload> {
    let caller = ctx.caller()?;
    let rows = input.into_iter().map(capability_row).collect();
    let created = iurhub_app::import::capabilities(ctx.app(), caller, rows, publish).await?;
    Ok(ImportCapabilitiesPayload {
        count: count(created.len()),
        capabilities: created.into_iter().map(CapabilityObject).collect(),
    })
}

async fn needs(
    ctx: &Context<'_>,
    input: Vec<CreateNeedInput>,
    publish: bool,
) -> Result<ImportNeedsPayload> {
    let caller = ctx.caller()?;
    let rows = input.into_iter().map(need_row).collect();
    let created = iurhub_app::import::needs(ctx.app(), caller, rows, publish).await?;
    Ok(ImportNeedsPayload {
        count: count(created.len()),
        needs: created.into_iter().map(NeedObject::new).collect(),
    })
}
