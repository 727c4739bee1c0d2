//! sea-orm entities, one per table of docs/DATA-MODEL.md (the schema itself
//! is created by the `iurhub-migration` crate). Plain data: repositories
//! convert them into domain-shaped structs and nothing outside this crate sees
//! them.
//!
//! Enumerations are `String` columns holding the domain's
//! `SCREAMING_SNAKE_CASE` text, JSON documents are `String` columns, ids are
//! `i64`. Each foreign key is a `belongs_to` relation named after its
//! meaning (`Creator`, `DecidedBy`, …) with the migration's `ON DELETE`
//! action; parents have `has_many` relations to their children and link
//! tables give many-to-many `Related` impls (a need's disciplines, a
//! capability's talents, a project's parties, …).

/// The relations of an entity: its `Relation` enum, what `DeriveRelation`
/// would write from the same facts, a `Related` impl for each relation and
/// the default `ActiveModelBehavior`.
///
/// `belongs_to` lists the foreign keys of its table, `Name:
/// parent_table(FromColumn -> ToColumn), ON DELETE action, "constraint
/// name";` (ON UPDATE is always NO ACTION); `has_many` the child tables,
/// `Name: child_table;`. `not_related` lists foreign keys that get no
/// `Related` impl: a reference to the table itself, or a second key to a
/// table that another relation is already `Related` to.
macro_rules! relations {
    (
        belongs_to {
            $($parent:ident: $parent_table:ident($from:ident -> $to:ident), $on_delete:ident, $fk:literal;)*
        }
        has_many {
            $($child:ident: $child_table:ident;)*
        }
        $(not_related {
            $($other:ident: $other_table:ident($other_from:ident -> $other_to:ident), $other_on_delete:ident, $other_fk:literal;)*
        })?
    ) => {
        #[derive(Copy, Clone, Debug, EnumIter)]
        pub enum Relation {
            $($parent,)*
            $($child,)*
            $($($other,)*)?
        }

        impl RelationTrait for Relation {
            fn def(&self) -> RelationDef {
                match self {
                    $(Self::$parent => relations!(@belongs_to $parent_table, $from, $to, $on_delete, $fk),)*
                    $(Self::$child => Entity::has_many(super::$child_table::Entity).into(),)*
                    $($(Self::$other => relations!(@belongs_to $other_table, $other_from, $other_to, $other_on_delete, $other_fk),)*)?
                }
            }
        }

        $(
            impl Related<super::$parent_table::Entity> for Entity {
                fn to() -> RelationDef {
                    Relation::$parent.def()
                }
            }
        )*

        $(
            impl Related<super::$child_table::Entity> for Entity {
                fn to() -> RelationDef {
                    Relation::$child.def()
                }
            }
        )*

        impl ActiveModelBehavior for ActiveModel {}
    };
    (@belongs_to $table:ident, $from:ident, $to:ident, $on_delete:ident, $fk:literal) => {
        Entity::belongs_to(super::$table::Entity)
            .from(Column::$from)
            .to(super::$table::Column::$to)
            .on_update(sea_orm::prelude::ForeignKeyAction::NoAction)
            .on_delete(sea_orm::prelude::ForeignKeyAction::$on_delete)
            .fk_name($fk)
            .into()
    };
}

/// A many-to-many `Related` impl through a link table:
/// `target_module: link_module, ThisSide -> TargetSide`, the two names being
/// the link table's relations to this entity and to the target.
macro_rules! related_through {
    ($target:ident: $link:ident, $this:ident -> $far:ident) => {
        impl Related<super::$target::Entity> for Entity {
            fn to() -> RelationDef {
                super::$link::Relation::$far.def()
            }

            fn via() -> Option<RelationDef> {
                Some(super::$link::Relation::$this.def().rev())
            }
        }
    };
}

pub mod activities;
pub mod activity_organizations;
pub mod activity_participants;
pub mod agreement_areas;
pub mod agreement_coordinators;
pub mod agreement_parties;
pub mod agreement_responsibles;
pub mod agreements;
pub mod billing_accounts;
pub mod booking_ratings;
pub mod bookings;
pub mod calendar_feeds;
pub mod capability_disciplines;
pub mod capability_talents;
pub mod center_cobuilders;
pub mod checklist_items;
pub mod cooperation_projects;
pub mod disciplines;
pub mod disclosure_events;
pub mod industries;
pub mod instrument_maintenance;
pub mod instrument_owners;
pub mod instruments;
pub mod interests;
pub mod invoice_line_shares;
pub mod invoice_lines;
pub mod invoices;
pub mod mail_outbox;
pub mod matches;
pub mod memberships;
pub mod milestones;
pub mod need_disciplines;
pub mod need_disclosures;
pub mod need_industries;
pub mod need_teasers;
pub mod notification_preferences;
pub mod notifications;
pub mod opportunities;
pub mod opportunity_assignments;
pub mod opportunity_rankings;
pub mod organizations;
pub mod plan_targets;
pub mod plan_work_items;
pub mod prelude;
pub mod project_confirmations;
pub mod project_events;
pub mod project_parties;
pub mod qualifications;
pub mod refresh_tokens;
pub mod reminders;
pub mod research_capabilities;
pub mod role_grants;
pub mod saved_searches;
pub mod scheduled_jobs;
pub mod service_order_events;
pub mod service_order_item_lines;
pub mod service_order_lines;
pub mod service_order_ratings;
pub mod service_order_reports;
pub mod service_orders;
pub mod talent_disciplines;
pub mod talent_profiles;
pub mod tech_needs;
pub mod test_items;
pub mod testing_centers;
pub mod thread_attachments;
pub mod thread_messages;
pub mod thread_reads;
pub mod threads;
pub mod users;
pub mod waitlist_entries;

#[cfg(test)]
mod tests;
