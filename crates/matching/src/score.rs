//! Structured scoring: text relevance plus factors a tech-transfer officer
//! would weigh, each reported with its value, weight and contribution.

use iurhub_domain::{CooperationMode, Locale, Message};

/// What the scoring needs to know about a need (or the query side).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NeedProfile {
    /// Analysed keyword terms.
    pub keyword_terms: Vec<String>,
    pub discipline_codes: Vec<String>,
    pub industry_codes: Vec<String>,
    pub trl_required: Option<i32>,
    pub cooperation_modes: Vec<CooperationMode>,
    pub province: Option<String>,
}

/// What the scoring needs to know about a candidate capability or talent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CandidateProfile {
    pub keyword_terms: Vec<String>,
    pub discipline_codes: Vec<String>,
    pub trl: Option<i32>,
    /// Modes the responsible people are available for.
    pub availability: Vec<CooperationMode>,
    pub province: Option<String>,
    /// Completed cooperation projects of the owning organisation, when known.
    pub completed_projects: Option<u32>,
}

/// Relative importance of each factor; they need not sum to one (they are
/// normalised over the factors that apply to a pair).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Weights {
    pub text: f64,
    pub discipline: f64,
    pub keywords: f64,
    pub trl: f64,
    pub cooperation_mode: f64,
    pub region: f64,
    pub track_record: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            text: 0.50,
            discipline: 0.15,
            keywords: 0.12,
            trl: 0.10,
            cooperation_mode: 0.06,
            region: 0.03,
            track_record: 0.04,
        }
    }
}

/// The factors of a score, in the order an explanation lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum FactorName {
    /// BM25 relevance of the texts, relative to the best candidate.
    Text,
    /// Overlap of the discipline codes (hierarchical partial credit).
    Discipline,
    /// Share of the need's keyword terms among the candidate's keywords.
    Keywords,
    /// Whether the candidate reaches the required technology readiness level.
    Trl,
    /// Share of the wanted cooperation modes someone responsible is available for.
    CooperationMode,
    /// Same province or not.
    Region,
    /// Completed cooperation projects of the candidate's organisation.
    TrackRecord,
}

impl FactorName {
    /// The name as stored with a decision (`text`, `discipline`, `keywords`,
    /// `trl`, `cooperationMode`, `region`, `trackRecord`).
    pub fn as_str(self) -> &'static str {
        match self {
            FactorName::Text => "text",
            FactorName::Discipline => "discipline",
            FactorName::Keywords => "keywords",
            FactorName::Trl => "trl",
            FactorName::CooperationMode => "cooperationMode",
            FactorName::Region => "region",
            FactorName::TrackRecord => "trackRecord",
        }
    }

    /// The name in the APIs (the GraphQL enum `MatchFactorName` and REST).
    pub fn api_name(self) -> &'static str {
        match self {
            FactorName::Text => "TEXT_RELEVANCE",
            FactorName::Discipline => "DISCIPLINES",
            FactorName::Keywords => "KEYWORDS",
            FactorName::Trl => "TRL_FIT",
            FactorName::CooperationMode => "COOPERATION_MODES",
            FactorName::Region => "REGION",
            FactorName::TrackRecord => "TRACK_RECORD",
        }
    }
}

/// A discipline code of the need and the candidate's code that gave it its
/// best credit.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CodePair {
    /// The need's code.
    pub need: String,
    /// The candidate's code.
    pub candidate: String,
    /// 1.0 same code, 0.8 ancestor/descendant, 0.6 same 5-digit branch, 0.3 same first level.
    pub credit: f64,
}

/// One factor of a score.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Factor {
    pub name: FactorName,
    /// How well the pair does on this factor, 0–1.
    pub value: f64,
    /// The factor's share of the score (0 when the factor does not apply).
    pub weight: f64,
    /// `value × weight`; the contributions add up to the score.
    pub contribution: f64,
    /// Why, as a keyed message (codes and analysed terms as they are; see
    /// `codes` and `terms` for what a reader is shown). Serialised in
    /// English.
    #[serde(serialize_with = "in_english")]
    pub detail: Message,
    /// For [`FactorName::Discipline`]: the need's codes with the
    /// candidate's code that gave each its credit.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub codes: Vec<CodePair>,
    /// For [`FactorName::Keywords`]: the shared analysed keyword terms.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<String>,
    /// For [`FactorName::CooperationMode`]: the wanted modes someone
    /// responsible is available for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub modes: Vec<CooperationMode>,
}

/// A scored, explained pair.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Explanation {
    /// 0–1.
    pub score: f64,
    pub factors: Vec<Factor>,
    pub matched_terms: Vec<String>,
}

fn in_english<S: serde::Serializer>(text: &Message, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&text.render(Locale::En))
}

/// A factor's value (0–1), why, and what it found.
struct Assessment {
    value: f64,
    detail: Message,
    codes: Vec<CodePair>,
    terms: Vec<String>,
    modes: Vec<CooperationMode>,
}

