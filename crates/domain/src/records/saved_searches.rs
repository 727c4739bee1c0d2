//! Saved searches: a user's query over the needs and capabilities, run by
//! the `saved_searches` job as its user (so it finds only what they may
//! see), telling them once of each object published since it last ran
//! that fits it (`SAVED_SEARCH_MATCHED`).

use chrono::{DateTime, Utc};

use crate::validate::{MAX_KEYWORD_FILTER, Validator, code_filter};
use crate::{DomainError, Message, SavedSearchType};

/// Most saved searches one user keeps.
pub const MAX_SAVED_SEARCHES: usize = 20;

/// What a saved search narrows its hits to, beyond its words.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedSearchFilters {
    /// Only objects with this discipline code or one below it (a code
    /// starting with it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discipline_code: Option<String>,
}

impl SavedSearchFilters {
    /// Whether an object with `codes` passes.
    pub fn admits(&self, codes: &[String]) -> bool {
        match &self.discipline_code {
            Some(code) => codes.iter().any(|c| c.starts_with(code.as_str())),
            None => true,
        }
    }
}

/// A new saved search as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedSearchFields {
    pub query: String,
    /// Empty: needs and capabilities.
    pub types: Vec<SavedSearchType>,
    pub filters: SavedSearchFilters,
}

impl SavedSearchFields {
    /// The fields trimmed, the types deduplicated (both when none), or
    /// every problem at once.
    pub fn checked(mut self) -> Result<SavedSearchFields, DomainError> {
        let mut v = Validator::new();
        self.query = v.text("query", &self.query, 1, MAX_KEYWORD_FILTER);
        if self.types.is_empty() {
            self.types = SavedSearchType::ALL.to_vec();
        }
        self.types.sort();
        self.types.dedup();
        if let Err(DomainError::Validation(errors)) = code_filter(
            "filters.disciplineCode",
            self.filters.discipline_code.clone(),
        ) {
            for e in errors {
                v.fail(&e.field, e.text);
            }
        }
        v.finish().map(|()| self)
    }
}

/// A saved search as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedSearch {
    pub id: i64,
    pub user_id: i64,
    pub query: String,
    pub types: Vec<SavedSearchType>,
    pub filters: SavedSearchFilters,
    pub created_at: DateTime<Utc>,
    /// Objects published after it are new to the search.
    pub checked_at: DateTime<Utc>,
}

/// The error of a saved search beyond [`MAX_SAVED_SEARCHES`].
pub fn too_many() -> Message {
    Message::new("saved_search.too_many").with("max", MAX_SAVED_SEARCHES)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_trimmed_and_checked_at_once() {
        let fields = SavedSearchFields {
            query: "  轴承 bearing ".into(),
            types: vec![SavedSearchType::Need, SavedSearchType::Need],
            filters: SavedSearchFilters::default(),
        }
        .checked()
        .unwrap();
        assert_eq!(fields.query, "轴承 bearing");
        assert_eq!(fields.types, vec![SavedSearchType::Need]);
        let all = SavedSearchFields {
            types: Vec::new(),
            ..fields
        }
        .checked()
        .unwrap();
        assert_eq!(all.types, SavedSearchType::ALL.to_vec());
        let bad = SavedSearchFields {
            query: " ".into(),
            types: Vec::new(),
            filters: SavedSearchFilters {
                discipline_code: Some("46-0".into()),
            },
        }
        .checked();
        let Err(DomainError::Validation(errors)) = bad else {
            panic!("{bad:?}")
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["query", "filters.disciplineCode"]);
    }

    #[test]
    fn a_discipline_filter_admits_its_code_and_those_below() {
        let f = SavedSearchFilters {
            discipline_code: Some("460".into()),
        };
        assert!(f.admits(&["460".into()]));
        assert!(f.admits(&["120".into(), "46010".into()]));
        assert!(!f.admits(&["410".into()]));
        assert!(SavedSearchFilters::default().admits(&[]));
    }
}
