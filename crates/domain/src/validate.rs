//! Input rules shared by every interface (GraphQL, REST, import, demo seed).
//!
//! A `*Fields` struct holds the complete, normalised content of an object.
//! Updates merge the changed fields into the stored ones and validate the
//! result, so a rule is written once for create and update.

use chrono::NaiveDate;

use crate::{
    AchievementKind, CooperationMode, DomainError, FieldError, Message, OrgKind, Visibility,
};

/// Longest title of a need, capability, project or instrument.
pub const MAX_TITLE: usize = 200;
/// Longest description or summary.
pub const MAX_TEXT: usize = 20_000;
/// Most keywords on one object.
pub const MAX_KEYWORDS: usize = 30;
/// Longest keyword.
pub const MAX_KEYWORD: usize = 60;
/// Most discipline or industry codes on one object.
pub const MAX_CODES: usize = 20;
/// Shortest password accepted at registration.
pub const MIN_PASSWORD: usize = 10;
/// Longest password accepted (argon2 would take more, but nobody types more).
pub const MAX_PASSWORD: usize = 128;

/// Collects field errors so that one response names every invalid field.
#[derive(Debug, Default)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records an error about `field` with a keyed message.
    pub fn fail(&mut self, field: &str, message: Message) {
        self.errors.push(FieldError::keyed(field, message));
    }

    /// Records errors found elsewhere (a check that needs the database), so
    /// one answer names every invalid field.
    pub fn extend(&mut self, errors: impl IntoIterator<Item = FieldError>) {
        self.errors.extend(errors);
    }

    /// Whether an error about `field` was recorded.
    pub fn has_error(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }

    /// Trims `value` and checks its length in characters and that it holds
    /// no hidden characters ([`hidden_character`]).
    pub fn text(&mut self, field: &str, value: &str, min: usize, max: usize) -> String {
        let value = value.trim();
        let len = value.chars().count();
        if let Some(problem) = hidden_character_key(value) {
            self.fail(field, Message::new(problem));
        } else if len < min {
            if min == 1 {
                self.fail(field, Message::new("value.required"));
            } else {
                self.fail(field, Message::new("value.too_short").with("min", min));
            }
        } else if len > max {
            self.fail(field, Message::new("value.too_long").with("max", max));
        }
        value.to_owned()
    }

    /// Trims an optional text; an empty text becomes `None`.
    pub fn optional_text(
        &mut self,
        field: &str,
        value: Option<&str>,
        max: usize,
    ) -> Option<String> {
        let value = value.map(str::trim).filter(|v| !v.is_empty())?;
        Some(self.text(field, value, 1, max))
    }

    /// Trims every entry, drops empty ones and duplicates (case-insensitive),
    /// and checks the count and each entry's length.
    pub fn keywords(&mut self, field: &str, values: &[String]) -> Vec<String> {
        let mut out: Vec<String> = Vec::with_capacity(values.len());
        for value in values {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            if hidden_character(value).is_some() {
                self.fail(field, Message::new("value.entry_control_characters"));
                return out;
            }
            if value.chars().count() > MAX_KEYWORD {
                self.fail(
                    field,
                    Message::new("value.entry_too_long").with("max", MAX_KEYWORD),
                );
                return out;
            }
            if !out.iter().any(|k| k.to_lowercase() == value.to_lowercase()) {
                out.push(value.to_owned());
            }
        }
        if out.len() > MAX_KEYWORDS {
            self.fail(
                field,
                Message::new("value.too_many").with("max", MAX_KEYWORDS),
            );
        }
        out
    }

    /// Checks a list of taxonomy codes: digits (and upper-case letters for
    /// industry sections), at most 12 characters, no duplicates.
    pub fn codes(&mut self, field: &str, values: &[String]) -> Vec<String> {
        let mut out: Vec<String> = Vec::with_capacity(values.len());
        for value in values {
            let value = value.trim();
            let well_formed = !value.is_empty()
                && value.len() <= MAX_CODE
                && value
                    .chars()
                    .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase());
            if !well_formed {
                self.fail(
                    field,
                    Message::new("code.malformed").with("code", truncate(value, 20)),
                );
                continue;
            }
            if !out.iter().any(|c| c == value) {
                out.push(value.to_owned());
            }
        }
        if out.len() > MAX_CODES {
            self.fail(field, Message::new("value.too_many").with("max", MAX_CODES));
        }
        out
    }

    /// Checks that an optional number lies in `min..=max`.
    pub fn range(&mut self, field: &str, value: Option<i32>, min: i32, max: i32) {
        if let Some(v) = value
            && !(min..=max).contains(&v)
        {
            self.fail(
                field,
                Message::new("value.out_of_range")
                    .with("min", min)
                    .with("max", max),
            );
        }
    }

    /// Ends validation: the errors collected so far, or `Ok`.
    pub fn finish(self) -> Result<(), DomainError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Validation(self.errors))
        }
    }
}

