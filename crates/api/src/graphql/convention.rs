//! One error convention for every GraphQL error, on every transport.
//!
//! Every error leaves the server with `extensions { code, key, fields,
//! requestId }`: `code` from the fixed vocabulary, `key` a stable message
//! key, `fields` always a list (empty when the error is about no field) of
//! `{ field, code, key, message }` naming the input as the client sent it
//! (`input.title`, `input.keywords[2]`), and the request id. The message is
//! in the language of the request ([`crate::i18n`]).
//!
//! Errors of the application arrive coded ([`crate::error`]); this pass adds
//! what only the request knows (the `input.` prefix of a mutation's input,
//! the request id) and codes async-graphql's own errors. For input coercion
//! (a wrong type, a missing required field, an unknown enum value, an `Int`
//! beyond 32 bits, a bad `Date`), async-graphql reports the first bad value
//! of each argument only, without a code; here every argument of the
//! operation is checked against the schema instead, and one
//! `BAD_USER_INPUT` error names every bad value.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use async_graphql::parser::types::{
    BaseType, ExecutableDocument, OperationType, Selection, SelectionSet, Type, TypeKind,
    TypeSystemDefinition,
};
use async_graphql::{ErrorExtensionValues, Name, ServerError, Value, Variables};
use iurhub_domain::{Locale, Message};

use super::scalars;
use crate::error::field_value;

/// What this pass reads of the schema: field arguments, input objects, enums.
struct Types {
    /// (type, field) → the field's arguments and its named return type.
    fields: HashMap<(String, String), (Vec<Arg>, String)>,
    /// Input object → its fields.
    inputs: HashMap<String, Vec<Arg>>,
    /// Enum → its values.
    enums: HashMap<String, HashSet<String>>,
}

struct Arg {
    name: String,
    ty: Type,
    has_default: bool,
}

static TYPES: LazyLock<Types> = LazyLock::new(|| Types::of(&super::sdl()));

impl Types {
    fn of(sdl: &str) -> Types {
        let mut types = Types {
            fields: HashMap::new(),
            inputs: HashMap::new(),
            enums: HashMap::new(),
        };
        let Ok(document) = async_graphql::parser::parse_schema(sdl) else {
            return types;
        };
        let arg = |v: async_graphql::parser::types::InputValueDefinition| Arg {
            name: v.name.node.to_string(),
            ty: v.ty.node,
            has_default: v.default_value.is_some(),
        };
        for definition in document.definitions {
            let TypeSystemDefinition::Type(ty) = definition else {
                continue;
            };
            let ty = ty.node;
            let name = ty.name.node.to_string();
            match ty.kind {
                TypeKind::Object(o) => {
                    for f in o.fields {
                        let f = f.node;
                        let args = f.arguments.into_iter().map(|a| arg(a.node)).collect();
                        types.fields.insert(
                            (name.clone(), f.name.node.to_string()),
                            (args, named(&f.ty.node).to_owned()),
                        );
                    }
                }
                TypeKind::Interface(i) => {
                    for f in i.fields {
                        let f = f.node;
                        let args = f.arguments.into_iter().map(|a| arg(a.node)).collect();
                        types.fields.insert(
                            (name.clone(), f.name.node.to_string()),
                            (args, named(&f.ty.node).to_owned()),
                        );
                    }
                }
                TypeKind::InputObject(o) => {
                    types
                        .inputs
                        .insert(name, o.fields.into_iter().map(|f| arg(f.node)).collect());
                }
                TypeKind::Enum(e) => {
                    types.enums.insert(
                        name,
                        e.values
                            .into_iter()
                            .map(|v| v.node.value.node.to_string())
                            .collect(),
                    );
                }
                _ => {}
            }
        }
        types
    }
}

fn named(ty: &Type) -> &str {
    match &ty.base {
        BaseType::Named(name) => name.as_str(),
        BaseType::List(item) => named(item),
    }
}

/// One bad value: where, and what is wrong with it.
pub struct Problem {
    pub field: String,
    pub text: Message,
}

