//! `iurhub import`: capabilities, needs or talents from a JSON Lines or CSV
//! file. The whole file is read and checked first, with the rules of the API
//! ([`iurhub_app::import::check`]); a file with a bad row is refused whole, each
//! problem named by line and field. A good file is written in one transaction.
//!
//! - `.jsonl`: one JSON object per line, with the camelCase keys of the
//!   GraphQL create inputs; blank lines are skipped.
//! - `.csv`: a header row naming the same keys; list cells (`keywords`,
//!   `disciplineCodes`, `cooperationModes`, …) separate entries with `;`;
//!   an empty cell is an absent value.
//!
//! `organizationId` (a database id or a global ID) may be left out of a row
//! when a default organisation is given. `talentIds` take the same forms.

use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use anyhow::{Context as _, bail};
use chrono::NaiveDate;
use iurhub_app::{App, accounts};
use iurhub_domain::records::users::User;
use iurhub_domain::validate::{Achievement, CapabilityFields, NeedFields, TalentFields};
use iurhub_domain::{CooperationMode, FieldError, Locale, Message, Visibility};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use iurhub_api::graphql::ids::{self, Kind as IdKind};
use iurhub_app::import::{self, CapabilityRow, ImportRow, NeedRow, Parsed};

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Capabilities,
    Needs,
    Talents,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Capabilities => "capabilities",
            Kind::Needs => "needs",
            Kind::Talents => "talents",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem of a file, by line (1-based; the CSV header is line 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    /// Empty when the problem is the line as a whole.
    pub field: String,
    pub message: String,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "line {}: {}", self.line, self.message)
        } else {
            write!(f, "line {}: {}: {}", self.line, self.field, self.message)
        }
    }
}

/// A refused file: every problem, and how many of how many rows are bad.
#[derive(Debug, Clone)]
pub struct Rejected {
    pub errors: Vec<LineError>,
    pub bad_rows: usize,
    pub rows: usize,
}

/// A checked file, ready to be written.
#[derive(Debug)]
pub enum Checked {
    Capabilities(Vec<CapabilityRow>),
    Needs(Vec<NeedRow>),
    Talents(Vec<TalentFields>),
}

impl Checked {
    pub fn len(&self) -> usize {
        match self {
            Checked::Capabilities(rows) => rows.len(),
            Checked::Needs(rows) => rows.len(),
            Checked::Talents(rows) => rows.len(),
        }
    }
}

/// The user recorded as creator: the one with `email`, or else the oldest
/// platform ADMIN.
pub async fn creator(app: &App, email: Option<&str>) -> anyhow::Result<User> {
    let found =
        |r: iurhub_app::AppResult<Option<User>>| r.map_err(|e| anyhow::anyhow!(e.message()));
    match email {
        Some(email) => {
            let email = email.trim().to_lowercase();
            found(accounts::user_by_email(app, &email).await)?
                .with_context(|| format!("--created-by: no user with the e-mail {email}"))
        }
        None => found(accounts::oldest_admin(app).await)?.context(
            "the database has no ADMIN user to record as creator: pass --created-by EMAIL \
             (or start the server once with IURHUB_BOOTSTRAP_ADMIN_EMAIL and \
             IURHUB_BOOTSTRAP_ADMIN_PASSWORD set)",
        ),
    }
}

/// An organisation given on the command line: a database id or a global ID.
pub fn organization_arg(value: &str) -> anyhow::Result<i64> {
    id_ref(&IdRef::Text(value.to_owned()), IdKind::Organization)
        .map_err(|message| anyhow::anyhow!("--organization: {}", message.render(Locale::En)))
}

