//! Bulk import of capabilities, needs and talents. Every row is checked first
//! — content rules, taxonomy codes, talent ids, the organisation and, through
//! the API, the caller's right to write for it — and every problem of every
//! row is reported; only when all rows are valid are they written, in one
//! transaction. `importCapabilities`, `importNeeds` and `iurhub import` all
//! check through [`check`].

use std::collections::{HashMap, HashSet};

use iurhub_domain::validate::{CapabilityFields, NeedFields, TalentFields};
use iurhub_domain::{CapabilityStatus, DomainError, FieldError, Message, NeedStatus};
use iurhub_store::capabilities::Capability;
use iurhub_store::needs::Need;
use iurhub_store::talents::Talent;
use iurhub_store::taxonomy::TaxonomyKind;

use crate::App;
use crate::caller::Caller;
use crate::error::{AppError, AppResult};

/// Most rows of one `importCapabilities` or `importNeeds` call.
pub const MAX_ROWS: usize = 1000;

/// Ids looked up in one query while checking.
const LOOKUP_CHUNK: usize = 500;

/// A capability to import: its organisation and its content.
pub type CapabilityRow = (i64, CapabilityFields);
/// A need to import: its organisation and its content.
pub type NeedRow = (i64, NeedFields);

/// A row as an interface read it: its content (if it could be read at all)
/// and what was wrong with reading it (an id that does not decode, a line
/// that is not JSON…). A row with reading errors is still checked, so that
/// its other problems are reported too, but never written.
#[derive(Debug)]
pub struct Parsed<T> {
    /// The content; an unresolved organisation is `0`, an unresolved talent
    /// id is left out (both are among `errors`).
    pub row: Option<T>,
    pub errors: Vec<FieldError>,
}

impl<T> Parsed<T> {
    /// A row read with `errors` (none: read cleanly).
    pub fn new(row: T, errors: Vec<FieldError>) -> Self {
        Parsed {
            row: Some(row),
            errors,
        }
    }

    /// A row that could not be read at all.
    pub fn unreadable(errors: Vec<FieldError>) -> Self {
        Parsed { row: None, errors }
    }
}

/// One problem of one row; `row` is the zero-based position in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    /// The field inside the row (`title`, `achievements[0].year`), empty when
    /// the problem is the row as a whole.
    pub field: String,
    /// The English text of `text`.
    pub message: String,
    /// The keyed message.
    pub text: iurhub_domain::Message,
}

impl RowError {
    fn new(row: usize, error: FieldError) -> Self {
        RowError {
            row,
            field: error.field,
            message: error.message,
            text: error.text,
        }
    }

    /// The field named from the list argument `list`: `input[3].title`.
    pub fn path(&self, list: &str) -> String {
        if self.field.is_empty() {
            format!("{list}[{}]", self.row)
        } else {
            format!("{list}[{}].{}", self.row, self.field)
        }
    }
}

