//! Text-only BM25 of the index on a BEIR folder, for tuning field boosts:
//! `cargo run --release -p iurhub-matching --example beir_bm25 -- DIR title keywords body all [max_query_terms]`.

use std::collections::HashMap;

use iurhub_matching::eval::{Dataset, evaluate};
use iurhub_matching::{DocKind, FieldBoosts, IndexDoc, Reach, SearchIndex};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::PathBuf::from(&args[1]);
    let b = |i: usize, d: f32| args.get(i).map_or(d, |v| v.parse().unwrap());
    let boosts = FieldBoosts {
        title: b(2, 0.0),
        keywords: b(3, 0.0),
        body: b(4, 0.0),
        all: b(5, 1.0),
    };
    let data = Dataset::load(&dir).unwrap();
    let index = SearchIndex::in_memory()
        .unwrap()
        .with_boosts(boosts)
        .with_max_query_terms(
            args.get(6)
                .map_or(iurhub_matching::index::DEFAULT_MAX_QUERY_TERMS, |v| {
                    v.parse().unwrap()
                }),
        );
    index
        .upsert(data.corpus.iter().enumerate().map(|(i, d)| IndexDoc {
            kind: DocKind::Capability,
            id: i as i64,
            title: d.title.clone(),
            body: d.text.clone(),
            keywords: Vec::new(),
            shared: true,
            organization_id: 1,
        }))
        .unwrap();
    let mut rankings = HashMap::new();
    for q in &data.queries {
        let hits = index
            .search(DocKind::Capability, &q.text, 100, Reach::Shared)
            .unwrap();
        rankings.insert(
            q.id.clone(),
            hits.iter()
                .map(|h| data.corpus[h.id as usize].id.clone())
                .collect(),
        );
    }
    let m = evaluate(&data.qrels, &rankings);
    println!(
        "{boosts:?} nDCG@10 {:.4} Recall@100 {:.4} MRR@10 {:.4}",
        m.ndcg_at_10, m.recall_at_100, m.mrr_at_10
    );
}
