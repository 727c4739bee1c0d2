//! The in-memory text index of needs, capabilities and talents.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
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
    id: Field,
    /// [`LIVE`] in every document.
    live: Field,
    title: Field,
    body: Field,
    keywords: Field,
    all: Field,
    /// The title and body as written, for snippets.
    title_text: Field,
    body_text: Field,
}

/// The term of the `live` field.
const LIVE: &str = "1";

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

/// The documents of one kind: a tantivy index of their own, so term
/// statistics are those of the kind searched, and a query is a plain union
/// of term scorers that tantivy prunes with block-max WAND.
struct Shard {
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
}

/// Tantivy indexes in memory (one per kind), updated per write and searched
/// with BM25.
pub struct SearchIndex {
    needs: Shard,
    capabilities: Shard,
    talents: Shard,
    fields: Fields,
    /// Cloned per call: the jieba dictionary is shared, so this is cheap and
    /// concurrent searches never wait on each other.
    analyzer: TextAnalyzer,
    boosts: FieldBoosts,
    max_query_terms: usize,
    /// Counts the changes made searchable (see [`SearchIndex::generation`]).
    generation: AtomicU64,
}

/// How many distinct terms of a query are scored at most (the rarest).
pub const DEFAULT_MAX_QUERY_TERMS: usize = 32;

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(ANALYZER)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let indexed = TextOptions::default().set_indexing_options(indexing);
    let fields = Fields {
        id: builder.add_i64_field("id", INDEXED | FAST),
        live: builder.add_text_field("live", STRING),
        title: builder.add_text_field("title", indexed.clone()),
        body: builder.add_text_field("body", indexed.clone()),
        keywords: builder.add_text_field("keywords", indexed.clone()),
        all: builder.add_text_field("all", indexed),
        title_text: builder.add_text_field("title_text", STORED),
        body_text: builder.add_text_field("body_text", STORED),
    };
    (builder.build(), fields)
}

impl Shard {
    fn in_memory(schema: Schema) -> Result<Shard, IndexError> {
        let index = Index::create_in_ram(schema);
        index.tokenizers().register(ANALYZER, analyzer());
        let writer = index.writer(64 * 1024 * 1024)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Shard {
            reader,
            writer: Mutex::new(writer),
        })
    }

    /// Applies `change` to the writer, commits, and makes it searchable.
    fn write(
        &self,
        change: impl FnOnce(&mut IndexWriter) -> Result<(), IndexError>,
    ) -> Result<(), IndexError> {
        let mut writer = self.writer.lock().expect("index writer lock");
        change(&mut writer)?;
        writer.commit()?;
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }
}

impl SearchIndex {
    /// An empty index in memory.
    pub fn in_memory() -> Result<SearchIndex, IndexError> {
        let (schema, fields) = schema();
        Ok(SearchIndex {
            needs: Shard::in_memory(schema.clone())?,
            capabilities: Shard::in_memory(schema.clone())?,
            talents: Shard::in_memory(schema)?,
            fields,
            analyzer: analyzer(),
            boosts: FieldBoosts::default(),
            max_query_terms: DEFAULT_MAX_QUERY_TERMS,
            generation: AtomicU64::new(0),
        })
    }

    /// The same index with other field boosts (for tuning). Set them before
    /// adding documents: a field whose boost is zero is not indexed.
    pub fn with_boosts(mut self, boosts: FieldBoosts) -> Self {
        self.boosts = boosts;
        self
    }

    /// The same index scoring at most `n` terms per query (for tuning;
    /// `usize::MAX` scores every term).
    pub fn with_max_query_terms(mut self, n: usize) -> Self {
        self.max_query_terms = n;
        self
    }

