//! The custom scalars — `Date`, `DateTime` (RFC 3339) and `Decimal` (money
//! in yuan) — and the `Money` object. Each scalar's `is_valid` refuses a bad
//! value before anything runs, and [`problem`] tells the coercion check of
//! [`super::convention`] why, with a message key.

use async_graphql::{
    Enum, InputValueError, InputValueResult, Scalar, ScalarType, SimpleObject, Value as ConstValue,
};
use iurhub_domain::Message;

/// The largest amount of money the API takes: one trillion yuan (10^14 fen),
/// far below what 64 bits hold and exact in a JavaScript number.
pub const MAX_FEN: i64 = iurhub_domain::validate::MAX_MONEY_FEN;

/// Why `value` is not a value of the custom scalar `name`, if it is not.
pub fn problem(name: &str, value: &ConstValue) -> Option<Message> {
    match name {
        "Date" => {
            let ok = matches!(value, ConstValue::String(s) if parse_date(s).is_some());
            (!ok).then(|| Message::new("date.invalid"))
        }
        "DateTime" => {
            let ok = matches!(value, ConstValue::String(s)
                if chrono::DateTime::parse_from_rfc3339(s).is_ok());
            (!ok).then(|| Message::new("datetime.invalid"))
        }
        "Decimal" => fen_of(value).err(),
        _ => None,
    }
}

fn parse_date(s: &str) -> Option<chrono::NaiveDate> {
    // RFC 3339 full-date: exactly YYYY-MM-DD.
    (s.len() == 10)
        .then(|| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .flatten()
}

/// The amount in fen of a `Decimal` value: a string of yuan with at most two
/// decimals (`"1200"`, `"1200.5"`, `"1200.50"`), or a whole number; never
/// negative, at most [`MAX_FEN`].
pub fn fen_of(value: &ConstValue) -> Result<i64, Message> {
    let text = match value {
        ConstValue::String(s) => s.trim().to_owned(),
        ConstValue::Number(n) if n.is_i64() || n.is_u64() => n.to_string(),
        _ => return Err(Message::new("money.invalid")),
    };
    if text.starts_with('-') {
        return Err(Message::new("value.negative"));
    }
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || (text.contains('.') && !digits(fraction)) || fraction.len() > 2 {
        return Err(Message::new("money.invalid"));
    }
    let too_large = || Message::new("money.too_large").with("max", MAX_FEN / 100);
    let whole: i64 = whole.trim_start_matches('0').parse().or_else(|_| {
        if whole.bytes().all(|b| b == b'0') {
            Ok(0)
        } else {
            Err(too_large())
        }
    })?;
    let fraction: i64 = format!("{fraction:0<2}").parse().unwrap_or(0);
    let fen = whole
        .checked_mul(100)
        .and_then(|f| f.checked_add(fraction))
        .ok_or_else(too_large)?;
    if fen > MAX_FEN {
        return Err(too_large());
    }
    Ok(fen)
}

/// The `Decimal` text of an amount in fen: yuan with two decimals.
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.unsigned_abs();
    format!("{sign}{}.{:02}", fen / 100, fen % 100)
}

/// A calendar date without a time or zone, as RFC 3339 `full-date`:
/// `YYYY-MM-DD` (e.g. `2027-06-30`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub chrono::NaiveDate);

