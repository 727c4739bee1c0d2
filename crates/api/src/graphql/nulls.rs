//! Null propagation as the GraphQL specification states it (§ 6.4.4,
//! "Handling Field Errors"): a field that failed is `null` in the response
//! when its type is nullable; when it is non-null, its parent is `null`
//! instead, and so on up to the nearest nullable position — or `data` itself.
//!
//! async-graphql leaves a failed field out of its parent object instead (the
//! key is missing, whatever the field's type), so clients generated from the
//! schema find `undefined` where the types promise a value or `null`. This
//! pass, run on every executed response that has field errors, puts the nulls
//! where the specification wants them. It reads the field types from the
//! schema's SDL and the fields of each error path from the operation.

use std::collections::HashMap;
use std::sync::LazyLock;

use async_graphql::parser::types::{
    BaseType, ExecutableDocument, OperationType, Selection, SelectionSet, Type, TypeKind,
    TypeSystemDefinition,
};
use async_graphql::{PathSegment, Response, Value};

/// The declared type of every field of every object and interface type.
pub struct FieldTypes {
    fields: HashMap<(String, String), Type>,
}

static FIELD_TYPES: LazyLock<FieldTypes> = LazyLock::new(|| FieldTypes::of(&super::sdl()));

impl FieldTypes {
    /// The field types of the schema whose SDL is `sdl`.
    pub fn of(sdl: &str) -> FieldTypes {
        let mut fields = HashMap::new();
        if let Ok(document) = async_graphql::parser::parse_schema(sdl) {
            for definition in document.definitions {
                let TypeSystemDefinition::Type(ty) = definition else {
                    continue;
                };
                let ty = ty.node;
                let defined = match ty.kind {
                    TypeKind::Object(o) => o.fields,
                    TypeKind::Interface(i) => i.fields,
                    _ => continue,
                };
                for field in defined {
                    let field = field.node;
                    fields.insert(
                        (ty.name.node.to_string(), field.name.node.to_string()),
                        field.ty.node,
                    );
                }
            }
        }
        FieldTypes { fields }
    }
}

/// Puts the nulls of the specification into `response` for its field errors;
/// `document` is the executed document, `operation` the name asked for.
pub fn propagate(document: &ExecutableDocument, operation: Option<&str>, response: &mut Response) {
    propagate_with(&FIELD_TYPES, document, operation, response);
}

fn propagate_with(
    types: &FieldTypes,
    document: &ExecutableDocument,
    operation: Option<&str>,
    response: &mut Response,
) {
    let Some((root, selection)) = operation_of(document, operation) else {
        return;
    };
    for error in &response.errors {
        if error.path.is_empty() || response.data == Value::Null {
            continue;
        }
        let Some(nullable) = nullability(types, document, root, selection, &error.path) else {
            continue;
        };
        // The nearest nullable position at or above the failed field.
        match nullable.iter().rposition(|n| *n) {
            Some(at) => set_null(&mut response.data, &error.path[..=at]),
            None => response.data = Value::Null,
        }
    }
}

/// The root type name and selection set of the operation that ran.
fn operation_of<'a>(
    document: &'a ExecutableDocument,
    wanted: Option<&str>,
) -> Option<(&'static str, &'a SelectionSet)> {
    let (_, operation) = document.operations.iter().find(|(name, _)| match wanted {
        Some(wanted) => name.is_some_and(|n| n.as_str() == wanted),
        None => true,
    })?;
    let root = match operation.node.ty {
        OperationType::Query => "Query",
        OperationType::Mutation => "Mutation",
        OperationType::Subscription => "Subscription",
    };
    Some((root, &operation.node.selection_set.node))
}

/// Whether each position along `path` may be null; `None` when the path
/// leaves what the schema and the document say (introspection, a type the
/// SDL does not list): the response is then left as it is.
fn nullability(
    types: &FieldTypes,
    document: &ExecutableDocument,
    root: &str,
    selection: &SelectionSet,
    path: &[PathSegment],
) -> Option<Vec<bool>> {
    let mut out = Vec::with_capacity(path.len());
    let mut parent = root.to_owned();
    let mut set = selection;
    let mut current: Option<&Type> = None;
    for segment in path {
        match segment {
            PathSegment::Field(key) => {
                let (field_name, field_set, on) = find_field(document, set, key, &parent)?;
                let ty = types.fields.get(&(on, field_name))?;
                out.push(ty.nullable);
                parent = named(ty).to_owned();
                set = field_set;
                current = Some(ty);
            }
            PathSegment::Index(_) => {
                let BaseType::List(item) = &current?.base else {
                    return None;
                };
                out.push(item.nullable);
                current = Some(item);
            }
        }
    }
    Some(out)
}

/// The name of the named type inside list wrappers.
fn named(ty: &Type) -> &str {
    match &ty.base {
        BaseType::Named(name) => name.as_str(),
        BaseType::List(item) => named(item),
    }
}

