//! Opaque global ids (`node(id:)`) and page cursors.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use iurhub_domain::Message;
use iurhub_domain::records::page::{Key, SortValue};

use crate::error::ApiError;

/// The object kinds that have global ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Organization,
    User,
    Membership,
    Need,
    Capability,
    Talent,
    /// A (need, capability) pair; its number packs both ids.
    Match,
    Project,
    Milestone,
    ChecklistItem,
    ProjectEvent,
    Instrument,
    Booking,
    MaintenanceWindow,
    CalendarFeed,
    RoleGrant,
    Agreement,
    PlanTarget,
    PlanWorkItem,
    Activity,
    ActivityParticipant,
    AgreementCoordinatorGrant,
    Disclosure,
    Interest,
    Thread,
    ThreadMessage,
    /// A file of a conversation (downloaded over REST; not a `Node`).
    Attachment,
    Notification,
    /// A saved search of the signed-in user (not a `Node`).
    SavedSearch,
    /// A testing center (public; not a `Node`).
    Center,
    /// A place of the signed-in user on a waiting list (not a `Node`).
    WaitlistEntry,
    /// A testing service order (not a `Node`: `serviceOrder(id:)`).
    ServiceOrder,
    /// A test item of a center's price list (not a `Node`).
    TestItem,
    /// A billing account (not a `Node`: `billingAccount(organizationId:)`).
    BillingAccount,
    /// An invoice (not a `Node`: `invoice(id:)`).
    Invoice,
}

impl Kind {
    const ALL: [Kind; 35] = [
        Kind::Organization,
        Kind::User,
        Kind::Membership,
        Kind::Need,
        Kind::Capability,
        Kind::Talent,
        Kind::Match,
        Kind::Project,
        Kind::Milestone,
        Kind::ChecklistItem,
        Kind::ProjectEvent,
        Kind::Instrument,
        Kind::Booking,
        Kind::MaintenanceWindow,
        Kind::CalendarFeed,
        Kind::RoleGrant,
        Kind::Agreement,
        Kind::PlanTarget,
        Kind::PlanWorkItem,
        Kind::Activity,
        Kind::ActivityParticipant,
        Kind::AgreementCoordinatorGrant,
        Kind::Disclosure,
        Kind::Interest,
        Kind::Thread,
        Kind::ThreadMessage,
        Kind::Attachment,
        Kind::Notification,
        Kind::SavedSearch,
        Kind::Center,
        Kind::WaitlistEntry,
        Kind::ServiceOrder,
        Kind::TestItem,
        Kind::BillingAccount,
        Kind::Invoice,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Organization => "Organization",
            Kind::User => "User",
            Kind::Membership => "Membership",
            Kind::Need => "Need",
            Kind::Capability => "Capability",
            Kind::Talent => "Talent",
            Kind::Match => "Match",
            Kind::Project => "Project",
            Kind::Milestone => "Milestone",
            Kind::ChecklistItem => "ChecklistItem",
            Kind::ProjectEvent => "ProjectEvent",
            Kind::Instrument => "Instrument",
            Kind::Booking => "Booking",
            Kind::MaintenanceWindow => "MaintenanceWindow",
            Kind::CalendarFeed => "CalendarFeed",
            Kind::RoleGrant => "RoleGrant",
            Kind::Agreement => "Agreement",
            Kind::PlanTarget => "PlanTarget",
            Kind::PlanWorkItem => "PlanWorkItem",
            Kind::Activity => "Activity",
            Kind::ActivityParticipant => "ActivityParticipant",
            Kind::AgreementCoordinatorGrant => "AgreementCoordinatorGrant",
            Kind::Disclosure => "Disclosure",
            Kind::Interest => "Interest",
            Kind::Thread => "Thread",
            Kind::ThreadMessage => "ThreadMessage",
            Kind::Attachment => "Attachment",
            Kind::Notification => "Notification",
            Kind::SavedSearch => "SavedSearch",
            Kind::Center => "TestingCenter",
            Kind::WaitlistEntry => "WaitlistEntry",
            Kind::ServiceOrder => "ServiceOrder",
            Kind::TestItem => "TestItem",
            Kind::BillingAccount => "BillingAccount",
            Kind::Invoice => "Invoice",
        }
    }
}

/// `Need:42` → an opaque URL-safe string.
pub fn encode(kind: Kind, id: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}:{id}", kind.name()))
}

/// The id of the (need, capability) pair.
pub fn encode_match(need_id: i64, capability_id: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("Match:{need_id}.{capability_id}"))
}

/// A match id back into (need id, capability id).
pub fn decode_match(field: &str, id: &str) -> Result<(i64, i64), ApiError> {
    let bad = || invalid(field, Message::new("id.malformed"));
    let raw = URL_SAFE_NO_PAD.decode(id.trim()).map_err(|_| bad())?;
    let text = std::str::from_utf8(&raw).map_err(|_| bad())?;
    let pair = text.strip_prefix("Match:").ok_or_else(bad)?;
    let (n, c) = pair.split_once('.').ok_or_else(bad)?;
    let (n, c): (i64, i64) = (n.parse().map_err(|_| bad())?, c.parse().map_err(|_| bad())?);
    if n <= 0 || c <= 0 {
        return Err(bad());
    }
    Ok((n, c))
}

