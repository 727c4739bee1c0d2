//! The GraphQL schema and its HTTP endpoint.
//!
//! The schema is one module per area: `organizations` (with users and
//! memberships), `needs`, `capabilities`, `talents`, `matching` (with
//! search), `taxonomy`, `projects`, `instruments` (the testing center),
//! `import` and `node` (the Relay `Node` interface). Each holds the area's
//! object types (`objects.rs`), its inputs and payloads, and its root fields
//! as `<Area>Query` and `<Area>Mutation` (in `mutation.rs` when they would
//! make `mod.rs` too long); [`QueryRoot`] and [`Mutations`] merge them.
//! Subscriptions are one root in `subscription`, next to the WebSocket
//! transport they need. The other modules are shared: global ids, paging,
//! enums, inputs several areas use, the request context, DataLoaders,
//! document limits, the HTTP and WebSocket handlers and the response cache.

pub mod activities;
pub mod agreements;
pub mod billing;
pub mod capabilities;
pub mod centers;
mod context;
pub mod convention;
pub mod disclosures;
pub mod docking;
pub mod enums;
pub mod graphiql;
mod handler;
pub mod ids;
pub mod import;
mod inputs;
pub mod instruments;
pub mod limits;
pub mod loaders;
pub mod matching;
pub mod needs;
pub mod node;
pub mod notifications;
mod nulls;
pub mod opportunities;
pub mod organizations;
pub mod paging;
pub mod plans;
pub mod projects;
pub mod response_cache;
pub mod scalars;
pub mod service_orders;
pub mod stats;
mod subscription;
pub mod talents;
pub mod taxonomy;
pub mod threads;
mod ws;

use async_graphql::{MergedObject, SDLExportOptions, Schema};
use std::sync::Arc;

use iurhub_app::App;

use activities::{ActivitiesMutation, ActivitiesQuery};
use agreements::{AgreementsMutation, AgreementsQuery};
use billing::{BillingMutation, BillingQuery};
use capabilities::{CapabilitiesMutation, CapabilitiesQuery};
use centers::{CentersMutation, CentersQuery};
use disclosures::{DisclosuresMutation, DisclosuresQuery};
use docking::DockingMutation;
pub use handler::{graphiql, graphql_get, graphql_post};
use import::ImportMutation;
use instruments::{InstrumentsMutation, InstrumentsQuery, SharingMutation};
use matching::{MatchingMutation, MatchingQuery};
use needs::{NeedsMutation, NeedsQuery};
use node::NodeQuery;
use notifications::saved_searches::{SavedSearchesMutation, SavedSearchesQuery};
use notifications::{NotificationsMutation, NotificationsQuery};
use opportunities::{OpportunitiesMutation, OpportunitiesQuery};
use organizations::{OrganizationsMutation, OrganizationsQuery};
use plans::PlansMutation;
use projects::{ProjectConsentMutation, ProjectsMutation, ProjectsQuery};
use service_orders::{ServiceOrderRunMutation, ServiceOrdersMutation, ServiceOrdersQuery};
use stats::StatsQuery;
pub use subscription::{Subscription, SuggestMinScore};
use talents::{TalentsMutation, TalentsQuery};
use taxonomy::TaxonomyQuery;
use threads::ThreadsMutation;
pub use ws::{SIGN_IN_ENDED, graphql_ws};

use crate::config::Settings;

/// Every query field.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(
    OrganizationsQuery,
    NodeQuery,
    NeedsQuery,
    CapabilitiesQuery,
    TalentsQuery,
    MatchingQuery,
    TaxonomyQuery,
    ProjectsQuery,
    InstrumentsQuery,
    CentersQuery,
    ServiceOrdersQuery,
    BillingQuery,
    AgreementsQuery,
    StatsQuery,
    ActivitiesQuery,
    DisclosuresQuery,
    NotificationsQuery,
    OpportunitiesQuery,
    SavedSearchesQuery,
);

