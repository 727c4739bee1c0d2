//! The text index of needs, capabilities and talents: in memory, or in a
//! directory it is reopened from ([`SearchIndex::open_in_dir`]).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, RwLock};

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    Bm25StatisticsProvider, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, TermQuery,
};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing,
    TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{
    DocAddress, DocId, DocSet, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TERMINATED,
    TantivyDocument, Term,
};

use crate::analyzer::{ANALYZER, analyzer, terms};
use crate::disk::{LazySync, sync_tree};

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
    /// Whether every signed-in user may see the object (a published
    /// capability, a released public or platform need, a talent). Only such
    /// documents count in the term statistics that score every document, so
    /// documents a reader cannot see move no score that reader sees.
    pub shared: bool,
    /// The owning organisation: a search returns a restricted document only
    /// to a caller who reaches it (see [`Reach`]).
    pub organization_id: i64,
}

/// Which documents a search may return: every shared document, and the
/// restricted ones the caller may see. Restricted documents outside the
/// caller's reach are not retrieved at all, so they take no place among the
/// best hits (a window of hits filled by hidden documents would tell that
/// they exist).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach<'a> {
    /// Shared documents only.
    Shared,
    /// Shared documents and the restricted ones of these organisations.
    Organizations(&'a [i64]),
    /// Every document (platform coordinators and admins).
    Everything,
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
    /// The owning organisation's id.
    organization: Field,
    /// [`LIVE`] in every document.
    live: Field,
    title: Field,
    body: Field,
    keywords: Field,
    all: Field,
    /// The title, keywords and body as written, for snippets.
    title_text: Field,
    keywords_text: Field,
    body_text: Field,
    /// The analysed keywords ([`SearchIndex::keyword_terms`]), one value
    /// per term: what the keywords factor compares, kept with the document
    /// so an index reopened from disk need not analyse them again.
    keyword_terms: Field,
}

/// The version of what the index stores and how it analyses text. An index
/// kept on disk by another version is not reopened but rebuilt: bump it with
/// every change of the schema, the analyzer, its dictionary or stop words,
/// or of what [`SearchIndex::upsert`] indexes.
pub const FORMAT: u32 = 1;

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

/// The two halves of one kind's documents. Every document is scored with
/// the term statistics of the shared partition alone: what a reader can
/// learn from a score is then a function of documents every signed-in user
/// may see, and adding, editing or removing a restricted document (a draft,
/// a confidential need) changes no score anyone can observe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Partition {
    /// Documents every signed-in user may see.
    Shared,
    /// Every other document: searchable, counted in no statistics.
    Restricted,
}

impl Partition {
    fn of(doc: &IndexDoc) -> Partition {
        if doc.shared {
            Partition::Shared
        } else {
            Partition::Restricted
        }
    }

    fn other(self) -> Partition {
        match self {
            Partition::Shared => Partition::Restricted,
            Partition::Restricted => Partition::Shared,
        }
    }
}

/// A pair of values, one per partition.
#[derive(Clone, Default)]
struct Pair<T> {
    shared: T,
    restricted: T,
}

impl<T> Pair<T> {
    fn get(&self, part: Partition) -> &T {
        match part {
            Partition::Shared => &self.shared,
            Partition::Restricted => &self.restricted,
        }
    }

    fn get_mut(&mut self, part: Partition) -> &mut T {
        match part {
            Partition::Shared => &mut self.shared,
            Partition::Restricted => &mut self.restricted,
        }
    }
}

const PARTITIONS: [Partition; 2] = [Partition::Shared, Partition::Restricted];

/// The documents of one kind: tantivy indexes of their own (one per
/// [`Partition`], a document is in exactly one), so term statistics are
/// those of the kind searched, and a query is a plain union of term scorers
/// that tantivy prunes with block-max WAND.
struct Shard {
    readers: Pair<IndexReader>,
    writing: Mutex<Writing>,
    /// One commit at a time: a write waits here for the commit that takes
    /// its change in (see [`Shard::write`]).
    committing: Mutex<()>,
    /// Searchers of both partitions taken together after every commit
    /// (under the writers' lock): a search never sees a document that moves
    /// between partitions twice, or not at all.
    searchers: RwLock<Pair<Searcher>>,
    /// The directory of an index kept on disk.
    dir: Option<PathBuf>,
}

/// The writers of a shard and the changes applied to them since their last
/// commit.
struct Writing {
    writers: Pair<IndexWriter>,
    /// Ids of the documents added since the last commit, per partition
    /// (the searchers do not know them yet).
    pending: Pair<HashSet<i64>>,
    /// Partitions changed since the last commit.
    dirty: Pair<bool>,
    /// Changes applied so far, and how many of them the last commit took in.
    applied: u64,
    committed: u64,
}

/// What a change sees and does: the writers, and whether a partition holds
/// a document, committed or added since the last commit.
struct Staged<'a> {
    writing: &'a mut Writing,
    current: &'a Pair<Searcher>,
    id_field: Field,
}