/// The field selected under response key `key` in `set` (looking through
/// fragments): its name, its selection set and the type it is selected on.
fn find_field<'a>(
    document: &'a ExecutableDocument,
    set: &'a SelectionSet,
    key: &str,
    on: &str,
) -> Option<(String, &'a SelectionSet, String)> {
    for item in &set.items {
        let found = match &item.node {
            Selection::Field(field) => {
                let field = &field.node;
                let response_key = field.alias.as_ref().unwrap_or(&field.name).node.as_str();
                (response_key == key).then(|| {
                    (
                        field.name.node.to_string(),
                        &field.selection_set.node,
                        on.to_owned(),
                    )
                })
            }
            Selection::InlineFragment(fragment) => {
                let fragment = &fragment.node;
                let on = fragment
                    .type_condition
                    .as_ref()
                    .map_or(on, |c| c.node.on.node.as_str());
                find_field(document, &fragment.selection_set.node, key, on)
            }
            Selection::FragmentSpread(spread) => {
                let name = &spread.node.fragment_name.node;
                document.fragments.get(name).and_then(|fragment| {
                    let fragment = &fragment.node;
                    find_field(
                        document,
                        &fragment.selection_set.node,
                        key,
                        fragment.type_condition.node.on.node.as_str(),
                    )
                })
            }
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// Sets the position `path` of `data` to null, unless a position above it
/// is already null (an earlier error nulled it).
fn set_null(data: &mut Value, path: &[PathSegment]) {
    let Some((last, above)) = path.split_last() else {
        return;
    };
    let mut at = data;
    for segment in above {
        at = match (segment, at) {
            (PathSegment::Field(key), Value::Object(map)) => match map.get_mut(key.as_str()) {
                Some(next) => next,
                None => return,
            },
            (PathSegment::Index(i), Value::List(items)) => match items.get_mut(*i) {
                Some(next) => next,
                None => return,
            },
            _ => return,
        };
    }
    match (last, at) {
        (PathSegment::Field(key), Value::Object(map)) => {
            map.insert(async_graphql::Name::new(key), Value::Null);
        }
        (PathSegment::Index(i), Value::List(items)) => {
            if let Some(item) = items.get_mut(*i) {
                *item = Value::Null;
            }
        }
        _ => {}
    }
}

/// The same pass over WebSocket: the extension keeps the parsed document of
/// its request and corrects the response of the query or mutation that ran.
#[derive(Default)]
pub struct SpecNulls;

impl async_graphql::extensions::ExtensionFactory for SpecNulls {
    fn create(&self) -> std::sync::Arc<dyn async_graphql::extensions::Extension> {
        std::sync::Arc::new(SpecNullsRun::default())
    }
}

#[derive(Default)]
struct SpecNullsRun {
    document: std::sync::Mutex<Option<ExecutableDocument>>,
}

#[async_graphql::async_trait::async_trait]
impl async_graphql::extensions::Extension for SpecNullsRun {
    async fn parse_query(
        &self,
        ctx: &async_graphql::extensions::ExtensionContext<'_>,
        query: &str,
        variables: &async_graphql::Variables,
        next: async_graphql::extensions::NextParseQuery<'_>,
    ) -> async_graphql::ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        if let Ok(mut kept) = self.document.lock() {
            *kept = Some(document.clone());
        }
        Ok(document)
    }

    async fn execute(
        &self,
        ctx: &async_graphql::extensions::ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: async_graphql::extensions::NextExecute<'_>,
    ) -> Response {
        let mut response = next.run(ctx, operation_name).await;
        if response.errors.iter().any(|e| !e.path.is_empty())
            && let Ok(kept) = self.document.lock()
            && let Some(document) = kept.as_ref()
        {
            propagate(document, operation_name, &mut response);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::ServerError;

    const SDL: &str = "type Query { need(id: ID!): Need maybe: Need sure: Need! list: [Need!]! }
        type Need { title: String! note: String slots: [Slot!]! }
        type Slot { start: String! }";

    fn run(query: &str, data: serde_json::Value, path: Vec<PathSegment>) -> Value {
        let types = FieldTypes::of(SDL);
        let document = async_graphql::parser::parse_query(query).unwrap();
        let mut error = ServerError::new("failed", None);
        error.path = path;
        let mut response = Response::new(Value::from_json(data).unwrap());
        response.errors.push(error);
        propagate_with(&types, &document, None, &mut response);
        response.data
    }

    fn f(key: &str) -> PathSegment {
        PathSegment::Field(key.to_owned())
    }

    #[test]
    fn a_failed_nullable_field_is_null_and_its_siblings_stay() {
        let data = run(
            "{ a: maybe { title } b: maybe { title } }",
            serde_json::json!({"a": {"title": "x"}}),
            vec![f("b")],
        );
        assert_eq!(
            data.into_json().unwrap(),
            serde_json::json!({"a": {"title": "x"}, "b": null})
        );
    }

    #[test]
    fn a_failed_non_null_field_nulls_its_nearest_nullable_parent() {
        let data = run(
            "{ a: maybe { title } b: maybe { ...F } } fragment F on Need { slots { start } }",
            serde_json::json!({"a": {"title": "x"}, "b": {}}),
            vec![f("b"), f("slots")],
        );
        assert_eq!(
            data.into_json().unwrap(),
            serde_json::json!({"a": {"title": "x"}, "b": null})
        );
        // Through a non-null list item and a non-null root field: `data`.
        let data = run(
            "{ list { slots { start } } }",
            serde_json::json!({"list": [{"slots": [{}]}]}),
            vec![
                f("list"),
                PathSegment::Index(0),
                f("slots"),
                PathSegment::Index(0),
                f("start"),
            ],
        );
        assert_eq!(data, Value::Null);
    }

    #[test]
    fn paths_the_schema_does_not_know_are_left_alone() {
        let data = run(
            "{ a: maybe { title } }",
            serde_json::json!({"a": {"title": "x"}}),
            vec![f("nothing")],
        );
        assert_eq!(
            data.into_json().unwrap(),
            serde_json::json!({"a": {"title": "x"}})
        );
    }
}
