//! Staged confidentiality of CONFIDENTIAL needs (see
//! `iurhub_domain::records::disclosures`): the teaser the need's side
//! writes for outsiders, disclosures offered to another organisation and
//! accepted there under the non-disclosure agreement, revocation, and the
//! log of every disclosure and every read of disclosed text.
//!
//! - Writing the teaser, offering and revoking: the need's organisation's
//!   managers ([`policy::may_disclose`]).
//! - Accepting: a manager of the receiving organisation
//!   ([`policy::may_accept_disclosure`]), naming the version of the
//!   agreement they were shown.
//! - Seeing a disclosure: the need's overseers and the receiving
//!   organisation's managers ([`policy::may_see_disclosure`]); to anyone
//!   else it does not exist (NOT_FOUND). The receiving side sees the teaser;
//!   the need itself only while the disclosure is in force, each read
//!   logged ([`read_through_disclosure`]).

use iurhub_domain::records::disclosures::{
    self, Disclosure, DisclosureEvent, NDA_TEXT_EN, NDA_TEXT_ZH, NDA_VERSION, Teaser,
};
use iurhub_domain::records::scope::Scope;
use iurhub_domain::validate::Validator;
use iurhub_domain::{DisclosureStatus, Locale, Message, Visibility, policy};
use iurhub_store::needs::Need;
use iurhub_store::page::{Page, PageArgs};

use crate::App;
use crate::caller::{Caller, Identity};
use crate::error::{AppError, AppResult};

/// The version and text of the non-disclosure agreement in force.
pub fn agreement_text(locale: Locale) -> (&'static str, &'static str) {
    let text = match locale {
        Locale::Zh => NDA_TEXT_ZH,
        Locale::En => NDA_TEXT_EN,
    };
    (NDA_VERSION, text)
}

/// The need `need_id` if `caller` may see it (NOT_FOUND otherwise) and
/// disclose it (FORBIDDEN otherwise, with `refusal`).
async fn disclosable(
    app: &App,
    caller: &Caller,
    need_id: i64,
    refusal: &'static str,
) -> AppResult<Need> {
    let need = crate::needs::visible(app, &caller.identity(), need_id).await?;
    if !policy::may_disclose(caller.scope(), &need) {
        return Err(AppError::denied(Message::new(refusal)));
    }
    Ok(need)
}

/// The names of organisation `id` and of every organisation above it.
async fn names_up_from(app: &App, id: i64) -> AppResult<Vec<String>> {
    let mut names = Vec::new();
    let mut next = Some(id);
    // The tree is shallow; the bound only guards against a cycle.
    for _ in 0..32 {
        let Some(id) = next else { break };
        let Some(org) = app.store.organization(id).await? else {
            break;
        };
        names.push(org.name);
        next = org.parent_id;
    }
    Ok(names)
}

/// Writes the teaser of a need (creates or changes it).
pub async fn set_teaser(
    app: &App,
    caller: &Caller,
    need_id: i64,
    title: &str,
    summary: &str,
    expected_version: Option<i32>,
) -> AppResult<Teaser> {
    let need = disclosable(app, caller, need_id, "need_teaser.write.forbidden").await?;
    let names = names_up_from(app, need.organization_id).await?;
    let (title, summary) = disclosures::check_teaser(title, summary, &names)?;
    Ok(app
        .store
        .set_need_teaser(need_id, title, summary, expected_version, caller.id())
        .await?)
}

/// The teaser of a need its reader may see (none written yet: `None`).
pub async fn teaser(app: &App, need: &Need) -> AppResult<Option<Teaser>> {
    Ok(app.store.need_teaser(need.id).await?)
}

/// Offers the need to organisation `organization_id`: the receiving side
/// sees its teaser and may accept the non-disclosure agreement. Only a
/// released CONFIDENTIAL need with a teaser is offered, never to its own
/// organisation; a revoked disclosure is offered again in place.
pub async fn offer(
    app: &App,
    caller: &Caller,
    need_id: i64,
    organization_id: i64,
) -> AppResult<Disclosure> {
    let need = disclosable(app, caller, need_id, "disclosure.write.forbidden").await?;
    let mut v = Validator::new();
    if need.visibility != Visibility::Confidential {
        v.fail(
            "needId",
            Message::new("disclosure.need.not_confidential")
                .with("visibility", need.visibility.as_str()),
        );
    } else if !need.status.is_released() {
        v.fail(
            "needId",
            Message::new("disclosure.need.not_released").with("status", need.status.as_str()),
        );
    } else if app.store.need_teaser(need_id).await?.is_none() {
        v.fail("needId", Message::new("disclosure.teaser.missing"));
    }
    if organization_id == need.organization_id {
        v.fail(
            "organizationId",
            Message::new("disclosure.organization.own"),
        );
    } else if app.store.organization(organization_id).await?.is_none() {
        v.fail("organizationId", Message::new("reference.missing"));
    }
    v.finish()?;
    Ok(app
        .store
        .offer_disclosure(need_id, organization_id, caller.id())
        .await?)
}

