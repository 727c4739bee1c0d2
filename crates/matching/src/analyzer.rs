//! The bilingual text analysis shared by indexing and querying.

use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, Stemmer, StopWordFilter, TextAnalyzer, Token,
    TokenStream, Tokenizer,
};
use tantivy_jieba::{JiebaTokenStream, JiebaTokenizer};

/// Name under which the analyzer is registered in the index.
pub const ANALYZER: &str = "iurhub_bilingual";

/// Function words of English and Chinese that carry no topic.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "has", "have",
    "in", "into", "is", "it", "its", "of", "on", "or", "that", "the", "their", "there", "these",
    "this", "to", "was", "were", "which", "with", "we", "our", "can", "will", "such", "than",
    "then", "also", "not", "no", "via", "using", "based", "的", "了", "和", "与", "及", "以及",
    "在", "是", "对", "等", "为", "将", "把", "被", "从", "中", "其", "并", "或", "及其", "一种",
    "一个", "进行", "通过", "基于", "用于", "可", "能", "要", "有", "我们", "需要", "实现", "提供",
];

/// Jieba segmentation that keeps only tokens with a letter or digit in them
/// (jieba also emits spaces and punctuation as tokens).
#[derive(Clone)]
pub struct WordTokenizer(JiebaTokenizer);

impl Default for WordTokenizer {
    fn default() -> Self {
        // Search mode also emits the sub-words of long compounds
        // (故障诊断 → 故障, 诊断, 故障诊断), which helps recall on short needs.
        Self(JiebaTokenizer::with_search_mode(true))
    }
}

pub struct WordStream<'a>(JiebaTokenStream<'a>);

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        WordStream(self.0.token_stream(text))
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        while self.0.advance() {
            if self.0.token().text.chars().any(char::is_alphanumeric) {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.0.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}

/// Segmentation, lower-casing, stop words and English stemming.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(StopWordFilter::remove(
            STOP_WORDS.iter().map(|w| (*w).to_owned()),
        ))
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The analysed terms of `text`, in order, with duplicates.
pub fn terms(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixed_text_is_segmented_stemmed_and_cleaned() {
        let mut a = analyzer();
        let t = terms(
            &mut a,
            "基于深度学习的轴承故障诊断 Bearing faults, diagnosed with CNNs!",
        );
        for expected in [
            "深度",
            "学习",
            "轴承",
            "故障",
            "诊断",
            "故障诊断",
            "bear",
            "fault",
            "diagnos",
            "cnns",
        ] {
            assert!(
                t.iter().any(|x| x == expected),
                "{expected} missing from {t:?}"
            );
        }
        for dropped in ["的", "基于", "with", ",", " ", "!"] {
            assert!(!t.iter().any(|x| x == dropped), "{dropped} kept in {t:?}");
        }
    }
}