fn truncate(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// Longest free-text filter of a list (`keyword`) or search text, on every
/// transport.
pub const MAX_KEYWORD_FILTER: usize = 200;
/// Longest taxonomy code (discipline or industry).
pub const MAX_CODE: usize = 12;

/// A list's free-text filter: `None` when absent or blank, else at most
/// [`MAX_KEYWORD_FILTER`] characters.
pub fn keyword_filter(field: &str, value: Option<String>) -> Result<Option<String>, DomainError> {
    match value {
        Some(k) if k.chars().count() > MAX_KEYWORD_FILTER => Err(DomainError::keyed(
            field,
            Message::new("value.too_long").with("max", MAX_KEYWORD_FILTER),
        )),
        other => Ok(other.filter(|k| !k.trim().is_empty())),
    }
}

/// A list's code filter: 1 to [`MAX_CODE`] ASCII letters and digits.
pub fn code_filter(field: &str, value: Option<String>) -> Result<Option<String>, DomainError> {
    match value {
        Some(c)
            if c.is_empty()
                || c.len() > MAX_CODE
                || !c.chars().all(|ch| ch.is_ascii_alphanumeric()) =>
        {
            Err(DomainError::keyed(field, Message::new("code.invalid")))
        }
        other => Ok(other),
    }
}

/// One text field checked alone, with the rules of [`Validator::text`]:
/// trimmed, `min` to `max` characters, no hidden characters.
pub fn text(field: &str, value: &str, min: usize, max: usize) -> Result<String, DomainError> {
    let mut v = Validator::new();
    let value = v.text(field, value, min, max);
    v.finish().map(|()| value)
}

/// Checks and normalises an e-mail address (trimmed, lower case).
pub fn email(field: &str, value: &str) -> Result<String, DomainError> {
    let value = value.trim().to_lowercase();
    let valid = value.len() <= 254
        && value.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
        })
        && !value.chars().any(char::is_whitespace);
    if valid {
        Ok(value)
    } else {
        Err(DomainError::keyed(field, Message::new("email.invalid")))
    }
}

/// Why `value` may not be stored as text a person reads, if it holds a
/// character nobody sees: a control character (NUL, escape, C1 controls such
/// as U+0085; tab, line feed and carriage return are allowed) or a
/// bidirectional embedding, override or isolate (U+202A–U+202E,
/// U+2066–U+2069), which make a text display differently from what it is.
pub fn hidden_character(value: &str) -> Option<&'static str> {
    hidden_character_key(value)
        .map(|key| crate::messages::template(key, crate::Locale::En).unwrap_or(key))
}

/// The message key of [`hidden_character`]'s problem.
pub fn hidden_character_key(value: &str) -> Option<&'static str> {
    value.chars().find_map(|c| match c {
        '\t' | '\n' | '\r' => None,
        c if c.is_control() => Some("value.control_characters"),
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => Some("value.bidi_characters"),
        _ => None,
    })
}