    /// A number that grows with every change made searchable. It grows after
    /// the readers reload, so a result computed after reading generation `g`
    /// reflects at least every change up to `g`: caches of results key on it.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    fn changed(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    fn shard(&self, kind: DocKind) -> &Shard {
        match kind {
            DocKind::Need => &self.needs,
            DocKind::Capability => &self.capabilities,
            DocKind::Talent => &self.talents,
        }
    }

    /// Adds or replaces documents; they are searchable when this returns.
    ///
    /// Analysing text is most of the cost of indexing (jieba and the
    /// stemmer), so a field whose boost is zero is not indexed at all: with
    /// the default boosts the body and keywords are analysed once, in `all`.
    pub fn upsert(&self, docs: impl IntoIterator<Item = IndexDoc>) -> Result<(), IndexError> {
        let f = self.fields;
        let b = self.boosts;
        let mut by_kind: HashMap<DocKind, Vec<IndexDoc>> = HashMap::new();
        for d in docs {
            by_kind.entry(d.kind).or_default().push(d);
        }
        for (kind, docs) in by_kind {
            let shard = self.shard(kind);
            shard.write(|writer| {
                // Nothing to replace in an empty shard, as at the rebuild on
                // start (the writer lock is held and every commit reloads the
                // reader, so the count is current).
                let replace = shard.reader.searcher().num_docs() > 0;
                for d in docs {
                    if replace {
                        writer.delete_term(Term::from_field_i64(f.id, d.id));
                    }
                    let keywords = d.keywords.join(" ; ");
                    let mut doc = TantivyDocument::default();
                    doc.add_i64(f.id, d.id);
                    doc.add_text(f.live, LIVE);
                    doc.add_text(f.all, format!("{}\n{}\n{}", d.title, keywords, d.body));
                    if b.title > 0.0 {
                        doc.add_text(f.title, &d.title);
                    }
                    if b.keywords > 0.0 {
                        doc.add_text(f.keywords, &keywords);
                    }
                    if b.body > 0.0 {
                        doc.add_text(f.body, &d.body);
                    }
                    doc.add_text(f.title_text, d.title);
                    doc.add_text(f.body_text, d.body);
                    writer.add_document(doc)?;
                }
                Ok(())
            })?;
            self.changed();
        }
        Ok(())
    }

    /// Removes a document (withdrawn, archived, deleted).
    pub fn remove(&self, kind: DocKind, id: i64) -> Result<(), IndexError> {
        let id_field = self.fields.id;
        self.shard(kind).write(|writer| {
            writer.delete_term(Term::from_field_i64(id_field, id));
            Ok(())
        })?;
        self.changed();
        Ok(())
    }

    /// Merges each kind's segments into one (after a bulk load such as the
    /// rebuild at start: one segment answers queries fastest). Writes made
    /// meanwhile wait.
    pub fn optimize(&self) -> Result<(), IndexError> {
        for shard in [&self.needs, &self.capabilities, &self.talents] {
            let mut writer = shard.writer.lock().expect("index writer lock");
            let segments = writer.index().searchable_segment_ids()?;
            if segments.len() > 1 {
                writer.merge(&segments).wait()?;
            }
            drop(writer);
            shard.reader.reload()?;
        }
        Ok(())
    }

    /// Number of index segments of `kind` (for benchmarks and logs).
    pub fn segments(&self, kind: DocKind) -> usize {
        self.shard(kind).reader.searcher().segment_readers().len()
    }

    /// Number of documents of `kind`.
    pub fn count(&self, kind: DocKind) -> usize {
        self.shard(kind).reader.searcher().num_docs() as usize
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

    /// The query terms worth scoring: those the kind's documents contain
    /// and, for a long text, only the `max_query_terms` rarest. A need's
    /// full description can bring a hundred terms; the most common of them
    /// barely move BM25 yet dominate its cost. Short queries are untouched.
    fn selective_terms(
        &self,
        searcher: &tantivy::Searcher,
        terms: Vec<String>,
    ) -> Result<Vec<String>, IndexError> {
        let mut with_df = Vec::with_capacity(terms.len());
        for (position, t) in terms.into_iter().enumerate() {
            let df = searcher.doc_freq(&Term::from_field_text(self.fields.all, &t))?;
            if df > 0 {
                with_df.push((position, t, df));
            }
        }
        if with_df.len() > self.max_query_terms {
            with_df.sort_by_key(|(position, _, df)| (*df, *position));
            with_df.truncate(self.max_query_terms);
            with_df.sort_by_key(|(position, _, _)| *position);
        }
        Ok(with_df.into_iter().map(|(_, t, _)| t).collect())
    }

    fn run(
        &self,
        kind: DocKind,
        text: &str,
        limit: usize,
        snippets: bool,
    ) -> Result<Vec<Hit>, IndexError> {
        let f = self.fields;
        let searcher = self.shard(kind).reader.searcher();
        let query_terms = self.selective_terms(&searcher, self.analyze(text))?;
        if query_terms.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
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
        // Every document has the `live` term. Requiring it turns the query
        // into an intersection that tantivy scores with a buffered union of
        // the term postings; a bare union would take block-max WAND, which
        // re-sorts its scorers at every pivot and is several times slower with
        // the 50–200 terms of a need's full text (see docs/PERFORMANCE.md).
        let live: Box<dyn Query> = Box::new(ConstScoreQuery::new(
            Box::new(TermQuery::new(
                Term::from_field_text(f.live, LIVE),
                IndexRecordOption::Basic,
            )),
            0.0,
        ));
        let query = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(BooleanQuery::new(should)) as Box<dyn Query>,
            ),
            (Occur::Must, live),
        ]);
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
            // Fragments are scored by the rarity of their terms in `all`, the
            // one field every document has indexed.
            Some(for_field(f.all)?)
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
        for segment_ord in by_segment.keys() {
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
                Some(generator) => {
                    let doc: TantivyDocument = searcher.doc(address)?;
                    let text = |field: Field| {
                        doc.get_first(field)
                            .and_then(|v| v.as_str())
                            .unwrap_or_default()
                    };
                    let from_body = generator.snippet(text(f.body_text));
                    Some(if from_body.is_empty() {
                        generator.snippet(text(f.title_text)).to_html()
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
