//! The OpenAPI 3.1 document of the REST API, generated from the handlers'
//! annotations; served at `/api/v1/openapi.json`.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::resources;

/// The bearer scheme the `security` of each operation names.
struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "Access token from POST /api/v1/auth/login (15 minutes)",
                    ))
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "iurhub REST API",
        description = "Industry–university–research cooperation: needs, capabilities, talents, \
            organisations, projects and the testing center, read over REST. Ids are the GraphQL \
            global ids; the GraphQL API at /graphql offers everything, including writes.",
    ),
    paths(
        crate::auth::rest::register,
        crate::auth::rest::login,
        crate::auth::rest::refresh,
        crate::auth::rest::logout,
        resources::list_needs,
        resources::get_need,
        resources::need_matches,
        resources::list_capabilities,
        resources::get_capability,
        resources::list_talents,
        resources::get_talent,
        resources::list_organizations,
        resources::get_organization,
        resources::list_projects,
        resources::get_project,
        crate::exports::projects_csv,
        resources::list_instruments,
        resources::get_instrument,
        crate::exports::instrument_calendar,
        openapi_json,
    ),
    modifiers(&Bearer),
    tags(
        (name = "auth", description = "Accounts and tokens"),
        (name = "needs", description = "Technology needs and their matches"),
        (name = "capabilities", description = "Research capabilities"),
        (name = "talents", description = "Talent profiles"),
        (name = "organizations", description = "Enterprises, universities and their units"),
        (name = "projects", description = "Cooperation projects"),
        (name = "instruments", description = "The shared testing center"),
        (name = "meta", description = "This document"),
    )
)]
pub struct ApiDoc;

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta", security(()),
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json")))]
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

#[cfg(test)]
mod tests {
    use utoipa::OpenApi;

    /// The document is the REST clients' contract: a change to it shows up
    /// in review as a snapshot diff (`INSTA_UPDATE=always cargo test` to accept).
    #[test]
    fn openapi_document_is_stable() {
        let doc = serde_json::to_value(super::ApiDoc::openapi()).unwrap();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
        insta::assert_json_snapshot!("openapi", doc, {".info.version" => "[version]"});
    }

    #[test]
    fn every_operation_says_how_it_is_authorised_and_how_it_fails() {
        let doc = serde_json::to_value(super::ApiDoc::openapi()).unwrap();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                assert!(
                    op.get("security").is_some(),
                    "{method} {path} has no security requirement"
                );
                let responses = op["responses"].as_object().unwrap();
                if path != "/api/v1/openapi.json" {
                    assert!(
                        responses.keys().any(|s| s.starts_with('4')),
                        "{method} {path} documents no error response"
                    );
                }
            }
        }
    }
}
