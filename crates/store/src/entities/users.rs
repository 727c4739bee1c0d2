//! `users` table (see docs/DATA-MODEL.md).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(column_type = "Text")]
    pub email: String,
    #[sea_orm(column_type = "Text")]
    pub password_hash: String,
    #[sea_orm(column_type = "Text")]
    pub display_name: String,
    #[sea_orm(column_type = "Text")]
    pub platform_role: Option<String>,
    /// The language of the user's e-mail (`zh-CN`, `en`).
    #[sea_orm(column_type = "Text")]
    pub locale: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// How often the user's digest e-mail goes out (`DAILY`, `WEEKLY`).
    #[sea_orm(column_type = "Text")]
    pub digest_frequency: String,
    /// When the user's last digest e-mail was written.
    pub digest_sent_at: Option<DateTimeUtc>,
}

relations! {
    belongs_to {}
    has_many {
        Memberships: memberships;
        RefreshTokens: refresh_tokens;
        CalendarFeeds: calendar_feeds;
        Notifications: notifications;
        NotificationPreferences: notification_preferences;
        SavedSearches: saved_searches;
    }
}

related_through! { organizations: memberships, User -> Organization }
