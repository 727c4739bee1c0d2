//! Staged confidentiality (分级披露) of CONFIDENTIAL needs: the teaser an
//! owner writes for outsiders, the disclosures the need's side grants to
//! another organisation under a non-disclosure agreement, and the log of
//! every disclosure and every read of disclosed text.
//!
//! - A CONFIDENTIAL need is matched on its full text, but an organisation
//!   outside it sees only its **teaser** (title and summary fit for
//!   outsiders, with the need's disciplines and TRL; never the
//!   organisation) until the need's side **offers** it a disclosure and a
//!   manager of that organisation **accepts** the non-disclosure agreement
//!   of the current version ([`NDA_VERSION`]). From then on the need is
//!   visible to the organisation's managers, and every read is logged; the
//!   need's side may **revoke** it at any time, and may offer it again.
//! - OFFERED → ACCEPTED; OFFERED or ACCEPTED → REVOKED; REVOKED → OFFERED
//!   (offered again, to be accepted again).

use chrono::{DateTime, Utc};

use crate::validate::Validator;
use crate::{DisclosureAction, DisclosureStatus, DomainError, FieldError, Message};

/// Longest teaser title.
pub const MAX_TEASER_TITLE: usize = 200;
/// Longest teaser summary.
pub const MAX_TEASER_SUMMARY: usize = 2_000;

/// The version of the non-disclosure agreement a disclosure is accepted
/// under. Accepting names the version the reader was shown; a disclosure
/// records it. A new text is a new version.
pub const NDA_VERSION: &str = "iurhub-nda-2026-12";

/// The non-disclosure agreement of [`NDA_VERSION`], in English.
pub const NDA_TEXT_EN: &str = "\
Non-disclosure agreement for confidential technology needs (version iurhub-nda-2026-12)

1. By accepting, the accepting user declares to act for the receiving organisation, which \
receives the full text of one confidential technology need of the disclosing organisation \
(the \"information\") for one purpose only: to assess and prepare a cooperation on that need.
2. The receiving organisation keeps the information confidential, shows it only to its own \
members who need it for that purpose and who are bound by the same obligations, and neither \
publishes it, nor passes it on, nor uses it for any other purpose.
3. These obligations do not cover information that was public, or lawfully known to the \
receiving organisation, before the disclosure, or that becomes public without its fault.
4. The disclosing organisation may revoke the disclosure at any time; the platform then no \
longer shows the information, and the obligations of points 2 and 3 continue for three years.
5. The platform records who accepted this agreement, when, and every reading of the \
information, and shows that record to the disclosing organisation.";

/// The non-disclosure agreement of [`NDA_VERSION`], in Chinese.
pub const NDA_TEXT_ZH: &str = "\
保密技术需求保密协议（版本 iurhub-nda-2026-12）

一、接受本协议的用户声明其代表接收方组织行事。接收方组织获得披露方组织一项保密技术需求的完整内容（以下简称“信息”），\
仅用于评估和筹备就该需求开展的合作。
二、接收方组织对信息负有保密义务，仅向因上述目的需要知悉且受同等义务约束的本组织成员提供，不得公开、转交他人或用于其他目的。
三、披露前已公开或接收方组织已合法知悉的信息，以及非因接收方过错而公开的信息，不受上述义务约束。
四、披露方组织可随时撤销披露；撤销后平台不再展示该信息，第二、三条所述义务在撤销后继续有效三年。
五、平台记录接受本协议的人员和时间以及每一次对信息的阅读，并向披露方组织展示上述记录。";

/// The teaser of a CONFIDENTIAL need: what an outsider is shown of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Teaser {
    pub need_id: i64,
    pub title: String,
    pub summary: String,
    pub version: i32,
    pub updated_by: i64,
    pub updated_at: DateTime<Utc>,
}

/// A disclosure of one need to one organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct Disclosure {
    pub id: i64,
    pub need_id: i64,
    /// The receiving organisation.
    pub organization_id: i64,
    pub status: DisclosureStatus,
    /// The version of the non-disclosure agreement accepted (set with
    /// `accepted_at`).
    pub nda_version: Option<String>,
    pub offered_by: i64,
    pub offered_at: DateTime<Utc>,
    pub accepted_by: Option<i64>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub revoked_by: Option<i64>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub version: i32,
}

impl Disclosure {
    /// Whether the receiving organisation may read the need now.
    pub fn is_in_force(&self) -> bool {
        self.status == DisclosureStatus::Accepted
    }
}

/// One line of a need's disclosure log.
#[derive(Debug, Clone, PartialEq)]
pub struct DisclosureEvent {
    pub id: i64,
    pub need_id: i64,
    pub disclosure_id: i64,
    /// The receiving organisation.
    pub organization_id: i64,
    /// Who offered, accepted, revoked or read.
    pub user_id: i64,
    pub action: DisclosureAction,
    /// The agreement's version, on ACCEPTED.
    pub nda_version: Option<String>,
    pub at: DateTime<Utc>,
}

