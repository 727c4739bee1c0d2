//! The in-memory text index of needs, capabilities and talents.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{
    DocId, DocSet, Index, IndexReader, IndexWriter, ReloadPolicy, TERMINATED, TantivyDocument, Term,
};

use crate::analyzer::{ANALYZER, analyzer, terms};

/// What a document of the index is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocKind {
    Need,
    Capability,
    Talent,
}

impl DocKind {
    fn tag(self) -> &'static str {
        match self {
            DocKind::Need => "need",
            DocKind::Capability => "capability",
            DocKind::Talent => "talent",
        }
    }
}

/// The searchable text of one object.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexDoc {
    pub kind: DocKind,
    pub id: i64,
    pub title: String,
    /// Description, summary or bio.
    pub body: String,
    pub keywords: Vec<String>,
}

/// One search result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: i64,
    /// BM25 relevance (sum over fields, with field boosts).
    pub score: f32,
    /// Query terms found in the document, in query order.
    pub matched_terms: Vec<String>,
    /// An excerpt of the body (or title) with the matched words in `<b>…</b>`,
    /// HTML-escaped; only from [`SearchIndex::search_with_snippets`].
    pub snippet: Option<String>,
}

/// Errors of the index.
#[derive(Debug, thiserror::Error)]
#[error("search index: {0}")]
pub struct IndexError(#[from] tantivy::TantivyError);

#[derive(Clone, Copy)]
struct Fields {
    key: Field,
    kind: Field,
    id: Field,
    title: Field,
    body: Field,
    keywords: Field,
    all: Field,
}

/// How the fields count in the BM25 sum.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FieldBoosts {
    pub title: f32,
    pub keywords: f32,
    pub body: f32,
    /// The whole text as one field (title, keywords and body together).
    pub all: f32,
}

impl Default for FieldBoosts {
    fn default() -> Self {
        FieldBoosts {
            title: 0.2,
            keywords: 0.0,
            body: 0.0,
            all: 1.0,
        }
    }
}

/// A tantivy index in memory, updated per write and searched with BM25.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    /// Cloned per call: the jieba dictionary is shared, so this is cheap and
    /// concurrent searches never wait on each other.
    analyzer: TextAnalyzer,
    boosts: FieldBoosts,
}