/// Every mutation.
// A committed write forgets the kept answers to anonymous queries inside the
// application layer (`iurhub_app::Forget`), whichever transport ran it.
#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct MutationRoot(
    OrganizationsMutation,
    NeedsMutation,
    CapabilitiesMutation,
    ImportMutation,
    MatchingMutation,
    DockingMutation,
    TalentsMutation,
    ProjectsMutation,
    ProjectConsentMutation,
    InstrumentsMutation,
    CentersMutation,
    SharingMutation,
    ServiceOrdersMutation,
    BillingMutation,
    ServiceOrderRunMutation,
    AgreementsMutation,
    PlansMutation,
    ActivitiesMutation,
    DisclosuresMutation,
    ThreadsMutation,
    NotificationsMutation,
    OpportunitiesMutation,
    SavedSearchesMutation,
);

pub type ApiSchema = Schema<QueryRoot, MutationRoot, Subscription>;

/// What resolvers reach besides the request: the application layer, and
/// the answers kept for anonymous queries (the HTTP handler reads them).
#[derive(Clone)]
pub struct Services {
    pub app: App,
    /// Answers to anonymous queries (every committed write forgets them).
    pub response_cache: Arc<response_cache::ResponseCache>,
}

/// Where a schema serves: the two differ only in their extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// POST and GET `/graphql`: no async-graphql extension. With any
    /// extension registered, async-graphql sends every field of every
    /// response through the extension chain (a registry lookup and a boxed
    /// future per field); the HTTP handler checks the document limits and
    /// records the metrics itself instead.
    Http,
    /// `/graphql/ws`: the document limits and the metrics as extensions.
    WebSocket,
}

/// Builds the schema with the limits of `settings`. Without a store it can only
/// print its SDL.
pub fn build_schema(
    services: Option<Services>,
    settings: &Settings,
    transport: Transport,
) -> ApiSchema {
    // The depth is `limits::DocumentLimits`' alone (checked before this
    // schema sees a document, on both transports): async-graphql's would
    // count the introspection query's 15 levels of `ofType` too.
    let mut builder = Schema::build(QueryRoot::default(), MutationRoot::default(), Subscription)
        .limit_complexity(settings.graphql_max_complexity)
        .limit_directives(settings.graphql_max_directives)
        .disable_suggestions();
    if !settings.introspection_enabled() {
        builder = builder.disable_introspection();
    }
    if transport == Transport::WebSocket {
        builder = builder.extension(limits::DocumentLimits::from_settings(settings));
        // Over HTTP the handler runs this pass itself (no extensions there).
        builder = builder.extension(nulls::SpecNulls);
        if settings.metrics_enabled {
            builder = builder.extension(crate::metrics::GraphqlMetrics);
        }
    }
    if let Some(Services {
        app,
        response_cache,
    }) = services
    {
        builder = builder
            .data(response_cache)
            .data(app)
            .data(SuggestMinScore(settings.matching_suggest_min_score))
            .data(paging::PageSizeMax(settings.page_size_max));
    }
    describe_connections(builder).finish()
}

