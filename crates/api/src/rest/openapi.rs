//! The OpenAPI 3.1 document of the REST API, generated from the handlers'
//! annotations; served at `/api/v1/openapi.json`.

use axum::Json;
use axum::extract::State;
use serde_json::Value;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{
    attachments, capabilities, instruments, needs, organizations, projects, service_orders, talents,
};

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
        crate::auth::rest::change_password,
        needs::list_needs,
        needs::get_need,
        needs::need_matches,
        capabilities::list_capabilities,
        capabilities::get_capability,
        talents::list_talents,
        talents::get_talent,
        organizations::list_organizations,
        organizations::get_organization,
        projects::list_projects,
        projects::get_project,
        crate::exports::projects_csv,
        crate::exports::agreement_review_csv,
        crate::exports::center_assessment_csv,
        crate::exports::center_assessment_xlsx,
        crate::exports::invoice_csv,
        crate::exports::center_settlement_csv,
        instruments::list_instruments,
        instruments::get_instrument,
        crate::exports::instrument_calendar,
        crate::exports::my_bookings_calendar,
        attachments::upload_attachment,
        attachments::download_attachment,
        service_orders::upload_report,
        service_orders::download_report,
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
        (name = "agreements", description = "Framework agreements and their annual reviews"),
        (name = "instruments", description = "The shared testing center"),
        (name = "threads", description = "Attachments of the conversations on matches and projects"),
        (name = "service-orders", description = "The report files of testing service orders"),
        (name = "meta", description = "This document"),
    )
)]
pub struct ApiDoc;

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta", security(()),
    responses((status = 200, description = "The OpenAPI 3.1 document", content_type = "application/json")))]
pub async fn openapi_json(State(state): State<crate::state::AppState>) -> Json<Value> {
    Json(document(state.settings.page_size_max))
}

/// The document, with `max` (the configured `page_size_max`) as the
/// largest `first` of every list.
pub fn document(max: u64) -> Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    let operations = doc["paths"]
        .as_object_mut()
        .into_iter()
        .flat_map(|paths| paths.values_mut())
        .filter_map(Value::as_object_mut)
        .flat_map(|item| item.values_mut());
    for operation in operations {
        let parameters = operation
            .get_mut("parameters")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten();
        for parameter in parameters {
            if parameter["name"] == "first" && parameter["in"] == "query" {
                parameter["schema"]["maximum"] = max.into();
            }
        }
    }
    doc
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
    fn every_list_states_the_configured_page_size_cap() {
        let firsts = |doc: &serde_json::Value| {
            let mut maxima = Vec::new();
            for item in doc["paths"].as_object().unwrap().values() {
                for op in item.as_object().unwrap().values() {
                    for p in op["parameters"].as_array().into_iter().flatten() {
                        if p["name"] == "first" {
                            maxima.push(p["schema"]["maximum"].as_u64().unwrap());
                        }
                    }
                }
            }
            maxima
        };
        assert_eq!(
            super::document(100),
            serde_json::to_value(super::ApiDoc::openapi()).unwrap()
        );
        let capped = firsts(&super::document(40));
        assert!(capped.len() >= 6, "{capped:?}");
        assert!(capped.iter().all(|&m| m == 40), "{capped:?}");
    }

    /// REST states the limits the domain applies to both transports.
    #[test]
    fn list_filters_state_the_domain_limits() {
        use iurhub_domain::validate::{MAX_CODE, MAX_KEYWORD_FILTER};
        let doc = serde_json::to_value(super::ApiDoc::openapi()).unwrap();
        let (mut keywords, mut codes) = (0, 0);
        for item in doc["paths"].as_object().unwrap().values() {
            for op in item.as_object().unwrap().values() {
                for p in op["parameters"].as_array().into_iter().flatten() {
                    match p["name"].as_str().unwrap() {
                        "keyword" => {
                            keywords += 1;
                            assert_eq!(p["schema"]["maxLength"], MAX_KEYWORD_FILTER, "{p}");
                        }
                        "disciplineCode" | "industryCode" => {
                            codes += 1;
                            assert_eq!(
                                p["schema"]["pattern"],
                                format!("^[0-9A-Za-z]{{1,{MAX_CODE}}}$"),
                                "{p}"
                            );
                        }
                        _ => {}
                    }
                }
            }
        }
        assert!(keywords >= 3 && codes >= 3, "{keywords} {codes}");
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
