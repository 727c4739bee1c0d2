//! Conversations (会话): one thread per match and per project, its
//! messages, its attachments and each reader's read mark; and the pure rules
//! of attachments — which files are accepted (by name *and* leading bytes)
//! and how an uploaded file's name is made safe.
//!
//! Who sees a thread is [`crate::policy::may_see_thread`], over the
//! thread's [`ThreadParties`].

use chrono::{DateTime, Utc};

use crate::Message;

/// Longest message body, in characters.
pub const MAX_BODY: usize = 10_000;
/// Most attachments on one message.
pub const MAX_ATTACHMENTS: usize = 10;
/// Longest attachment name, in characters (after sanitising).
pub const MAX_FILE_NAME: usize = 200;
/// How long an uploaded attachment may wait for a message that refers to
/// it before it is dropped, in hours.
pub const UNREFERENCED_TTL_HOURS: i64 = 24;

/// What a thread is about: a (need, capability) match, a project, or a
/// testing service order (between its client side and the center's
/// staff).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ThreadSubject {
    Match { need_id: i64, capability_id: i64 },
    Project(i64),
    ServiceOrder(i64),
}

impl ThreadSubject {
    /// The stable text key of the subject (unique per thread):
    /// `match:<need>.<capability>`, `project:<id>` or
    /// `service_order:<id>`.
    pub fn key(&self) -> String {
        match self {
            ThreadSubject::Match {
                need_id,
                capability_id,
            } => format!("match:{need_id}.{capability_id}"),
            ThreadSubject::Project(id) => format!("project:{id}"),
            ThreadSubject::ServiceOrder(id) => format!("service_order:{id}"),
        }
    }

    /// The subject of a stored key.
    pub fn from_key(key: &str) -> Option<ThreadSubject> {
        if let Some(pair) = key.strip_prefix("match:") {
            let (need, capability) = pair.split_once('.')?;
            return Some(ThreadSubject::Match {
                need_id: need.parse().ok()?,
                capability_id: capability.parse().ok()?,
            });
        }
        if let Some(id) = key.strip_prefix("service_order:") {
            return id.parse().ok().map(ThreadSubject::ServiceOrder);
        }
        key.strip_prefix("project:")?
            .parse()
            .ok()
            .map(ThreadSubject::Project)
    }
}

/// The organisations a thread is between, and the agreement its subject is
/// filed under (a project's; a match's need's): what
/// [`crate::policy::may_see_thread`] reads.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ThreadParties {
    /// A project's parties; a match's need organisation and capability
    /// organisation.
    pub party_ids: Vec<i64>,
    pub agreement_id: Option<i64>,
    /// A match whose need the capability's organisation does not read —
    /// neither shared (released PUBLIC or PLATFORM) nor disclosed to it
    /// under a non-disclosure agreement (it sees a CONFIDENTIAL need blind,
    /// through its teaser, or not at all): its conversation is the need
    /// organisation's (this one) alone, so the pair cannot be used to learn
    /// who owns a confidential need or to write to it. `None`: every party.
    pub need_side_only: Option<i64>,
}

/// A conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thread {
    pub id: i64,
    pub subject: ThreadSubject,
    pub created_at: DateTime<Utc>,
}

/// One message of a thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadMessage {
    pub id: i64,
    pub thread_id: i64,
    pub author_id: i64,
    /// The party the author wrote for (the first party they manage); `None`
    /// for a coordinator or admin writing for none.
    pub organization_id: Option<i64>,
    pub body: String,
    pub posted_at: DateTime<Utc>,
}

/// A file uploaded to a thread; its bytes are in the file store under
/// `storage_key`, never under its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub id: i64,
    pub thread_id: i64,
    /// The message that carries it; `None` until one does.
    pub message_id: Option<i64>,
    /// Random, unique: the key of its bytes in the file store.
    pub storage_key: String,
    /// The sanitised name ([`sanitize_file_name`]).
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub uploaded_by: i64,
    pub created_at: DateTime<Utc>,
}

/// One reader's state of one thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReadState {
    /// When they last marked it read; `None`: never.
    pub last_read_at: Option<DateTime<Utc>>,
    /// Messages by others after their read mark.
    pub unread: i64,
}

/// The kinds of file accepted as attachments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Png,
    Jpeg,
    Docx,
    Xlsx,
    Pptx,
    Text,
    Csv,
}

