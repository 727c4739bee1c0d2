//! The schema as the frontend teams' manual: a walk over the introspection of
//! the running server checks what a reader of the schema relies on —
//! everything is described, one spelling, and the relations that always exist
//! are non-null. (The scalars: `errors::dates_and_times_are_coded_scalars`;
//! one input per mutation: `errors::schema_walk_every_mutation_follows_the_conventions`.)

use serde_json::{Value, json};

use crate::common::{self, TestApp};

const SCHEMA: &str = "{ __schema { types { kind name description
  fields(includeDeprecated: true) { name description args { name description }
    type { kind name ofType { kind name } } }
  inputFields { name description }
  enumValues(includeDeprecated: true) { name description } } } }";

/// The scalars of the GraphQL specification, described by the specification.
const BUILT_IN: [&str; 5] = ["String", "Int", "Float", "Boolean", "ID"];

async fn types(app: &TestApp) -> Vec<Value> {
    let data = app.gql_ok(None, SCHEMA, json!({})).await;
    data["__schema"]["types"]
        .as_array()
        .expect("types")
        .iter()
        .filter(|t| {
            let name = common::text(&t["name"]);
            !name.starts_with("__") && !BUILT_IN.contains(&name.as_str())
        })
        .cloned()
        .collect()
}

fn described(value: &Value) -> bool {
    value["description"]
        .as_str()
        .is_some_and(|d| !d.trim().is_empty())
}

fn list<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value[key].as_array().map(Vec::as_slice).unwrap_or_default()
}

e2e!(
    every_type_field_argument_and_enum_value_is_described,
    |app| async move {
        let mut missing = Vec::new();
        for ty in types(&app).await {
            let name = common::text(&ty["name"]);
            if !described(&ty) {
                missing.push(name.clone());
            }
            for field in list(&ty, "fields").iter().chain(list(&ty, "inputFields")) {
                let field_name = format!("{name}.{}", common::text(&field["name"]));
                if !described(field) {
                    missing.push(field_name.clone());
                }
                for arg in list(field, "args") {
                    if !described(arg) {
                        missing.push(format!("{field_name}({})", common::text(&arg["name"])));
                    }
                }
            }
            for value in list(&ty, "enumValues") {
                if !described(value) {
                    missing.push(format!("{name}.{}", common::text(&value["name"])));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "{} schema elements lack a description:\n{}",
            missing.len(),
            missing.join("\n")
        );
    }
);

e2e!(one_spelling_of_organization, |app| async move {
    let mut british = Vec::new();
    for ty in types(&app).await {
        let name = common::text(&ty["name"]);
        let names = std::iter::once(name.clone())
            .chain(
                list(&ty, "fields")
                    .iter()
                    .map(|f| format!("{name}.{}", common::text(&f["name"]))),
            )
            .chain(
                list(&ty, "inputFields")
                    .iter()
                    .map(|f| format!("{name}.{}", common::text(&f["name"]))),
            )
            .chain(
                list(&ty, "enumValues")
                    .iter()
                    .map(|v| format!("{name}.{}", common::text(&v["name"]))),
            );
        british.extend(names.filter(|n| n.to_ascii_lowercase().contains("organis")));
    }
    assert!(british.is_empty(), "spelled with an s: {british:?}");
});

e2e!(relations_that_always_exist_are_non_null, |app| async move {
    let types = types(&app).await;
    let mut nullable = Vec::new();
    for (ty, field) in [
        ("Need", "organization"),
        ("Capability", "organization"),
        ("Talent", "organization"),
        ("Instrument", "organization"),
        ("Qualification", "user"),
        ("Booking", "user"),
        ("Booking", "instrument"),
        ("Booking", "organization"),
        ("Membership", "organization"),
        ("Membership", "user"),
        // Not `Match.need`: null while the capability's side sees a
        // CONFIDENTIAL need blind (`Match.sealed`).
        ("Match", "capability"),
        ("Milestone", "project"),
        ("ChecklistItem", "project"),
    ] {
        let object = types
            .iter()
            .find(|t| t["name"] == ty)
            .unwrap_or_else(|| panic!("type {ty} is missing"));
        let found = list(object, "fields")
            .iter()
            .find(|f| f["name"] == field)
            .unwrap_or_else(|| panic!("{ty}.{field} is missing"));
        if found["type"]["kind"] != "NON_NULL" {
            nullable.push(format!("{ty}.{field}"));
        }
    }
    assert!(
        nullable.is_empty(),
        "nullable although always there: {nullable:?}"
    );
});