/// Reads and checks the whole file. `Err` is a file that cannot be read at
/// all (missing, unknown extension, bad CSV header, no rows); `Ok(Err)` a file
/// with bad rows.
pub async fn read_and_check(
    app: &App,
    kind: Kind,
    path: &Path,
    default_organization: Option<i64>,
) -> anyhow::Result<Result<Checked, Rejected>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let format = match path.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson") => {
            Format::JsonLines
        }
        Some(e) if e.eq_ignore_ascii_case("csv") => Format::Csv,
        _ => bail!(
            "{}: the file name must end in .jsonl (JSON Lines) or .csv",
            path.display()
        ),
    };
    Ok(match kind {
        Kind::Capabilities => {
            let lines = parse::<CapabilityLine>(&text, format, default_organization)?;
            check(app, lines).await?.map(Checked::Capabilities)
        }
        Kind::Needs => {
            let lines = parse::<NeedLine>(&text, format, default_organization)?;
            check(app, lines).await?.map(Checked::Needs)
        }
        Kind::Talents => {
            let lines = parse::<TalentLine>(&text, format, default_organization)?;
            check(app, lines).await?.map(Checked::Talents)
        }
    })
}

/// Writes a checked file in one transaction; capabilities and needs are
/// DRAFT, or PUBLISHED with `publish`. `progress` hears the rows written so
/// far. Returns the number of rows written.
pub async fn write(
    app: &App,
    checked: Checked,
    created_by: i64,
    publish: bool,
    progress: &mut (dyn FnMut(usize) + Send),
) -> anyhow::Result<usize> {
    let written = match checked {
        Checked::Capabilities(rows) => {
            import::write_capabilities(app, created_by, rows, publish, progress)
                .await
                .map(|rows| rows.len())
        }
        Checked::Needs(rows) => import::write_needs(app, created_by, rows, publish, progress)
            .await
            .map(|rows| rows.len()),
        Checked::Talents(rows) => import::write_talents(app, rows, progress)
            .await
            .map(|rows| rows.len()),
    };
    written.map_err(|e| anyhow::anyhow!(e.message()))
}

async fn check<T: ImportRow>(
    app: &App,
    lines: Vec<(usize, Parsed<T>)>,
) -> anyhow::Result<Result<Vec<T>, Rejected>> {
    let (numbers, rows): (Vec<usize>, Vec<Parsed<T>>) = lines.into_iter().unzip();
    let checked = import::check(app, None, rows)
        .await
        .map_err(|e| anyhow::anyhow!(e.message()))?;
    Ok(checked.map_err(|errors| {
        let bad_rows = errors.iter().map(|e| e.row).collect::<HashSet<_>>().len();
        Rejected {
            errors: errors
                .into_iter()
                .map(|e| LineError {
                    line: numbers[e.row],
                    field: e.field,
                    message: e.message,
                })
                .collect(),
            bad_rows,
            rows: numbers.len(),
        }
    }))
}

#[derive(Debug, Clone, Copy)]
enum Format {
    JsonLines,
    Csv,
}

/// What a CSV cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cell {
    Text,
    Integer,
    /// Entries separated by `;`.
    List,
    /// A JSON value (achievements).
    Json,
}

/// A row of one kind as written in a file.
trait FileRow: DeserializeOwned {
    type Row: ImportRow;
    /// The keys (and CSV columns) of this kind.
    const COLUMNS: &'static [(&'static str, Cell)];
    /// The row with its ids resolved; `default_organization` stands in for
    /// a missing `organizationId`.
    fn into_row(self, default_organization: Option<i64>) -> Parsed<Self::Row>;
}

/// A database id (`5`, `"5"`) or a global ID (`"T3JnYW5pemF0aW9uOjU"`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum IdRef {
    Number(i64),
    Text(String),
}

fn id_ref(value: &IdRef, kind: IdKind) -> Result<i64, Message> {
    let id = match value {
        IdRef::Number(n) => *n,
        IdRef::Text(text) => {
            let text = text.trim();
            match text.parse::<i64>() {
                Ok(n) => n,
                Err(_) => ids::decode("", kind, text).map_err(|_| {
                    Message::new("import.id.unreadable")
                        .with("value", text)
                        .with("kind", kind.name())
                })?,
            }
        }
    };
    if id <= 0 {
        return Err(Message::new("import.id.not_positive").with("value", id));
    }
    Ok(id)
}