fn assessed(value: f64, detail: Message) -> Assessment {
    Assessment {
        value,
        detail,
        codes: Vec::new(),
        terms: Vec::new(),
        modes: Vec::new(),
    }
}

/// Credit for two hierarchical codes (GB/T 13745: 3 → 5 → 7 digits).
fn code_credit(a: &str, b: &str) -> f64 {
    if a == b {
        1.0
    } else if a.starts_with(b) || b.starts_with(a) {
        0.8
    } else {
        let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
        match common {
            n if n >= 5 => 0.6,
            n if n >= 3 => 0.3,
            _ => 0.0,
        }
    }
}

fn discipline(need: &[String], cand: &[String]) -> Option<Assessment> {
    if need.is_empty() || cand.is_empty() {
        return None;
    }
    let mut best = Vec::new();
    let mut pairs = Vec::new();
    let mut total = 0.0;
    for n in need {
        let (credit, with) =
            cand.iter()
                .map(|c| (code_credit(n, c), c))
                .fold(
                    (0.0, None),
                    |acc, (v, c)| if v > acc.0 { (v, Some(c)) } else { acc },
                );
        total += credit;
        if let Some(c) = with {
            pairs.push(CodePair {
                need: n.clone(),
                candidate: c.clone(),
                credit,
            });
            best.push(if c == n {
                n.clone()
            } else {
                format!("{n}~{c}")
            });
        }
    }
    let value = total / need.len() as f64;
    let detail = if best.is_empty() {
        Message::new("factor.discipline.none")
    } else {
        Message::new("factor.discipline.shared").with("pairs", best.join(", "))
    };
    Some(Assessment {
        codes: pairs,
        ..assessed(value, detail)
    })
}

fn keywords(need: &[String], cand: &[String]) -> Option<Assessment> {
    if need.is_empty() || cand.is_empty() {
        return None;
    }
    let shared: Vec<&String> = need.iter().filter(|k| cand.contains(k)).collect();
    let value = shared.len() as f64 / need.len() as f64;
    let terms = shared.iter().map(|s| (*s).clone()).collect();
    Some(Assessment {
        terms,
        ..assessed(
            value,
            Message::new("factor.keywords.count")
                .with("shared", shared.len())
                .with("total", need.len()),
        )
    })
}

fn trl(required: Option<i32>, reached: Option<i32>) -> Option<Assessment> {
    let (r, t) = (required?, reached?);
    if t >= r {
        Some(assessed(
            1.0,
            Message::new("factor.trl.meets")
                .with("reached", t)
                .with("required", r),
        ))
    } else {
        let value = (1.0 - 0.25 * f64::from(r - t)).max(0.0);
        Some(assessed(
            value,
            Message::new("factor.trl.below")
                .with("reached", t)
                .with("gap", r - t)
                .with("required", r),
        ))
    }
}

fn modes(wanted: &[CooperationMode], offered: &[CooperationMode]) -> Option<Assessment> {
    if wanted.is_empty() || offered.is_empty() {
        return None;
    }
    let shared: Vec<CooperationMode> = wanted
        .iter()
        .filter(|m| offered.contains(m))
        .copied()
        .collect();
    let value = shared.len() as f64 / wanted.len() as f64;
    let detail = if shared.is_empty() {
        Message::new("factor.modes.none")
    } else {
        Message::new("factor.modes.available").with(
            "modes",
            shared
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        )
    };
    Some(Assessment {
        modes: shared,
        ..assessed(value, detail)
    })
}

fn region(a: Option<&str>, b: Option<&str>) -> Option<Assessment> {
    let (a, b) = (a?, b?);
    if a == b {
        Some(assessed(
            1.0,
            Message::new("factor.region.same").with("region", a),
        ))
    } else {
        Some(assessed(
            0.3,
            Message::new("factor.region.different")
                .with("need", a)
                .with("candidate", b),
        ))
    }
}

fn track_record(completed: Option<u32>) -> Option<Assessment> {
    let n = completed?;
    let value = f64::from(n) / (f64::from(n) + 2.0);
    Some(assessed(
        value,
        Message::new("factor.track_record").with("count", n),
    ))
}