/// async-graphql leaves its connection types undescribed; each list's is
/// stated here (the schema is the frontend teams' manual).
fn describe_connections(
    builder: async_graphql::SchemaBuilder<QueryRoot, MutationRoot, Subscription>,
) -> async_graphql::SchemaBuilder<QueryRoot, MutationRoot, Subscription> {
    use paging::Conn;
    macro_rules! page_of {
        ($what:literal) => {
            concat!(
                "A page of ",
                $what,
                " (a Relay cursor connection): `edges` with cursors, `nodes`, ",
                "`pageInfo`, and `totalCount` for the whole list."
            )
        };
    }
    builder
        .override_output_type_description::<Conn<activities::ActivityObject>>(page_of!(
            "cooperation activities"
        ))
        .override_output_type_description::<Conn<agreements::AgreementObject>>(page_of!(
            "framework agreements"
        ))
        .override_output_type_description::<Conn<instruments::BookingObject>>(page_of!("bookings"))
        .override_output_type_description::<Conn<billing::InvoiceObject>>(page_of!("invoices"))
        .override_output_type_description::<Conn<service_orders::ServiceOrderObject>>(page_of!(
            "testing service orders"
        ))
        .override_output_type_description::<Conn<instruments::BookingRatingObject>>(page_of!(
            "an instrument's ratings"
        ))
        .override_output_type_description::<Conn<capabilities::CapabilityObject>>(page_of!(
            "capabilities"
        ))
        .override_output_type_description::<Conn<instruments::InstrumentObject>>(page_of!(
            "instruments"
        ))
        .override_output_type_description::<Conn<centers::CenterObject>>(page_of!(
            "testing centers"
        ))
        .override_output_type_description::<Conn<disclosures::DisclosureObject>>(page_of!(
            "disclosures of confidential needs"
        ))
        .override_output_type_description::<Conn<disclosures::DisclosureEventObject>>(page_of!(
            "the lines of a need's disclosure log"
        ))
        .override_output_type_description::<Conn<docking::InterestObject>>(page_of!(
            "the research side's interests in a need"
        ))
        .override_output_type_description::<Conn<matching::MatchObject>>(page_of!(
            "a need's suggested capabilities"
        ))
        .override_output_type_description::<Conn<organizations::MembershipObject>>(page_of!(
            "memberships"
        ))
        .override_output_type_description::<Conn<matching::NeedMatchObject>>(page_of!(
            "the needs a capability fits"
        ))
        .override_output_type_description::<Conn<needs::NeedObject>>(page_of!("technology needs"))
        .override_output_type_description::<Conn<organizations::OrganizationObject>>(page_of!(
            "organisations"
        ))
        .override_output_type_description::<Conn<projects::ProjectEventNode>>(page_of!(
            "a project's timeline events"
        ))
        .override_output_type_description::<Conn<projects::ProjectObject>>(page_of!("projects"))
        .override_output_type_description::<Conn<matching::TalentMatchObject>>(page_of!(
            "the people whose expertise fits a need"
        ))
        .override_output_type_description::<Conn<threads::ThreadMessageObject>>(page_of!(
            "a conversation's messages, oldest first"
        ))
        .override_output_type_description::<Conn<notifications::NotificationObject>>(page_of!(
            "your notifications, newest first"
        ))
        .override_output_type_description::<Conn<opportunities::OpportunityObject>>(page_of!(
            "opportunities, best first"
        ))
        .override_output_type_description::<Conn<talents::TalentObject>>(page_of!(
            "talent profiles"
        ))
        .override_output_type_description::<Conn<taxonomy::TaxonomyEntryObject>>(page_of!(
            "classification codes"
        ))
        .override_output_type_description::<Conn<organizations::UserObject>>(page_of!("users"))
        .override_output_type_description::<matching::SearchConnection>(page_of!(
            "search hits, best first"
        ))
}

/// The schema in SDL with sorted fields, arguments and enum values: the
/// content of the checked-in `schema.graphql`.
pub fn sdl() -> String {
    let schema = build_schema(None, &Settings::default(), Transport::Http);
    let sdl = schema.sdl_with_options(
        SDLExportOptions::new()
            .sorted_fields()
            .sorted_arguments()
            .sorted_enum_items()
            .include_specified_by(),
    );
    format!(
        "# Generated by `iurhub export-schema`; do not edit.\n\n{}",
        sdl.trim_start()
    )
}

#[cfg(test)]
mod tests {
    /// The checked-in `schema.graphql` is the frontend teams' contract: it must
    /// be exactly what the code serves. Regenerate with `iurhub export-schema`.
    #[test]
    fn checked_in_schema_is_fresh() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schema.graphql");
        let checked_in = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            checked_in == super::sdl(),
            "schema.graphql is stale: run `cargo run -- export-schema`"
        );
    }
}
