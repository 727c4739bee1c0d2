//! Limits on the shape of a GraphQL document, checked before validation and
//! execution (over HTTP and WebSocket alike): lexical tokens, aliases and
//! root fields. Depth, complexity and directives per field are async-graphql's
//! own limits (see `build_schema`). Over HTTP the handler checks them (the
//! HTTP schema has no extensions); over WebSocket this extension does, and
//! also gives syntax and validation errors (which carry no code) the code
//! BAD_USER_INPUT.

use std::sync::Arc;

use async_graphql::ValidationResult;
use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextValidation,
};
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, Selection, SelectionSet,
};
use async_graphql::{ErrorExtensionValues, ServerError, ServerResult, Variables};

/// The limits, from the configuration.
#[derive(Debug, Clone, Copy)]
pub struct DocumentLimits {
    pub max_tokens: usize,
    pub max_aliases: usize,
    pub max_root_fields: usize,
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
        }
    }

    /// Checks the text of a document before it is parsed, so a huge document
    /// costs a scan, not a parse.
    pub fn check_text(&self, query: &str) -> Result<(), ServerError> {
        match tokens_over(query, self.max_tokens) {
            Some(n) => Err(refuse(format!(
                "the query has more than {n} tokens; at most {} are accepted",
                self.max_tokens
            ))),
            None => Ok(()),
        }
    }

    /// Checks a parsed document.
    pub fn check_document(&self, document: &ExecutableDocument) -> Result<(), ServerError> {
        let aliases = aliases(document);
        if aliases > self.max_aliases {
            return Err(refuse(format!(
                "the query has {aliases} aliases; at most {} are accepted",
                self.max_aliases
            )));
        }
        let roots = root_fields(document);
        if roots > self.max_root_fields {
            return Err(refuse(format!(
                "an operation selects {roots} root fields; at most {} are accepted",
                self.max_root_fields
            )));
        }
        Ok(())
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

fn refuse(message: String) -> ServerError {
    let mut err = ServerError::new(message, None);
    let mut ext = ErrorExtensionValues::default();
    ext.set("code", "BAD_USER_INPUT");
    err.extensions = Some(ext);
    err
}

#[async_trait::async_trait]
impl Extension for DocumentLimits {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        self.check_text(query)?;
        let document = next.run(ctx, query, variables).await.map_err(coded)?;
        self.check_document(&document)?;
        Ok(document)
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
/// tokens).
pub fn tokens_over(query: &str, max: usize) -> Option<usize> {
    let bytes = query.as_bytes();
    let (mut i, mut count) = (0, 0);
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b' ' | b'\t' | b'\n' | b'\r' | b',' => i += 1,
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
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
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'.' if bytes[i..].starts_with(b"...") => {
                count += 1;
                i += 3;
            }
            b if b.is_ascii_alphanumeric() || b == b'_' || b == b'-' => {
                count += 1;
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric()
                        || matches!(bytes[i], b'_' | b'.' | b'-' | b'+'))
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

/// Aliased fields in the whole document (operations and fragments).
fn aliases(doc: &ExecutableDocument) -> usize {
    let mut sets = Vec::new();
    for (_, op) in doc.operations.iter() {
        selections(&op.node.selection_set.node, &mut sets);
    }
    for fragment in doc.fragments.values() {
        selections(&fragment.node.selection_set.node, &mut sets);
    }
    sets.iter()
        .flat_map(|s| s.items.iter())
        .filter(|i| matches!(&i.node, Selection::Field(f) if f.node.alias.is_some()))
        .count()
}

/// The most root fields one operation selects (fragments at the root
/// included).
fn root_fields(doc: &ExecutableDocument) -> usize {
    fn count(doc: &ExecutableDocument, set: &SelectionSet, depth: usize) -> usize {
        set.items
            .iter()
            .map(|item| match &item.node {
                Selection::Field(_) => 1,
                Selection::InlineFragment(f) if depth < 8 => {
                    count(doc, &f.node.selection_set.node, depth + 1)
                }
                Selection::FragmentSpread(s) if depth < 8 => doc
                    .fragments
                    .get(&s.node.fragment_name.node)
                    .map_or(0, |f| count(doc, &f.node.selection_set.node, depth + 1)),
                _ => 0,
            })
            .sum()
    }
    let ops: Vec<_> = match &doc.operations {
        DocumentOperations::Single(op) => vec![op],
        DocumentOperations::Multiple(map) => map.values().collect(),
    };
    ops.into_iter()
        .map(|op| count(doc, &op.node.selection_set.node, 0))
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }

    #[test]
    fn aliases_and_root_fields() {
        let doc = async_graphql::parser::parse_query(
            "query { a: need(id: 1) { t: title } b: need(id: 2) { title } ...R } fragment R on Query { c: me { id } }",
        )
        .unwrap();
        assert_eq!(aliases(&doc), 4);
        assert_eq!(root_fields(&doc), 3);
    }
}