/// What [`check`] needs to know about a kind of row.
pub trait ImportRow: Clone {
    fn organization_id(&self) -> i64;
    /// The domain rules (normalises the content).
    fn validate(self) -> Result<Self, DomainError>;
    /// The code lists to look up: field name, classification, codes.
    fn codes(&self) -> Vec<(&'static str, TaxonomyKind, &[String])>;
    /// Talent profiles the row refers to.
    fn talent_ids(&self) -> &[i64] {
        &[]
    }
}

impl ImportRow for CapabilityRow {
    fn organization_id(&self) -> i64 {
        self.0
    }
    fn validate(self) -> Result<Self, DomainError> {
        Ok((self.0, self.1.validate()?))
    }
    fn codes(&self) -> Vec<(&'static str, TaxonomyKind, &[String])> {
        vec![(
            "disciplineCodes",
            TaxonomyKind::Discipline,
            &self.1.discipline_codes,
        )]
    }
    fn talent_ids(&self) -> &[i64] {
        &self.1.talent_ids
    }
}

impl ImportRow for NeedRow {
    fn organization_id(&self) -> i64 {
        self.0
    }
    fn validate(self) -> Result<Self, DomainError> {
        Ok((self.0, self.1.validate()?))
    }
    fn codes(&self) -> Vec<(&'static str, TaxonomyKind, &[String])> {
        vec![
            (
                "disciplineCodes",
                TaxonomyKind::Discipline,
                &self.1.discipline_codes,
            ),
            (
                "industryCodes",
                TaxonomyKind::Industry,
                &self.1.industry_codes,
            ),
        ]
    }
}

impl ImportRow for TalentFields {
    fn organization_id(&self) -> i64 {
        self.organization_id
    }
    fn validate(self) -> Result<Self, DomainError> {
        TalentFields::validate(self)
    }
    fn codes(&self) -> Vec<(&'static str, TaxonomyKind, &[String])> {
        vec![(
            "disciplineCodes",
            TaxonomyKind::Discipline,
            &self.discipline_codes,
        )]
    }
}

/// The field errors an error stands for (a decoding failure of one field,
/// usually), for reporting it as a row problem.
pub fn field_errors(err: AppError) -> Vec<FieldError> {
    match err {
        AppError::BadUserInput { fields, .. } if !fields.is_empty() => fields,
        other => vec![FieldError::keyed("", other.text())],
    }
}

fn domain_errors(err: DomainError) -> Vec<FieldError> {
    match err {
        DomainError::Validation(fields) => fields,
        other => vec![FieldError::keyed("", AppError::from(other).text())],
    }
}

/// Checks every row. `Ok(Ok(rows))`: all valid, normalised, in input order;
/// `Ok(Err(errors))`: every problem found, by row. With a `caller`, a row for
/// an organisation the caller may not write for makes the whole call
/// FORBIDDEN (the command line passes none: its operator owns the database).
pub async fn check<T: ImportRow>(
    app: &App,
    caller: Option<&Caller>,
    rows: Vec<Parsed<T>>,
) -> AppResult<Result<Vec<T>, Vec<RowError>>> {
    let store = &app.store;
    // Organisations first: authorization comes before any content problem.
    let organization_of: Vec<(usize, i64)> = rows
        .iter()
        .enumerate()
        .filter_map(|(i, parsed)| Some((i, parsed.row.as_ref()?.organization_id())))
        .filter(|(_, org)| *org > 0)
        .collect();
    let wanted: Vec<i64> = distinct(organization_of.iter().map(|(_, org)| *org));
    let mut known = HashSet::new();
    for chunk in wanted.chunks(LOOKUP_CHUNK) {
        known.extend(
            store
                .organizations_by_ids(chunk)
                .await?
                .into_iter()
                .map(|o| o.id),
        );
    }
    if let Some(caller) = caller {
        authorize(caller, &organization_of, &known)?;
    }

    let mut errors = Vec::new();
    // Each row that could be read: normalised when the content rules hold,
    // as given otherwise, with the fields those rules already reported (not
    // looked up again).
    let mut readable: Vec<(usize, T, HashSet<String>)> = Vec::with_capacity(rows.len());
    for (i, parsed) in rows.into_iter().enumerate() {
        errors.extend(parsed.errors.into_iter().map(|f| RowError::new(i, f)));
        let Some(row) = parsed.row else {
            continue;
        };
        let org = row.organization_id();
        if org > 0 && !known.contains(&org) {
            errors.push(RowError::new(
                i,
                FieldError::keyed("organizationId", Message::new("organization.unknown")),
            ));
        }
        match row.clone().validate() {
            Ok(row) => readable.push((i, row, HashSet::new())),
            Err(err) => {
                let fields = domain_errors(err);
                let reported = fields.iter().map(|f| f.field.clone()).collect();
                errors.extend(fields.into_iter().map(|f| RowError::new(i, f)));
                readable.push((i, row, reported));
            }
        }
    }

    for kind in [TaxonomyKind::Discipline, TaxonomyKind::Industry] {
        let codes: Vec<String> = distinct(readable.iter().flat_map(|(_, row, reported)| {
            code_lists(row, reported, kind)
                .into_iter()
                .flat_map(|(_, codes)| codes.into_iter().map(str::to_owned))
        }));
        let mut unknown = HashSet::new();
        for chunk in codes.chunks(LOOKUP_CHUNK) {
            unknown.extend(store.unknown_codes(kind, chunk).await?);
        }
        if unknown.is_empty() {
            continue;
        }
        for (i, row, reported) in &readable {
            for (field, codes) in code_lists(row, reported, kind) {
                let bad: Vec<&str> = distinct(codes.into_iter().filter(|c| unknown.contains(*c)));
                if !bad.is_empty() {
                    errors.push(RowError::new(
                        *i,
                        FieldError::keyed(
                            field,
                            Message::new("taxonomy.unknown_codes").with("codes", bad.join(", ")),
                        ),
                    ));
                }
            }
        }
    }

    let talents: Vec<i64> = distinct(
        readable
            .iter()
            .flat_map(|(_, row, _)| row.talent_ids().iter().copied()),
    );
    let mut found = HashMap::new();
    for chunk in talents.chunks(LOOKUP_CHUNK) {
        found.extend(
            store
                .talents_by_ids(chunk)
                .await?
                .into_iter()
                .map(|t| (t.id, t)),
        );
    }
    for (i, row, reported) in &readable {
        if reported.contains("talentIds") {
            continue;
        }
        if row.talent_ids().iter().any(|t| !found.contains_key(t)) {
            errors.push(RowError::new(
                *i,
                FieldError::keyed("talentIds", Message::new("talent.ids.unknown")),
            ));
        }
    }
    if let Some(caller) = caller
        && found.values().any(|t| !super::talents::may_link(caller, t))
    {
        return Err(AppError::denied(Message::new("talent.link.forbidden")));
    }

    if errors.is_empty() {
        // No errors: every row passed the content rules and is normalised.
        Ok(Ok(readable.into_iter().map(|(_, row, _)| row).collect()))
    } else {
        // Stable: a row's problems keep the order they were found in.
        errors.sort_by_key(|e| e.row);
        Ok(Err(errors))
    }
}

/// The code lists of `kind` in `row` (trimmed) that the content rules did not
/// already refuse.
fn code_lists<'a, T: ImportRow>(
    row: &'a T,
    reported: &HashSet<String>,
    kind: TaxonomyKind,
) -> Vec<(&'static str, Vec<&'a str>)> {
    row.codes()
        .into_iter()
        .filter(|(field, k, _)| *k == kind && !reported.contains(*field))
        .map(|(field, _, codes)| (field, codes.iter().map(|c| c.trim()).collect()))
        .collect()
}