/// Accepts disclosure `id` under the non-disclosure agreement of
/// `nda_version`, which must be the one in force.
pub async fn accept(
    app: &App,
    caller: &Caller,
    id: i64,
    nda_version: &str,
    expected_version: Option<i32>,
) -> AppResult<Disclosure> {
    let (d, _) = visible(app, &caller.identity(), id).await?;
    if !policy::may_accept_disclosure(caller.scope(), d.organization_id) {
        return Err(AppError::denied(Message::new(
            "disclosure.accept.forbidden",
        )));
    }
    if let Some(problem) = disclosures::check_nda_version(nda_version) {
        return Err(iurhub_domain::DomainError::Validation(vec![problem]).into());
    }
    Ok(app
        .store
        .move_disclosure(
            id,
            DisclosureStatus::Accepted,
            Some(NDA_VERSION.to_owned()),
            expected_version,
            caller.id(),
        )
        .await?)
}

/// Revokes disclosure `id`: from now on the receiving organisation sees
/// the teaser only.
pub async fn revoke(
    app: &App,
    caller: &Caller,
    id: i64,
    expected_version: Option<i32>,
) -> AppResult<Disclosure> {
    let (d, need) = visible(app, &caller.identity(), id).await?;
    if !policy::may_disclose(caller.scope(), &need) {
        return Err(AppError::denied(Message::new("disclosure.write.forbidden")));
    }
    Ok(app
        .store
        .move_disclosure(
            d.id,
            DisclosureStatus::Revoked,
            None,
            expected_version,
            caller.id(),
        )
        .await?)
}

/// Disclosure `id` with its need, if `who` may see the disclosure (else
/// NOT_FOUND). The need is for the rules only: what of it the reader is
/// shown is [`teaser_of`] or [`need_of`].
pub async fn visible(app: &App, who: &Identity, id: i64) -> AppResult<(Disclosure, Need)> {
    let not_found = || AppError::NotFound("disclosure");
    let d = app.store.disclosure(id).await?.ok_or_else(not_found)?;
    let need = app.store.need(d.need_id).await?.ok_or_else(not_found)?;
    if !policy::may_see_disclosure(who.scope(), &need, d.organization_id) {
        return Err(not_found());
    }
    Ok((d, need))
}

/// The teaser of the need of a disclosure the reader sees.
pub async fn teaser_of(app: &App, d: &Disclosure) -> AppResult<Option<Teaser>> {
    Ok(app.store.need_teaser(d.need_id).await?)
}

/// The need of a disclosure, if the reader may see it now (its overseers;
/// the receiving side while the disclosure is in force, the read logged).
pub async fn need_of(app: &App, who: &Identity, d: &Disclosure) -> AppResult<Option<Need>> {
    match crate::needs::visible(app, who, d.need_id).await {
        Ok(need) => Ok(Some(need)),
        Err(AppError::NotFound(_)) => Ok(None),
        Err(err) => Err(err),
    }
}

/// The disclosures of a need, for its overseers (FORBIDDEN otherwise).
pub async fn of_need(app: &App, who: &Identity, need: &Need) -> AppResult<Vec<Disclosure>> {
    oversee(who, need)?;
    Ok(app.store.need_disclosures(need.id).await?)
}

/// The disclosure log of a need, for its overseers (FORBIDDEN otherwise).
pub async fn log(
    app: &App,
    who: &Identity,
    need: &Need,
    args: PageArgs,
) -> AppResult<Page<DisclosureEvent>> {
    oversee(who, need)?;
    Ok(app.store.disclosure_events(need.id, args).await?)
}

fn oversee(who: &Identity, need: &Need) -> AppResult<()> {
    who.require()?;
    if policy::oversees_disclosures(who.scope(), need) {
        Ok(())
    } else {
        Err(AppError::denied(Message::new("disclosure.write.forbidden")))
    }
}

/// The disclosures offered to the organisations the caller manages (every
/// organisation's for an admin), newest first, of `status` if given.
pub async fn received(
    app: &App,
    caller: &Caller,
    status: Option<DisclosureStatus>,
    args: PageArgs,
) -> AppResult<Page<Disclosure>> {
    let orgs = match caller.scope() {
        Scope::All => None,
        _ => Some(caller.managed_org_ids()),
    };
    Ok(app.store.received_disclosures(orgs, status, args).await?)
}
