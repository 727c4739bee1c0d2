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

/// Whether a word is worth showing to a reader as a matched term: not a
/// single character (Chinese function words such as 个 or 的) and not a bare
/// number (`10`, `98.7`).
pub fn displayable(word: &str) -> bool {
    let mut chars = word.chars();
    if chars.next().is_none() || chars.next().is_none() {
        return false;
    }
    word.chars().any(char::is_alphabetic)
}

/// The words of `texts` as written (surface forms) that analyse to
/// `terms` (stems, lower-cased), in the order of `terms`: the first
/// occurrence in the first text that has one. Terms found in no text, and
/// words not [`displayable`], are left out; case-insensitive duplicates, and
/// words contained in a longer word shown (故障 in 故障诊断), are shown once.
pub fn surface_forms(analyzer: &mut TextAnalyzer, terms: &[String], texts: &[&str]) -> Vec<String> {
    use std::collections::HashMap;
    let wanted: std::collections::HashSet<&str> = terms.iter().map(String::as_str).collect();
    let mut found: HashMap<String, String> = HashMap::new();
    for text in texts {
        if found.len() == wanted.len() {
            break;
        }
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            let token = stream.token();
            if !wanted.contains(token.text.as_str()) || found.contains_key(&token.text) {
                continue;
            }
            if let Some(word) = text.get(token.offset_from..token.offset_to) {
                let word = word.trim();
                if displayable(word) {
                    found.insert(token.text.clone(), word.to_owned());
                }
            }
        }
    }
    let mut words: Vec<String> = Vec::new();
    for term in terms {
        let Some(word) = found.get(term) else {
            continue;
        };
        if !words
            .iter()
            .any(|w| w.to_lowercase() == word.to_lowercase())
        {
            words.push(word.clone());
        }
    }
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    words
        .into_iter()
        .enumerate()
        .filter(|(i, _)| {
            !lower.iter().enumerate().any(|(j, other)| {
                j != *i && other.len() > lower[*i].len() && other.contains(&lower[*i])
            })
        })
        .map(|(_, w)| w)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surface_forms_are_the_words_as_written() {
        let mut a = analyzer();
        let text = "Bearings of wind turbines: 基于深度学习的轴承故障诊断, diagnosis within 10 days, 一个 model";
        let stems = terms(
            &mut a,
            "bearing turbine diagnosis 轴承 故障 诊断 故障诊断 10 个 model",
        );
        let words = surface_forms(&mut a, &stems, &[text]);
        assert_eq!(
            words,
            [
                "Bearings",
                "turbines",
                "diagnosis",
                "轴承",
                "故障诊断",
                "model"
            ],
            "{stems:?}"
        );
        let words = surface_forms(&mut a, &["bear".to_owned()], &["no such word", "a bearing"]);
        assert_eq!(words, ["bearing"], "the later texts are searched too");
        assert!(surface_forms(&mut a, &["bear".to_owned()], &["nothing"]).is_empty());
    }

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