impl Staged<'_> {
    fn writer(&mut self, part: Partition) -> &mut IndexWriter {
        *self.writing.dirty.get_mut(part) = true;
        self.writing.writers.get_mut(part)
    }

    /// Whether `part` holds document `id`.
    fn holds(&self, part: Partition, id: i64) -> Result<bool, IndexError> {
        Ok(self.writing.pending.get(part).contains(&id)
            || contains(self.current.get(part), self.id_field, id)?)
    }

    /// Whether `part` holds any document.
    fn any(&self, part: Partition) -> bool {
        !self.writing.pending.get(part).is_empty() || self.current.get(part).num_docs() > 0
    }

    /// Adds `doc`, document `id`, to `part`.
    fn add(&mut self, part: Partition, id: i64, doc: TantivyDocument) -> Result<(), IndexError> {
        self.writer(part).add_document(doc)?;
        self.writing.pending.get_mut(part).insert(id);
        Ok(())
    }

    /// Deletes document `id` from `part`.
    fn delete(&mut self, part: Partition, id: i64) {
        let term = Term::from_field_i64(self.id_field, id);
        self.writer(part).delete_term(term);
    }
}

/// Tantivy indexes in memory (two per kind), updated per write and searched
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
        organization: builder.add_i64_field("organization", INDEXED),
        live: builder.add_text_field("live", STRING),
        title: builder.add_text_field("title", indexed.clone()),
        body: builder.add_text_field("body", indexed.clone()),
        keywords: builder.add_text_field("keywords", indexed.clone()),
        all: builder.add_text_field("all", indexed),
        title_text: builder.add_text_field("title_text", STORED),
        keywords_text: builder.add_text_field("keywords_text", STORED),
        body_text: builder.add_text_field("body_text", STORED),
        keyword_terms: builder.add_text_field("keyword_terms", STORED),
    };
    (builder.build(), fields)
}

/// The BM25 statistics every document of a kind is scored with: those of
/// its shared partition. With no shared document yet, scores still come out
/// finite: one document of one token per field stands in for the partition.
struct SharedStatistics<'a> {
    searcher: &'a Searcher,
    docs: u64,
}

impl<'a> SharedStatistics<'a> {
    fn new(searcher: &'a Searcher) -> Result<SharedStatistics<'a>, IndexError> {
        let docs = Bm25StatisticsProvider::total_num_docs(searcher)?;
        Ok(SharedStatistics { searcher, docs })
    }
}

impl Bm25StatisticsProvider for SharedStatistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        if self.docs == 0 {
            return Ok(1);
        }
        Ok(Bm25StatisticsProvider::total_num_tokens(self.searcher, field)?.max(1))
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.docs.max(1))
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        self.searcher.doc_freq(term)
    }
}

fn in_memory_part(schema: Schema) -> Result<(IndexReader, IndexWriter), IndexError> {
    part(Index::create_in_ram(schema))
}

/// One partition kept in `path` (created, or opened as it was last
/// committed).
fn disk_part(schema: Schema, path: &Path) -> Result<(IndexReader, IndexWriter), IndexError> {
    std::fs::create_dir_all(path).map_err(tantivy::TantivyError::from)?;
    let directory = LazySync::open(path).map_err(tantivy::TantivyError::from)?;
    part(Index::open_or_create(directory, schema)?)
}

fn part(index: Index) -> Result<(IndexReader, IndexWriter), IndexError> {
    index.tokenizers().register(ANALYZER, analyzer());
    let writer = index.writer(64 * 1024 * 1024)?;
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    Ok((reader, writer))
}

impl Shard {
    fn in_memory(schema: Schema) -> Result<Shard, IndexError> {
        Shard::of(
            in_memory_part(schema.clone())?,
            in_memory_part(schema)?,
            None,
        )
    }

    fn in_dir(schema: Schema, path: &Path) -> Result<Shard, IndexError> {
        Shard::of(
            disk_part(schema.clone(), &path.join("shared"))?,
            disk_part(schema, &path.join("restricted"))?,
            Some(path.to_owned()),
        )
    }

    fn of(
        (shared_reader, shared_writer): (IndexReader, IndexWriter),
        (restricted_reader, restricted_writer): (IndexReader, IndexWriter),
        dir: Option<PathBuf>,
    ) -> Result<Shard, IndexError> {
        let searchers = Pair {
            shared: shared_reader.searcher(),
            restricted: restricted_reader.searcher(),
        };
        Ok(Shard {
            readers: Pair {
                shared: shared_reader,
                restricted: restricted_reader,
            },
            writing: Mutex::new(Writing {
                writers: Pair {
                    shared: shared_writer,
                    restricted: restricted_writer,
                },
                pending: Pair::default(),
                dirty: Pair::default(),
                applied: 0,
                committed: 0,
            }),
            committing: Mutex::new(()),
            searchers: RwLock::new(searchers),
            dir,
        })
    }

