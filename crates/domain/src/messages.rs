//! Every text an error shows, in English and Chinese, under a stable key.
//!
//! An error carries a [`Message`]: a key such as `need.deadline.past` and
//! the values it names (`{today}`). Clients that translate themselves read
//! the key; the others get the text in the language their `Accept-Language`
//! asks for ([`Locale::from_accept_language`]). This table is the only place
//! the texts live.

use std::borrow::Cow;

mod activities;
mod agreements;
mod billing;
mod consent;
mod disclosures;
mod docking;
mod instruments;
mod matching;
mod notifications;
mod opportunities;
mod organizations;
mod plans;
mod projects;
mod service_orders;
mod threads;
mod transport;

/// The languages messages are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Locale {
    /// English, the default.
    #[default]
    En,
    /// Simplified Chinese (`zh`, `zh-CN`, `zh-Hans`, `zh-SG`).
    Zh,
}

impl Locale {
    /// The language an `Accept-Language` header asks for: the supported one
    /// with the highest q-value (`q=0` refuses a language; ties go to the
    /// first listed); English when none is supported.
    pub fn from_accept_language(header: &str) -> Locale {
        let mut best: Option<(f32, Locale)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let Some(locale) = Locale::of_tag(&tag) else {
                continue;
            };
            if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
                best = Some((q, locale));
            }
        }
        best.map_or(Locale::En, |(_, l)| l)
    }

    /// The locale of one language tag (`zh-CN`, `en-US`, `zh-Hant` is not
    /// served: its speakers read traditional characters).
    pub fn of_tag(tag: &str) -> Option<Locale> {
        let tag = tag.trim().to_ascii_lowercase();
        let mut parts = tag.split(['-', '_']);
        match parts.next()? {
            "en" => Some(Locale::En),
            "zh" => match parts.next() {
                None | Some("cn" | "hans" | "sg" | "my") => Some(Locale::Zh),
                Some("hans-cn") => Some(Locale::Zh),
                _ => None,
            },
            _ => None,
        }
    }

    /// Joins the items of a list in a sentence (`a, b` / `a、b`).
    pub fn join(self, items: impl IntoIterator<Item = impl AsRef<str>>) -> String {
        let separator = match self {
            Locale::En => ", ",
            Locale::Zh => "、",
        };
        join_with(items, separator)
    }

    /// Joins clauses that each say something (`a: x; b: y` / `a: x；b: y`).
    pub fn join_clauses(self, clauses: impl IntoIterator<Item = impl AsRef<str>>) -> String {
        let separator = match self {
            Locale::En => "; ",
            Locale::Zh => "；",
        };
        join_with(clauses, separator)
    }

    /// The BCP 47 tag (`en`, `zh-CN`).
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Zh => "zh-CN",
        }
    }
}

fn join_with(items: impl IntoIterator<Item = impl AsRef<str>>, separator: &str) -> String {
    items
        .into_iter()
        .map(|i| i.as_ref().to_owned())
        .collect::<Vec<_>>()
        .join(separator)
}

/// A message: a stable key and the values its text names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The stable key, e.g. `need.deadline.past`.
    pub key: Cow<'static, str>,
    /// The values the text names (`{name}`).
    pub args: Vec<(&'static str, String)>,
}

impl Message {
    /// A message without values.
    pub fn new(key: &'static str) -> Self {
        Self {
            key: Cow::Borrowed(key),
            args: Vec::new(),
        }
    }

    /// A message whose key is made at run time (`need.not_found`).
    pub fn owned(key: String) -> Self {
        Self {
            key: Cow::Owned(key),
            args: Vec::new(),
        }
    }