/// A teaser's title and summary, trimmed and checked: the title 1–200
/// characters, the summary 1–2,000, and neither naming `names` (the need's
/// organisation and those above it, by name or short name, compared
/// without case): a teaser must not say whose need it is.
pub fn check_teaser(
    title: &str,
    summary: &str,
    names: &[String],
) -> Result<(String, String), DomainError> {
    let mut v = Validator::new();
    let title = v.text("title", title, 1, MAX_TEASER_TITLE);
    let summary = v.text("summary", summary, 1, MAX_TEASER_SUMMARY);
    for (field, text) in [("title", &title), ("summary", &summary)] {
        if v.has_error(field) {
            continue;
        }
        if let Some(name) = named_organization(text, names) {
            v.fail(
                field,
                Message::new("need_teaser.names_organization").with("name", name),
            );
        }
    }
    v.finish()?;
    Ok((title, summary))
}

/// Company-form suffixes a teaser may leave off a Chinese name.
const NAME_SUFFIXES: [&str; 6] = [
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团公司",
    "集团",
    "公司",
];

/// The forms of an organisation's name a teaser must not contain: the
/// whole name, and each run of Chinese characters in it, also without a
/// company-form suffix (`华东重工集团有限公司` → `华东重工`), each at least two
/// characters long.
fn name_forms(name: &str) -> Vec<String> {
    let mut forms = vec![name.trim().to_lowercase()];
    let is_han = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    for run in name.split(|c: char| !is_han(c)).filter(|r| !r.is_empty()) {
        forms.push(run.to_owned());
        let mut short = run;
        while let Some(cut) = NAME_SUFFIXES.iter().find_map(|s| short.strip_suffix(s)) {
            short = cut;
        }
        forms.push(short.to_owned());
    }
    forms.retain(|f| f.chars().count() >= 2);
    forms.sort();
    forms.dedup();
    forms
}

/// The first of `names` a form of which ([`name_forms`]) `text` contains,
/// compared without case.
fn named_organization<'a>(text: &str, names: &'a [String]) -> Option<&'a str> {
    let text = text.to_lowercase();
    names
        .iter()
        .find(|n| {
            name_forms(n)
                .iter()
                .any(|form| text.contains(form.as_str()))
        })
        .map(|n| n.trim())
}

/// The problem of accepting under `version` when the current agreement is
/// [`NDA_VERSION`].
pub fn check_nda_version(version: &str) -> Option<FieldError> {
    (version.trim() != NDA_VERSION).then(|| {
        FieldError::keyed(
            "ndaVersion",
            Message::new("disclosure.nda.version_mismatch").with("current", NDA_VERSION),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(err: DomainError) -> Vec<(String, String)> {
        let DomainError::Validation(fields) = err else {
            panic!("not a validation error: {err:?}")
        };
        fields
            .iter()
            .map(|f| (f.field.clone(), f.key().to_owned()))
            .collect()
    }

    fn names() -> Vec<String> {
        vec!["华东重工集团有限公司".into(), "HEG".into(), "X".into()]
    }

    #[test]
    fn a_teaser_is_trimmed_and_bounded() {
        let (t, s) = check_teaser("  轴承寿命预测  ", " 需要振动分析 ", &names()).unwrap();
        assert_eq!((t.as_str(), s.as_str()), ("轴承寿命预测", "需要振动分析"));
        let err = check_teaser("", &"长".repeat(MAX_TEASER_SUMMARY + 1), &names()).unwrap_err();
        let fields: Vec<_> = problems(err).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["title", "summary"]);
    }

    #[test]
    fn a_teaser_never_names_the_organisation() {
        let err = check_teaser("华东重工的轴承需求", "for heg plants", &names()).unwrap_err();
        let keys = problems(err);
        assert_eq!(
            keys,
            [
                (
                    "title".to_owned(),
                    "need_teaser.names_organization".to_owned()
                ),
                (
                    "summary".to_owned(),
                    "need_teaser.names_organization".to_owned()
                ),
            ]
        );
        // One-letter names are not looked for: every text would name them.
        assert!(check_teaser("Bearing life", "eXtreme loads", &names()).is_ok());
        // The Chinese part of a bilingual name counts on its own.
        let bilingual = vec!["Enterprise A 甲机电".to_owned()];
        assert!(check_teaser("甲机电的需求", "s", &bilingual).is_err());
        assert!(check_teaser("an enterprise need", "s", &bilingual).is_ok());
    }

    #[test]
    fn only_the_current_agreement_is_accepted() {
        assert!(check_nda_version(NDA_VERSION).is_none());
        let problem = check_nda_version("iurhub-nda-2020-01").unwrap();
        assert_eq!(problem.field, "ndaVersion");
    }

    #[test]
    fn a_disclosure_is_offered_accepted_revoked_and_offered_again() {
        use DisclosureStatus::*;
        assert_eq!(Offered.transition(Accepted).unwrap(), Accepted);
        assert_eq!(Accepted.transition(Revoked).unwrap(), Revoked);
        assert_eq!(Offered.transition(Revoked).unwrap(), Revoked);
        assert_eq!(Revoked.transition(Offered).unwrap(), Offered);
        assert!(Revoked.transition(Accepted).is_err());
        assert!(Accepted.transition(Offered).is_err());
        assert!(Accepted.transition(Accepted).is_err());
    }
}