/// Every bad argument value of the operation `operation` of `document` with
/// `variables`, checked against the schema.
pub fn coercion_problems(
    document: &ExecutableDocument,
    operation: Option<&str>,
    variables: &Variables,
) -> Vec<Problem> {
    let types = &*TYPES;
    let Some((_, op)) = document
        .operations
        .iter()
        .find(|(name, _)| match operation {
            Some(wanted) => name.is_some_and(|n| n.as_str() == wanted),
            None => true,
        })
    else {
        return Vec::new();
    };
    let root = match op.node.ty {
        OperationType::Query => "Query",
        OperationType::Mutation => "Mutation",
        OperationType::Subscription => "Subscription",
    };
    // Variables the client left out take their declared defaults.
    let mut values: HashMap<Name, async_graphql::Value> = variables
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for definition in &op.node.variable_definitions {
        let definition = &definition.node;
        if !values.contains_key(&definition.name.node)
            && let Some(default) = &definition.default_value
        {
            values.insert(definition.name.node.clone(), default.node.clone());
        }
    }
    let mut walk = Walk {
        types,
        document,
        values: &values,
        out: Vec::new(),
        seen: HashSet::new(),
        depth: 0,
    };
    walk.set(&op.node.selection_set.node, root);
    walk.out
}

struct Walk<'a> {
    types: &'a Types,
    document: &'a ExecutableDocument,
    values: &'a HashMap<Name, async_graphql::Value>,
    out: Vec<Problem>,
    /// (type, field, argument) already checked through another fragment.
    seen: HashSet<(String, String, usize, usize)>,
    depth: usize,
}

impl Walk<'_> {
    fn set(&mut self, set: &SelectionSet, on: &str) {
        self.depth += 1;
        if self.depth > 64 {
            self.depth -= 1;
            return;
        }
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    let position = field.pos;
                    let field = &field.node;
                    let name = field.name.node.as_str();
                    let Some((args, returns)) =
                        self.types.fields.get(&(on.to_owned(), name.to_owned()))
                    else {
                        continue;
                    };
                    if self.seen.insert((
                        on.to_owned(),
                        name.to_owned(),
                        position.line,
                        position.column,
                    )) {
                        for arg in args {
                            let given = field
                                .arguments
                                .iter()
                                .find(|(n, _)| n.node.as_str() == arg.name);
                            match given {
                                Some((_, value)) => {
                                    let resolved = value.node.clone().into_const_with(|var| {
                                        self.values.get(&var).cloned().ok_or(())
                                    });
                                    if let Ok(value) = resolved {
                                        self.value(&value, &arg.ty, arg.name.clone());
                                    }
                                }
                                None if !arg.ty.nullable && !arg.has_default => {
                                    self.out.push(Problem {
                                        field: arg.name.clone(),
                                        text: Message::new("graphql.required")
                                            .with("type", arg.ty.to_string()),
                                    })
                                }
                                None => {}
                            }
                        }
                    }
                    let returns = returns.clone();
                    self.set(&field.selection_set.node, &returns);
                }
                Selection::InlineFragment(fragment) => {
                    let fragment = &fragment.node;
                    let on = fragment
                        .type_condition
                        .as_ref()
                        .map_or(on, |c| c.node.on.node.as_str())
                        .to_owned();
                    self.set(&fragment.selection_set.node, &on);
                }
                Selection::FragmentSpread(spread) => {
                    if let Some(fragment) =
                        self.document.fragments.get(&spread.node.fragment_name.node)
                    {
                        let fragment = &fragment.node;
                        let on = fragment.type_condition.node.on.node.to_string();
                        self.set(&fragment.selection_set.node, &on);
                    }
                }
            }
        }
        self.depth -= 1;
    }

    fn value(&mut self, value: &async_graphql::Value, ty: &Type, path: String) {
        use async_graphql::Value as V;
        if matches!(value, V::Null) {
            if !ty.nullable {
                self.out.push(Problem {
                    field: path,
                    text: Message::new("graphql.required").with("type", ty.to_string()),
                });
            }
            return;
        }
        let name = match &ty.base {
            BaseType::List(item) => {
                match value {
                    V::List(items) => {
                        for (i, v) in items.iter().enumerate() {
                            self.value(v, item, format!("{path}[{i}]"));
                        }
                    }
                    other => self.value(other, item, path),
                }
                return;
            }
            BaseType::Named(name) => name.as_str(),
        };
        if let Some(fields) = self.types.inputs.get(name) {
            let V::Object(map) = value else {
                self.mismatch(path, name);
                return;
            };
            for field in fields {
                let sub = format!("{path}.{}", field.name);
                match map.get(field.name.as_str()) {
                    Some(v) => self.value(v, &field.ty, sub),
                    None if !field.ty.nullable && !field.has_default => self.out.push(Problem {
                        field: sub,
                        text: Message::new("graphql.required").with("type", field.ty.to_string()),
                    }),
                    None => {}
                }
            }
            for key in map.keys() {
                if !fields.iter().any(|f| f.name == key.as_str()) {
                    self.out.push(Problem {
                        field: format!("{path}.{key}"),
                        text: Message::new("graphql.unknown_field")
                            .with("type", name)
                            .with("name", key),
                    });
                }
            }
            return;
        }
        if let Some(values) = self.types.enums.get(name) {
            let given = match value {
                V::Enum(v) => Some(v.to_string()),
                V::String(s) => Some(s.clone()),
                _ => None,
            };
            match given {
                Some(v) if values.contains(&v) => {}
                Some(v) => self.out.push(Problem {
                    field: path,
                    text: Message::new("graphql.unknown_enum_value")
                        .with("type", name)
                        .with("value", v),
                }),
                None => self.mismatch(path, name),
            }
            return;
        }
        let problem = match name {
            "Int" => match value {
                V::Number(n) if n.as_i64().is_some_and(|v| i32::try_from(v).is_ok()) => None,
                V::Number(n) if n.is_i64() || n.is_u64() => Some(Message::new("graphql.int_range")),
                _ => Some(type_mismatch(name)),
            },
            "Float" => (!matches!(value, V::Number(_))).then(|| type_mismatch(name)),
            "String" => (!matches!(value, V::String(_))).then(|| type_mismatch(name)),
            "Boolean" => (!matches!(value, V::Boolean(_))).then(|| type_mismatch(name)),
            "ID" => (!matches!(value, V::String(_))
                && !matches!(value, V::Number(n) if n.is_i64() || n.is_u64()))
            .then(|| type_mismatch(name)),
            other => scalars::problem(other, value),
        };
        if let Some(text) = problem {
            self.out.push(Problem { field: path, text });
        }
    }

    fn mismatch(&mut self, path: String, ty: &str) {
        self.out.push(Problem {
            field: path,
            text: type_mismatch(ty),
        });
    }
}

