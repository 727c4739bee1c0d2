//! Messages of organisations, members, accounts, talents, capabilities and imports.

/// Key, English text, Chinese text.
pub(super) const MESSAGES: &[(&str, &str, &str)] = &[];