    fn writing(&self) -> std::sync::MutexGuard<'_, Writing> {
        self.writing.lock().expect("index writer lock")
    }

    /// Forces what was committed to stable storage, with no commit in
    /// between (under the writers' lock).
    fn sync(&self) -> Result<(), IndexError> {
        let Some(dir) = &self.dir else {
            return Ok(());
        };
        let writing = self.writing();
        sync_tree(dir).map_err(tantivy::TantivyError::from)?;
        drop(writing);
        Ok(())
    }

    /// The searchers of both partitions, from one moment.
    fn searchers(&self) -> Pair<Searcher> {
        self.searchers.read().expect("index searchers lock").clone()
    }

    /// Applies `change` to the writers, then returns once a commit took it
    /// in and made it searchable (with both partitions together).
    ///
    /// Commits are grouped: a commit (new segment files, a reload) costs
    /// far more than applying a change, so changes applied while another
    /// commit runs wait for the next one, which takes them all in at once
    /// and releases every waiting write. One write alone is committed at
    /// once, as before.
    fn write(
        &self,
        id_field: Field,
        change: impl FnOnce(&mut Staged<'_>) -> Result<(), IndexError>,
    ) -> Result<(), IndexError> {
        let mine = {
            let mut writing = self.writing();
            let current = self.searchers();
            change(&mut Staged {
                writing: &mut writing,
                current: &current,
                id_field,
            })?;
            writing.applied += 1;
            writing.applied
        };
        let _turn = self.committing.lock().expect("index commit lock");
        let mut writing = self.writing();
        if writing.committed >= mine {
            // A commit since took this change in.
            return Ok(());
        }
        let dirty = writing.dirty.clone();
        for part in PARTITIONS {
            if *dirty.get(part) {
                writing.writers.get_mut(part).commit()?;
            }
        }
        self.reload(dirty)?;
        writing.dirty = Pair::default();
        writing.pending = Pair::default();
        writing.committed = writing.applied;
        Ok(())
    }

    /// Reloads the readers of the partitions given and takes the searchers
    /// of both anew (called with the writers' lock held). A partition not
    /// written is not reloaded: its statistics stay as they were.
    fn reload(&self, parts: Pair<bool>) -> Result<(), IndexError> {
        for part in PARTITIONS {
            if *parts.get(part) {
                self.readers.get(part).reload()?;
            }
        }
        *self.searchers.write().expect("index searchers lock") = Pair {
            shared: self.readers.shared.searcher(),
            restricted: self.readers.restricted.searcher(),
        };
        Ok(())
    }

    /// Merges each partition's segments into one.
    fn optimize(&self) -> Result<(), IndexError> {
        let _turn = self.committing.lock().expect("index commit lock");
        let mut writing = self.writing();
        for part in PARTITIONS {
            let writer = writing.writers.get_mut(part);
            let segments = writer.index().searchable_segment_ids()?;
            if segments.len() > 1 {
                writer.merge(&segments).wait()?;
            }
        }
        self.reload(Pair {
            shared: true,
            restricted: true,
        })?;
        drop(writing);
        Ok(())
    }
}

/// The longest excerpt of a snippet, in characters.
const SNIPPET_CHARS: usize = 160;

/// The excerpt of a hit: from the body where it has a matched word, else
/// from the keywords, else from the title; when none has one (a match found
/// through a word whose highlighting tantivy cannot place), the beginning of
/// the body, keywords or title, HTML-escaped.
fn excerpt(generator: &SnippetGenerator, title: &str, keywords: &str, body: &str) -> String {
    for text in [body, keywords, title] {
        let snippet = generator.snippet(text);
        if !snippet.is_empty() {
            return snippet.to_html();
        }
    }
    let text = [body, keywords, title]
        .into_iter()
        .find(|t| !t.trim().is_empty())
        .unwrap_or_default()
        .trim();
    let cut: String = text.chars().take(SNIPPET_CHARS).collect();
    html_escape(&cut)
}

fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            _ => out.push(c),
        }
    }
    out
}

/// Whether a live (not deleted) document of `searcher` has the id `id`.
fn contains(searcher: &Searcher, id_field: Field, id: i64) -> Result<bool, IndexError> {
    if searcher.num_docs() == 0 {
        return Ok(false);
    }
    let query = TermQuery::new(Term::from_field_i64(id_field, id), IndexRecordOption::Basic);
    Ok(searcher.search(&query, &Count)? > 0)
}

impl SearchIndex {
    /// An empty index in memory.
    pub fn in_memory() -> Result<SearchIndex, IndexError> {
        let (schema, fields) = schema();
        SearchIndex::of(
            Shard::in_memory(schema.clone())?,
            Shard::in_memory(schema.clone())?,
            Shard::in_memory(schema)?,
            fields,
        )
    }