fn type_mismatch(ty: &str) -> Message {
    Message::new("graphql.type_mismatch").with("type", ty)
}

/// What the finishing pass needs to know of the request.
pub struct Request<'a> {
    pub query: &'a str,
    pub operation: Option<&'a str>,
    pub variables: &'a Variables,
    pub locale: Locale,
    pub request_id: Option<&'a str>,
}

fn ext(error: &mut ServerError) -> &mut ErrorExtensionValues {
    error.extensions.get_or_insert_with(Default::default)
}

fn is_coercion(error: &ServerError) -> bool {
    let coded = error
        .extensions
        .as_ref()
        .is_some_and(|e| e.get("code").is_some());
    !coded
        && (error.message.starts_with("Invalid value for argument")
            || error.message.starts_with("Failed to parse \"")
            || (error.message.contains("argument \"") && error.message.contains("is required")))
}

/// Applies the convention to every error of a response (see the module).
pub fn finish(errors: &mut Vec<ServerError>, request: &Request<'_>) {
    if errors.is_empty() {
        return;
    }
    let document = async_graphql::parser::parse_query(request.query).ok();
    // Input coercion: one error naming every bad value.
    if errors.iter().any(is_coercion)
        && let Some(document) = &document
    {
        let problems = coercion_problems(document, request.operation, request.variables);
        if !problems.is_empty() {
            let first = errors.iter().position(is_coercion).unwrap_or_default();
            let (locations, path) = (errors[first].locations.clone(), errors[first].path.clone());
            errors.retain(|e| !is_coercion(e));
            errors.insert(first, coerced(problems, request.locale, locations, path));
        }
    }
    let inputs = document
        .as_ref()
        .map(|d| input_fields(d, request.operation))
        .unwrap_or_default();
    for error in errors.iter_mut() {
        let code = error
            .extensions
            .as_ref()
            .and_then(|e| e.get("code"))
            .and_then(|c| match c {
                Value::String(s) => Some(s.clone()),
                _ => None,
            });
        let code = match code {
            Some(code) => code,
            None => {
                // async-graphql's own: a document that does not validate, a
                // value it could not read.
                let detail = error.message.clone();
                let text = Message::detail("graphql.invalid_document", detail);
                error.message = text.render(request.locale);
                ext(error).set("key", text.key.as_ref());
                ext(error).set("code", "BAD_USER_INPUT");
                "BAD_USER_INPUT".to_owned()
            }
        };
        let e = ext(error);
        if e.get("key").is_none() {
            // Every error of the server's own carries a key; what is left
            // is async-graphql's (a value it could not read, a limit).
            let key = match code.as_str() {
                "NOT_FOUND" => "object.not_found",
                "INTERNAL_SERVER_ERROR" => "server.internal",
                _ => "graphql.refused",
            };
            e.set("key", key);
            if request.locale != Locale::En {
                let text = Message::detail(key, error.message.clone());
                error.message = text.render(request.locale);
            }
        }
        let e = ext(error);
        let mut fields = match e.get("fields") {
            Some(Value::List(list)) => list.clone(),
            _ => Vec::new(),
        };
        // A mutation's input object: fields are named from the argument.
        if let Some(async_graphql::PathSegment::Field(root)) = error.path.first()
            && let Some(args) = inputs.get(root.as_str())
        {
            for field in &mut fields {
                if let Value::Object(map) = field
                    && let Some(Value::String(name)) = map.get_mut("field")
                {
                    let head = name.split(['.', '[']).next().unwrap_or_default();
                    if !args.iter().any(|a| a == head) {
                        *name = format!("input.{name}");
                    }
                }
            }
        }
        let e = ext(error);
        e.set("fields", fields);
        e.set("requestId", request.request_id.map(str::to_owned));
    }
}

