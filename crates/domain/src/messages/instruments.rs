//! Messages of instruments, bookings, maintenance windows, qualifications and calendar feeds.

/// Key, English text, Chinese text.
pub(super) const MESSAGES: &[(&str, &str, &str)] = &[];