fn organization_of(
    errors: &mut Vec<FieldError>,
    value: Option<IdRef>,
    default: Option<i64>,
) -> i64 {
    match (value, default) {
        (Some(value), _) => id_ref(&value, IdKind::Organization).unwrap_or_else(|message| {
            errors.push(FieldError::keyed("organizationId", message));
            0
        }),
        (None, Some(org)) => org,
        (None, None) => {
            errors.push(FieldError::keyed(
                "organizationId",
                Message::new("import.organization.missing"),
            ));
            0
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CapabilityLine {
    organization_id: Option<IdRef>,
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    discipline_codes: Vec<String>,
    trl: Option<i32>,
    #[serde(default)]
    achievements: Vec<Achievement>,
    #[serde(default)]
    talent_ids: Vec<IdRef>,
}

impl FileRow for CapabilityLine {
    type Row = CapabilityRow;
    const COLUMNS: &'static [(&'static str, Cell)] = &[
        ("organizationId", Cell::Text),
        ("title", Cell::Text),
        ("summary", Cell::Text),
        ("keywords", Cell::List),
        ("disciplineCodes", Cell::List),
        ("trl", Cell::Integer),
        ("achievements", Cell::Json),
        ("talentIds", Cell::List),
    ];

    fn into_row(self, default_organization: Option<i64>) -> Parsed<CapabilityRow> {
        let mut errors = Vec::new();
        let org = organization_of(&mut errors, self.organization_id, default_organization);
        let mut talent_ids = Vec::with_capacity(self.talent_ids.len());
        for (i, t) in self.talent_ids.iter().enumerate() {
            match id_ref(t, IdKind::Talent) {
                Ok(id) => talent_ids.push(id),
                Err(message) => errors.push(FieldError::keyed(format!("talentIds[{i}]"), message)),
            }
        }
        let fields = CapabilityFields {
            title: self.title,
            summary: self.summary,
            keywords: self.keywords,
            discipline_codes: self.discipline_codes,
            trl: self.trl,
            achievements: self.achievements,
            talent_ids,
        };
        Parsed::new((org, fields), errors)
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct NeedLine {
    organization_id: Option<IdRef>,
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    discipline_codes: Vec<String>,
    #[serde(default)]
    industry_codes: Vec<String>,
    trl_required: Option<i32>,
    budget_min: Option<i64>,
    budget_max: Option<i64>,
    deadline: Option<NaiveDate>,
    #[serde(default)]
    cooperation_modes: Vec<CooperationMode>,
    visibility: Option<Visibility>,
}

impl FileRow for NeedLine {
    type Row = NeedRow;
    const COLUMNS: &'static [(&'static str, Cell)] = &[
        ("organizationId", Cell::Text),
        ("title", Cell::Text),
        ("description", Cell::Text),
        ("keywords", Cell::List),
        ("disciplineCodes", Cell::List),
        ("industryCodes", Cell::List),
        ("trlRequired", Cell::Integer),
        ("budgetMin", Cell::Integer),
        ("budgetMax", Cell::Integer),
        ("deadline", Cell::Text),
        ("cooperationModes", Cell::List),
        ("visibility", Cell::Text),
    ];

    fn into_row(self, default_organization: Option<i64>) -> Parsed<NeedRow> {
        let mut errors = Vec::new();
        let org = organization_of(&mut errors, self.organization_id, default_organization);
        let fields = NeedFields {
            title: self.title,
            description: self.description,
            keywords: self.keywords,
            discipline_codes: self.discipline_codes,
            industry_codes: self.industry_codes,
            trl_required: self.trl_required,
            // Files give budgets in whole yuan; they are held in fen (an
            // amount beyond the limit is refused by the need's rules).
            budget_min: self.budget_min.map(|y| y.saturating_mul(100)),
            budget_max: self.budget_max.map(|y| y.saturating_mul(100)),
            deadline: self.deadline,
            cooperation_modes: self.cooperation_modes,
            visibility: self.visibility.unwrap_or(Visibility::Public),
        };
        Parsed::new((org, fields), errors)
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TalentLine {
    organization_id: Option<IdRef>,
    name: String,
    title: Option<String>,
    #[serde(default)]
    bio: String,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    discipline_codes: Vec<String>,
    #[serde(default)]
    availability: Vec<CooperationMode>,
}

impl FileRow for TalentLine {
    type Row = TalentFields;
    const COLUMNS: &'static [(&'static str, Cell)] = &[
        ("organizationId", Cell::Text),
        ("name", Cell::Text),
        ("title", Cell::Text),
        ("bio", Cell::Text),
        ("keywords", Cell::List),
        ("disciplineCodes", Cell::List),
        ("availability", Cell::List),
    ];

    fn into_row(self, default_organization: Option<i64>) -> Parsed<TalentFields> {
        let mut errors = Vec::new();
        let organization_id =
            organization_of(&mut errors, self.organization_id, default_organization);
        let fields = TalentFields {
            organization_id,
            name: self.name,
            title: self.title,
            bio: self.bio,
            keywords: self.keywords,
            discipline_codes: self.discipline_codes,
            availability: self.availability,
        };
        Parsed::new(fields, errors)
    }
}

/// Every row of the file with its line number.
fn parse<F: FileRow>(
    text: &str,
    format: Format,
    default_organization: Option<i64>,
) -> anyhow::Result<Vec<(usize, Parsed<F::Row>)>> {
    let values = match format {
        Format::JsonLines => json_lines(text),
        Format::Csv => csv_rows(text, F::COLUMNS)?,
    };
    if values.is_empty() {
        bail!("the file has no rows");
    }
    Ok(values
        .into_iter()
        .map(|(line, value)| {
            let row = value
                .map_err(|error| vec![error])
                .and_then(|value| {
                    serde_path_to_error::deserialize::<_, F>(value)
                        .map_err(|err| vec![serde_error(err)])
                })
                .map_or_else(Parsed::unreadable, |row| row.into_row(default_organization));
            (line, row)
        })
        .collect())
}

/// Each non-blank line as a JSON value.
fn json_lines(text: &str) -> Vec<(usize, Result<Value, FieldError>)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            let value = match serde_json::from_str::<Value>(line) {
                Ok(value) if value.is_object() => Ok(value),
                Ok(_) => Err(FieldError::keyed("", Message::new("import.row.not_object"))),
                Err(err) => Err(FieldError::keyed(
                    "",
                    Message::new("import.row.not_json").with("detail", without_position(&err)),
                )),
            };
            (i + 1, value)
        })
        .collect()
}

