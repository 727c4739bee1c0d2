//! Limits on the shape of a GraphQL document and its variables, checked
//! before validation and execution (over HTTP and WebSocket alike): lexical
//! tokens, the size of the document once its fragments are expanded (fields,
//! aliases, root fields, depth), items in a list and values in the
//! variables. Complexity and directives per field are async-graphql's own
//! limits (see `build_schema`). The depth is checked only here (async-graphql
//! would expand every fragment spread at every use first, which is exactly
//! the work a fragment bomb asks for, and would count the introspection
//! query's nesting of `ofType`, which has a limit of its own here). Over
//! HTTP the handler checks them (the HTTP schema has no extensions); over
//! WebSocket this extension does, and also gives syntax and validation
//! errors (which carry no code) the code BAD_USER_INPUT.

use iurhub_domain::Message;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use async_graphql::ValidationResult;
use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextPrepareRequest,
    NextValidation,
};
use async_graphql::parser::types::{Directive, ExecutableDocument, Selection, SelectionSet};
use async_graphql::{
    ErrorExtensionValues, Positioned, Request, ServerError, ServerResult, Value, Variables,
};

/// Deepest introspection selection (`__schema`/`__type` and below): the
/// standard introspection query of graphql-js and GraphiQL is 20 levels (15
/// of them `ofType`). The other limits (fields, aliases, tokens) hold for it
/// as for any query; `depth` does not count below an introspection field.
pub const MAX_INTROSPECTION_DEPTH: usize = 24;

/// The mutations that write many rows (up to 1,000 each).
const BULK_WRITES: [&str; 2] = ["importNeeds", "importCapabilities"];

/// Bulk imports per operation: aliases of one import would otherwise write
/// a thousand rows each in one request.
pub const MAX_BULK_WRITES: usize = 1;

/// The limits, from the configuration.
#[derive(Debug, Clone, Copy)]
pub struct DocumentLimits {
    pub max_tokens: usize,
    pub max_aliases: usize,
    pub max_root_fields: usize,
    /// Deepest selection (the same count as async-graphql's depth limit).
    pub max_depth: usize,
    /// Most fields of all operations with their fragment spreads expanded.
    pub max_expanded_fields: usize,
    /// Most items in one list, written in the document or in the variables.
    pub max_list_items: usize,
    /// Most JSON values in the variables (every scalar, list and object).
    pub max_variable_values: usize,
}

impl ExtensionFactory for DocumentLimits {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(*self)
    }
}

impl DocumentLimits {
    pub fn from_settings(settings: &crate::config::Settings) -> DocumentLimits {
        DocumentLimits {
            max_tokens: settings.graphql_max_tokens,
            max_aliases: settings.graphql_max_aliases,
            max_root_fields: settings.graphql_max_root_fields,
            max_depth: settings.graphql_max_depth,
            max_expanded_fields: settings.graphql_max_expanded_fields,
            max_list_items: settings.graphql_max_list_items,
            max_variable_values: settings.graphql_max_variable_values,
        }
    }