/// Any global id back into its kind and database id.
pub fn decode_any(field: &str, id: &str) -> Result<(Kind, i64), ApiError> {
    let bad = || invalid(field, Message::new("id.malformed"));
    let raw = URL_SAFE_NO_PAD.decode(id.trim()).map_err(|_| bad())?;
    let text = std::str::from_utf8(&raw).map_err(|_| bad())?;
    let (name, num) = text.split_once(':').ok_or_else(bad)?;
    let kind = Kind::ALL
        .into_iter()
        .find(|k| k.name() == name)
        .ok_or_else(bad)?;
    let num: i64 = num.parse().map_err(|_| bad())?;
    if num <= 0 {
        return Err(bad());
    }
    Ok((kind, num))
}

/// A global id that must be of `kind`.
pub fn decode(field: &str, kind: Kind, id: &str) -> Result<i64, ApiError> {
    match decode_any(field, id)? {
        (k, num) if k == kind => Ok(num),
        (other, _) => Err(invalid(
            field,
            Message::new("id.wrong_kind")
                .with("actual", other.name())
                .with("expected", kind.name()),
        )),
    }
}

fn invalid(field: &str, text: Message) -> ApiError {
    ApiError::App(iurhub_app::AppError::invalid(field, text))
}

/// Encodes a row position; `order` names the ordering so a cursor from one
/// ordering is refused by another.
pub fn encode_cursor(order: &str, key: &Key) -> String {
    let value = match &key.value {
        SortValue::Int(i) => serde_json::json!({ "i": i }),
        SortValue::Text(s) => serde_json::json!({ "s": s }),
        SortValue::Time(t) => serde_json::json!({ "t": t.to_rfc3339() }),
    };
    URL_SAFE_NO_PAD.encode(serde_json::json!([order, value, key.id]).to_string())
}

/// The ordering a cursor produced by [`encode_cursor`] names.
pub fn cursor_order(field: &str, cursor: &str) -> Result<String, ApiError> {
    let bad = || invalid(field, Message::new("cursor.invalid"));
    let raw = URL_SAFE_NO_PAD.decode(cursor.trim()).map_err(|_| bad())?;
    let json: serde_json::Value = serde_json::from_slice(&raw).map_err(|_| bad())?;
    json.get(0)
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned)
        .ok_or_else(bad)
}

/// Decodes a cursor produced by [`encode_cursor`] for the same ordering.
pub fn decode_cursor(field: &str, order: &str, cursor: &str) -> Result<Key, ApiError> {
    let bad = || invalid(field, Message::new("cursor.invalid"));
    let raw = URL_SAFE_NO_PAD.decode(cursor.trim()).map_err(|_| bad())?;
    let json: serde_json::Value = serde_json::from_slice(&raw).map_err(|_| bad())?;
    let [tag, value, id] = json.as_array().map(Vec::as_slice).ok_or_else(bad)? else {
        return Err(bad());
    };
    if tag.as_str() != Some(order) {
        return Err(bad());
    }
    let id = id.as_i64().ok_or_else(bad)?;
    let value = if let Some(i) = value.get("i").and_then(|v| v.as_i64()) {
        SortValue::Int(i)
    } else if let Some(s) = value.get("s").and_then(|v| v.as_str()) {
        SortValue::Text(s.to_owned())
    } else if let Some(t) = value.get("t").and_then(|v| v.as_str()) {
        SortValue::Time(
            DateTime::parse_from_rfc3339(t)
                .map_err(|_| bad())?
                .with_timezone(&Utc),
        )
    } else {
        return Err(bad());
    };
    Ok(Key { value, id })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_check_kind() {
        let id = encode(Kind::Need, 42);
        assert_eq!(decode("id", Kind::Need, &id).unwrap(), 42);
        let err = decode("id", Kind::Capability, &id).unwrap_err();
        assert!(err.message().contains("is a Need ID"));
        for bad in [
            "",
            "!!!",
            "TmVlZDo",
            &URL_SAFE_NO_PAD.encode("Need:-1"),
            &URL_SAFE_NO_PAD.encode("Ghost:1"),
        ] {
            assert!(decode_any("id", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn cursors_round_trip_and_are_bound_to_their_ordering() {
        let key = Key {
            value: SortValue::Text("轴承".into()),
            id: 9,
        };
        let c = encode_cursor("need:TITLE", &key);
        assert_eq!(decode_cursor("after", "need:TITLE", &c).unwrap(), key);
        assert!(decode_cursor("after", "need:CREATED_AT", &c).is_err());
        assert!(decode_cursor("after", "need:TITLE", "garbage").is_err());
        let t = Key {
            value: SortValue::Time(Utc::now()),
            id: 1,
        };
        let c = encode_cursor("x", &t);
        assert_eq!(decode_cursor("after", "x", &c).unwrap(), t);
    }
}