    /// The index kept in the directory `path`: as it was last committed
    /// there, or empty when the directory holds none. Every change is
    /// written to the directory before [`SearchIndex::upsert`] returns (a
    /// crashed process loses none), and forced to stable storage by
    /// [`SearchIndex::sync`] (a crashed machine may lose what came after
    /// the last one). Whether what is there is current is for the caller to
    /// decide ([`FORMAT`]); a directory of an index of another schema is an
    /// error.
    pub fn open_in_dir(path: &Path) -> Result<SearchIndex, IndexError> {
        let (schema, fields) = schema();
        SearchIndex::of(
            Shard::in_dir(schema.clone(), &path.join(DocKind::Need.tag()))?,
            Shard::in_dir(schema.clone(), &path.join(DocKind::Capability.tag()))?,
            Shard::in_dir(schema, &path.join(DocKind::Talent.tag()))?,
            fields,
        )
    }

    /// Forces every change written so far to stable storage (nothing for
    /// an index in memory). Writes wait meanwhile, one kind at a time.
    pub fn sync(&self) -> Result<(), IndexError> {
        self.needs.sync()?;
        self.capabilities.sync()?;
        self.talents.sync()
    }

    fn of(
        needs: Shard,
        capabilities: Shard,
        talents: Shard,
        fields: Fields,
    ) -> Result<SearchIndex, IndexError> {
        Ok(SearchIndex {
            needs,
            capabilities,
            talents,
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

    /// Adds or replaces documents; they are searchable when this returns. A
    /// document that changed partition (published, withdrawn, made
    /// confidential) leaves the other one in the same step.
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
        for (kind, mut docs) in by_kind {
            // The last version of a document given twice wins, as it would
            // in one tantivy index (it must not end up in both partitions).
            let mut last: HashMap<i64, usize> = HashMap::new();
            for (i, d) in docs.iter().enumerate() {
                last.insert(d.id, i);
            }
            if last.len() < docs.len() {
                let mut i = 0;
                docs.retain(|d| {
                    i += 1;
                    last[&d.id] == i - 1
                });
            }
            self.shard(kind).write(f.id, |staged| {
                // Nothing to replace in an empty partition, as at the rebuild
                // on start.
                let replace = Pair {
                    shared: staged.any(Partition::Shared),
                    restricted: staged.any(Partition::Restricted),
                };
                for d in docs {
                    let part = Partition::of(&d);
                    let other = part.other();
                    // The other partition is written only when the document
                    // leaves it: writes of restricted documents never touch
                    // the shared index.
                    if staged.holds(other, d.id)? {
                        staged.delete(other, d.id);
                    }
                    if *replace.get(part) {
                        staged.delete(part, d.id);
                    }
                    let keywords = d.keywords.join(" ; ");
                    let mut doc = TantivyDocument::default();
                    doc.add_i64(f.id, d.id);
                    doc.add_i64(f.organization, d.organization_id);
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
                    doc.add_text(f.keywords_text, keywords);
                    doc.add_text(f.body_text, d.body);
                    for term in self.keyword_terms(&d.keywords) {
                        doc.add_text(f.keyword_terms, term);
                    }
                    staged.add(part, d.id, doc)?;
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
        self.shard(kind).write(id_field, |staged| {
            for part in PARTITIONS {
                if staged.holds(part, id)? {
                    staged.delete(part, id);
                }
            }
            Ok(())
        })?;
        self.changed();
        Ok(())
    }

    /// Merges each partition's segments into one (after a bulk load such as
    /// the rebuild at start: one segment answers queries fastest). Writes
    /// made meanwhile wait.
    pub fn optimize(&self) -> Result<(), IndexError> {
        for shard in [&self.needs, &self.capabilities, &self.talents] {
            shard.optimize()?;
        }
        Ok(())
    }

    /// Number of index segments of `kind`, both partitions (for benchmarks
    /// and logs).
    pub fn segments(&self, kind: DocKind) -> usize {
        let s = self.shard(kind).searchers();
        s.shared.segment_readers().len() + s.restricted.segment_readers().len()
    }

    /// Number of documents of `kind`.
    pub fn count(&self, kind: DocKind) -> usize {
        let s = self.shard(kind).searchers();
        (s.shared.num_docs() + s.restricted.num_docs()) as usize
    }

    /// The analysed terms of keywords, as the keywords factor compares
    /// them (and as [`SearchIndex::upsert`] keeps them).
    pub fn keyword_terms(&self, keywords: &[String]) -> Vec<String> {
        self.analyze(&keywords.join(" "))
    }

    /// The kept keyword terms of every document of `kind`, by id: read from
    /// the index, not analysed again.
    pub fn all_keyword_terms(
        &self,
        kind: DocKind,
    ) -> Result<HashMap<i64, Vec<String>>, IndexError> {
        let f = self.fields;
        let searchers = self.shard(kind).searchers();
        let mut out = HashMap::new();
        for searcher in [&searchers.shared, &searchers.restricted] {
            for segment in searcher.segment_readers() {
                let ids = segment.fast_fields().i64("id")?;
                let store = segment
                    .get_store_reader(1)
                    .map_err(tantivy::TantivyError::from)?;
                for doc_id in 0..segment.max_doc() {
                    if segment.is_deleted(doc_id) {
                        continue;
                    }
                    let Some(id) = ids.first(doc_id) else {
                        continue;
                    };
                    let doc: TantivyDocument = store.get(doc_id)?;
                    let terms = doc
                        .get_all(f.keyword_terms)
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect();
                    out.insert(id, terms);
                }
            }
        }
        Ok(out)
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

    /// The best `limit` documents of `kind` within `reach` for a free text,
    /// by BM25.
    pub fn search(
        &self,
        kind: DocKind,
        text: &str,
        limit: usize,
        reach: Reach<'_>,
    ) -> Result<Vec<Hit>, IndexError> {
        self.run(kind, text, limit, reach, false)
    }

    /// Like [`SearchIndex::search`], with a highlighted excerpt per hit.
    pub fn search_with_snippets(
        &self,
        kind: DocKind,
        text: &str,
        limit: usize,
        reach: Reach<'_>,
    ) -> Result<Vec<Hit>, IndexError> {
        self.run(kind, text, limit, reach, true)
    }

    /// The query terms worth scoring, chosen by the shared partition alone:
    /// for a long text only the `max_query_terms` rarest of the terms shared
    /// documents contain, then terms no shared document contains (they can
    /// match restricted documents only) while room is left. A need's full
    /// description can bring a hundred terms; the most common of them barely
    /// move BM25 yet dominate its cost. Short queries are untouched.
    fn selective_terms(
        &self,
        shared: &Searcher,
        terms: Vec<String>,
    ) -> Result<Vec<String>, IndexError> {
        let mut with_df = Vec::with_capacity(terms.len());
        for (position, t) in terms.into_iter().enumerate() {
            let df = shared.doc_freq(&Term::from_field_text(self.fields.all, &t))?;
            with_df.push((position, t, df));
        }
        if with_df.len() > self.max_query_terms {
            with_df.sort_by_key(|(position, _, df)| (*df == 0, *df, *position));
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
        reach: Reach<'_>,
        snippets: bool,
    ) -> Result<Vec<Hit>, IndexError> {
        let f = self.fields;
        let searchers = self.shard(kind).searchers();
        let query_terms = self.selective_terms(&searchers.shared, self.analyze(text))?;
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
        // The restricted documents within reach: a filter that adds nothing
        // to the score.
        let restricted_query: Option<Box<dyn Query>> = match reach {
            Reach::Shared | Reach::Organizations(&[]) => None,
            Reach::Everything => Some(Box::new(query.clone())),
            Reach::Organizations(organizations) => {
                let of: Vec<(Occur, Box<dyn Query>)> = organizations
                    .iter()
                    .map(|o| {
                        let q: Box<dyn Query> = Box::new(TermQuery::new(
                            Term::from_field_i64(f.organization, *o),
                            IndexRecordOption::Basic,
                        ));
                        (Occur::Should, q)
                    })
                    .collect();
                let filter: Box<dyn Query> =
                    Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(of)), 0.0));
                Some(Box::new(BooleanQuery::new(vec![
                    (Occur::Must, Box::new(query.clone()) as Box<dyn Query>),
                    (Occur::Must, filter),
                ])))
            }
        };
        // Both partitions, scored with the shared statistics, best first.
        let statistics = SharedStatistics::new(&searchers.shared)?;
        let collector = TopDocs::with_limit(limit).order_by_score();
        let mut top: Vec<(f32, Partition, DocAddress)> = Vec::new();
        for (part, query) in [
            (Partition::Shared, Some(&query as &dyn Query)),
            (Partition::Restricted, restricted_query.as_deref()),
        ] {
            let searcher = searchers.get(part);
            let Some(query) = query else { continue };
            if searcher.num_docs() == 0 {
                continue;
            }
            top.extend(
                searcher
                    .search_with_statistics_provider(query, &collector, &statistics)?
                    .into_iter()
                    .map(|(score, address)| (score, part, address)),
            );
        }
        top.sort_by(|a, b| b.0.total_cmp(&a.0));
        top.truncate(limit);
        // Fragments are scored by the rarity of their terms in `all` among
        // the shared documents, the one field every document has indexed.
        let generator = if snippets {
            Some(self.snippet_generator(&searchers.shared, &query_terms)?)
        } else {
            None
        };
        let mut details = HashMap::new();
        for part in PARTITIONS {
            let addresses: Vec<DocAddress> = top
                .iter()
                .filter(|(_, p, _)| *p == part)
                .map(|(_, _, address)| *address)
                .collect();
            if !addresses.is_empty() {
                let found = self.details(searchers.get(part), &addresses, &query_terms)?;
                details.extend(found.into_iter().map(|(address, d)| ((part, address), d)));
            }
        }
        let mut hits = Vec::with_capacity(top.len());
        for (score, part, address) in top {
            let (id, matched_terms) = details.remove(&(part, address)).unwrap_or_default();
            let snippet = match &generator {
                Some(generator) => {
                    let doc: TantivyDocument = searchers.get(part).doc(address)?;
                    let text = |field: Field| {
                        doc.get_first(field)
                            .and_then(|v| v.as_str())
                            .unwrap_or_default()
                    };
                    Some(excerpt(
                        generator,
                        text(f.title_text),
                        text(f.keywords_text),
                        text(f.body_text),
                    ))
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

    /// Fragments are scored by the rarity of their terms in `all` among the
    /// shared documents, the one field every document has indexed.
    fn snippet_generator(
        &self,
        shared: &Searcher,
        query_terms: &[String],
    ) -> Result<SnippetGenerator, IndexError> {
        let mut weights = BTreeMap::new();
        for t in query_terms {
            let df = shared.doc_freq(&Term::from_field_text(self.fields.all, t))?;
            weights.insert(t.to_string(), 1.0 / (1.0 + df as f32));
        }
        Ok(SnippetGenerator::new(
            weights,
            self.analyzer.clone(),
            self.fields.all,
            SNIPPET_CHARS,
        ))
    }

    /// A highlighted excerpt of an object's texts for a query, never empty
    /// when the object has any text: see [`excerpt`]. The object need not be
    /// in the index (its texts are given), so a page of search results asks
    /// only for the excerpts it shows.
    pub fn snippet(
        &self,
        kind: DocKind,
        query: &str,
        title: &str,
        keywords: &[String],
        body: &str,
    ) -> Result<String, IndexError> {
        let searchers = self.shard(kind).searchers();
        let terms = self.analyze(query);
        let generator = self.snippet_generator(&searchers.shared, &terms)?;
        Ok(excerpt(&generator, title, &keywords.join(" ; "), body))
    }

    /// The words of the texts as written that analyse to `terms` (index
    /// terms, such as an explanation's matched terms): see
    /// [`crate::analyzer::surface_forms`].
    pub fn surface_forms(&self, terms: &[String], texts: &[&str]) -> Vec<String> {
        let mut analyzer = self.analyzer.clone();
        crate::analyzer::surface_forms(&mut analyzer, terms, texts)
    }

    /// The id of each document at `addresses` of `searcher`, and which query
    /// terms it contains, from the postings of the combined field (no stored
    /// text is read or re-analysed).
    fn details(
        &self,
        searcher: &Searcher,
        addresses: &[DocAddress],
        query_terms: &[String],
    ) -> Result<HashMap<DocAddress, (i64, Vec<String>)>, IndexError> {
        let f = self.fields;
        let mut matched: HashMap<(u32, DocId), Vec<String>> = HashMap::new();
        let mut by_segment: HashMap<u32, Vec<DocId>> = HashMap::new();
        for address in addresses {
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
            for t in query_terms {
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
        Ok(addresses
            .iter()
            .map(|address| {
                let id = ids
                    .get(&address.segment_ord)
                    .and_then(|c| c.first(address.doc_id))
                    .unwrap_or_default();
                let terms = matched
                    .remove(&(address.segment_ord, address.doc_id))
                    .unwrap_or_default();
                (*address, (id, terms))
            })
            .collect())
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
            shared: true,
            organization_id: 1,
        }
    }

    /// A restricted document of organisation 2.
    fn restricted(kind: DocKind, id: i64, title: &str, body: &str) -> IndexDoc {
        IndexDoc {
            shared: false,
            organization_id: 2,
            ..doc(kind, id, title, body, &[])
        }
    }

    /// The score of document `id` for `text`, bit for bit, as seen by a
    /// reader of every document.
    fn score_of(idx: &SearchIndex, kind: DocKind, text: &str, id: i64) -> Option<u32> {
        idx.search_with_snippets(kind, text, 100, Reach::Everything)
            .unwrap()
            .into_iter()
            .find(|h| h.id == id)
            .map(|h| h.score.to_bits())
    }

    /// Writes from many threads at once are committed in groups, and every
    /// write is searchable when it returns; documents that several threads
    /// move between the partitions at once end in exactly one, once.
    #[test]
    fn grouped_commits_keep_every_write_and_one_copy_of_each_document() {
        let idx = std::sync::Arc::new(SearchIndex::in_memory().unwrap());
        let threads: Vec<_> = (0..8_i64)
            .map(|t| {
                let idx = idx.clone();
                std::thread::spawn(move || {
                    for round in 0..12_i64 {
                        // Ids 1–2 are written by every thread, half of the
                        // threads shared, the others restricted; each
                        // thread's own id once per round.
                        let shared_id = 1 + round % 2;
                        let moved = if t % 2 == 0 {
                            doc(DocKind::Need, shared_id, "gear", "vibration", &[])
                        } else {
                            restricted(DocKind::Need, shared_id, "gear", "vibration")
                        };
                        let own = format!("bearing{t}x{round}");
                        let mine = doc(DocKind::Need, 100 + t, &own, "vibration", &[]);
                        idx.upsert([moved, mine]).unwrap();
                        // Searchable once written (read-your-writes).
                        let hits = idx
                            .search(DocKind::Need, &own, 10, Reach::Everything)
                            .unwrap();
                        assert_eq!(
                            hits.iter().map(|h| h.id).collect::<Vec<_>>(),
                            [100 + t],
                            "{own}"
                        );
                        // Never two copies of a document, in any commit.
                        let mut moved: Vec<i64> = idx
                            .search(DocKind::Need, "gear", 10, Reach::Everything)
                            .unwrap()
                            .into_iter()
                            .map(|h| h.id)
                            .collect();
                        let listed = moved.len();
                        moved.sort_unstable();
                        moved.dedup();
                        assert_eq!(moved.len(), listed, "round {round} of thread {t}");
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        // Ids 1–2 and the eight own ids, each once.
        assert_eq!(idx.count(DocKind::Need), 10);
        let mut ids: Vec<i64> = idx
            .search(DocKind::Need, "vibration", 100, Reach::Everything)
            .unwrap()
            .into_iter()
            .map(|h| h.id)
            .collect();
        ids.sort_unstable();
        assert_eq!(ids, [1, 2, 100, 101, 102, 103, 104, 105, 106, 107]);
    }

    #[test]
    fn restricted_documents_move_no_score() {
        let idx = SearchIndex::in_memory().unwrap();
        idx.upsert([
            doc(
                DocKind::Need,
                1,
                "Zirconia sintering furnace",
                "Uniform heating of ceramic parts",
                &[],
            ),
            doc(DocKind::Need, 2, "Gear testing", "Noise of gearboxes", &[]),
        ])
        .unwrap();
        let text = "zirconia sintering";
        let before = score_of(&idx, DocKind::Need, text, 1).expect("the shared need is found");

        // Restricted needs with the rare word: created, then more, edited,
        // removed. The shared need's score does not move.
        idx.upsert([restricted(
            DocKind::Need,
            10,
            "Zirconia powder",
            "zirconia zirconia",
        )])
        .unwrap();
        assert_eq!(score_of(&idx, DocKind::Need, text, 1), Some(before));
        let own = score_of(&idx, DocKind::Need, text, 10).expect("a restricted need is found");
        idx.upsert([
            restricted(DocKind::Need, 11, "Zirconia crowns", "dental zirconia"),
            restricted(
                DocKind::Need,
                12,
                "Sintering of zirconia",
                "a much longer body of text about zirconia and sintering",
            ),
        ])
        .unwrap();
        assert_eq!(score_of(&idx, DocKind::Need, text, 1), Some(before));
        assert_eq!(
            score_of(&idx, DocKind::Need, text, 10),
            Some(own),
            "nor does a restricted document's score move with other restricted documents"
        );
        idx.upsert([restricted(DocKind::Need, 11, "Zirconia zirconia", "")])
            .unwrap();
        assert_eq!(score_of(&idx, DocKind::Need, text, 1), Some(before));
        idx.remove(DocKind::Need, 12).unwrap();
        idx.remove(DocKind::Need, 11).unwrap();
        assert_eq!(score_of(&idx, DocKind::Need, text, 1), Some(before));
        assert_eq!(score_of(&idx, DocKind::Need, text, 10), Some(own));
        let hit = idx
            .search_with_snippets(DocKind::Need, "zirconia", 10, Reach::Everything)
            .unwrap()
            .into_iter()
            .find(|h| h.id == 10)
            .expect("found by a word no shared document has");
        assert_eq!(hit.matched_terms, vec!["zirconia".to_owned()]);
        assert!(hit.snippet.unwrap().contains("<b>"), "highlighted");
        assert_eq!(idx.count(DocKind::Need), 3);

        // Published: the document leaves the restricted partition and counts
        // in the statistics; withdrawn again, it leaves the shared one.
        idx.upsert([doc(
            DocKind::Need,
            10,
            "Zirconia powder",
            "zirconia zirconia",
            &[],
        )])
        .unwrap();
        assert_eq!(idx.count(DocKind::Need), 3, "moved, not copied");
        assert_eq!(
            idx.search(DocKind::Need, "zirconia", 10, Reach::Everything)
                .unwrap()
                .iter()
                .filter(|h| h.id == 10)
                .count(),
            1
        );
        assert_ne!(score_of(&idx, DocKind::Need, text, 1), Some(before));
        idx.upsert([restricted(
            DocKind::Need,
            10,
            "Zirconia powder",
            "zirconia zirconia",
        )])
        .unwrap();
        assert_eq!(idx.count(DocKind::Need), 3);
        assert_eq!(
            idx.search(DocKind::Need, "powder", 10, Reach::Everything)
                .unwrap()
                .len(),
            1
        );

        // Twice in one batch, last one wins, in one partition only.
        idx.upsert([
            doc(DocKind::Need, 20, "Zirconia", "", &[]),
            restricted(DocKind::Need, 20, "Zirconia", ""),
        ])
        .unwrap();
        assert_eq!(idx.count(DocKind::Need), 4);
    }

    #[test]
    fn restricted_documents_are_found_only_within_reach() {
        let idx = SearchIndex::in_memory().unwrap();
        idx.upsert([
            doc(DocKind::Need, 1, "Zirconia furnace", "", &[]),
            restricted(DocKind::Need, 2, "Zirconia powder", ""),
            IndexDoc {
                organization_id: 3,
                ..restricted(DocKind::Need, 3, "Zirconia crowns", "")
            },
        ])
        .unwrap();
        let ids = |reach| {
            let mut ids: Vec<i64> = idx
                .search(DocKind::Need, "zirconia", 10, reach)
                .unwrap()
                .iter()
                .map(|h| h.id)
                .collect();
            ids.sort();
            ids
        };
        assert_eq!(ids(Reach::Shared), vec![1]);
        assert_eq!(ids(Reach::Organizations(&[])), vec![1]);
        assert_eq!(ids(Reach::Organizations(&[2, 7])), vec![1, 2]);
        assert_eq!(ids(Reach::Everything), vec![1, 2, 3]);
        let score = |reach, id| {
            idx.search(DocKind::Need, "zirconia", 10, reach)
                .unwrap()
                .into_iter()
                .find(|h| h.id == id)
                .map(|h| h.score.to_bits())
        };
        assert_eq!(
            score(Reach::Organizations(&[2]), 2),
            score(Reach::Everything, 2),
            "the reach filters, it does not score"
        );
        assert_eq!(score(Reach::Shared, 1), score(Reach::Everything, 1));
    }

    #[test]
    fn snippets_are_never_empty() {
        let idx = SearchIndex::in_memory().unwrap();
        idx.upsert([doc(
            DocKind::Capability,
            1,
            "Ceramic waste forms",
            "Immobilisation of actinides <in> titanates.",
            &["zirconolite", "锆石"],
        )])
        .unwrap();
        let hits = idx
            .search_with_snippets(DocKind::Capability, "zirconolite", 10, Reach::Everything)
            .unwrap();
        assert_eq!(
            hits[0].snippet.as_deref(),
            Some("<b>zirconolite</b> ; 锆石"),
            "found only through a keyword: the keywords, highlighted"
        );
        let keywords = ["zirconolite".to_owned()];
        let body = "Immobilisation of actinides <in> titanates.";
        let s = idx
            .snippet(DocKind::Capability, "actinides", "Ceramic", &keywords, body)
            .unwrap();
        assert!(
            s.contains("<b>actinides</b>") && s.contains("&lt;in&gt;"),
            "{s}"
        );
        // No word of the query in any text (an object edited since): the
        // beginning of the body, escaped.
        let s = idx
            .snippet(DocKind::Capability, "bearing", "Ceramic", &keywords, body)
            .unwrap();
        assert_eq!(s, "Immobilisation of actinides &lt;in&gt; titanates.");
    }

    #[test]
    fn scores_are_finite_with_no_shared_document() {
        let idx = SearchIndex::in_memory().unwrap();
        idx.upsert([
            restricted(DocKind::Capability, 1, "Laser cladding", "of shafts"),
            restricted(DocKind::Capability, 2, "Laser welding", ""),
        ])
        .unwrap();
        let hits = idx
            .search(DocKind::Capability, "laser cladding", 10, Reach::Everything)
            .unwrap();
        assert_eq!(hits.iter().map(|h| h.id).collect::<Vec<_>>(), vec![1, 2]);
        assert!(hits.iter().all(|h| h.score.is_finite() && h.score > 0.0));
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
        let hits = idx
            .search(DocKind::Capability, "电机轴承故障", 10, Reach::Everything)
            .unwrap();
        assert_eq!(
            hits.iter().map(|h| h.id).collect::<Vec<_>>(),
            vec![1],
            "only capabilities, only relevant ones"
        );
        assert!(hits[0].matched_terms.contains(&"轴承".to_owned()));
        assert_eq!(idx.count(DocKind::Capability), 2);

        // An English need finds the Chinese capability through its bilingual keywords.
        let hits = idx
            .search(
                DocKind::Capability,
                "bearing fault diagnosis",
                10,
                Reach::Everything,
            )
            .unwrap();
        assert_eq!(hits[0].id, 1);

        idx.upsert([doc(DocKind::Capability, 1, "Gear testing", "", &[])])
            .unwrap();
        assert!(
            idx.search(DocKind::Capability, "轴承", 10, Reach::Everything)
                .unwrap()
                .is_empty(),
            "replaced, not duplicated"
        );
        assert_eq!(idx.count(DocKind::Capability), 2);
        idx.remove(DocKind::Capability, 2).unwrap();
        assert!(
            idx.search(DocKind::Capability, "laser cladding", 10, Reach::Everything)
                .unwrap()
                .is_empty()
        );
        assert!(
            idx.search(DocKind::Capability, "的 and ,", 10, Reach::Everything)
                .unwrap()
                .is_empty(),
            "stop words alone match nothing"
        );
    }
}