impl FileKind {
    /// The kind a file name's extension announces (case-insensitive), if
    /// accepted.
    pub fn of_name(name: &str) -> Option<FileKind> {
        let (_, ext) = name.rsplit_once('.')?;
        Some(match ext.to_ascii_lowercase().as_str() {
            "pdf" => FileKind::Pdf,
            "png" => FileKind::Png,
            "jpg" | "jpeg" => FileKind::Jpeg,
            "docx" => FileKind::Docx,
            "xlsx" => FileKind::Xlsx,
            "pptx" => FileKind::Pptx,
            "txt" => FileKind::Text,
            "csv" => FileKind::Csv,
            _ => return None,
        })
    }

    /// The media type served with the file.
    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            FileKind::Text => "text/plain; charset=utf-8",
            FileKind::Csv => "text/csv; charset=utf-8",
        }
    }

    /// Whether `head` (the file's first bytes, up to [`SNIFF_BYTES`]; all
    /// of it when shorter) is what this kind starts with: the magic number
    /// of PDF, PNG, JPEG and the zip container of the Office formats; for
    /// text and CSV, UTF-8 without NUL bytes that does not open as HTML,
    /// SVG or XML (a browser could be talked into running it).
    pub fn matches(self, head: &[u8]) -> bool {
        match self {
            FileKind::Pdf => head.starts_with(b"%PDF-"),
            FileKind::Png => head.starts_with(b"\x89PNG\r\n\x1a\n"),
            FileKind::Jpeg => head.starts_with(&[0xFF, 0xD8, 0xFF]),
            FileKind::Docx | FileKind::Xlsx | FileKind::Pptx => head.starts_with(b"PK\x03\x04"),
            FileKind::Text | FileKind::Csv => is_plain_text(head),
        }
    }
}

/// How many leading bytes [`FileKind::matches`] reads.
pub const SNIFF_BYTES: usize = 512;

fn is_plain_text(head: &[u8]) -> bool {
    if head.contains(&0) {
        return false;
    }
    let text = match std::str::from_utf8(head) {
        Ok(t) => t,
        // A multi-byte character cut at the end of the sniffed bytes.
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return false,
    };
    let start = text
        .trim_start_matches('\u{FEFF}')
        .trim_start()
        .to_ascii_lowercase();
    ![
        "<!doctype",
        "<html",
        "<svg",
        "<?xml",
        "<script",
        "<head",
        "<body",
    ]
    .iter()
    .any(|tag| start.starts_with(tag))
}

/// The kind of an upload named `name` whose first bytes are `head`: its
/// extension must be accepted and its bytes must be of that kind (an
/// executable named `.pdf` is refused). The problem otherwise.
pub fn check_file(name: &str, head: &[u8]) -> Result<FileKind, Message> {
    let Some(kind) = FileKind::of_name(name) else {
        return Err(Message::new("attachment.type.not_allowed"));
    };
    if !kind.matches(head) {
        return Err(Message::new("attachment.type.mismatch"));
    }
    Ok(kind)
}

/// Names Windows reserves for devices, whatever the extension.
const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// An uploaded file's name made safe to store and to offer for download:
/// only its last path segment (no `/` or `\`), without control and
/// direction-changing characters, characters Windows forbids (`<>:"|?*`
/// become `_`), leading dots and spaces or trailing dots and spaces; a
/// reserved device name (`CON`, `NUL.txt`, …) gets a leading `_`; at most
/// [`MAX_FILE_NAME`] characters, the extension kept. Chinese and other
/// letters are kept. `None` when nothing is left.
pub fn sanitize_file_name(name: &str) -> Option<String> {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| {
            !c.is_control()
                && !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
        })
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '|' | '?' | '*' => '_',
            c => c,
        })
        .collect();
    let trimmed = cleaned
        .trim_start_matches(|c: char| c == '.' || c.is_whitespace())
        .trim_end_matches(|c: char| c == '.' || c.is_whitespace());
    if trimmed.is_empty() {
        return None;
    }
    let mut out = trimmed.to_owned();
    let stem = out.split('.').next().unwrap_or_default().trim();
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(stem)) {
        out.insert(0, '_');
    }
    if out.chars().count() > MAX_FILE_NAME {
        let ext = out
            .rsplit_once('.')
            .map(|(_, e)| e)
            .filter(|e| e.chars().count() <= 16)
            .map(|e| format!(".{e}"))
            .unwrap_or_default();
        let keep = MAX_FILE_NAME - ext.chars().count();
        let stem: String = out.chars().take(keep).collect();
        out = format!("{}{ext}", stem.trim_end());
    }
    Some(out)
}