fn distinct<T: Clone + Eq + std::hash::Hash>(values: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut seen = HashSet::new();
    values
        .into_iter()
        .filter(|v| seen.insert(v.clone()))
        .collect()
}

/// FORBIDDEN when a row is for an existing organisation the caller may not
/// write for (rows for unknown organisations are reported as bad input).
fn authorize(
    caller: &Caller,
    organization_of: &[(usize, i64)],
    known: &HashSet<i64>,
) -> AppResult<()> {
    let denied: Vec<String> = organization_of
        .iter()
        .filter(|(_, org)| known.contains(org) && !caller.can_manage(*org))
        .map(|(i, _)| format!("{ROWS}[{i}]"))
        .collect();
    if denied.is_empty() {
        return Ok(());
    }
    let rows = denied
        .iter()
        .take(10)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    let text = if denied.len() > 10 {
        Message::new("import.organization.forbidden_more").with("more", denied.len() - 10)
    } else {
        Message::new("import.organization.forbidden")
    };
    Err(AppError::denied(text.with("rows", rows)))
}

/// BAD_USER_INPUT naming every problem as `input[row].field`.
pub fn rejected(total: usize, errors: &[RowError]) -> AppError {
    let bad = distinct(errors.iter().map(|e| e.row)).len();
    let mut examples: Vec<String> = errors
        .iter()
        .take(3)
        .map(|e| format!("{}: {}", e.path(ROWS), e.message))
        .collect();
    if errors.len() > 3 {
        examples.push("…".into());
    }
    AppError::BadUserInput {
        message: format!(
            "{bad} of {total} rows are invalid; nothing was imported ({})",
            examples.join("; ")
        ),
        fields: errors
            .iter()
            .map(|e| FieldError::keyed(e.path(ROWS), e.text.clone()))
            .collect(),
    }
}

/// The name of the rows of an import (`rows[3].title`; over GraphQL
/// `input.rows[3].title`).
pub const ROWS: &str = "rows";

/// The row count of an API call must be 1..=[`MAX_ROWS`].
fn check_count(rows: usize) -> AppResult<()> {
    if rows == 0 {
        return Err(AppError::invalid(
            ROWS,
            Message::new("value.too_few").with("min", 1),
        ));
    }
    if rows > MAX_ROWS {
        return Err(AppError::invalid(
            ROWS,
            Message::new("value.too_many").with("max", MAX_ROWS),
        ));
    }
    Ok(())
}

/// Checks rows for the caller, all or nothing: the rows, or BAD_USER_INPUT
/// naming every problem.
async fn checked<T: ImportRow>(
    app: &App,
    caller: &Caller,
    rows: Vec<Parsed<T>>,
) -> AppResult<Vec<T>> {
    check_count(rows.len())?;
    let total = rows.len();
    check(app, Some(caller), rows)
        .await?
        .map_err(|errors| rejected(total, &errors))
}

