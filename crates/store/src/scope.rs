//! What a caller may see, expressed as SQL conditions.

/// The reader's reach, computed once per request by the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Platform ADMIN or COORDINATOR: everything.
    All,
    /// Anyone else: public objects, platform objects when signed in, and
    /// everything of the organisations the reader manages.
    Reader {
        signed_in: bool,
        organization_ids: Vec<i64>,
    },
}

impl Scope {
    pub const ANONYMOUS: Scope = Scope::Reader {
        signed_in: false,
        organization_ids: Vec::new(),
    };

    /// Whether the reader manages `organization_id` (or sees everything).
    pub fn manages(&self, organization_id: i64) -> bool {
        match self {
            Scope::All => true,
            Scope::Reader {
                organization_ids, ..
            } => organization_ids.contains(&organization_id),
        }
    }

    pub fn signed_in(&self) -> bool {
        match self {
            Scope::All => true,
            Scope::Reader { signed_in, .. } => *signed_in,
        }
    }
}

/// A case-folded `LIKE '%text%' ESCAPE '\'` pattern, with `%`, `_` and `\`
/// in the text matched literally.
pub(crate) fn like_contains(text: &str) -> sea_orm::sea_query::LikeExpr {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    sea_orm::sea_query::LikeExpr::new(out).escape('\\')
}

/// Pattern matching a code and every code below it in the hierarchy.
pub(crate) fn like_prefix(code: &str) -> String {
    let mut out: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    out.push('%');
    out
}

/// Case-insensitive "contains `text`" over any of `columns`.
pub(crate) fn text_in<C>(columns: &[C], text: &str) -> sea_orm::Condition
where
    C: sea_orm::ColumnTrait,
{
    use sea_orm::sea_query::{Expr, ExprTrait, Func};
    let pattern = like_contains(text);
    columns.iter().fold(sea_orm::Condition::any(), |cond, col| {
        cond.add(Expr::expr(Func::lower(Expr::col(*col))).like(pattern.clone()))
    })
}