/// Each CSV record as a JSON object keyed by the header, typed by column.
fn csv_rows(
    text: &str,
    columns: &[(&str, Cell)],
) -> anyhow::Result<Vec<(usize, Result<Value, FieldError>)>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .context("line 1: reading the CSV header")?
        .clone();
    let mut cells = Vec::with_capacity(headers.len());
    for name in &headers {
        let name = name.trim_start_matches('\u{feff}');
        let Some(&(key, cell)) = columns.iter().find(|(key, _)| *key == name) else {
            bail!(
                "line 1: unknown column `{name}`; the columns are {}",
                columns
                    .iter()
                    .map(|(key, _)| *key)
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        };
        if cells.iter().any(|(k, _)| *k == key) {
            bail!("line 1: the column `{key}` appears twice");
        }
        cells.push((key, cell));
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        match record {
            Ok(record) => {
                let line = record.position().map_or(0, |p| p.line() as usize);
                rows.push((line, Ok(csv_object(&record, &cells))));
            }
            Err(err) => {
                let line = err.position().map_or(0, |p| p.line() as usize);
                match err.kind() {
                    csv::ErrorKind::UnequalLengths { len, .. } => rows.push((
                        line,
                        Err(FieldError::keyed(
                            "",
                            Message::new("import.row.cells")
                                .with("count", len)
                                .with("header", cells.len()),
                        )),
                    )),
                    csv::ErrorKind::Utf8 { .. } => rows.push((
                        line,
                        Err(FieldError::keyed("", Message::new("import.row.not_utf8"))),
                    )),
                    _ => return Err(err).context(format!("line {line}: reading the CSV file")),
                }
            }
        }
    }
    Ok(rows)
}