impl SearchIndex {
    /// An empty index in memory.
    pub fn in_memory() -> Result<SearchIndex, IndexError> {
        let mut builder = Schema::builder();
        let text = TextOptions::default().set_stored().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let fields = Fields {
            key: builder.add_text_field("key", STRING),
            kind: builder.add_text_field("kind", STRING),
            id: builder.add_i64_field("id", INDEXED | STORED | FAST),
            title: builder.add_text_field("title", text.clone()),
            body: builder.add_text_field("body", text.clone()),
            keywords: builder.add_text_field("keywords", text.clone()),
            all: builder.add_text_field(
                "all",
                TextOptions::default().set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(ANALYZER)
                        .set_index_option(IndexRecordOption::WithFreqsAndPositions),
                ),
            ),
        };
        let index = Index::create_in_ram(builder.build());
        index.tokenizers().register(ANALYZER, analyzer());
        let writer = index.writer(64 * 1024 * 1024)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
            analyzer: analyzer(),
            boosts: FieldBoosts::default(),
        })
    }

    /// The same index with other field boosts (for tuning).
    pub fn with_boosts(mut self, boosts: FieldBoosts) -> Self {
        self.boosts = boosts;
        self
    }

    fn key(kind: DocKind, id: i64) -> String {
        format!("{}:{id}", kind.tag())
    }

    /// Adds or replaces documents; they are searchable when this returns.
    pub fn upsert(&self, docs: impl IntoIterator<Item = IndexDoc>) -> Result<(), IndexError> {
        let f = self.fields;
        let mut writer = self.writer.lock().expect("index writer lock");
        for d in docs {
            let key = Self::key(d.kind, d.id);
            writer.delete_term(Term::from_field_text(f.key, &key));
            let mut doc = TantivyDocument::default();
            doc.add_text(f.key, &key);
            doc.add_text(f.kind, d.kind.tag());
            doc.add_i64(f.id, d.id);
            doc.add_text(f.title, &d.title);
            doc.add_text(f.body, &d.body);
            let keywords = d.keywords.join(" ; ");
            doc.add_text(f.all, format!("{}\n{}\n{}", d.title, keywords, d.body));
            doc.add_text(f.keywords, keywords);
            writer.add_document(doc)?;
        }
        writer.commit()?;
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    /// Removes a document (withdrawn, archived, deleted).
    pub fn remove(&self, kind: DocKind, id: i64) -> Result<(), IndexError> {
        let mut writer = self.writer.lock().expect("index writer lock");
        writer.delete_term(Term::from_field_text(self.fields.key, &Self::key(kind, id)));
        writer.commit()?;
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    /// Number of documents of `kind`.
    pub fn count(&self, kind: DocKind) -> usize {
        let searcher = self.reader.searcher();
        let query = TermQuery::new(
            Term::from_field_text(self.fields.kind, kind.tag()),
            IndexRecordOption::Basic,
        );
        searcher
            .search(&query, &tantivy::collector::Count)
            .unwrap_or(0)
    }

    /// The analysed, de-duplicated terms of a text, as the index sees them.
    pub fn analyze(&self, text: &str) -> Vec<String> {
        let mut analyzer = self.analyzer.clone();
        let mut seen = HashSet::new();
        terms(&mut analyzer, text)
            .into_iter()
            .filter(|t| seen.insert(t.clone()))
            .collect()
    }

    /// The best `limit` documents of `kind` for a free text, by BM25.
    pub fn search(&self, kind: DocKind, text: &str, limit: usize) -> Result<Vec<Hit>, IndexError> {
        self.run(kind, text, limit, false)
    }

    /// Like [`SearchIndex::search`], with a highlighted excerpt per hit.
    pub fn search_with_snippets(
        &self,
        kind: DocKind,
        text: &str,
        limit: usize,
    ) -> Result<Vec<Hit>, IndexError> {
        self.run(kind, text, limit, true)
    }

    fn run(
        &self,
        kind: DocKind,
        text: &str,
        limit: usize,
        snippets: bool,
    ) -> Result<Vec<Hit>, IndexError> {
        let query_terms = self.analyze(text);
        if query_terms.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let f = self.fields;
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for t in &query_terms {
            let b = self.boosts;
            for (field, boost) in [
                (f.title, b.title),
                (f.keywords, b.keywords),
                (f.body, b.body),
                (f.all, b.all),
            ] {
                if boost <= 0.0 {
                    continue;
                }
                let q = TermQuery::new(
                    Term::from_field_text(field, t),
                    IndexRecordOption::WithFreqs,
                );
                should.push((Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost))));
            }
        }
        // A filter: it must match, but adds nothing to the score.
        let kind_filter: Box<dyn Query> = Box::new(ConstScoreQuery::new(
            Box::new(TermQuery::new(
                Term::from_field_text(f.kind, kind.tag()),
                IndexRecordOption::Basic,
            )),
            0.0,
        ));
        let query = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(BooleanQuery::new(should)) as Box<dyn Query>,
            ),
            (Occur::Must, kind_filter),
        ]);
        let searcher = self.reader.searcher();
        let top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        let generators = if snippets {
            let for_field = |field: Field| -> Result<SnippetGenerator, IndexError> {
                let terms: Vec<(Occur, Box<dyn Query>)> = query_terms
                    .iter()
                    .map(|t| {
                        let q: Box<dyn Query> = Box::new(TermQuery::new(
                            Term::from_field_text(field, t),
                            IndexRecordOption::Basic,
                        ));
                        (Occur::Should, q)
                    })
                    .collect();
                let mut generator =
                    SnippetGenerator::create(&searcher, &BooleanQuery::new(terms), field)?;
                generator.set_max_num_chars(160);
                Ok(generator)
            };
            Some((for_field(f.body)?, for_field(f.title)?))
        } else {
            None
        };
        // Which query terms each hit contains, from the postings of the
        // combined field (no stored text is read or re-analysed).
        let mut matched: HashMap<(u32, DocId), Vec<String>> = HashMap::new();
        let mut by_segment: HashMap<u32, Vec<DocId>> = HashMap::new();
        for (_, address) in &top {
            by_segment
                .entry(address.segment_ord)
                .or_default()
                .push(address.doc_id);
        }
        for (segment_ord, docs) in &mut by_segment {
            docs.sort_unstable();
            let inverted = searcher
                .segment_reader(*segment_ord)
                .inverted_index(f.all)?;
            for t in &query_terms {
                let term = Term::from_field_text(f.all, t);
                let Some(mut postings) = inverted
                    .read_postings(&term, IndexRecordOption::Basic)
                    .map_err(tantivy::TantivyError::from)?
                else {
                    continue;
                };
                for &doc in docs.iter() {
                    let at = if postings.doc() >= doc {
                        postings.doc()
                    } else {
                        postings.seek(doc)
                    };
                    if at == TERMINATED {
                        break;
                    }
                    if at == doc {
                        matched
                            .entry((*segment_ord, doc))
                            .or_default()
                            .push(t.clone());
                    }
                }
            }
        }
        let mut ids = HashMap::new();
        for (segment_ord, _) in &by_segment {
            let column = searcher
                .segment_reader(*segment_ord)
                .fast_fields()
                .i64("id")?;
            ids.insert(*segment_ord, column);
        }
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let id = ids
                .get(&address.segment_ord)
                .and_then(|c| c.first(address.doc_id))
                .unwrap_or_default();
            let matched_terms = matched
                .remove(&(address.segment_ord, address.doc_id))
                .unwrap_or_default();
            let snippet = match &generators {
                Some((body, title)) => {
                    let doc: TantivyDocument = searcher.doc(address)?;
                    let from_body = body.snippet_from_doc(&doc);
                    Some(if from_body.is_empty() {
                        title.snippet_from_doc(&doc).to_html()
                    } else {
                        from_body.to_html()
                    })
                }
                None => None,
            };
            hits.push(Hit {
                id,
                score,
                matched_terms,
                snippet,
            });
        }
        Ok(hits)
    }

    /// Per-kind document counts (for metrics and start-up logs).
    pub fn sizes(&self) -> HashMap<&'static str, usize> {
        [DocKind::Need, DocKind::Capability, DocKind::Talent]
            .into_iter()
            .map(|k| (k.tag(), self.count(k)))
            .collect()
    }

    /// The underlying tantivy index (benchmarks inspect it).
    pub fn tantivy(&self) -> &Index {
        &self.index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(kind: DocKind, id: i64, title: &str, body: &str, keywords: &[&str]) -> IndexDoc {
        IndexDoc {
            kind,
            id,
            title: title.into(),
            body: body.into(),
            keywords: keywords.iter().map(|k| (*k).into()).collect(),
        }
    }

    #[test]
    fn finds_updates_and_forgets_documents() {
        let idx = SearchIndex::in_memory().unwrap();
        idx.upsert([
            doc(
                DocKind::Capability,
                1,
                "轴承故障诊断",
                "基于振动信号的深度学习方法",
                &["fault diagnosis", "故障诊断"],
            ),
            doc(
                DocKind::Capability,
                2,
                "Laser cladding of shafts",
                "Repair of worn shafts",
                &["激光熔覆"],
            ),
            doc(DocKind::Need, 1, "轴承故障预警", "", &[]),
        ])
        .unwrap();
        let hits = idx.search(DocKind::Capability, "电机轴承故障", 10).unwrap();
        assert_eq!(
            hits.iter().map(|h| h.id).collect::<Vec<_>>(),
            vec![1],
            "only capabilities, only relevant ones"
        );
        assert!(hits[0].matched_terms.contains(&"轴承".to_owned()));
        assert_eq!(idx.count(DocKind::Capability), 2);

        // An English need finds the Chinese capability through its bilingual keywords.
        let hits = idx
            .search(DocKind::Capability, "bearing fault diagnosis", 10)
            .unwrap();
        assert_eq!(hits[0].id, 1);

        idx.upsert([doc(DocKind::Capability, 1, "Gear testing", "", &[])])
            .unwrap();
        assert!(
            idx.search(DocKind::Capability, "轴承", 10)
                .unwrap()
                .is_empty(),
            "replaced, not duplicated"
        );
        assert_eq!(idx.count(DocKind::Capability), 2);
        idx.remove(DocKind::Capability, 2).unwrap();
        assert!(
            idx.search(DocKind::Capability, "laser cladding", 10)
                .unwrap()
                .is_empty()
        );
        assert!(
            idx.search(DocKind::Capability, "的 and ,", 10)
                .unwrap()
                .is_empty(),
            "stop words alone match nothing"
        );
    }
}
