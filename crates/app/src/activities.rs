//! Cooperation activities (合作活动) of the four areas recorded as
//! activities — talent sharing, joint training, vocational education and
//! the pairing of party organisations: who may see and record them, their
//! life cycle and their participants. The rules themselves are in
//! `iurhub_domain` (`policy`, `records::activities`, the state machine of
//! `ActivityStatus`); the store guards each step's state in the write's
//! transaction.
//!
//! - Seeing: managers of an organisation involved (members, ORG_ADMINs of
//!   an organisation above one, coordinators whose scope includes one),
//!   supervisors whose scope includes one, and admins; to anyone else an
//!   activity does not exist (NOT_FOUND).
//! - Recording, editing, moving, staffing: managers of an organisation
//!   involved (the host among them), and admins; an edit must leave the
//!   caller managing one of the organisations involved.
//! - Under an agreement: the caller may file work under it
//!   ([`crate::agreements::linkable`]), it covers the activity's area, and
//!   every organisation involved is a party or below one.
//! - PLANNED → UNDER_WAY → COMPLETED, PLANNED → COMPLETED (a one-day
//!   event), PLANNED/UNDER_WAY → CANCELLED with a reason. Completing ends
//!   an activity today (China Standard Time) unless it has an end date.

use std::collections::HashMap;

use iurhub_domain::records::activities::{
    self as rules, ActivityFields, ActivityFilter, ActivityPatch, MAX_PARTICIPANTS, MAX_REASON,
    NewParticipant, involved,
};
use iurhub_domain::validate::{self, Validator};
use iurhub_domain::{ActivityKind, ActivityStatus, Message, policy};
use iurhub_store::activities::{Activity, ActivityParticipant};
use iurhub_store::page::{Page, PageArgs};

use crate::App;
use crate::caller::{Caller, Identity};
use crate::error::{AppError, AppResult};

/// "Today" for completion: China Standard Time, as for agreements.
pub fn today() -> chrono::NaiveDate {
    crate::agreements::today()
}

/// The activity, if `who` may see it; NOT_FOUND otherwise (the same
/// answer as for an id that names nothing).
pub async fn visible(app: &App, who: &Identity, id: i64) -> AppResult<Activity> {
    match app.store.activity(id).await? {
        Some(a) if a.visible_to(who.scope()) => Ok(a),
        _ => Err(AppError::NotFound("activity")),
    }
}

/// A participant of an activity `who` may see; NOT_FOUND otherwise.
pub async fn visible_participant(
    app: &App,
    who: &Identity,
    participant_id: i64,
) -> AppResult<ActivityParticipant> {
    let missing = || AppError::NotFound("activity_participant");
    let activity_id = app
        .store
        .activity_of_participant(participant_id)
        .await?
        .ok_or_else(missing)?;
    let activity = visible(app, who, activity_id)
        .await
        .map_err(|_| missing())?;
    activity
        .participant(participant_id)
        .cloned()
        .ok_or_else(missing)
}

/// Whether the caller may edit, move and staff the activity.
pub fn can_edit(caller: &Caller, activity: &Activity) -> bool {
    policy::may_edit_activity(caller.scope(), activity)
}

/// Visible and editable by the caller: NOT_FOUND, then FORBIDDEN.
async fn editable(app: &App, caller: &Caller, id: i64) -> AppResult<Activity> {
    let activity = visible(app, &caller.identity(), id).await?;
    if !can_edit(caller, &activity) {
        return Err(AppError::denied(Message::new("activity.write.forbidden")));
    }
    Ok(activity)
}

/// What a new activity is.
#[derive(Debug, Clone)]
pub struct ActivityInput {
    pub agreement_id: Option<i64>,
    pub kind: ActivityKind,
    pub title: String,
    pub description: Option<String>,
    pub start_date: chrono::NaiveDate,
    pub end_date: Option<chrono::NaiveDate>,
    pub host_organization_id: i64,
    /// The other organisations involved (the host is added).
    pub organization_ids: Vec<i64>,
    pub attendance: Option<i32>,
    pub participants: Vec<NewParticipant>,
}

/// Checks the fields of an activity and that its organisations exist;
/// returns the fields trimmed.
async fn check_fields(
    app: &App,
    v: &mut Validator,
    fields: ActivityFields,
    organizations_changed: bool,
) -> AppResult<ActivityFields> {
    let (title, description) = rules::check_fields(
        v,
        &fields.title,
        fields.description.as_deref(),
        fields.start_date,
        fields.end_date,
        fields.attendance,
    );
    if organizations_changed {
        let known = app
            .store
            .organizations_by_ids(&fields.organization_ids)
            .await?;
        let known: Vec<i64> = known.iter().map(|o| o.id).collect();
        if !known.contains(&fields.host_organization_id) {
            v.fail(
                "hostOrganizationId",
                Message::new("activity.organizations.unknown"),
            );
        }
        if fields
            .organization_ids
            .iter()
            .any(|o| *o != fields.host_organization_id && !known.contains(o))
        {
            v.fail(
                "organizationIds",
                Message::new("activity.organizations.unknown"),
            );
        }
    }
    Ok(ActivityFields {
        title,
        description,
        ..fields
    })
}