    /// Checks a request before async-graphql sees it: its variables and
    /// text, then (parsing it once: the document stays in the request) its
    /// document. Gives the document when it was parsed, and the refusal if
    /// there is one.
    pub fn check_request<'r>(
        &self,
        request: &'r mut Request,
    ) -> (Option<&'r ExecutableDocument>, Option<ServerError>) {
        let unparsed = self
            .check_variables(&request.variables)
            .and_then(|()| self.check_text(&request.query));
        if let Err(refusal) = unparsed {
            return (None, Some(refusal));
        }
        match request.parsed_query() {
            Ok(document) => (Some(document), self.check_document(document).err()),
            Err(err) => (None, Some(coded(err))),
        }
    }

    /// Checks the variables of a request: how many values they hold and
    /// how long their lists are.
    pub fn check_variables(&self, variables: &Variables) -> Result<(), ServerError> {
        let size = ValueSize::of_variables(variables);
        if size.values > self.max_variable_values {
            return Err(refuse(
                Message::new("document.variables.too_many")
                    .with("count", size.values)
                    .with("max", self.max_variable_values),
            ));
        }
        self.check_list(size.longest_list)
    }

    fn check_list(&self, items: usize) -> Result<(), ServerError> {
        if items > self.max_list_items {
            return Err(refuse(
                Message::new("document.list.too_long")
                    .with("count", items)
                    .with("max", self.max_list_items),
            ));
        }
        Ok(())
    }

    /// Checks the text of a document before it is parsed, so a huge document
    /// costs a scan, not a parse.
    pub fn check_text(&self, query: &str) -> Result<(), ServerError> {
        match tokens_over(query, self.max_tokens) {
            Some(n) => Err(refuse(
                Message::new("document.tokens.too_many")
                    .with("count", n)
                    .with("max", self.max_tokens),
            )),
            None => Ok(()),
        }
    }

    /// Checks a parsed document, before async-graphql validates it: its size
    /// with every fragment spread expanded (counted once per fragment, so a
    /// document whose fragments multiply costs no more to check than to
    /// read), and the lists it writes.
    pub fn check_document(&self, document: &ExecutableDocument) -> Result<(), ServerError> {
        let shape = match Shape::of(document) {
            Ok(shape) => shape,
            Err(Cycle(name)) => {
                return Err(refuse(
                    Message::new("document.fragment.cycle").with("name", name),
                ));
            }
        };
        if shape.fields > self.max_expanded_fields {
            return Err(refuse(
                Message::new("document.fields.too_many")
                    .with("count", shape.fields)
                    .with("max", self.max_expanded_fields),
            ));
        }
        if shape.aliases > self.max_aliases {
            return Err(refuse(
                Message::new("document.aliases.too_many")
                    .with("count", shape.aliases)
                    .with("max", self.max_aliases),
            ));
        }
        if shape.roots > self.max_root_fields {
            return Err(refuse(
                Message::new("document.root_fields.too_many")
                    .with("count", shape.roots)
                    .with("max", self.max_root_fields),
            ));
        }
        if shape.bulk > MAX_BULK_WRITES {
            return Err(refuse(
                Message::new("document.bulk.too_many")
                    .with("count", shape.bulk)
                    .with("max", MAX_BULK_WRITES),
            ));
        }
        if shape.depth > self.max_depth {
            return Err(refuse(
                Message::new("document.too_deep")
                    .with("count", shape.depth)
                    .with("max", self.max_depth),
            ));
        }
        if shape.introspection_depth > MAX_INTROSPECTION_DEPTH {
            return Err(refuse(
                Message::new("document.introspection.too_deep")
                    .with("count", shape.introspection_depth)
                    .with("max", MAX_INTROSPECTION_DEPTH),
            ));
        }
        self.check_list(longest_literal_list(document))
    }
}

/// Gives an error without `extensions.code` the code BAD_USER_INPUT.
pub fn coded(mut err: ServerError) -> ServerError {
    let has_code = err
        .extensions
        .as_ref()
        .is_some_and(|e| e.get("code").is_some());
    if !has_code {
        err.extensions
            .get_or_insert_with(ErrorExtensionValues::default)
            .set("code", "BAD_USER_INPUT");
    }
    err
}

/// A refused document: BAD_USER_INPUT with a keyed message in the
/// request's language.
fn refuse(text: Message) -> ServerError {
    let mut err = ServerError::new(text.render(crate::i18n::current()), None);
    let mut ext = ErrorExtensionValues::default();
    ext.set("code", "BAD_USER_INPUT");
    ext.set("key", text.key.as_ref());
    err.extensions = Some(ext);
    err
}

#[async_trait::async_trait]
impl Extension for DocumentLimits {
    /// The limits are checked here, before the parse step: async-graphql's
    /// own checks after parsing (recursion depth, directives per field)
    /// follow every fragment spread at every use.
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        mut request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        if let (_, Some(refusal)) = self.check_request(&mut request) {
            return Err(refusal);
        }
        next.run(ctx, request).await
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        next.run(ctx, query, variables).await.map_err(coded)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        next.run(ctx)
            .await
            .map_err(|errors| errors.into_iter().map(coded).collect())
    }
}

