//! Messages of projects, milestones, checklists, matches and their events.

/// Key, English text, Chinese text.
pub(super) const MESSAGES: &[(&str, &str, &str)] = &[];