/// Checks participants (named `participants[i]`, or `prefix` alone for
/// one) and resolves them: a talent must exist (talents are seen by every
/// signed-in user), its name and organisation are the profile's unless
/// given; a given organisation must exist.
async fn resolve_participants(
    app: &App,
    caller: &Caller,
    v: &mut Validator,
    field: impl Fn(usize) -> String,
    participants: Vec<NewParticipant>,
) -> AppResult<Vec<NewParticipant>> {
    let talent_ids: Vec<i64> = participants.iter().filter_map(|p| p.talent_id).collect();
    let talents: HashMap<i64, _> = app
        .store
        .talents_by_ids(&talent_ids)
        .await?
        .into_iter()
        .filter(|t| policy::may_see_talent(caller.scope(), t))
        .map(|t| (t.id, t))
        .collect();
    let org_ids: Vec<i64> = participants
        .iter()
        .filter_map(|p| p.organization_id)
        .collect();
    let orgs: Vec<i64> = app
        .store
        .organizations_by_ids(&org_ids)
        .await?
        .iter()
        .map(|o| o.id)
        .collect();
    let mut out = Vec::with_capacity(participants.len());
    for (i, participant) in participants.into_iter().enumerate() {
        let field = field(i);
        let name = rules::check_participant(v, &field, &participant);
        let talent = participant.talent_id.and_then(|t| talents.get(&t));
        if participant.talent_id.is_some() && talent.is_none() {
            v.fail(
                &format!("{field}.talentId"),
                Message::new("activity.participant.talent_unknown"),
            );
        }
        if participant
            .organization_id
            .is_some_and(|o| !orgs.contains(&o))
        {
            v.fail(
                &format!("{field}.organizationId"),
                Message::new("activity.participant.organization_unknown"),
            );
        }
        out.push(NewParticipant {
            name: name.or_else(|| talent.map(|t| t.name.clone())),
            organization_id: participant
                .organization_id
                .or_else(|| talent.map(|t| t.organization_id)),
            ..participant
        });
    }
    Ok(out)
}

/// The checks of an activity filed under `agreement_id`: the caller may
/// link to it when it is new to the activity ([`crate::agreements::linkable`]),
/// it covers the activity's area and every organisation involved is a
/// party or below one.
async fn check_agreement(
    app: &App,
    caller: &Caller,
    fields: &ActivityFields,
    linked_before: Option<i64>,
) -> AppResult<()> {
    let Some(id) = fields.agreement_id else {
        return Ok(());
    };
    let agreement = if linked_before == Some(id) {
        app.store
            .agreement(id)
            .await?
            .ok_or(AppError::NotFound("agreement"))?
    } else {
        crate::agreements::linkable(app, caller, "agreementId", id).await?
    };
    let mut under_parties = Vec::new();
    for party in agreement.party_ids() {
        under_parties.extend(app.store.organization_subtree_ids(party).await?);
    }
    let problems = policy::activity_fits_agreement(
        &agreement,
        fields.kind.area(),
        &fields.organization_ids,
        &under_parties,
    );
    let mut v = Validator::new();
    v.extend(problems);
    Ok(v.finish()?)
}

/// Records a PLANNED activity; the caller must manage one of the
/// organisations involved (or be an admin). Every bad field is named at
/// once.
pub async fn create(app: &App, caller: &Caller, input: ActivityInput) -> AppResult<Activity> {
    let mut v = Validator::new();
    let fields = ActivityFields {
        agreement_id: input.agreement_id,
        kind: input.kind,
        title: input.title,
        description: input.description,
        start_date: input.start_date,
        end_date: input.end_date,
        host_organization_id: input.host_organization_id,
        organization_ids: involved(input.host_organization_id, &input.organization_ids),
        attendance: input.attendance,
    };
    let fields = check_fields(app, &mut v, fields, true).await?;
    rules::check_participant_count(&mut v, "participants", input.participants.len());
    let participants = resolve_participants(
        app,
        caller,
        &mut v,
        |i| format!("participants[{i}]"),
        input.participants,
    )
    .await?;
    v.finish()?;
    if !policy::may_record_activity(
        caller.scope(),
        &fields.organization_ids,
        fields.agreement_id,
    ) {
        return Err(AppError::denied(Message::new("activity.create.forbidden")));
    }
    check_agreement(app, caller, &fields, None).await?;
    let activity = app
        .store
        .create_activity(fields, participants, caller.id())
        .await?;
    app.written();
    Ok(activity)
}

