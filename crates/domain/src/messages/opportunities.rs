//! Texts of the coordinators' opportunity queue (机会队列) and of the
//! hand-over of a pair to a broker (技术经纪人).

/// Key, English text, Chinese text.
pub(super) const MESSAGES: &[(&str, &str, &str)] = &[
    (
        "notification.opportunity_assigned.title",
        "To follow up: “{need}” and “{capability}”",
        "待跟进：“{need}”与“{capability}”",
    ),
    (
        "notification.opportunity_assigned.body",
        "{assigner} asks you to follow up the pair of the need “{need}” and the capability “{capability}” (due: {due}). {note}",
        "{assigner} 请您跟进需求“{need}”与成果“{capability}”的对接（期限：{due}）。{note}",
    ),
    ("opportunity.due.none", "none", "未定"),
    (
        "opportunity.due.past",
        "the due date must be today ({today}) or later",
        "期限须为今天（{today}）或之后",
    ),
    (
        "opportunity.not_found",
        "opportunity not found: the pair is not ranked among the need's best, or one side is no longer published",
        "机会不存在：该组合不在需求的最佳候选中，或一方已不再发布",
    ),
    (
        "opportunity.assign.forbidden",
        "only who looks after the need or the capability hands the pair over",
        "只有负责该需求或该成果的人员可以分派此组合",
    ),
    (
        "opportunity.broker.invalid",
        "the broker must belong to an organisation you manage and be able to see both the need and the capability",
        "经纪人须属于您管理的组织，且能够查看该需求与该成果",
    ),
    (
        "opportunity.assignment.not_found",
        "the pair is not assigned",
        "该组合尚未分派",
    ),
];