/// Checks a new password: 10 to 128 characters, no control characters, and
/// not only white space (ten spaces or ten NULs are refused). Beyond that no
/// composition rule (NIST SP 800-63B); a list of known weak passwords is the
/// next step.
pub fn password(field: &str, value: &str) -> Result<(), DomainError> {
    let len = value.chars().count();
    let problem = if len < MIN_PASSWORD {
        Message::new("password.too_short").with("min", MIN_PASSWORD)
    } else if len > MAX_PASSWORD {
        Message::new("password.too_long").with("max", MAX_PASSWORD)
    } else if value.chars().any(char::is_control) {
        Message::new("password.control_characters")
    } else if value.chars().all(char::is_whitespace) {
        Message::new("password.only_spaces")
    } else {
        return Ok(());
    };
    Err(DomainError::keyed(field, problem))
}

/// Region of an organisation: province and optionally city.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Region {
    pub province: Option<String>,
    pub city: Option<String>,
}

/// Content of an organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationFields {
    pub name: String,
    pub kind: OrgKind,
    pub parent_id: Option<i64>,
    pub region: Region,
}

impl OrganizationFields {
    pub fn validate(mut self) -> Result<Self, DomainError> {
        let mut v = Validator::new();
        self.name = v.text("name", &self.name, 1, MAX_TITLE);
        self.region.province =
            v.optional_text("region.province", self.region.province.as_deref(), 50);
        self.region.city = v.optional_text("region.city", self.region.city.as_deref(), 50);
        v.finish()?;
        Ok(self)
    }
}

/// The largest amount of money held: one trillion yuan, in fen (exact in
/// 64 bits and in a JavaScript number).
pub const MAX_MONEY_FEN: i64 = 100_000_000_000_000;

/// Content of a technology need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedFields {
    pub title: String,
    pub description: String,
    pub keywords: Vec<String>,
    pub discipline_codes: Vec<String>,
    pub industry_codes: Vec<String>,
    pub trl_required: Option<i32>,
    /// In fen (1/100 yuan).
    pub budget_min: Option<i64>,
    /// In fen (1/100 yuan); not below `budget_min`.
    pub budget_max: Option<i64>,
    pub deadline: Option<NaiveDate>,
    pub cooperation_modes: Vec<CooperationMode>,
    pub visibility: Visibility,
}

/// The timezone whose calendar decides what "today" is for deadlines:
/// China Standard Time (Asia/Shanghai, UTC+8, no daylight saving).
pub const DEADLINE_UTC_OFFSET_SECS: i32 = 8 * 3600;

/// Today's date in China Standard Time at the instant `now`.
pub fn today_in_china(now: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    let offset = chrono::FixedOffset::east_opt(DEADLINE_UTC_OFFSET_SECS).expect("valid offset");
    now.with_timezone(&offset).date_naive()
}

/// A deadline must be today or later (`today` in China Standard Time, see
/// [`today_in_china`]).
pub fn deadline(field: &str, value: NaiveDate, today: NaiveDate) -> Option<FieldError> {
    (value < today).then(|| {
        FieldError::keyed(
            field,
            Message::new("need.deadline.past").with("today", today.format("%Y-%m-%d")),
        )
    })
}

impl NeedFields {
    /// Normalises the fields and checks every rule, naming each bad field.
    pub fn validate(self) -> Result<Self, DomainError> {
        let (fields, errors) = self.checked();
        if errors.is_empty() {
            Ok(fields)
        } else {
            Err(DomainError::Validation(errors))
        }
    }

    /// Normalises the fields and lists every rule they break (empty when
    /// valid), so a caller can add the errors of checks that need the
    /// database and answer them all at once.
    pub fn checked(mut self) -> (Self, Vec<FieldError>) {
        let mut v = Validator::new();
        self.title = v.text("title", &self.title, 1, MAX_TITLE);
        self.description = v.text("description", &self.description, 0, MAX_TEXT);
        self.keywords = v.keywords("keywords", &self.keywords);
        self.discipline_codes = v.codes("disciplineCodes", &self.discipline_codes);
        self.industry_codes = v.codes("industryCodes", &self.industry_codes);
        v.range("trlRequired", self.trl_required, 1, 9);
        for (field, value) in [
            ("budgetMin", self.budget_min),
            ("budgetMax", self.budget_max),
        ] {
            if value.is_some_and(|b| b < 0) {
                v.fail(field, Message::new("value.negative"));
            } else if value.is_some_and(|b| b > MAX_MONEY_FEN) {
                v.fail(
                    field,
                    Message::new("money.too_large").with("max", MAX_MONEY_FEN / 100),
                );
            }
        }
        if let (Some(min), Some(max)) = (self.budget_min, self.budget_max)
            && min > max
        {
            v.fail("budgetMax", Message::new("budget.order"));
        }
        self.cooperation_modes.sort();
        self.cooperation_modes.dedup();
        (self, v.errors)
    }
}