fn csv_object(record: &csv::StringRecord, cells: &[(&str, Cell)]) -> Value {
    let mut object = Map::new();
    for (value, &(key, cell)) in record.iter().zip(cells) {
        if value.is_empty() {
            if cell == Cell::List {
                object.insert(key.to_owned(), Value::Array(Vec::new()));
            }
            continue;
        }
        let value = match cell {
            Cell::Text => Value::String(value.to_owned()),
            Cell::Integer => value
                .parse::<i64>()
                .map_or_else(|_| Value::String(value.to_owned()), Value::from),
            Cell::List => Value::Array(
                value
                    .split(';')
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(|v| Value::String(v.to_owned()))
                    .collect(),
            ),
            // Not JSON: handed on as text, so that the type error names the column.
            Cell::Json => {
                serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.to_owned()))
            }
        };
        object.insert(key.to_owned(), value);
    }
    Value::Object(object)
}

/// A deserialisation error as the field it is about and what is wrong.
fn serde_error(err: serde_path_to_error::Error<serde_json::Error>) -> FieldError {
    let path = err.path().to_string();
    let message = without_position(err.inner());
    let named = |prefix: &str| {
        message
            .strip_prefix(prefix)
            .and_then(|rest| rest.split('`').next())
            .map(str::to_owned)
    };
    let field = if path == "." {
        named("missing field `")
            .or_else(|| named("unknown field `"))
            .unwrap_or_default()
    } else {
        path
    };
    let text = if message.starts_with("unknown field `") {
        Message::new("body.unknown_field")
    } else if message.starts_with("missing field `") {
        Message::new("body.missing_field")
    } else {
        Message::new("import.value.invalid").with("detail", message)
    };
    FieldError::keyed(field, text)
}