/// `Some(max)` when `query` has more than `max` lexical tokens (names,
/// numbers, strings, punctuators; whitespace, commas and comments are not
/// tokens). Where the text is valid GraphQL the count is the lexer's; where
/// it is not, it may count more (the parser refuses it anyway), never fewer
/// up to the point where the parser stops.
pub fn tokens_over(query: &str, max: usize) -> Option<usize> {
    let bytes = query.as_bytes();
    let (mut i, mut count) = (0, 0);
    // A line ends at `\n`, `\r` or `\r\n`, as for the parser.
    let line_end = |b: u8| b == b'\n' || b == b'\r';
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b' ' | b'\t' | b'\n' | b'\r' | b',' => i += 1,
            b'#' => {
                while i < bytes.len() && !line_end(bytes[i]) {
                    i += 1;
                }
            }
            b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                count += 1;
                i += 3;
                while i < bytes.len() && !bytes[i..].starts_with(b"\"\"\"") {
                    i += if bytes[i..].starts_with(b"\\\"\"\"") {
                        4
                    } else {
                        1
                    };
                }
                i += 3;
            }
            b'"' => {
                count += 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && !line_end(bytes[i]) {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'.' if bytes[i..].starts_with(b"...") => {
                count += 1;
                i += 3;
            }
            // A name: it ends at the first byte that cannot continue it (so
            // `a...F` is three tokens, as for the parser).
            b if b.is_ascii_alphabetic() || b == b'_' => {
                count += 1;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
            }
            // A number (`-12`, `1.5e+3`).
            b if b.is_ascii_digit() || b == b'-' => {
                count += 1;
                i += 1;
                while i < bytes.len()
                    && (bytes[i].is_ascii_digit()
                        || matches!(bytes[i], b'.' | b'e' | b'E' | b'+' | b'-'))
                    && !bytes[i..].starts_with(b"...")
                {
                    i += 1;
                }
            }
            0xEF if bytes[i..].starts_with(&[0xEF, 0xBB, 0xBF]) => i += 3,
            _ => {
                count += 1;
                // One token per punctuator; other (invalid) bytes also count,
                // the parser refuses them anyway.
                i += 1;
            }
        }
        if count > max {
            return Some(max);
        }
    }
    None
}

/// A fragment that spreads itself, directly or through others.
#[derive(Debug, PartialEq, Eq)]
struct Cycle(String);

/// The size of a selection with its fragment spreads expanded. The counts
/// saturate: a document whose fragments multiply may describe more fields
/// than a `usize` holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Shape {
    /// Fields at every level.
    fields: usize,
    /// Aliased fields at every level.
    aliases: usize,
    /// Fields at the top level (fragments at the top level included).
    roots: usize,
    /// Bulk imports (`importNeeds`, `importCapabilities`), each use of a
    /// fragment holding one counted again.
    bulk: usize,
    /// Levels of fields (async-graphql's depth), an introspection root
    /// field (`__schema`, `__type`) counting as one.
    depth: usize,
    /// Levels of fields of the deepest introspection root field, itself
    /// included.
    introspection_depth: usize,
}

impl Shape {
    /// The size of every operation of `document` (async-graphql validates
    /// them all, whichever runs): fields and aliases added up, root fields
    /// and depth of the largest operation.
    fn of(document: &ExecutableDocument) -> Result<Shape, Cycle> {
        let mut expander = Expander {
            document,
            done: HashMap::new(),
            open: HashSet::new(),
        };
        let mut total = Shape::default();
        for (_, operation) in document.operations.iter() {
            let shape = expander.selection_set(&operation.node.selection_set.node)?;
            total = Shape {
                fields: total.fields.saturating_add(shape.fields),
                aliases: total.aliases.saturating_add(shape.aliases),
                roots: total.roots.max(shape.roots),
                bulk: total.bulk.max(shape.bulk),
                depth: total.depth.max(shape.depth),
                introspection_depth: total.introspection_depth.max(shape.introspection_depth),
            };
        }
        Ok(total)
    }

