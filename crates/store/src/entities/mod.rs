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

/// The `Relation` enum of an entity: each foreign key of its table as a
/// `belongs_to` relation, `Name: parent_table(FromColumn -> ToColumn),
/// ON DELETE action, "constraint name";` (ON UPDATE is always NO ACTION),
/// then each child table as a `has_many` relation, `Name: child_table;`.
/// What `DeriveRelation` would write from the same facts.
macro_rules! relations {
    (
        belongs_to {
            $($parent:ident: $parent_table:ident($from:ident -> $to:ident), $on_delete:ident, $fk:literal;)*
        }
        has_many {
            $($child:ident: $child_table:ident;)*
        }
    ) => {
        #[derive(Copy, Clone, Debug, EnumIter)]
        pub enum Relation {
            $($parent,)*
            $($child,)*
        }

        impl RelationTrait for Relation {
            fn def(&self) -> RelationDef {
                match self {
                    $(
                        Self::$parent => Entity::belongs_to(super::$parent_table::Entity)
                            .from(Column::$from)
                            .to(super::$parent_table::Column::$to)
                            .on_update(sea_orm::prelude::ForeignKeyAction::NoAction)
                            .on_delete(sea_orm::prelude::ForeignKeyAction::$on_delete)
                            .fk_name($fk)
                            .into(),
                    )*
                    $(Self::$child => Entity::has_many(super::$child_table::Entity).into(),)*
                }
            }
        }
    };
}

/// The `Related` impls of an entity that follow one of its own relations
/// (`target_module => RelationVariant`), and its `ActiveModelBehavior`
/// (every entity keeps sea-orm's default one).
macro_rules! related {
    ($($target:ident => $relation:ident),* $(,)?) => {
        $(
            impl Related<super::$target::Entity> for Entity {
                fn to() -> RelationDef {
                    Relation::$relation.def()
                }
            }
        )*

        impl ActiveModelBehavior for ActiveModel {}
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

pub mod bookings;
pub mod capability_disciplines;
pub mod capability_talents;
pub mod checklist_items;
pub mod cooperation_projects;
pub mod disciplines;
pub mod industries;
pub mod instrument_maintenance;
pub mod instruments;
pub mod matches;
pub mod memberships;
pub mod milestones;
pub mod need_disciplines;
pub mod need_industries;
pub mod organizations;
pub mod prelude;
pub mod project_events;
pub mod project_parties;
pub mod qualifications;
pub mod refresh_tokens;
pub mod research_capabilities;
pub mod talent_disciplines;
pub mod talent_profiles;
pub mod tech_needs;
pub mod users;

#[cfg(test)]
mod tests;