/// Changes an activity's fields (not a cancelled one's).
pub async fn update(
    app: &App,
    caller: &Caller,
    id: i64,
    patch: ActivityPatch,
    version: Option<i32>,
) -> AppResult<Activity> {
    let current = editable(app, caller, id).await?;
    let organizations_changed =
        patch.organization_ids.is_some() || patch.host_organization_id.is_some();
    let mut v = Validator::new();
    let fields = patch.apply(current.fields());
    let fields = check_fields(app, &mut v, fields, organizations_changed).await?;
    v.finish()?;
    // Nobody hands an activity over to organisations they do not manage.
    if !policy::may_record_activity(
        caller.scope(),
        &fields.organization_ids,
        fields.agreement_id,
    ) {
        return Err(AppError::denied(Message::new("activity.write.forbidden")));
    }
    // An edit that leaves the agreement, the area and the organisations as
    // they were keeps its link as it is (even to an agreement that has
    // since expired or changed).
    let relinked = fields.agreement_id != current.agreement_id
        || fields.kind.area() != current.area
        || fields.organization_ids != current.organization_ids;
    if relinked {
        check_agreement(app, caller, &fields, current.agreement_id).await?;
    }
    let activity = app
        .store
        .update_activity(id, fields, version, current.version)
        .await?;
    app.written();
    Ok(activity)
}

/// Moves an activity the caller may edit (`current`, as read) along its
/// life cycle (`reason`: a cancellation's).
async fn move_to(
    app: &App,
    current: Activity,
    to: ActivityStatus,
    reason: Option<String>,
    version: Option<i32>,
) -> AppResult<Activity> {
    let id = current.id;
    if current.status.transition(to).is_err() {
        return Err(iurhub_store::activities::transition_conflict(current.status, to).into());
    }
    let activity = app
        .store
        .move_activity(id, to, reason, today(), version)
        .await?;
    app.written();
    Ok(activity)
}

/// PLANNED → UNDER_WAY.
pub async fn start(
    app: &App,
    caller: &Caller,
    id: i64,
    version: Option<i32>,
) -> AppResult<Activity> {
    let current = editable(app, caller, id).await?;
    move_to(app, current, ActivityStatus::UnderWay, None, version).await
}

/// PLANNED or UNDER_WAY → COMPLETED; ends it today unless it has an end
/// date.
pub async fn complete(
    app: &App,
    caller: &Caller,
    id: i64,
    version: Option<i32>,
) -> AppResult<Activity> {
    let current = editable(app, caller, id).await?;
    move_to(app, current, ActivityStatus::Completed, None, version).await
}

/// PLANNED or UNDER_WAY → CANCELLED, saying why.
pub async fn cancel(
    app: &App,
    caller: &Caller,
    id: i64,
    reason: &str,
    version: Option<i32>,
) -> AppResult<Activity> {
    let current = editable(app, caller, id).await?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::invalid(
            "reason",
            Message::new("activity.cancel.reason_required"),
        ));
    }
    let reason = validate::text("reason", reason, 1, MAX_REASON)?;
    move_to(
        app,
        current,
        ActivityStatus::Cancelled,
        Some(reason),
        version,
    )
    .await
}

/// Adds one participant (at most 200 per activity).
pub async fn add_participant(
    app: &App,
    caller: &Caller,
    id: i64,
    participant: NewParticipant,
    version: Option<i32>,
) -> AppResult<Activity> {
    editable(app, caller, id).await?;
    let mut v = Validator::new();
    let mut resolved =
        resolve_participants(app, caller, &mut v, |_| String::new(), vec![participant]).await?;
    v.finish().map_err(strip_leading_dot)?;
    let activity = app
        .store
        .add_activity_participant(id, resolved.remove(0), version, MAX_PARTICIPANTS)
        .await?;
    app.written();
    Ok(activity)
}

/// The fields of one participant are named as the input's own (`hours`,
/// not `.hours`).
fn strip_leading_dot(e: iurhub_domain::DomainError) -> iurhub_domain::DomainError {
    match e {
        iurhub_domain::DomainError::Validation(fields) => iurhub_domain::DomainError::Validation(
            fields
                .into_iter()
                .map(|mut f| {
                    f.field = f.field.trim_start_matches('.').to_owned();
                    f
                })
                .collect(),
        ),
        other => other,
    }
}

/// Removes one participant; a participant of an activity the caller may
/// not see is NOT_FOUND, as one that does not exist.
pub async fn remove_participant(
    app: &App,
    caller: &Caller,
    participant_id: i64,
    version: Option<i32>,
) -> AppResult<Activity> {
    let missing = || AppError::NotFound("activity_participant");
    let activity_id = app
        .store
        .activity_of_participant(participant_id)
        .await?
        .ok_or_else(missing)?;
    editable(app, caller, activity_id)
        .await
        .map_err(|e| match e {
            AppError::NotFound(_) => missing(),
            other => other,
        })?;
    let activity = app
        .store
        .remove_activity_participant(activity_id, participant_id, version)
        .await?;
    app.written();
    Ok(activity)
}

/// The cursor tag of an activity list in this order.
pub fn list_tag(descending: bool) -> String {
    let direction = if descending { "Desc" } else { "Asc" };
    format!("activities:CreatedAt:{direction}")
}

/// The activities the caller may see, one page.
pub async fn list(
    app: &App,
    caller: &Caller,
    filter: &ActivityFilter,
    descending: bool,
    args: PageArgs,
) -> AppResult<Page<Activity>> {
    Ok(app
        .store
        .list_activities(caller.scope(), filter, descending, args)
        .await?)
}