    /// This selection followed by `next` at the same level.
    fn then(self, next: Shape) -> Shape {
        Shape {
            fields: self.fields.saturating_add(next.fields),
            aliases: self.aliases.saturating_add(next.aliases),
            roots: self.roots.saturating_add(next.roots),
            bulk: self.bulk.saturating_add(next.bulk),
            depth: self.depth.max(next.depth),
            introspection_depth: self.introspection_depth.max(next.introspection_depth),
        }
    }
}

/// Expands fragment spreads, each fragment once: its shape is kept.
struct Expander<'a> {
    document: &'a ExecutableDocument,
    /// Shapes of the fragments expanded so far.
    done: HashMap<&'a str, Shape>,
    /// Fragments being expanded (a spread of one of them is a cycle).
    open: HashSet<&'a str>,
}

impl<'a> Expander<'a> {
    fn selection_set(&mut self, set: &'a SelectionSet) -> Result<Shape, Cycle> {
        let mut shape = Shape::default();
        for item in &set.items {
            let item = match &item.node {
                Selection::Field(field) => {
                    let inner = self.selection_set(&field.node.selection_set.node)?;
                    let below = inner.depth.saturating_add(1);
                    // The type system nests `ofType` as deep as a type is
                    // wrapped: standard tools ask for 15 levels of it.
                    let introspection =
                        matches!(field.node.name.node.as_str(), "__schema" | "__type");
                    Shape {
                        fields: inner.fields.saturating_add(1),
                        aliases: inner
                            .aliases
                            .saturating_add(usize::from(field.node.alias.is_some())),
                        roots: 1,
                        bulk: inner.bulk.saturating_add(usize::from(
                            BULK_WRITES.contains(&field.node.name.node.as_str()),
                        )),
                        depth: if introspection { 1 } else { below },
                        introspection_depth: if introspection {
                            below.max(inner.introspection_depth)
                        } else {
                            inner.introspection_depth
                        },
                    }
                }
                Selection::InlineFragment(fragment) => {
                    self.selection_set(&fragment.node.selection_set.node)?
                }
                Selection::FragmentSpread(spread) => {
                    self.fragment(spread.node.fragment_name.node.as_str())?
                }
            };
            shape = shape.then(item);
        }
        Ok(shape)
    }

    fn fragment(&mut self, name: &'a str) -> Result<Shape, Cycle> {
        if let Some(shape) = self.done.get(name) {
            return Ok(*shape);
        }
        // An unknown fragment adds nothing; validation refuses it.
        let Some((name, definition)) = self.document.fragments.get_key_value(name) else {
            return Ok(Shape::default());
        };
        let name = name.as_str();
        if !self.open.insert(name) {
            return Err(Cycle(name.to_owned()));
        }
        let shape = self.selection_set(&definition.node.selection_set.node)?;
        self.open.remove(name);
        self.done.insert(name, shape);
        Ok(shape)
    }
}

/// How many values a set of variables holds, and its longest list.
#[derive(Debug, Default, PartialEq, Eq)]
struct ValueSize {
    values: usize,
    longest_list: usize,
}

impl ValueSize {
    fn of_variables(variables: &Variables) -> ValueSize {
        let mut size = ValueSize::default();
        let mut stack: Vec<&Value> = variables.values().collect();
        while let Some(value) = stack.pop() {
            size.values += 1;
            match value {
                Value::List(items) => {
                    size.longest_list = size.longest_list.max(items.len());
                    stack.extend(items);
                }
                Value::Object(fields) => stack.extend(fields.values()),
                _ => {}
            }
        }
        size
    }
}

