//! Relations of objects the caller was already shown, read in batches (the
//! GraphQL DataLoaders' source): organisations, users, talents, codes. The
//! object types decide which of their fields a caller may read.

use std::collections::HashMap;

use iurhub_store::agreements::Agreement;
use iurhub_store::organizations::Organization;
use iurhub_store::talents::Talent;
use iurhub_store::taxonomy::{TaxonomyEntry, TaxonomyKind};
use iurhub_store::users::User;

use crate::App;
use crate::error::AppResult;

pub async fn organizations(app: &App, ids: &[i64]) -> AppResult<Vec<Organization>> {
    Ok(app.store.organizations_by_ids(ids).await?)
}

/// The direct children of the organisations `parent_ids`.
pub async fn children(app: &App, parent_ids: &[i64]) -> AppResult<Vec<Organization>> {
    Ok(app.store.children_of(parent_ids).await?)
}

pub async fn users(app: &App, ids: &[i64]) -> AppResult<Vec<User>> {
    Ok(app.store.users_by_ids(ids).await?)
}

/// Framework agreements by id; the caller decides who may read each one
/// (`Agreement::visible_to`).
pub async fn agreements(app: &App, ids: &[i64]) -> AppResult<Vec<Agreement>> {
    Ok(app.store.agreements_by_ids(ids).await?)
}

/// Testing centers by id (public).
pub async fn centers(app: &App, ids: &[i64]) -> AppResult<Vec<iurhub_store::centers::Center>> {
    Ok(app.store.centers_by_ids(ids).await?)
}

/// The lines of each invoice, in order, with the owners' shares (for
/// invoices their reader was shown already).
pub async fn invoice_lines(
    app: &App,
    ids: &[i64],
) -> AppResult<HashMap<i64, Vec<iurhub_store::billing::InvoiceLine>>> {
    let mut out: HashMap<i64, Vec<_>> = HashMap::new();
    for line in app.store.invoice_lines(ids).await? {
        out.entry(line.invoice_id).or_default().push(line);
    }
    Ok(out)
}

/// The owners of each instrument, largest share first (public).
pub async fn instrument_owners(
    app: &App,
    ids: &[i64],
) -> AppResult<HashMap<i64, Vec<iurhub_store::centers::Owner>>> {
    Ok(app.store.instrument_owners(ids).await?)
}

pub async fn talents(app: &App, ids: &[i64]) -> AppResult<Vec<Talent>> {
    Ok(app.store.talents_by_ids(ids).await?)
}

/// Discipline codes per need.
pub async fn need_disciplines(app: &App, ids: &[i64]) -> AppResult<HashMap<i64, Vec<String>>> {
    Ok(app.store.need_disciplines(ids).await?)
}

/// Industry codes per need.
pub async fn need_industries(app: &App, ids: &[i64]) -> AppResult<HashMap<i64, Vec<String>>> {
    Ok(app.store.need_industries(ids).await?)
}

/// Discipline codes per capability.
pub async fn capability_disciplines(
    app: &App,
    ids: &[i64],
) -> AppResult<HashMap<i64, Vec<String>>> {
    Ok(app.store.capability_disciplines(ids).await?)
}

/// Talent ids per capability.
pub async fn capability_talents(app: &App, ids: &[i64]) -> AppResult<HashMap<i64, Vec<i64>>> {
    Ok(app.store.capability_talent_ids(ids).await?)
}

/// Discipline codes per talent.
pub async fn talent_disciplines(app: &App, ids: &[i64]) -> AppResult<HashMap<i64, Vec<String>>> {
    Ok(app.store.talent_disciplines(ids).await?)
}

/// Entries of a classification by code.
pub async fn taxonomy_entries(
    app: &App,
    kind: TaxonomyKind,
    codes: &[String],
) -> AppResult<Vec<TaxonomyEntry>> {
    Ok(app.store.taxonomy_entries(kind, codes).await?)
}

/// One level of a classification: the top level (`parent` `None`) or the
/// children of `parent`.
pub async fn taxonomy_level(
    app: &App,
    kind: TaxonomyKind,
    parent: Option<&str>,
) -> AppResult<Vec<TaxonomyEntry>> {
    Ok(app.store.taxonomy(kind, Some(parent)).await?)
}