/// The unread messages for `reader` among `messages` (author, id) after the
/// read mark `read_up_to` (a message id; `None`: nothing read): their own
/// messages are never unread.
pub fn unread(reader: i64, read_up_to: Option<i64>, messages: &[(i64, i64)]) -> i64 {
    messages
        .iter()
        .filter(|(author, id)| *author != reader && read_up_to.is_none_or(|r| *id > r))
        .count() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_round_trip_through_their_keys() {
        for s in [
            ThreadSubject::Match {
                need_id: 3,
                capability_id: 17,
            },
            ThreadSubject::Project(42),
            ThreadSubject::ServiceOrder(7),
        ] {
            assert_eq!(ThreadSubject::from_key(&s.key()), Some(s));
        }
        assert_eq!(ThreadSubject::from_key("match:3"), None);
        assert_eq!(ThreadSubject::from_key("need:3"), None);
    }

    #[test]
    fn names_lose_paths_controls_and_leading_dots() {
        assert_eq!(
            sanitize_file_name("../../etc/passwd").as_deref(),
            Some("passwd")
        );
        assert_eq!(
            sanitize_file_name("..\\..\\boot.ini").as_deref(),
            Some("boot.ini")
        );
        assert_eq!(sanitize_file_name("报告.pdf").as_deref(), Some("报告.pdf"));
        assert_eq!(sanitize_file_name(".htaccess").as_deref(), Some("htaccess"));
        assert_eq!(
            sanitize_file_name("a\u{0}b\nc\u{202E}fdp.exe").as_deref(),
            Some("abcfdp.exe")
        );
        assert_eq!(sanitize_file_name("CON.txt").as_deref(), Some("_CON.txt"));
        assert_eq!(sanitize_file_name("nul").as_deref(), Some("_nul"));
        assert_eq!(sanitize_file_name("a:b?.csv").as_deref(), Some("a_b_.csv"));
        assert_eq!(sanitize_file_name("../"), None);
        assert_eq!(sanitize_file_name(" . "), None);
        let long = format!("{}.pdf", "长".repeat(300));
        let cut = sanitize_file_name(&long).unwrap_or_default();
        assert_eq!(cut.chars().count(), MAX_FILE_NAME);
        assert!(cut.ends_with(".pdf"));
    }

    #[test]
    fn files_are_checked_by_name_and_leading_bytes() {
        assert_eq!(check_file("a.pdf", b"%PDF-1.7\n"), Ok(FileKind::Pdf));
        assert_eq!(
            check_file("a.PNG", b"\x89PNG\r\n\x1a\n\0\0"),
            Ok(FileKind::Png)
        );
        assert_eq!(
            check_file("a.jpg", &[0xFF, 0xD8, 0xFF, 0xE0]),
            Ok(FileKind::Jpeg)
        );
        assert_eq!(check_file("a.docx", b"PK\x03\x04rest"), Ok(FileKind::Docx));
        assert_eq!(
            check_file("a.csv", "名称,数量\n".as_bytes()),
            Ok(FileKind::Csv)
        );
        // An executable dressed as a PDF or as text.
        let exe = b"MZ\x90\0\x03\0\0\0\x04\0";
        assert_eq!(
            check_file("report.pdf", exe).map_err(|m| m.key),
            Err("attachment.type.mismatch".into())
        );
        assert!(check_file("notes.txt", exe).is_err());
        for refused in ["a.exe", "a.html", "a.svg", "a", "a.pdf.exe"] {
            assert_eq!(
                check_file(refused, b"%PDF-").map_err(|m| m.key),
                Err("attachment.type.not_allowed".into()),
                "{refused}"
            );
        }
        assert!(check_file("a.txt", b"  <!DOCTYPE html><p>").is_err());
        assert!(check_file("a.txt", b"<svg xmlns=").is_err());
        // A character cut by the sniffing window is still text.
        let cut = &"报告".as_bytes()[..4];
        assert!(check_file("a.txt", cut).is_ok());
    }

    #[test]
    fn own_messages_are_never_unread() {
        let messages = [(1, 10), (2, 11), (1, 12), (2, 13)];
        assert_eq!(unread(1, None, &messages), 2);
        assert_eq!(unread(1, Some(11), &messages), 1);
        assert_eq!(unread(2, Some(13), &messages), 0);
    }
}