/// The longest list written in the document: in arguments, directives and
/// default values of variables.
fn longest_literal_list(document: &ExecutableDocument) -> usize {
    let mut constants: Vec<Value> = Vec::new();
    let mut directives: Vec<&Positioned<Directive>> = Vec::new();
    let mut sets = Vec::new();
    for (_, operation) in document.operations.iter() {
        let operation = &operation.node;
        directives.extend(&operation.directives);
        for variable in &operation.variable_definitions {
            directives.extend(&variable.node.directives);
            constants.extend(variable.node.default_value.as_ref().map(|v| v.node.clone()));
        }
        selections(&operation.selection_set.node, &mut sets);
    }
    for fragment in document.fragments.values() {
        directives.extend(&fragment.node.directives);
        selections(&fragment.node.selection_set.node, &mut sets);
    }
    let mut arguments = Vec::new();
    for item in sets.iter().flat_map(|s| s.items.iter()) {
        match &item.node {
            Selection::Field(f) => {
                arguments.extend(f.node.arguments.iter().map(|(_, v)| &v.node));
                directives.extend(&f.node.directives);
            }
            Selection::InlineFragment(f) => directives.extend(&f.node.directives),
            Selection::FragmentSpread(s) => directives.extend(&s.node.directives),
        }
    }
    for directive in directives {
        arguments.extend(directive.node.arguments.iter().map(|(_, v)| &v.node));
    }
    // Written values with their variables as null (a variable's own lists
    // are checked with the variables); the document is small (its tokens
    // are bounded), so the copies are too.
    constants.extend(arguments.into_iter().map(|v| {
        v.clone()
            .into_const_with(|_| Ok::<_, std::convert::Infallible>(Value::Null))
            .unwrap_or_default()
    }));
    let mut longest = 0;
    let mut stack: Vec<&Value> = constants.iter().collect();
    while let Some(value) = stack.pop() {
        match value {
            Value::List(items) => {
                longest = longest.max(items.len());
                stack.extend(items);
            }
            Value::Object(fields) => stack.extend(fields.values()),
            _ => {}
        }
    }
    longest
}