    /// Adds the value of `{name}`.
    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }

    /// A message whose text comes from elsewhere (async-graphql's own
    /// errors, a parser's), shown as `{detail}` under a key that says what
    /// failed.
    pub fn detail(key: &'static str, text: impl Into<String>) -> Self {
        Self::new(key).with("detail", text.into())
    }

    fn arg(&self, name: &str) -> Option<&str> {
        self.args
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The text in `locale`.
    pub fn render(&self, locale: Locale) -> String {
        let template = template(&self.key, locale)
            .or_else(|| template(&self.key, Locale::En))
            .map(Cow::Borrowed)
            .unwrap_or_else(|| fallback(&self.key, locale));
        let mut out = String::with_capacity(template.len() + 16);
        let mut rest: &str = &template;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            match after.find('}') {
                Some(end) => {
                    let name = &after[..end];
                    match self.arg(name) {
                        Some(v) if name == "object" => out.push_str(&noun(v, locale)),
                        Some(v) => out.push_str(v),
                        None if name == "what" => out.push_str(&noun(&self.key, locale)),
                        None => {
                            out.push('{');
                            out.push_str(name);
                            out.push('}');
                        }
                    }
                    rest = &after[end + 1..];
                }
                None => {
                    out.push_str(&rest[start..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// The object a `<object>.not_found` key names.
fn noun(key: &str, locale: Locale) -> String {
    let object = key.split('.').next().unwrap_or(key);
    let zh = noun_zh(object);
    match locale {
        Locale::Zh if !zh.is_empty() => zh.to_owned(),
        Locale::Zh => "对象".to_owned(),
        Locale::En => object.replace('_', " "),
    }
}

/// The Chinese name of an object (`checklist_item` → 清单事项); empty when
/// unknown.
fn noun_zh(object: &str) -> &'static str {
    match object {
        "need" => "技术需求",
        "capability" => "科研能力",
        "talent" => "人才档案",
        "organization" => "组织",
        "membership" => "成员关系",
        "user" => "用户",
        "project" => "合作项目",
        "agreement" => "合作框架协议",
        "plan_target" => "计划指标",
        "plan_work_item" => "计划事项",
        "activity" => "合作活动",
        "activity_participant" => "活动参与人员",
        "match" => "匹配",
        "milestone" => "里程碑",
        "checklist_item" => "清单事项",
        "talent_profile" => "人才档案",
        "instrument" => "仪器",
        "center" => "检测中心",
        "booking" => "预约",
        "maintenance_window" => "维护时段",
        "qualification" => "使用资格",
        "event" => "项目事件",
        "object" => "对象",
        _ => "",
    }
}

/// The text of a key the table does not list.
fn fallback(key: &str, locale: Locale) -> Cow<'static, str> {
    if key.ends_with(".not_found") {
        return Cow::Borrowed(match locale {
            Locale::En => "{what} not found",
            Locale::Zh => "{what}不存在",
        });
    }
    if key.ends_with(".transition.not_allowed") {
        return Cow::Borrowed(match locale {
            Locale::En => "{entity} cannot move from {from} to {to}",
            Locale::Zh => "当前状态 {from} 不能变为 {to}",
        });
    }
    Cow::Borrowed("{detail}")
}

/// The tables of every key with its English and Chinese text: the general
/// one below and one per area. Keys are stable: clients translate them
/// themselves; a new text gets a new key.
pub const TABLES: &[&[(&str, &str, &str)]] = &[
    MESSAGES,
    projects::MESSAGES,
    consent::MESSAGES,
    agreements::MESSAGES,
    plans::MESSAGES,
    disclosures::MESSAGES,
    docking::MESSAGES,
    threads::MESSAGES,
    activities::MESSAGES,
    instruments::MESSAGES,
    service_orders::MESSAGES,
    billing::MESSAGES,
    matching::MESSAGES,
    notifications::MESSAGES,
    opportunities::MESSAGES,
    organizations::MESSAGES,
    transport::MESSAGES,
];

/// Every key with its text in English and Chinese, over all tables.
pub fn all() -> impl Iterator<Item = &'static (&'static str, &'static str, &'static str)> {
    TABLES.iter().flat_map(|t| t.iter())
}

/// The general keys: errors of any area, field rules, scalars, coercion.
const MESSAGES: &[(&str, &str, &str)] = &[
    // Errors of any area.
    (
        "input.invalid_many",
        "{count} fields are invalid: {detail}",
        "{count} 个字段无效：{detail}",
    ),
    ("auth.required", "sign in to do this", "请先登录"),
    (
        "auth.token_invalid",
        "the access token is invalid or expired",
        "访问令牌无效或已过期",
    ),
    (
        "auth.user_gone",
        "the access token's user no longer exists",
        "访问令牌对应的用户已不存在",
    ),
    (
        "auth.bad_credentials",
        "invalid e-mail or password",
        "电子邮件或密码错误",
    ),
    (
        "auth.refresh_invalid",
        "the refresh token is invalid, expired or already used",
        "刷新令牌无效、已过期或已被使用",
    ),
    (
        "auth.expired",
        "the access token expired: reconnect with a fresh one",
        "访问令牌已过期：请使用新令牌重新连接",
    ),
    (
        "auth.signed_out",
        "signed out: sign in again and reconnect",
        "已退出登录：请重新登录并重新连接",
    ),
    (
        "cursor.invalid",
        "is not a valid cursor for this list and ordering",
        "不是此列表和排序的有效游标",
    ),
    (
        "conflict.version",
        "the {object} was changed by someone else (expected version {version})",
        "该{object}已被他人修改（您读取的是第 {version} 版），请重新读取后再试",
    ),
    (
        "conflict.changed",
        "the {object} changed meanwhile",
        "该{object}已被他人修改，请重新读取后再试",
    ),
    (
        "conflict.status",
        "the {object}'s status changed meanwhile",
        "该{object}的状态已被他人修改，请重新读取后再试",
    ),
    (
        "conflict.duplicate",
        "an object with these values already exists",
        "已存在取值相同的对象",
    ),
    (
        "reference.missing",
        "refers to an object that does not exist",
        "引用了不存在的对象",
    ),
    // Conflicts the store detects.
    (
        "talent.exists",
        "this user already has a talent profile",
        "该用户已有人才档案",
    ),
    (
        "match.decided_meanwhile",
        "the match was decided by someone else meanwhile",
        "该匹配已被他人处理，请重新读取后再试",
    ),
    (
        "organization.name.taken",
        "an organization with this name already exists",
        "已存在同名的组织",
    ),
    (
        "organization.name.taken_under_parent",
        "an organization with this name already exists under this parent",
        "该上级组织下已存在同名的组织",
    ),
    (
        "membership.exists",
        "this user is already a member of the organization",
        "该用户已是该组织的成员",
    ),
    (
        "membership.last_admin",
        "the last ORG_ADMIN of an organization cannot be removed; make another member ORG_ADMIN first",
        "不能移除组织的最后一位管理员（ORG_ADMIN），请先将另一位成员设为 ORG_ADMIN",
    ),
    (
        "checklist.order.incomplete",
        "must list every checklist item of the project exactly once",
        "必须将项目的每个清单事项恰好列出一次",
    ),
    (
        "instrument.status.changed",
        "the instrument's status changed meanwhile (it may have been retired)",
        "仪器的状态已被他人修改（可能已停用），请重新读取后再试",
    ),
    (
        "booking.overlap",
        "the instrument is already booked from {start} to {end}",
        "该仪器在 {start} 至 {end} 已被预约",
    ),
    (
        "booking.overlap.somewhere",
        "the instrument is already booked in this time",
        "该仪器在此时段已被预约",
    ),
    (
        "synthetic.not_empty",
        "this database already holds synthetic data; generate into an empty database",
        "该数据库已有合成数据，请生成到空数据库中",
    ),
    ("conflict.state", "{detail}", "与当前状态冲突：{detail}"),
    (
        "server.unavailable",
        "the database is unavailable, try again shortly",
        "数据库暂时不可用，请稍后重试",
    ),
    ("server.internal", "internal error", "服务器内部错误"),
    // Field rules (validation).
    ("value.required", "must not be empty", "不能为空"),
    (
        "value.too_short",
        "must be at least {min} characters",
        "至少需要 {min} 个字符",
    ),
    (
        "value.too_long",
        "must be at most {max} characters",
        "最多 {max} 个字符",
    ),
    (
        "value.control_characters",
        "must not contain control characters",
        "不能包含控制字符",
    ),
    (
        "value.bidi_characters",
        "must not contain bidirectional control characters",
        "不能包含双向文本控制字符",
    ),
    (
        "value.entry_too_long",
        "each entry must be at most {max} characters",
        "每一项最多 {max} 个字符",
    ),
    (
        "value.entry_control_characters",
        "each entry must not contain control characters",
        "每一项都不能包含控制字符",
    ),
    (
        "value.too_many",
        "must have at most {max} entries",
        "最多 {max} 项",
    ),
    (
        "value.too_few",
        "must have at least {min} entries",
        "至少需要 {min} 项",
    ),
    (
        "value.out_of_range",
        "must be between {min} and {max}",
        "必须在 {min} 到 {max} 之间",
    ),
    ("value.negative", "must not be negative", "不能为负数"),
    (
        "value.only_spaces",
        "must not be only spaces",
        "不能只包含空格",
    ),
    (
        "value.not_a_boolean",
        "must be true or false",
        "必须是 true 或 false",
    ),
    (
        "value.unknown",
        "unknown value `{value}`",
        "未知的取值 `{value}`",
    ),
    (
        "code.malformed",
        "`{code}` is not a valid code",
        "`{code}` 不是有效的代码",
    ),
    ("code.invalid", "is not a valid code", "不是有效的代码"),
    (
        "taxonomy.unknown_codes",
        "unknown code(s): {codes}",
        "未知的代码：{codes}",
    ),
    (
        "email.invalid",
        "must be a valid e-mail address",
        "必须是有效的电子邮件地址",
    ),
    (
        "budget.order",
        "must not be less than budgetMin",
        "不能小于最低预算 budgetMin",
    ),
    (
        "account.password.wrong",
        "the current password is not right",
        "当前密码不正确",
    ),
    (
        "need.deadline.past",
        "must not be in the past (today is {today}, Asia/Shanghai)",
        "不能早于今天（今天是 {today}，北京时间）",
    ),
    // Scalars and money.
    (
        "date.invalid",
        "must be a date as YYYY-MM-DD (RFC 3339 full-date)",
        "必须是 YYYY-MM-DD 格式的日期（RFC 3339）",
    ),
    (
        "datetime.invalid",
        "must be a date and time with an offset (RFC 3339), e.g. 2026-12-01T09:00:00+08:00",
        "必须是带时区偏移的日期时间（RFC 3339），例如 2026-12-01T09:00:00+08:00",
    ),
    (
        "money.invalid",
        "must be an amount in yuan as a decimal string with at most 2 decimals, e.g. \"1200.50\"",
        "必须是以元为单位、最多两位小数的十进制字符串，例如 \"1200.50\"",
    ),
    (
        "money.too_large",
        "must be at most {max} yuan",
        "不能超过 {max} 元",
    ),
    // Input coercion (GraphQL).
    (
        "graphql.type_mismatch",
        "expected a value of type {type}",
        "应为 {type} 类型的值",
    ),
    (
        "graphql.required",
        "a value of type {type} is required",
        "必须提供 {type} 类型的值",
    ),
    (
        "graphql.unknown_field",
        "{type} has no field `{name}`",
        "{type} 没有字段 `{name}`",
    ),
    (
        "graphql.unknown_enum_value",
        "`{value}` is not a value of {type}",
        "`{value}` 不是 {type} 的取值",
    ),
    (
        "graphql.int_range",
        "must be a whole number from -2147483648 to 2147483647",
        "必须是 -2147483648 到 2147483647 之间的整数",
    ),
    (
        "graphql.invalid_values",
        "{count} value(s) of the request are invalid: {detail}",
        "请求中有 {count} 个值无效：{detail}",
    ),
    (
        "graphql.invalid_document",
        "{detail}",
        "GraphQL 文档无效：{detail}",
    ),
    ("graphql.refused", "{detail}", "请求被拒绝：{detail}"),
    // Ids.
    ("id.malformed", "is not a valid ID", "不是有效的 ID"),
    (
        "id.wrong_kind",
        "is a {actual} ID, expected a {expected} ID",
        "这是 {actual} 的 ID，应为 {expected} 的 ID",
    ),
    // Life cycles.
    (
        "need.transition.not_allowed",
        "need cannot move from {from} to {to}",
        "技术需求不能从 {from} 变为 {to}",
    ),
    (
        "capability.transition.not_allowed",
        "capability cannot move from {from} to {to}",
        "科研能力不能从 {from} 变为 {to}",
    ),
    (
        "match.transition.not_allowed",
        "match cannot move from {from} to {to}",
        "匹配不能从 {from} 变为 {to}",
    ),
    (
        "project.transition.not_allowed",
        "project cannot move from {from} to {to}",
        "合作项目不能从 {from} 变为 {to}",
    ),
    (
        "booking.transition.not_allowed",
        "booking cannot move from {from} to {to}",
        "预约不能从 {from} 变为 {to}",
    ),
    // Accounts.
    (
        "password.too_short",
        "must be at least {min} characters",
        "密码至少需要 {min} 个字符",
    ),
    (
        "password.too_long",
        "must be at most {max} characters",
        "密码最多 {max} 个字符",
    ),
    (
        "password.control_characters",
        "must not contain control characters",
        "密码不能包含控制字符",
    ),
    (
        "password.only_spaces",
        "must not be only spaces",
        "密码不能只包含空格",
    ),
    (
        "email.taken",
        "a user with this e-mail already exists",
        "该电子邮件地址已被注册",
    ),
    (
        "body.content_type",
        "expected `content-type: application/json`",
        "请以 `content-type: application/json` 发送请求",
    ),
    ("body.not_json", "is not valid JSON", "不是有效的 JSON"),
    ("body.missing_field", "is required", "必须提供"),
    (
        "body.wrong_type",
        "has the wrong type: expected {expected}",
        "类型错误：应为 {expected}",
    ),
    (
        "body.unknown_field",
        "is not a known field",
        "不是已知的字段",
    ),
    ("body.invalid", "the request body is invalid", "请求体无效"),
    (
        "organization.unknown",
        "no such organization",
        "该组织不存在",
    ),
    (
        "talent.ids.unknown",
        "refers to a talent profile that does not exist",
        "引用了不存在的人才档案",
    ),
    // Visibility and rights.
    (
        "need.write.forbidden",
        "only members of the need's organization, coordinators and admins may change it",
        "只有该技术需求所属组织的成员、协调员和管理员可以修改",
    ),
    (
        "capability.write.forbidden",
        "only members of the capability's organization, coordinators and admins may change it",
        "只有该科研能力所属组织的成员、协调员和管理员可以修改",
    ),
    (
        "organization.write.forbidden",
        "only members of the owning organization, coordinators and admins may do this",
        "只有所属组织的成员、协调员和管理员可以执行此操作",
    ),
    (
        "need.not_editable",
        "a need in status {status} can no longer be edited",
        "状态为 {status} 的技术需求不能再修改",
    ),
    (
        "capability.not_editable",
        "a capability in status {status} can no longer be edited",
        "状态为 {status} 的科研能力不能再修改",
    ),
];

/// Whether `key` has a text of its own: listed in a table, or an
/// `<object>.not_found` / `<object>.transition.not_allowed` key of a known
/// object.
pub fn is_known(key: &str) -> bool {
    if template(key, Locale::En).is_some() {
        return true;
    }
    let generic = key.ends_with(".not_found") || key.ends_with(".transition.not_allowed");
    generic && !noun_zh(key.split('.').next().unwrap_or(key)).is_empty()
}

/// The text of `key` in `locale`, if the table lists it.
pub fn template(key: &str, locale: Locale) -> Option<&'static str> {
    all()
        .find(|(k, _, _)| *k == key)
        .map(|(_, en, zh)| match locale {
            Locale::En => *en,
            Locale::Zh => *zh,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_honours_q_values() {
        for (header, want) in [
            ("zh-CN", Locale::Zh),
            ("zh", Locale::Zh),
            ("zh-Hans", Locale::Zh),
            ("zh-Hans-CN", Locale::Zh),
            ("en-US,en;q=0.9", Locale::En),
            ("en;q=0.5, zh-CN;q=0.8", Locale::Zh),
            ("zh-CN;q=0.4, en;q=0.6", Locale::En),
            ("zh-CN;q=0, fr", Locale::En),
            ("fr-FR, zh;q=0.3", Locale::Zh),
            ("zh-TW", Locale::En),
            ("", Locale::En),
            ("*", Locale::En),
        ] {
            assert_eq!(Locale::from_accept_language(header), want, "{header}");
        }
    }

    #[test]
    fn keys_are_unique_and_both_languages_name_the_same_values() {
        let mut seen = std::collections::HashSet::new();
        for (key, en, zh) in all() {
            assert!(seen.insert(*key), "{key} twice");
            let names = |t: &str| {
                let mut v: Vec<String> = t
                    .split('{')
                    .skip(1)
                    .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_owned()))
                    .collect();
                v.sort();
                v.dedup();
                v
            };
            // A Chinese text may leave out an English detail, never add a value.
            for name in names(zh) {
                assert!(
                    names(en).contains(&name) || name == "retryAfter",
                    "{key}: {name}"
                );
            }
            assert!(
                zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{key}"
            );
        }
    }

    #[test]
    fn messages_render_their_values() {
        let m = Message::new("value.too_long").with("max", 200);
        assert_eq!(m.render(Locale::En), "must be at most 200 characters");
        assert_eq!(m.render(Locale::Zh), "最多 200 个字符");
        let stale = Message::new("conflict.version")
            .with("object", "checklist_item")
            .with("version", 3);
        assert_eq!(
            stale.render(Locale::En),
            "the checklist item was changed by someone else (expected version 3)"
        );
        assert_eq!(
            stale.render(Locale::Zh),
            "该清单事项已被他人修改（您读取的是第 3 版），请重新读取后再试"
        );
        let nf = Message::new("checklist_item.not_found");
        assert_eq!(nf.render(Locale::En), "checklist item not found");
        assert_eq!(nf.render(Locale::Zh), "清单事项不存在");
    }
}