/// One achievement backing a capability: a patent, paper, award, project…
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Achievement {
    pub kind: AchievementKind,
    pub title: String,
    pub year: Option<i32>,
    /// Patent number, DOI, award body or similar reference.
    pub reference: Option<String>,
}

/// Content of a research capability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapabilityFields {
    pub title: String,
    pub summary: String,
    pub keywords: Vec<String>,
    pub discipline_codes: Vec<String>,
    pub trl: Option<i32>,
    pub achievements: Vec<Achievement>,
    pub talent_ids: Vec<i64>,
}

/// Most achievements listed on one capability.
pub const MAX_ACHIEVEMENTS: usize = 100;

impl CapabilityFields {
    /// Normalises the fields and checks every rule, naming each bad field.
    pub fn validate(self) -> Result<Self, DomainError> {
        let (fields, errors) = self.checked();
        if errors.is_empty() {
            Ok(fields)
        } else {
            Err(DomainError::Validation(errors))
        }
    }

    /// Like [`NeedFields::checked`]: the normalised fields and every broken rule.
    pub fn checked(mut self) -> (Self, Vec<FieldError>) {
        let mut v = Validator::new();
        self.title = v.text("title", &self.title, 1, MAX_TITLE);
        self.summary = v.text("summary", &self.summary, 0, MAX_TEXT);
        self.keywords = v.keywords("keywords", &self.keywords);
        self.discipline_codes = v.codes("disciplineCodes", &self.discipline_codes);
        v.range("trl", self.trl, 1, 9);
        if self.achievements.len() > MAX_ACHIEVEMENTS {
            v.fail(
                "achievements",
                Message::new("value.too_many").with("max", MAX_ACHIEVEMENTS),
            );
        }
        for (i, a) in self.achievements.iter_mut().enumerate() {
            a.title = v.text(&format!("achievements[{i}].title"), &a.title, 1, 500);
            a.reference = v.optional_text(
                &format!("achievements[{i}].reference"),
                a.reference.as_deref(),
                200,
            );
            v.range(&format!("achievements[{i}].year"), a.year, 1900, 2100);
        }
        self.talent_ids.sort_unstable();
        self.talent_ids.dedup();
        if self.talent_ids.len() > 50 {
            v.fail("talentIds", Message::new("value.too_many").with("max", 50));
        }
        (self, v.errors)
    }
}

/// Content of a talent (expertise) profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TalentFields {
    pub organization_id: i64,
    pub name: String,
    pub title: Option<String>,
    pub bio: String,
    pub keywords: Vec<String>,
    pub discipline_codes: Vec<String>,
    pub availability: Vec<CooperationMode>,
}