/// Every selection set of `set`, itself included (fragment spreads are not
/// followed).
fn selections<'a>(set: &'a SelectionSet, out: &mut Vec<&'a SelectionSet>) {
    out.push(set);
    for item in &set.items {
        match &item.node {
            Selection::Field(f) => selections(&f.node.selection_set.node, out),
            Selection::InlineFragment(f) => selections(&f.node.selection_set.node, out),
            Selection::FragmentSpread(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> ExecutableDocument {
        async_graphql::parser::parse_query(query).unwrap()
    }

    fn shape(query: &str) -> Result<Shape, Cycle> {
        Shape::of(&parse(query))
    }

    fn defaults() -> DocumentLimits {
        DocumentLimits::from_settings(&crate::config::Settings::default())
    }

    fn code(err: &ServerError) -> Option<String> {
        match err.extensions.as_ref().and_then(|e| e.get("code")) {
            Some(Value::String(code)) => Some(code.clone()),
            _ => None,
        }
    }

    /// `layers` layers of two fragments, each spreading both of the next.
    pub(crate) fn fragment_bomb(layers: usize) -> String {
        let mut query = String::from("query{...F0_0}");
        for layer in 0..layers {
            for copy in 0..2 {
                if layer + 1 == layers {
                    query.push_str(&format!(" fragment F{layer}_{copy} on Query{{__typename}}"));
                } else {
                    let next = layer + 1;
                    query.push_str(&format!(
                        " fragment F{layer}_{copy} on Query{{...F{next}_0 ...F{next}_1}}"
                    ));
                }
            }
        }
        query
    }

    /// graphql-js' `getIntrospectionQuery()` with every option on, its
    /// `TypeRef` nested `levels` deep.
    pub(crate) fn introspection_query(levels: usize) -> String {
        let mut type_ref = String::from("kind name");
        for _ in 1..levels {
            type_ref = format!("kind name ofType {{ {type_ref} }}");
        }
        format!(
            "query IntrospectionQuery {{
  __schema {{
    description
    queryType {{ name kind }}
    mutationType {{ name kind }}
    subscriptionType {{ name kind }}
    types {{ ...FullType }}
    directives {{ name description isRepeatable locations args(includeDeprecated: true) {{ ...InputValue }} }}
  }}
}}
fragment FullType on __Type {{
  kind name description specifiedByURL isOneOf
  fields(includeDeprecated: true) {{
    name description args(includeDeprecated: true) {{ ...InputValue }}
    type {{ ...TypeRef }} isDeprecated deprecationReason
  }}
  inputFields(includeDeprecated: true) {{ ...InputValue }}
  interfaces {{ ...TypeRef }}
  enumValues(includeDeprecated: true) {{ name description isDeprecated deprecationReason }}
  possibleTypes {{ ...TypeRef }}
}}
fragment InputValue on __InputValue {{
  name description type {{ ...TypeRef }} defaultValue isDeprecated deprecationReason
}}
fragment TypeRef on __Type {{ {type_ref} }}"
        )
    }

    #[test]
    fn tokens_are_counted_like_the_lexer() {
        let q = r#"query Q($id: ID!) { need(id: $id) { title, keywords } } # comment"#;
        // query Q ( $ id : ID ! ) { need ( id : $ id ) { title keywords } }
        assert_eq!(tokens_over(q, 22), None);
        assert_eq!(tokens_over(q, 21), Some(21));
        assert_eq!(tokens_over(r#"{ a(s: "x y z \" w") }"#, 8), None);
        assert_eq!(tokens_over(r#"{ a(s: """ many words here """) }"#, 8), None);
        assert_eq!(tokens_over("{ ...F } fragment F on Q { a }", 11), None);
        assert_eq!(tokens_over("{ ...F } fragment F on Q { a }", 10), Some(10));
        // Numbers are one token each.
        assert_eq!(tokens_over("{ a(x: -1.5e+3, y: 0) }", 11), None);
        assert_eq!(tokens_over("{ a(x: -1.5e+3, y: 0) }", 10), Some(10));
    }

    #[test]
    fn a_comment_ends_at_any_line_terminator() {
        // The parser ends a comment at `\r` as well as at `\n`: what follows
        // is counted.
        for end in ["\r", "\n", "\r\n"] {
            let q = format!("#{end}{{ a b c }}");
            assert_eq!(tokens_over(&q, 5), None, "{end:?}");
            assert_eq!(tokens_over(&q, 4), Some(4), "{end:?}");
        }
        let attack = format!("#\r{{ {}}}", "__typename ".repeat(90_000));
        assert_eq!(tokens_over(&attack, 2_000), Some(2_000));
        // A string ends at a line terminator too (the parser refuses it there).
        assert_eq!(tokens_over("{ a(s: \"x\r) b c }", 5), Some(5));
    }

    #[test]
    fn a_name_ends_where_the_parser_ends_it() {
        // `a...F` is a field and a spread: three tokens, not one.
        assert_eq!(tokens_over("{a...F}", 5), None);
        assert_eq!(tokens_over("{a...F}", 4), Some(4));
    }

    #[test]
    fn aliases_and_root_fields() {
        let s = shape(
            "query { a: need(id: 1) { t: title } b: need(id: 2) { title } ...R } fragment R on Query { c: me { id } }",
        )
        .unwrap();
        assert_eq!(s.aliases, 4);
        assert_eq!(s.roots, 3);
        assert_eq!(s.fields, 6);
        assert_eq!(s.depth, 2);
    }

    #[test]
    fn fragments_are_expanded_once_each() {
        // 26 layers: 2^25 fields, counted in microseconds.
        let started = std::time::Instant::now();
        let s = shape(&fragment_bomb(26)).unwrap();
        assert_eq!(s.fields, 1 << 25);
        assert_eq!(s.roots, 1 << 25);
        assert_eq!(s.depth, 1);
        assert!(started.elapsed() < std::time::Duration::from_millis(200));
        let err = defaults()
            .check_document(&parse(&fragment_bomb(26)))
            .unwrap_err();
        assert_eq!(code(&err).as_deref(), Some("BAD_USER_INPUT"));
        assert!(
            err.message.contains("once its fragments are expanded"),
            "{}",
            err.message
        );
        // A fragment spread twice counts twice (a diamond is no cycle).
        let s =
            shape("{ ...A ...A } fragment A on Query { ...B ...B } fragment B on Query { x: a }")
                .unwrap();
        assert_eq!((s.fields, s.aliases, s.roots), (4, 4, 4));
    }

    #[test]
    fn one_bulk_import_per_operation() {
        let one = "mutation($r: [NeedRowInput!]!) { importNeeds(input: {rows: $r}) { created } }";
        assert_eq!(shape(one).unwrap().bulk, 1);
        assert!(defaults().check_document(&parse(one)).is_ok());
        let aliased = "mutation($r: [NeedRowInput!]!) { a: importNeeds(input: {rows: $r}) { created } b: importCapabilities(input: {rows: $r}) { created } }";
        let err = defaults().check_document(&parse(aliased)).unwrap_err();
        assert_eq!(code(&err).as_deref(), Some("BAD_USER_INPUT"));
        assert!(err.message.contains("2 bulk imports"), "{}", err.message);
        // Through a fragment spread twice.
        let spread = "mutation($r: [NeedRowInput!]!) { ...I ...I } fragment I on Mutation { importNeeds(input: {rows: $r}) { created } }";
        assert_eq!(shape(spread).unwrap().bulk, 2);
        assert!(defaults().check_document(&parse(spread)).is_err());
    }

    #[test]
    fn counts_saturate() {
        // 200 layers describe 2^199 fields: more than any usize.
        let s = shape(&fragment_bomb(200)).unwrap();
        assert_eq!(s.fields, usize::MAX);
        assert_eq!(s.roots, usize::MAX);
        assert!(
            defaults()
                .check_document(&parse(&fragment_bomb(200)))
                .is_err()
        );
    }

    #[test]
    fn fragment_cycles_are_refused() {
        assert_eq!(
            shape("{ ...A } fragment A on Query { ...A }"),
            Err(Cycle("A".into()))
        );
        assert!(matches!(
            shape(
                "{ ...A } fragment A on Query { a { ...B } } fragment B on Q { ... on Q { ...C } } fragment C on Q { ...A }"
            ),
            Err(Cycle(_))
        ));
        let err = defaults()
            .check_document(&parse("{ ...A } fragment A on Query { b { ...A } }"))
            .unwrap_err();
        assert_eq!(code(&err).as_deref(), Some("BAD_USER_INPUT"));
        assert!(err.message.contains("spreads itself"), "{}", err.message);
        // An unknown fragment is validation's business.
        assert_eq!(shape("{ a ...Nowhere }").unwrap().fields, 1);
    }

    #[test]
    fn root_fields_are_counted_through_any_nesting_of_fragments() {
        // 30 root fields, behind 10 levels of fragments.
        let mut query = String::from("{ ...L0 }");
        for level in 0..10 {
            let next = if level == 9 {
                (0..30).map(|i| format!("r{i}: __typename ")).collect()
            } else {
                format!("...L{}", level + 1)
            };
            query.push_str(&format!(" fragment L{level} on Query {{ {next} }}"));
        }
        assert_eq!(shape(&query).unwrap().roots, 30);
        let limits = DocumentLimits {
            max_aliases: 100,
            ..defaults()
        };
        let err = limits.check_document(&parse(&query)).unwrap_err();
        assert!(err.message.contains("30 root fields"), "{}", err.message);
    }

    #[test]
    fn aliases_are_counted_per_use() {
        // One aliased field, spread 31 times.
        let spreads: String = (0..31)
            .map(|i| format!("n{i}: need(id: {i}) {{ ...T }} "))
            .collect();
        let query = format!("{{ {spreads} }} fragment T on Need {{ t: title }}");
        assert_eq!(shape(&query).unwrap().aliases, 62);
        let err = defaults().check_document(&parse(&query)).unwrap_err();
        assert!(err.message.contains("62 aliases"), "{}", err.message);
    }

    #[test]
    fn depth_is_counted_like_async_graphql() {
        // Every field is a level, leaves included; fragments add none.
        let s = shape("{ a { ... on A { b { ...C } } } } fragment C on B { c { d } }").unwrap();
        assert_eq!(s.depth, 4);
        let limits = DocumentLimits {
            max_depth: 3,
            ..defaults()
        };
        let err = limits
            .check_document(&parse(
                "{ a { ... on A { b { ...C } } } } fragment C on B { c { d } }",
            ))
            .unwrap_err();
        assert!(err.message.contains("nested too deep"), "{}", err.message);
    }

    #[test]
    fn the_introspection_query_is_no_bomb() {
        // graphql-js' query with 15 levels of `TypeRef`: within every limit
        // but the depth (which async-graphql counts the same way).
        let query = introspection_query(15);
        assert_eq!(tokens_over(&query, defaults().max_tokens), None);
        let s = shape(&query).unwrap();
        assert!(s.fields * 4 < defaults().max_expanded_fields, "{s:?}");
        // __schema types fields args type, then 15 levels of TypeRef: deep
        // for introspection, one level for the depth limit.
        assert_eq!((s.depth, s.introspection_depth), (1, 5 + 15));
        defaults().check_document(&parse(&query)).unwrap();
        // Deeper introspection than any tool asks for is refused.
        let err = defaults()
            .check_document(&parse(&introspection_query(30)))
            .unwrap_err();
        assert!(
            err.message
                .contains("introspection query is nested too deep"),
            "{}",
            err.message
        );
    }

    #[test]
    fn every_operation_is_counted() {
        // async-graphql validates every operation, whichever runs.
        let s = shape("query A { ...F } query B { ...F } fragment F on Query { a b }").unwrap();
        assert_eq!((s.fields, s.roots), (4, 2));
    }

    #[test]
    fn lists_and_variables_are_bounded() {
        let limits = DocumentLimits {
            max_list_items: 3,
            max_variable_values: 10,
            ..defaults()
        };
        limits
            .check_document(&parse("{ a(x: [1, 2, 3], y: {z: [[1], [2, 3, 4]]}) }"))
            .unwrap();
        for query in [
            "{ a(x: [1, 2, 3, 4]) }",
            "{ a(y: {z: [[1], [2, 3, 4, 5]]}) }",
            "{ a @include(if: [1, 2, 3, 4]) }",
            "query($v: [Int] = [1, 2, 3, 4]) { a(x: $v) }",
            "{ ...F } fragment F on Query { a(x: [1, 2, 3, 4]) }",
        ] {
            let err = limits.check_document(&parse(query)).unwrap_err();
            assert_eq!(code(&err).as_deref(), Some("BAD_USER_INPUT"), "{query}");
            assert!(
                err.message.contains("a list has 4 items"),
                "{query}: {}",
                err.message
            );
        }

        let vars = |v: serde_json::Value| Variables::from_json(v);
        // {"a": [1, 2, 3], "b": {"c": true}}: 6 values (the list, its three
        // items, the object and its one field).
        let size =
            ValueSize::of_variables(&vars(serde_json::json!({"a": [1, 2, 3], "b": {"c": true}})));
        assert_eq!(
            size,
            ValueSize {
                values: 6,
                longest_list: 3
            }
        );
        limits
            .check_variables(&vars(serde_json::json!({"a": [1, 2, 3], "b": {"c": true}})))
            .unwrap();
        let err = limits
            .check_variables(&vars(serde_json::json!({"a": [[1, 2, 3, 4]]})))
            .unwrap_err();
        assert!(
            err.message.contains("a list has 4 items"),
            "{}",
            err.message
        );
        let err = limits
            .check_variables(&vars(
                serde_json::json!({"a": [[1, 2], [3, 4], [5, 6]], "b": 1}),
            ))
            .unwrap_err();
        assert_eq!(code(&err).as_deref(), Some("BAD_USER_INPUT"));
        assert!(
            err.message.contains("the variables hold 11 values"),
            "{}",
            err.message
        );
    }
}
