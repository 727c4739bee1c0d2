//! Messages of conversations (会话): threads of matches and projects, their
//! messages and attachments.

/// Key, English text, Chinese text.
pub(super) const MESSAGES: &[(&str, &str, &str)] = &[
    ("thread.not_found", "conversation not found", "会话不存在"),
    (
        "thread_message.not_found",
        "message not found",
        "消息不存在",
    ),
    ("attachment.not_found", "attachment not found", "附件不存在"),
    (
        "thread.subject.required",
        "give either a thread or the match or project to write about, not both",
        "请提供会话，或要讨论的匹配或项目（二者择一）",
    ),
    (
        "thread.subject.kind",
        "must be the id of a match or a project",
        "必须是匹配或项目的 ID",
    ),
    (
        "thread.write.forbidden",
        "only the parties' members, their coordinators and admins may write in this conversation",
        "只有各方组织的成员、其协调员和管理员可以在此会话中发言",
    ),
    (
        "thread.attachments.too_many",
        "at most {max} attachments per message",
        "每条消息最多 {max} 个附件",
    ),
    (
        "thread.attachment.unknown",
        "attachment {id} does not exist, belongs to another conversation or is already on a message",
        "附件 {id} 不存在、属于其他会话或已附在某条消息上",
    ),
    (
        "thread.attachment.not_yours",
        "attachment {id} was uploaded by someone else",
        "附件 {id} 由他人上传",
    ),
    (
        "attachment.type.not_allowed",
        "this type of file is not accepted: PDF, PNG, JPEG, DOCX, XLSX, PPTX, TXT and CSV are",
        "不接受此类文件：仅接受 PDF、PNG、JPEG、DOCX、XLSX、PPTX、TXT 和 CSV",
    ),
    (
        "attachment.type.mismatch",
        "the file's content is not what its name says",
        "文件内容与文件名所示类型不符",
    ),
    (
        "attachment.name.invalid",
        "the file name is empty once unsafe characters are removed",
        "去除不安全字符后文件名为空",
    ),
    (
        "attachment.too_large",
        "the file is larger than {max} bytes",
        "文件超过 {max} 字节",
    ),
    ("attachment.empty", "the file is empty", "文件为空"),
    (
        "attachment.file.missing",
        "send the file as the multipart field `file`",
        "请以 multipart 字段 `file` 上传文件",
    ),
    (
        "attachment.multipart.invalid",
        "the request is not a valid multipart/form-data body",
        "请求不是有效的 multipart/form-data 正文",
    ),
];