impl TalentFields {
    pub fn validate(mut self) -> Result<Self, DomainError> {
        let mut v = Validator::new();
        self.name = v.text("name", &self.name, 1, 100);
        self.title = v.optional_text("title", self.title.as_deref(), 100);
        self.bio = v.text("bio", &self.bio, 0, MAX_TEXT);
        self.keywords = v.keywords("keywords", &self.keywords);
        self.discipline_codes = v.codes("disciplineCodes", &self.discipline_codes);
        self.availability.sort();
        self.availability.dedup();
        v.finish()?;
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn need() -> NeedFields {
        NeedFields {
            title: "  Bearing fault diagnosis 轴承故障诊断 ".into(),
            description: "Vibration data from 40 motors".into(),
            keywords: vec![
                "bearing".into(),
                "Bearing".into(),
                " ".into(),
                "振动".into(),
            ],
            discipline_codes: vec!["460".into()],
            industry_codes: vec!["C34".into()],
            trl_required: Some(6),
            budget_min: Some(100_000),
            budget_max: Some(300_000),
            deadline: None,
            cooperation_modes: vec![
                CooperationMode::JointResearch,
                CooperationMode::JointResearch,
            ],
            visibility: Visibility::Public,
        }
    }

    #[test]
    fn need_is_normalised() {
        let n = need().validate().unwrap();
        assert_eq!(n.title, "Bearing fault diagnosis 轴承故障诊断");
        assert_eq!(n.keywords, vec!["bearing", "振动"]);
        assert_eq!(n.cooperation_modes, vec![CooperationMode::JointResearch]);
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = NeedFields {
            title: " ".into(),
            trl_required: Some(10),
            budget_min: Some(5),
            budget_max: Some(1),
            discipline_codes: vec!["46-0".into()],
            ..need()
        };
        let DomainError::Validation(errors) = bad.validate().unwrap_err() else {
            panic!("expected validation error");
        };
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec!["title", "disciplineCodes", "trlRequired", "budgetMax"]
        );
    }

    #[test]
    fn too_long_title_counts_characters_not_bytes() {
        let ok = NeedFields {
            title: "轴".repeat(MAX_TITLE),
            ..need()
        };
        assert!(ok.validate().is_ok());
        let long = NeedFields {
            title: "轴".repeat(MAX_TITLE + 1),
            ..need()
        };
        assert!(long.validate().is_err());
    }

    #[test]
    fn deadlines_before_today_in_china_are_refused() {
        use chrono::TimeZone;
        // 2026-12-06 17:00 UTC is already 2026-12-07 in Shanghai.
        let now = chrono::Utc.with_ymd_and_hms(2026, 12, 6, 17, 0, 0).unwrap();
        let today = today_in_china(now);
        assert_eq!(today, NaiveDate::from_ymd_opt(2026, 12, 7).unwrap());
        assert!(deadline("deadline", today, today).is_none());
        let past = deadline(
            "deadline",
            NaiveDate::from_ymd_opt(2026, 12, 6).unwrap(),
            today,
        )
        .unwrap();
        assert_eq!(past.key(), "need.deadline.past");
        assert!(past.message.contains("2026-12-07"));
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            email("email", " Li.Ming@ZJUT.edu.cn ").unwrap(),
            "li.ming@zjut.edu.cn"
        );
        for bad in ["", "no-at", "a@b", "@x.cn", "a b@x.cn", "a@.cn"] {
            assert!(email("email", bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn password_policy() {
        assert!(password("password", "short").is_err());
        assert!(password("password", "long enough pass").is_ok());
        assert!(password("password", &"x".repeat(MAX_PASSWORD + 1)).is_err());
        for weak in [" ".repeat(10), "\0".repeat(10), "\u{3000}".repeat(10)] {
            assert!(password("password", &weak).is_err(), "{weak:?} accepted");
        }
        assert!(password("password", "correct horse\u{7}staple").is_err());
        assert!(password("password", "iurhub-demo-2026").is_ok());
    }

    #[test]
    fn texts_refuse_hidden_characters() {
        for bad in [
            "a\0b",
            "a\u{85}b",
            "\u{202E}gnp.exe",
            "x\u{2066}y",
            "\u{1b}[31m",
        ] {
            let mut v = Validator::new();
            v.text("displayName", bad, 1, 100);
            assert!(v.finish().is_err(), "{bad:?} accepted");
            let mut v = Validator::new();
            v.keywords("keywords", &[bad.to_owned()]);
            assert!(v.finish().is_err(), "{bad:?} accepted as a keyword");
        }
        let mut v = Validator::new();
        assert_eq!(
            v.text("description", " 第一行\n第二行\tTab ", 1, 100),
            "第一行\n第二行\tTab"
        );
        assert!(v.finish().is_ok());
    }
}