/// The root fields of the operation that take an `input` argument, with the
/// names of all their arguments (by response key).
fn input_fields(
    document: &ExecutableDocument,
    operation: Option<&str>,
) -> HashMap<String, Vec<String>> {
    let mut out = HashMap::new();
    let Some((_, op)) = document
        .operations
        .iter()
        .find(|(name, _)| match operation {
            Some(wanted) => name.is_some_and(|n| n.as_str() == wanted),
            None => true,
        })
    else {
        return out;
    };
    if op.node.ty != OperationType::Mutation {
        return out;
    }
    for item in &op.node.selection_set.node.items {
        if let Selection::Field(field) = &item.node {
            let field = &field.node;
            let names: Vec<String> = field
                .arguments
                .iter()
                .map(|(n, _)| n.node.to_string())
                .collect();
            if names.iter().any(|n| n == "input") {
                let key = field.alias.as_ref().unwrap_or(&field.name).node.to_string();
                out.insert(key, names);
            }
        }
    }
    out
}

/// The one error of a request with bad input values.
fn coerced(
    problems: Vec<Problem>,
    locale: Locale,
    locations: Vec<async_graphql::Pos>,
    path: Vec<async_graphql::PathSegment>,
) -> ServerError {
    let detail = locale.join_clauses(
        problems
            .iter()
            .map(|p| format!("{}: {}", p.field, p.text.render(locale))),
    );
    let text = if problems.len() == 1 {
        problems[0].text.clone()
    } else {
        Message::new("graphql.invalid_values")
            .with("count", problems.len())
            .with("detail", detail.clone())
    };
    let message = if problems.len() == 1 {
        detail
    } else {
        text.render(locale)
    };
    let mut error = ServerError::new(message, None);
    error.locations = locations;
    error.path = path;
    let fields: Vec<Value> = problems
        .iter()
        .map(|p| {
            field_value(
                &p.field,
                "BAD_USER_INPUT",
                &p.text.key,
                &p.text.render(locale),
            )
        })
        .collect();
    let e = ext(&mut error);
    e.set("code", "BAD_USER_INPUT");
    e.set("key", text.key.as_ref());
    e.set("fields", fields);
    error
}
