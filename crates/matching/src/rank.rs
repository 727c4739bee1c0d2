//! The shared second stage: text candidates re-scored with the structured
//! factors. The API, `iurhub eval` and the benchmark all rank through here.

use crate::index::Hit;
use crate::score::{CandidateProfile, Explanation, NeedProfile, Weights, explain};

/// The query a need (or capability) sends to the text index: title,
/// keywords and body, in that order.
pub fn query_text(title: &str, body: &str, keywords: &[String]) -> String {
    format!("{title}\n{}\n{body}", keywords.join(" "))
}

/// One ranked candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    pub id: i64,
    pub explanation: Explanation,
}

/// Text relevance of each hit relative to the best one (0–1), so the text
/// factor is comparable between queries. The best is the best candidate
/// kept: a hit the caller filtered out (hidden, unpublished) is no yardstick,
/// or the scores the caller sees would move with documents it cannot see.
fn relative<T>(kept: &[(Hit, T)]) -> impl Fn(&Hit) -> f64 + use<T> {
    let best = kept
        .iter()
        .map(|(h, _)| f64::from(h.score))
        .fold(f64::MIN_POSITIVE, f64::max);
    move |h: &Hit| f64::from(h.score) / best
}

fn best_first(mut ranked: Vec<Ranked>) -> Vec<Ranked> {
    ranked.sort_by(|a, b| {
        b.explanation
            .score
            .total_cmp(&a.explanation.score)
            .then(a.id.cmp(&b.id))
    });
    ranked
}

/// Candidates for one need, best first. `profile_of` returns `None` for a
/// candidate the caller has filtered out (unpublished, declined, hidden…);
/// those are dropped.
pub fn rank_candidates<'p>(
    hits: Vec<Hit>,
    need: &NeedProfile,
    profile_of: impl Fn(i64) -> Option<&'p CandidateProfile>,
    weights: &Weights,
) -> Vec<Ranked> {
    let kept: Vec<_> = hits
        .into_iter()
        .filter_map(|hit| {
            let profile = profile_of(hit.id)?;
            Some((hit, profile))
        })
        .collect();
    let text = relative(&kept);
    let ranked = kept
        .into_iter()
        .map(|(hit, profile)| {
            let relevance = text(&hit);
            Ranked {
                id: hit.id,
                explanation: explain(relevance, hit.matched_terms, need, profile, weights),
            }
        })
        .collect();
    best_first(ranked)
}

/// Needs for one candidate (the reverse direction), best first; `need_of`
/// returns `None` for needs the caller has filtered out.
pub fn rank_needs<'p>(
    hits: Vec<Hit>,
    candidate: &CandidateProfile,
    need_of: impl Fn(i64) -> Option<&'p NeedProfile>,
    weights: &Weights,
) -> Vec<Ranked> {
    let kept: Vec<_> = hits
        .into_iter()
        .filter_map(|hit| {
            let need = need_of(hit.id)?;
            Some((hit, need))
        })
        .collect();
    let text = relative(&kept);
    let ranked = kept
        .into_iter()
        .map(|(hit, need)| {
            let relevance = text(&hit);
            Ranked {
                id: hit.id,
                explanation: explain(relevance, hit.matched_terms, need, candidate, weights),
            }
        })
        .collect();
    best_first(ranked)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(id: i64, score: f32) -> Hit {
        Hit {
            id,
            score,
            matched_terms: vec!["bearing".into()],
            snippet: None,
        }
    }

    #[test]
    fn structured_factors_reorder_text_candidates_and_filtered_ones_are_dropped() {
        let need = NeedProfile {
            discipline_codes: vec!["4601020".into()],
            trl_required: Some(6),
            ..NeedProfile::default()
        };
        let fitting = CandidateProfile {
            discipline_codes: vec!["4601020".into()],
            trl: Some(6),
            ..CandidateProfile::default()
        };
        let off = CandidateProfile {
            discipline_codes: vec!["1101010".into()],
            trl: Some(2),
            ..CandidateProfile::default()
        };
        let profiles = std::collections::HashMap::from([(1, off), (2, fitting)]);
        let ranked = rank_candidates(
            vec![hit(1, 10.0), hit(2, 9.0), hit(3, 8.0)],
            &need,
            |id| profiles.get(&id),
            &Weights::default(),
        );
        assert_eq!(
            ranked.iter().map(|r| r.id).collect::<Vec<_>>(),
            vec![2, 1],
            "discipline and TRL lift the second text hit; 3 has no profile"
        );
        let text = |r: &Ranked| {
            r.explanation
                .factors
                .iter()
                .find(|f| f.name == crate::score::FactorName::Text)
                .map(|f| f.value)
        };
        assert_eq!(text(&ranked[1]), Some(1.0), "the best text hit is the unit");
        assert!((text(&ranked[0]).unwrap() - 0.9).abs() < 1e-9);
    }

    #[test]
    fn a_filtered_hit_is_no_yardstick() {
        let profile = CandidateProfile::default();
        let ranked = rank_candidates(
            vec![hit(1, 20.0), hit(2, 10.0), hit(3, 5.0)],
            &NeedProfile::default(),
            |id| (id != 1).then_some(&profile),
            &Weights::default(),
        );
        let text: Vec<f64> = ranked
            .iter()
            .map(|r| {
                r.explanation
                    .factors
                    .iter()
                    .find(|f| f.name == crate::score::FactorName::Text)
                    .unwrap()
                    .value
            })
            .collect();
        assert_eq!(text, vec![1.0, 0.5], "relative to 2, the best hit kept");
    }
}