/// A calendar date without a time or zone, as RFC 3339 `full-date`:
/// `YYYY-MM-DD` (e.g. `2027-06-30`). Another form is BAD_USER_INPUT with the
/// key `date.invalid`.
#[Scalar(
    name = "Date",
    specified_by_url = "https://www.rfc-editor.org/rfc/rfc3339#section-5.6"
)]
impl ScalarType for Date {
    fn parse(value: ConstValue) -> InputValueResult<Self> {
        match &value {
            ConstValue::String(s) => parse_date(s)
                .map(Date)
                .ok_or_else(|| InputValueError::custom("must be a date as YYYY-MM-DD")),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn is_valid(value: &ConstValue) -> bool {
        problem("Date", value).is_none()
    }

    fn to_value(&self) -> ConstValue {
        ConstValue::String(self.0.format("%Y-%m-%d").to_string())
    }
}

impl std::ops::Deref for Date {
    type Target = chrono::NaiveDate;
    fn deref(&self) -> &chrono::NaiveDate {
        &self.0
    }
}

impl From<chrono::NaiveDate> for Date {
    fn from(d: chrono::NaiveDate) -> Self {
        Date(d)
    }
}

impl From<Decimal> for i64 {
    fn from(d: Decimal) -> Self {
        d.0
    }
}

impl From<Date> for chrono::NaiveDate {
    fn from(d: Date) -> Self {
        d.0
    }
}

/// An instant, as RFC 3339 `date-time` with an offset
/// (`2026-12-01T09:00:00+08:00`); answered in UTC (`…Z`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DateTime(pub chrono::DateTime<chrono::Utc>);

/// An instant, as RFC 3339 `date-time` with an offset
/// (`2026-12-01T09:00:00+08:00`); the server answers in UTC
/// (`2026-12-01T01:00:00Z`). Another form is BAD_USER_INPUT with the key
/// `datetime.invalid`.
#[Scalar(
    name = "DateTime",
    specified_by_url = "https://www.rfc-editor.org/rfc/rfc3339#section-5.6"
)]
impl ScalarType for DateTime {
    fn parse(value: ConstValue) -> InputValueResult<Self> {
        match &value {
            ConstValue::String(s) => chrono::DateTime::parse_from_rfc3339(s)
                .map(|t| DateTime(t.with_timezone(&chrono::Utc)))
                .map_err(|_| InputValueError::custom("must be an RFC 3339 date-time")),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn is_valid(value: &ConstValue) -> bool {
        problem("DateTime", value).is_none()
    }

    fn to_value(&self) -> ConstValue {
        ConstValue::String(self.0.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    }
}

impl std::ops::Deref for DateTime {
    type Target = chrono::DateTime<chrono::Utc>;
    fn deref(&self) -> &chrono::DateTime<chrono::Utc> {
        &self.0
    }
}

impl From<chrono::DateTime<chrono::Utc>> for DateTime {
    fn from(t: chrono::DateTime<chrono::Utc>) -> Self {
        DateTime(t)
    }
}

impl From<DateTime> for chrono::DateTime<chrono::Utc> {
    fn from(t: DateTime) -> Self {
        t.0
    }
}

/// An amount of money in yuan (CNY), held in fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal(pub i64);

/// An amount of money in yuan (CNY) as a decimal string with at most two
/// decimals: `"1200"`, `"1200.5"`, `"3000000000.00"` (whole numbers are
/// accepted too). Never negative; at most one trillion yuan. Answers always
/// have two decimals. 64-bit safe: amounts beyond 2^31 are fine. A bad value
/// is BAD_USER_INPUT with the key `money.invalid`, `value.negative` or
/// `money.too_large`.
#[Scalar(
    name = "Decimal",
    specified_by_url = "https://spec.graphql.org/draft/#sec-String"
)]
impl ScalarType for Decimal {
    fn parse(value: ConstValue) -> InputValueResult<Self> {
        fen_of(&value)
            .map(Decimal)
            .map_err(|m| InputValueError::custom(m.render(iurhub_domain::Locale::En)))
    }

    fn is_valid(value: &ConstValue) -> bool {
        fen_of(value).is_ok()
    }

    fn to_value(&self) -> ConstValue {
        ConstValue::String(yuan(self.0))
    }
}

/// The currencies of the API (ISO 4217).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum CurrencyCode {
    /// Chinese yuan (人民币).
    Cny,
}

/// An amount of money: every amount of the API (need budgets, instrument
/// rates, usage revenue) has this shape.
#[derive(SimpleObject, Debug, Clone, Copy)]
pub struct Money {
    /// The amount in units of the currency, at most two decimals
    /// (`"1200.50"`).
    pub amount: Decimal,
    /// The currency: always CNY.
    pub currency_code: CurrencyCode,
}

impl Money {
    /// An amount in fen.
    pub fn fen(fen: i64) -> Money {
        Money {
            amount: Decimal(fen),
            currency_code: CurrencyCode::Cny,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_times_are_rfc_3339() {
        let s = |v: &str| ConstValue::String(v.to_owned());
        assert!(problem("Date", &s("2027-06-30")).is_none());
        assert!(problem("Date", &s("30.06.2027")).is_some());
        assert!(problem("Date", &s("2027-6-30")).is_some());
        assert!(problem("Date", &ConstValue::from(3)).is_some());
        assert!(problem("DateTime", &s("2026-12-01T09:00:00+08:00")).is_none());
        assert_eq!(
            problem("DateTime", &s("tomorrow")).unwrap().key,
            "datetime.invalid"
        );
    }

    #[test]
    fn money_is_yuan_with_at_most_two_decimals() {
        let s = |v: &str| fen_of(&ConstValue::String(v.to_owned()));
        assert_eq!(s("1200"), Ok(120_000));
        assert_eq!(s("1200.5"), Ok(120_050));
        assert_eq!(s("0.07"), Ok(7));
        assert_eq!(s("3000000000.00"), Ok(300_000_000_000));
        assert_eq!(
            fen_of(&ConstValue::from(3_000_000_000_i64)),
            Ok(300_000_000_000)
        );
        assert_eq!(s("1.234").unwrap_err().key, "money.invalid");
        assert_eq!(s("-1").unwrap_err().key, "value.negative");
        assert_eq!(s("1e5").unwrap_err().key, "money.invalid");
        assert_eq!(s("").unwrap_err().key, "money.invalid");
        assert_eq!(
            s("99999999999999999999").unwrap_err().key,
            "money.too_large"
        );
        assert_eq!(s("1000000000001").unwrap_err().key, "money.too_large");
        assert_eq!(
            fen_of(&ConstValue::from(1.5)).unwrap_err().key,
            "money.invalid"
        );
        assert_eq!(yuan(120_050), "1200.50");
        assert_eq!(yuan(7), "0.07");
    }
}