/// Checks and imports capabilities for the caller, all or nothing; DRAFT, or
/// PUBLISHED with `publish`. Returns them in input order.
pub async fn capabilities(
    app: &App,
    caller: &Caller,
    rows: Vec<Parsed<CapabilityRow>>,
    publish: bool,
) -> AppResult<Vec<Capability>> {
    let rows = checked(app, caller, rows).await?;
    let created = write_capabilities(app, caller.id(), rows, publish, &mut |_| {}).await?;
    app.capabilities_written(&created).await;
    Ok(created)
}

/// Checks and imports needs for the caller, all or nothing; DRAFT, or
/// PUBLISHED with `publish`. Returns them in input order.
pub async fn needs(
    app: &App,
    caller: &Caller,
    rows: Vec<Parsed<NeedRow>>,
    publish: bool,
) -> AppResult<Vec<Need>> {
    let rows = checked(app, caller, rows).await?;
    let created = write_needs(app, caller.id(), rows, publish, &mut |_| {}).await?;
    app.needs_written(&created).await;
    Ok(created)
}

/// Writes checked capabilities in one transaction; DRAFT, or PUBLISHED with
/// `publish`. `progress` hears the rows written so far. A file import of
/// the command line calls this directly: running servers hear of its rows
/// through the database (see [`crate::replication`]).
pub async fn write_capabilities(
    app: &App,
    created_by: i64,
    rows: Vec<CapabilityRow>,
    publish: bool,
    progress: &mut (dyn FnMut(usize) + Send),
) -> AppResult<Vec<Capability>> {
    let status = if publish {
        CapabilityStatus::Published
    } else {
        CapabilityStatus::Draft
    };
    Ok(app
        .store
        .import_capabilities(created_by, rows, status, progress)
        .await?)
}

/// Writes checked needs, like [`write_capabilities`].
pub async fn write_needs(
    app: &App,
    created_by: i64,
    rows: Vec<NeedRow>,
    publish: bool,
    progress: &mut (dyn FnMut(usize) + Send),
) -> AppResult<Vec<Need>> {
    let status = if publish {
        NeedStatus::Published
    } else {
        NeedStatus::Draft
    };
    Ok(app
        .store
        .import_needs(created_by, rows, status, progress)
        .await?)
}

/// Writes talent profiles checked by [`check`] for a file import.
pub async fn write_talents(
    app: &App,
    rows: Vec<TalentFields>,
    progress: &mut (dyn FnMut(usize) + Send),
) -> AppResult<Vec<Talent>> {
    Ok(app.store.import_talents(rows, progress).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_errors_are_named_from_the_argument() {
        let e = RowError::new(
            3,
            FieldError::keyed("title", Message::new("value.required")),
        );
        assert_eq!(e.path("input"), "input[3].title");
        let whole = RowError::new(
            0,
            FieldError::keyed(
                "",
                Message::new("body.wrong_type").with("expected", "an object"),
            ),
        );
        assert_eq!(whole.path("input"), "input[0]");
    }

    #[test]
    fn rejection_counts_bad_rows_and_lists_every_problem() {
        let errors = vec![
            RowError::new(
                1,
                FieldError::keyed(
                    "trl",
                    Message::new("value.out_of_range")
                        .with("min", 1)
                        .with("max", 9),
                ),
            ),
            RowError::new(
                1,
                FieldError::keyed("title", Message::new("value.required")),
            ),
            RowError::new(
                4,
                FieldError::keyed(
                    "disciplineCodes",
                    Message::new("taxonomy.unknown_codes").with("codes", "999"),
                ),
            ),
        ];
        let AppError::BadUserInput { message, fields } = rejected(5, &errors) else {
            panic!("expected BAD_USER_INPUT");
        };
        assert!(message.starts_with("2 of 5 rows are invalid"), "{message}");
        let names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            names,
            ["rows[1].trl", "rows[1].title", "rows[4].disciplineCodes"]
        );
    }

    #[test]
    fn row_count_limits() {
        assert!(check_count(0).is_err());
        assert!(check_count(1).is_ok());
        assert!(check_count(MAX_ROWS).is_ok());
        let Err(AppError::BadUserInput { fields, .. }) = check_count(MAX_ROWS + 1) else {
            panic!("expected BAD_USER_INPUT");
        };
        assert_eq!(fields[0].field, "rows");
    }
}
