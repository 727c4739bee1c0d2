//! What a caller may see, expressed as SQL conditions.

pub use iurhub_domain::records::scope::Scope;

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

/// `column` holds `code` or a code below it in the hierarchy (a code
/// starting with it): `substr(column, 1, n) = code`. Not `LIKE 'code%'`:
/// SQLite prepares a statement again each time a `LIKE` pattern is bound
/// anew, and the opportunity queue binds one per request.
pub(crate) fn code_under(
    column: impl sea_orm::sea_query::IntoColumnRef,
    code: &str,
) -> sea_orm::sea_query::SimpleExpr {
    use sea_orm::sea_query::{Expr, ExprTrait, Func};
    let code: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    // `int`, not `bigint`: PostgreSQL has no `substr(text, bigint, bigint)`.
    let length = code.len() as i32;
    Expr::expr(
        Func::cust(sea_orm::sea_query::Alias::new("substr"))
            .arg(Expr::col(column))
            .arg(1i32)
            .arg(length),
    )
    .eq(code)
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

/// The keyword of a list filter, trimmed; `None` when absent or blank.
pub(crate) fn keyword(keyword: &Option<String>) -> Option<&str> {
    keyword.as_deref().map(str::trim).filter(|k| !k.is_empty())
}

/// "Contains the keyword" over any of `columns`; `None` without a keyword.
pub(crate) fn keyword_in<C>(keyword: &Option<String>, columns: &[C]) -> Option<sea_orm::Condition>
where
    C: sea_orm::ColumnTrait,
{
    self::keyword(keyword).map(|k| text_in(columns, k))
}

/// `column` holds one of `statuses` (their text form); `None` when the
/// filter names no status.
pub(crate) fn statuses_in<C, S>(column: C, statuses: &[S]) -> Option<sea_orm::sea_query::SimpleExpr>
where
    C: sea_orm::ColumnTrait,
    S: ToString,
{
    (!statuses.is_empty()).then(|| column.is_in(statuses.iter().map(ToString::to_string)))
}