/// serde_json's message without its " at line L column C" (a JSON Lines row
/// is one line; its number is reported separately).
fn without_position(err: &serde_json::Error) -> String {
    let message = err.to_string();
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    match message.strip_suffix(&suffix) {
        Some(stripped) if err.line() > 0 => format!("{stripped} (column {})", err.column()),
        _ => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn capabilities(text: &str, format: Format) -> Vec<(usize, Parsed<CapabilityRow>)> {
        parse::<CapabilityLine>(text, format, Some(7)).unwrap()
    }

    fn fields_of<T>(row: &Parsed<T>) -> Vec<String> {
        row.errors.iter().map(|e| e.field.clone()).collect()
    }

    fn ok<T: std::fmt::Debug>(row: &Parsed<T>) -> &T {
        assert!(row.errors.is_empty(), "{:?}", row.errors);
        row.row.as_ref().unwrap()
    }

    #[test]
    fn json_lines_with_blank_lines_keep_their_line_numbers() {
        let text = "{\"title\": \"A\", \"organizationId\": 3, \"keywords\": [\"x\"]}\n\n{\"title\": \"B\", \"trl\": 4, \"talentIds\": [\"12\"]}\n";
        let rows = capabilities(text, Format::JsonLines);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].0, 1);
        assert_eq!(rows[1].0, 3);
        let (org, fields) = ok(&rows[0].1);
        assert_eq!((*org, fields.keywords.clone()), (3, vec!["x".to_owned()]));
        let (org, fields) = ok(&rows[1].1);
        assert_eq!(
            (*org, fields.trl, fields.talent_ids.clone()),
            (7, Some(4), vec![12])
        );
    }

    #[test]
    fn bad_json_lines_name_the_field() {
        let text = "not json\n{\"title\": \"A\", \"trl\": \"high\"}\n{\"summary\": \"no title\"}\n{\"title\": \"A\", \"titel\": \"typo\"}\n[\"A\", \"B\"]\n";
        let rows = capabilities(text, Format::JsonLines);
        assert_eq!(fields_of(&rows[0].1), [""]);
        assert_eq!(fields_of(&rows[1].1), ["trl"]);
        assert_eq!(fields_of(&rows[2].1), ["title"]);
        assert_eq!(fields_of(&rows[3].1), ["titel"]);
        assert_eq!(rows[4].1.errors[0].message, "must be a JSON object");
        let errors = &rows[0].1.errors;
        assert!(
            errors[0].message.starts_with("not valid JSON"),
            "{errors:?}"
        );
        assert!(!errors[0].message.contains("line"), "{errors:?}");
    }

    #[test]
    fn csv_lists_integers_and_empty_cells() {
        let text = "title,keywords,disciplineCodes,trl,organizationId\n\
                    \"Bearing, diagnosis\",轴承; bearing ,460;46020,5,\n\
                    Laser cladding,,,,\"T3JnYW5pemF0aW9uOjU\"\n";
        let rows = capabilities(text, Format::Csv);
        assert_eq!(rows[0].0, 2);
        let (org, fields) = ok(&rows[0].1);
        assert_eq!(*org, 7, "an empty organizationId takes the default");
        assert_eq!(fields.title, "Bearing, diagnosis");
        assert_eq!(fields.keywords, ["轴承", "bearing"]);
        assert_eq!(fields.discipline_codes, ["460", "46020"]);
        assert_eq!(fields.trl, Some(5));
        let (org, fields) = ok(&rows[1].1);
        assert_eq!(*org, 5, "a global ID is accepted");
        assert!(fields.keywords.is_empty() && fields.trl.is_none());
    }

    #[test]
    fn csv_bad_cells_and_short_records_are_row_errors() {
        let text = "title,trl\nA,five\nB\nC,3\n";
        let rows = capabilities(text, Format::Csv);
        assert_eq!(rows.len(), 3);
        assert_eq!(
            (rows[0].0, fields_of(&rows[0].1)),
            (2, vec!["trl".to_owned()])
        );
        assert_eq!((rows[1].0, fields_of(&rows[1].1)), (3, vec![String::new()]));
        ok(&rows[2].1);
    }

    #[test]
    fn csv_unknown_column_refuses_the_file() {
        let err = parse::<CapabilityLine>("title,colour\nA,red\n", Format::Csv, None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown column `colour`"), "{err}");
    }

    #[test]
    fn missing_organization_without_default_is_named() {
        let rows = parse::<NeedLine>("{\"title\": \"N\"}\n", Format::JsonLines, None).unwrap();
        assert_eq!(fields_of(&rows[0].1), ["organizationId"]);
    }

    #[test]
    fn need_and_talent_vocabularies() {
        let rows = parse::<NeedLine>(
            "title,cooperationModes,visibility,deadline\nN,JOINT_RESEARCH;TESTING,PLATFORM,2027-06-30\nM,JOINT,PUBLIC,\n",
            Format::Csv,
            Some(1),
        )
        .unwrap();
        let (_, need) = ok(&rows[0].1);
        assert_eq!(
            need.cooperation_modes,
            [CooperationMode::JointResearch, CooperationMode::Testing]
        );
        assert_eq!(need.visibility, Visibility::Platform);
        assert_eq!(need.deadline, NaiveDate::from_ymd_opt(2027, 6, 30));
        assert_eq!(fields_of(&rows[1].1), ["cooperationModes[0]"]);

        let rows = parse::<TalentLine>(
            "{\"name\": \"张伟\", \"availability\": [\"CONSULTING\"], \"organizationId\": \"4\"}\n",
            Format::JsonLines,
            None,
        )
        .unwrap();
        let talent = ok(&rows[0].1);
        assert_eq!(talent.organization_id, 4);
        assert_eq!(talent.availability, [CooperationMode::Consulting]);
    }

    #[test]
    fn organization_argument_forms() {
        assert_eq!(organization_arg("12").unwrap(), 12);
        assert_eq!(organization_arg("T3JnYW5pemF0aW9uOjU").unwrap(), 5);
        assert!(organization_arg("0").is_err());
        assert!(
            organization_arg("TmVlZDo1").is_err(),
            "a Need ID is refused"
        );
    }
}