/// Scores a candidate for a need. `text` is the BM25 relevance relative to
/// the best candidate of the same query (1.0 for the best). Factors without
/// data on either side do not apply: their weight goes to the others.
pub fn explain(
    text: f64,
    matched_terms: Vec<String>,
    need: &NeedProfile,
    cand: &CandidateProfile,
    weights: &Weights,
) -> Explanation {
    let text = text.clamp(0.0, 1.0);
    let parts: [(FactorName, f64, Option<Assessment>); 7] = [
        (
            FactorName::Text,
            weights.text,
            Some(assessed(
                text,
                Message::new("factor.text.count").with("count", matched_terms.len()),
            )),
        ),
        (
            FactorName::Discipline,
            weights.discipline,
            discipline(&need.discipline_codes, &cand.discipline_codes),
        ),
        (
            FactorName::Keywords,
            weights.keywords,
            keywords(&need.keyword_terms, &cand.keyword_terms),
        ),
        (
            FactorName::Trl,
            weights.trl,
            trl(need.trl_required, cand.trl),
        ),
        (
            FactorName::CooperationMode,
            weights.cooperation_mode,
            modes(&need.cooperation_modes, &cand.availability),
        ),
        (
            FactorName::Region,
            weights.region,
            region(need.province.as_deref(), cand.province.as_deref()),
        ),
        (
            FactorName::TrackRecord,
            weights.track_record,
            track_record(cand.completed_projects),
        ),
    ];
    let applicable: f64 = parts
        .iter()
        .filter(|p| p.2.is_some())
        .map(|p| p.1.max(0.0))
        .sum();
    let mut factors = Vec::with_capacity(parts.len());
    let mut score = 0.0;
    for (name, raw_weight, result) in parts {
        let factor = match result {
            Some(found) => {
                let weight = if applicable > 0.0 {
                    raw_weight.max(0.0) / applicable
                } else {
                    0.0
                };
                let contribution = found.value * weight;
                score += contribution;
                Factor {
                    name,
                    value: found.value,
                    weight,
                    contribution,
                    detail: found.detail,
                    codes: found.codes,
                    terms: found.terms,
                    modes: found.modes,
                }
            }
            None => Factor {
                name,
                value: 0.0,
                weight: 0.0,
                contribution: 0.0,
                detail: Message::new("factor.not_applicable"),
                codes: Vec::new(),
                terms: Vec::new(),
                modes: Vec::new(),
            },
        };
        factors.push(factor);
    }
    Explanation {
        score: score.clamp(0.0, 1.0),
        factors,
        matched_terms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(c: &[&str]) -> Vec<String> {
        c.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn contributions_add_up_and_missing_factors_do_not_count() {
        let need = NeedProfile {
            trl_required: Some(6),
            ..Default::default()
        };
        let cand = CandidateProfile {
            trl: Some(4),
            ..Default::default()
        };
        let e = explain(0.8, vec!["轴承".into()], &need, &cand, &Weights::default());
        let sum: f64 = e.factors.iter().map(|f| f.contribution).sum();
        assert!((sum - e.score).abs() < 1e-9);
        let trl = e
            .factors
            .iter()
            .find(|f| f.name == FactorName::Trl)
            .unwrap();
        assert_eq!(trl.value, 0.5);
        assert!(trl.detail.render(Locale::En).contains("2 below"));
        assert_eq!(
            trl.detail.render(Locale::Zh),
            "技术成熟度 4 级，比要求的 6 级低 2 级"
        );
        let weights: f64 = e.factors.iter().map(|f| f.weight).sum();
        assert!((weights - 1.0).abs() < 1e-9);
        assert_eq!(
            e.factors
                .iter()
                .find(|f| f.name == FactorName::Discipline)
                .unwrap()
                .weight,
            0.0
        );
    }

    #[test]
    fn text_only_pairs_rank_by_text() {
        let (n, c) = (NeedProfile::default(), CandidateProfile::default());
        let w = Weights::default();
        assert!(explain(0.9, vec![], &n, &c, &w).score > explain(0.5, vec![], &n, &c, &w).score);
        assert_eq!(explain(0.7, vec![], &n, &c, &w).score, 0.7);
    }

    #[test]
    fn hierarchical_discipline_credit() {
        assert_eq!(code_credit("46020", "46020"), 1.0);
        assert_eq!(code_credit("460", "46020"), 0.8);
        assert_eq!(code_credit("4602010", "4602020"), 0.6);
        assert_eq!(code_credit("46020", "46035"), 0.3);
        assert_eq!(code_credit("460", "520"), 0.0);
        let Assessment {
            value: v, detail, ..
        } = discipline(&codes(&["46020", "52020"]), &codes(&["460"])).unwrap();
        assert_eq!(v, 0.4);
        assert!(detail.render(Locale::En).contains("46020~460"));
    }

    #[test]
    fn structured_factors_break_text_ties() {
        let need = NeedProfile {
            discipline_codes: codes(&["46020"]),
            trl_required: Some(6),
            cooperation_modes: vec![CooperationMode::JointResearch],
            ..Default::default()
        };
        let fit = CandidateProfile {
            discipline_codes: codes(&["46020"]),
            trl: Some(7),
            availability: vec![CooperationMode::JointResearch],
            ..Default::default()
        };
        let misfit = CandidateProfile {
            discipline_codes: codes(&["880"]),
            trl: Some(2),
            availability: vec![CooperationMode::Consulting],
            ..Default::default()
        };
        let w = Weights::default();
        assert!(
            explain(0.8, vec![], &need, &fit, &w).score
                > explain(0.8, vec![], &need, &misfit, &w).score
        );
    }
}
