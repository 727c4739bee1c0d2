//! Messages of the transports: REST parameters, paging, ids and request shapes.

/// Key, English text, Chinese text.
pub(super) const MESSAGES: &[(&str, &str, &str)] = &[];
