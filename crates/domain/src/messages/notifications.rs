//! Texts of notifications (通知) and of the e-mail that carries them, and
//! the errors of the inbox and its preferences. A notification to the
//! research side never names the need or its organisation: a need it sees
//! blind (through a teaser) stays blind in its inbox and mailbox.

/// Key, English text, Chinese text.
pub(super) const MESSAGES: &[(&str, &str, &str)] = &[
    (
        "notification.interest_expressed.title",
        "{organization} is interested in “{need}”",
        "{organization} 对“{need}”表达了合作意向",
    ),
    (
        "notification.interest_expressed.body",
        "{organization} expressed interest in your need “{need}” with “{capability}”. Accept or decline it among the need's interests.",
        "{organization} 以“{capability}”对贵单位的需求“{need}”表达了合作意向。请在该需求的合作意向中接受或婉拒。",
    ),
    (
        "notification.interest_accepted.title",
        "Your interest was accepted: “{capability}”",
        "合作意向已被接受：“{capability}”",
    ),
    (
        "notification.interest_accepted.body",
        "The need's side accepted the interest you expressed with “{capability}”. The conversation on the match is open.",
        "需求方接受了贵单位以“{capability}”表达的合作意向，可在匹配会话中继续对接。",
    ),
    (
        "notification.interest_declined.title",
        "Your interest was declined: “{capability}”",
        "合作意向未被接受：“{capability}”",
    ),
    (
        "notification.interest_declined.body",
        "The need's side declined the interest you expressed with “{capability}”.",
        "需求方婉拒了贵单位以“{capability}”表达的合作意向。",
    ),
    (
        "notification.match_accepted.title",
        "Match accepted: “{capability}”",
        "匹配已被接受：“{capability}”",
    ),
    (
        "notification.match_accepted.body",
        "The other side accepted the match with “{capability}”. Open the match to see both sides' decisions.",
        "对方接受了与“{capability}”的匹配。打开该匹配可查看双方的决定。",
    ),
    (
        "notification.match_declined.title",
        "Match declined: “{capability}”",
        "匹配被婉拒：“{capability}”",
    ),
    (
        "notification.match_declined.body",
        "The other side declined the match with “{capability}”.",
        "对方婉拒了与“{capability}”的匹配。",
    ),
    (
        "notification.message_posted.title",
        "New message: {topic}",
        "新消息：{topic}",
    ),
    (
        "notification.message_posted.body",
        "New message: {excerpt}",
        "新消息：{excerpt}",
    ),
    (
        "notification.project_invitation.title",
        "You are invited to the project “{project}”",
        "贵单位受邀参与项目“{project}”",
    ),
    (
        "notification.project_invitation.body",
        "{organization} named your organisation a party of the project “{project}”. Accept or decline the invitation.",
        "{organization} 将贵单位列为项目“{project}”的合作方，请接受或婉拒邀请。",
    ),
    (
        "notification.booking_requested.title",
        "Booking request: {instrument}",
        "预约申请：{instrument}",
    ),
    (
        "notification.booking_requested.body",
        "A booking of {instrument} from {start} (UTC) waits for approval.",
        "{instrument} 自 {start}（UTC）起的预约等待审批。",
    ),
    (
        "notification.booking_approved.title",
        "Booking approved: {instrument}",
        "预约已批准：{instrument}",
    ),
    (
        "notification.booking_approved.body",
        "Your booking of {instrument} from {start} (UTC) is approved.",
        "您自 {start}（UTC）起对 {instrument} 的预约已获批准。",
    ),
    (
        "notification.booking_rejected.title",
        "Booking rejected: {instrument}",
        "预约未获批准：{instrument}",
    ),
    (
        "notification.booking_rejected.body",
        "Your booking of {instrument} from {start} (UTC) was rejected: {reason}",
        "您自 {start}（UTC）起对 {instrument} 的预约未获批准：{reason}",
    ),
    (
        "notification.waitlist_slot_offered.title",
        "A time you waited for is free: {instrument}",
        "候补时段已空出：{instrument}",
    ),
    (
        "notification.waitlist_slot_offered.body",
        "{instrument} is free from {start} (UTC) and held for you until {until} (UTC): accept the offer before then, or it passes to the next in line.",
        "{instrument} 自 {start}（UTC）起的时段已空出，为您保留至 {until}（UTC）：请在此之前接受，否则将转给下一位候补。",
    ),
    (
        "notification.service_order_changed.title",
        "Service order {status}: {topic}",
        "检测委托{status}：{topic}",
    ),
    (
        "notification.service_order_changed.body",
        "The testing service order “{topic}” of {organization} is now {status}.",
        "{organization}的检测委托“{topic}”{status}。",
    ),
    (
        "notification.service_order_status.REQUESTED",
        "requested",
        "已提交",
    ),
    (
        "notification.service_order_status.QUOTED",
        "quoted",
        "已报价",
    ),
    (
        "notification.service_order_status.ACCEPTED",
        "accepted",
        "报价已接受",
    ),
    (
        "notification.service_order_status.DECLINED",
        "declined",
        "报价已拒绝",
    ),
    (
        "notification.service_order_status.REJECTED",
        "rejected",
        "已被拒绝",
    ),
    (
        "notification.service_order_status.CANCELLED",
        "cancelled",
        "已取消",
    ),
    (
        "notification.service_order_status.IN_PROGRESS",
        "in progress",
        "检测中",
    ),
    (
        "notification.service_order_status.COMPLETED",
        "completed",
        "已完成",
    ),
    (
        "notification.checklist_item_due.title",
        "Due on {due}: {item}",
        "{due} 到期：{item}",
    ),
    (
        "notification.checklist_item_due.body",
        "The checklist item “{item}” of the project “{project}” is due on {due}.",
        "项目“{project}”的清单事项“{item}”将于 {due} 到期。",
    ),
    (
        "notification.checklist_item_overdue.title",
        "Overdue since {due}: {item}",
        "已逾期（{due}）：{item}",
    ),
    (
        "notification.checklist_item_overdue.body",
        "The checklist item “{item}” of the project “{project}” was due on {due} and is not done.",
        "项目“{project}”的清单事项“{item}”已于 {due} 到期，尚未完成。",
    ),
    (
        "notification.need_expired.title",
        "Need closed at its deadline: “{need}”",
        "需求已到截止日期并关闭：“{need}”",
    ),
    (
        "notification.need_expired.body",
        "Your need “{need}” reached its deadline ({due}) and was closed: it is no longer open for matching or interest. Publish a new one if you still look for a partner.",
        "贵单位的需求“{need}”已到截止日期（{due}）并自动关闭，不再参与匹配，也不再接受合作意向。如仍需合作，请重新发布。",
    ),
    (
        "notification.capability_suggested.title",
        "A capability fits “{need}”: “{capability}”",
        "有研究能力匹配需求“{need}”：“{capability}”",
    ),
    (
        "notification.capability_suggested.body",
        "{organization} published “{capability}”, which fits your need “{need}”. Open the match to see why.",
        "{organization} 发布的“{capability}”与贵单位的需求“{need}”匹配，打开匹配可查看理由。",
    ),
    (
        "notification.need_suggested.title",
        "A need fits “{capability}”: “{need}”",
        "有需求匹配“{capability}”：“{need}”",
    ),
    (
        "notification.need_suggested.body",
        "The published need “{need}” fits your capability “{capability}”. Open the match to see why, and express interest.",
        "已发布的需求“{need}”与贵单位的“{capability}”匹配，打开匹配可查看理由并表达合作意向。",
    ),
    (
        "notification.project_status_changed.title",
        "“{project}” is now {status}",
        "项目“{project}”已{status}",
    ),
    (
        "notification.project_status_changed.body",
        "The project “{project}” is now {status}.",
        "项目“{project}”当前状态：{status}。",
    ),
    ("notification.project_status.PROPOSED", "proposed", "提议"),
    ("notification.project_status.AGREED", "agreed", "达成一致"),
    (
        "notification.project_status.IN_PROGRESS",
        "in progress",
        "启动实施",
    ),
    ("notification.project_status.COMPLETED", "completed", "完成"),
    (
        "notification.project_status.TERMINATED",
        "terminated",
        "终止",
    ),
    (
        "notification.checklist_item_assigned.title",
        "For you: {item}",
        "分派给您：{item}",
    ),
    (
        "notification.checklist_item_assigned.body",
        "The checklist item “{item}” of the project “{project}” is yours now.",
        "项目“{project}”的清单事项“{item}”已由您负责。",
    ),
    (
        "notification.checklist_item_blocked.title",
        "Blocked: {item}",
        "受阻：{item}",
    ),
    (
        "notification.checklist_item_blocked.body",
        "The checklist item “{item}” of the project “{project}” is blocked: {reason}",
        "项目“{project}”的清单事项“{item}”受阻：{reason}",
    ),
    (
        "notification.qualification_expiring.title",
        "Your qualification for {instrument} expires on {due}",
        "您的 {instrument} 上机资格将于 {due} 到期",
    ),
    (
        "notification.qualification_expiring.body",
        "Your qualification for {instrument} expires on {due}; bookings after that need a new one from the instrument's staff.",
        "您的 {instrument} 上机资格将于 {due} 到期；此后的预约需由仪器管理人员重新授予资格。",
    ),
    (
        "notification.hidden.title",
        "About something you may no longer see",
        "相关内容您已无权查看",
    ),
    (
        "notification.hidden.body",
        "This notification is about something you may no longer see: it was archived or withdrawn, or you left the organisation it belongs to.",
        "这条通知涉及的内容您已无权查看：它可能已归档或撤回，或您已离开其所属组织。",
    ),
    (
        "notification.listing_unconfirmed.title",
        "Still current? Confirm “{listing}”",
        "请确认“{listing}”是否仍然有效",
    ),
    (
        "notification.listing_unconfirmed.body",
        "Your {what} “{listing}” has not been confirmed since {since}. Confirm it (or edit it) by {due}, or it leaves the public lists.",
        "贵单位的{what}“{listing}”自 {since} 起未经确认。请在 {due} 前确认（或编辑）它，否则它将从公开列表中移除。",
    ),
    (
        "notification.listing_withdrawn.title",
        "Taken off the public lists: “{listing}”",
        "已从公开列表移除：“{listing}”",
    ),
    (
        "notification.listing_withdrawn.body",
        "Your {what} “{listing}” was not confirmed since {since} and has left the public lists.",
        "贵单位的{what}“{listing}”自 {since} 起未经确认，已从公开列表移除。",
    ),
    (
        "notification.saved_search_matched.title",
        "New for your saved search “{query}”: “{listing}”",
        "您保存的搜索“{query}”有新结果：“{listing}”",
    ),
    (
        "notification.saved_search_matched.body",
        "A {what} published since fits your saved search “{query}”: “{listing}”.",
        "新发布的{what}符合您保存的搜索“{query}”：“{listing}”。",
    ),
    ("notification.listing.need", "need", "需求"),
    ("notification.listing.capability", "capability", "科研能力"),
    (
        "notification.digest.subject",
        "Your iurhub digest: {count} new",
        "iurhub 摘要：{count} 条新通知",
    ),
    (
        "notification.digest.intro",
        "Since your last digest:",
        "自上次摘要以来：",
    ),
    (
        "notification.mail.footer",
        "You receive this e-mail from iurhub because of your notification settings; change them under your notification preferences.",
        "您收到这封邮件是因为您在 iurhub 的通知设置；可在通知偏好中更改。",
    ),
    (
        "notification.not_found",
        "notification not found",
        "通知不存在",
    ),
    (
        "saved_search.not_found",
        "saved search not found",
        "保存的搜索不存在",
    ),
    (
        "saved_search.too_many",
        "at most {max} saved searches; delete one first",
        "最多保存 {max} 个搜索；请先删除一个",
    ),
    (
        "notification.ids.too_many",
        "at most {max} notifications at once",
        "一次最多 {max} 条通知",
    ),
];
