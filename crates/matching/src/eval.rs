//! Ranking quality on a BEIR-format data set: `corpus.jsonl`,
//! `queries.jsonl`, `qrels/test.tsv`.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

/// One corpus document.
#[derive(Debug, Clone, Deserialize)]
pub struct CorpusDoc {
    #[serde(rename = "_id")]
    pub id: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub text: String,
}

/// One query.
#[derive(Debug, Clone, Deserialize)]
pub struct QueryDoc {
    #[serde(rename = "_id")]
    pub id: String,
    pub text: String,
}

/// A loaded data set; only queries with judgements are kept.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub corpus: Vec<CorpusDoc>,
    pub queries: Vec<QueryDoc>,
    /// query id → (document id → relevance grade).
    pub qrels: HashMap<String, HashMap<String, u32>>,
}

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("reading {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} line {line}: {message}")]
    Parse {
        path: String,
        line: usize,
        message: String,
    },
}

fn read(path: &Path) -> Result<String, EvalError> {
    std::fs::read_to_string(path).map_err(|source| EvalError::Io {
        path: path.display().to_string(),
        source,
    })
}

fn jsonl<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Vec<T>, EvalError> {
    read(path)?
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| EvalError::Parse {
                path: path.display().to_string(),
                line: i + 1,
                message: e.to_string(),
            })
        })
        .collect()
}

impl Dataset {
    /// Loads `dir/corpus.jsonl`, `dir/queries.jsonl` and `dir/qrels/test.tsv`.
    pub fn load(dir: &Path) -> Result<Dataset, EvalError> {
        let corpus: Vec<CorpusDoc> = jsonl(&dir.join("corpus.jsonl"))?;
        let queries: Vec<QueryDoc> = jsonl(&dir.join("queries.jsonl"))?;
        let qrels_path = dir.join("qrels").join("test.tsv");
        let mut qrels: HashMap<String, HashMap<String, u32>> = HashMap::new();
        for (i, line) in read(&qrels_path)?.lines().enumerate() {
            let cols: Vec<&str> = line.split('\t').collect();
            if i == 0 && cols.first().is_some_and(|c| c.contains("query")) {
                continue;
            }
            let [q, d, s] = cols.as_slice() else {
                if line.trim().is_empty() {
                    continue;
                }
                return Err(EvalError::Parse {
                    path: qrels_path.display().to_string(),
                    line: i + 1,
                    message: "expected query-id, corpus-id, score".into(),
                });
            };
            let grade: u32 = s.trim().parse().map_err(|_| EvalError::Parse {
                path: qrels_path.display().to_string(),
                line: i + 1,
                message: format!("bad score `{s}`"),
            })?;
            qrels
                .entry((*q).to_owned())
                .or_default()
                .insert((*d).to_owned(), grade);
        }
        let queries = queries
            .into_iter()
            .filter(|q| qrels.contains_key(&q.id))
            .collect();
        Ok(Dataset {
            corpus,
            queries,
            qrels,
        })
    }
}

/// Mean metrics over the judged queries.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Metrics {
    pub queries: usize,
    pub ndcg_at_10: f64,
    pub recall_at_100: f64,
    pub mrr_at_10: f64,
}

fn dcg(grades: impl Iterator<Item = u32>) -> f64 {
    grades
        .enumerate()
        .map(|(i, g)| (2f64.powi(g as i32) - 1.0) / ((i + 2) as f64).log2())
        .sum()
}

/// nDCG@10, Recall@100 and MRR@10 of `rankings` (query id → ranked doc ids).
pub fn evaluate(
    qrels: &HashMap<String, HashMap<String, u32>>,
    rankings: &HashMap<String, Vec<String>>,
) -> Metrics {
    let mut m = Metrics::default();
    for (query, judged) in qrels {
        let ranked = rankings.get(query).map(Vec::as_slice).unwrap_or_default();
        let grade = |d: &String| judged.get(d).copied().unwrap_or(0);
        let mut ideal: Vec<u32> = judged.values().copied().filter(|g| *g > 0).collect();
        ideal.sort_unstable_by(|a, b| b.cmp(a));
        let idcg = dcg(ideal.iter().copied().take(10));
        if idcg > 0.0 {
            m.ndcg_at_10 += dcg(ranked.iter().take(10).map(grade)) / idcg;
        }
        let relevant = judged.values().filter(|g| **g > 0).count();
        if relevant > 0 {
            let found = ranked.iter().take(100).filter(|d| grade(d) > 0).count();
            m.recall_at_100 += found as f64 / relevant as f64;
        }
        if let Some(pos) = ranked.iter().take(10).position(|d| grade(d) > 0) {
            m.mrr_at_10 += 1.0 / (pos + 1) as f64;
        }
        m.queries += 1;
    }
    if m.queries > 0 {
        let n = m.queries as f64;
        m.ndcg_at_10 /= n;
        m.recall_at_100 /= n;
        m.mrr_at_10 /= n;
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_on_a_hand_computed_example() {
        let qrels: HashMap<String, HashMap<String, u32>> = [
            (
                "q1".to_owned(),
                [("a".to_owned(), 1), ("b".to_owned(), 1)].into(),
            ),
            ("q2".to_owned(), [("c".to_owned(), 1)].into()),
        ]
        .into();
        let rankings: HashMap<String, Vec<String>> = [
            ("q1".to_owned(), vec!["a".into(), "x".into(), "b".into()]),
            ("q2".to_owned(), vec!["x".into(), "y".into()]),
        ]
        .into();
        let m = evaluate(&qrels, &rankings);
        // q1: DCG = 1 + 1/log2(4) = 1.5; IDCG = 1 + 1/log2(3) = 1.6309; q2: 0.
        let expected_ndcg = (1.5 / (1.0 + 1.0 / 3f64.log2())) / 2.0;
        assert!((m.ndcg_at_10 - expected_ndcg).abs() < 1e-9, "{m:?}");
        assert_eq!(m.recall_at_100, 0.5);
        assert_eq!(m.mrr_at_10, 0.5);
        assert_eq!(m.queries, 2);
    }
}
