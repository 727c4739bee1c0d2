//! The service layer: authorization and domain rules around the store. GraphQL
//! resolvers and REST handlers call these and nothing below them.

pub mod capabilities;
pub mod import;
pub mod instruments;
pub mod match_cache;
pub mod matching;
pub mod needs;
pub mod organizations;
pub mod projects;
pub mod talents;

use iurhub_store::Store;
use iurhub_store::taxonomy::TaxonomyKind;

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};

/// Refuses codes that are not in the shipped classification.
pub(crate) async fn check_codes(
    store: &Store,
    field: &str,
    kind: TaxonomyKind,
    codes: &[String],
) -> ApiResult<()> {
    let unknown = store.unknown_codes(kind, codes).await?;
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(ApiError::bad_input(
            field,
            format!("unknown code(s): {}", unknown.join(", ")),
        ))
    }
}

/// The organisation must exist and the caller must manage it.
pub(crate) async fn require_manageable_org(
    store: &Store,
    caller: &Caller,
    organization_id: i64,
) -> ApiResult<()> {
    if store.organization(organization_id).await?.is_none() {
        return Err(ApiError::bad_input(
            "organizationId",
            "no such organization",
        ));
    }
    if !caller.can_manage(organization_id) {
        return Err(ApiError::forbidden(
            "only members of the owning organization, coordinators and admins may do this",
        ));
    }
    Ok(())
}
