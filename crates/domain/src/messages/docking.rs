//! Messages of docking: both sides of a match decide, the research side
//! expresses interest, conflicts of interest are flagged.

/// Key, English text, Chinese text.
pub(super) const MESSAGES: &[(&str, &str, &str)] = &[
    (
        "match.side.need_steps_only",
        "only the need's side shortlists or contacts a match",
        "只有需求方可以将匹配加入候选或标记为已联系",
    ),
    (
        "match.side.already_decided",
        "the {side} side has already decided on this match",
        "{side} 方已对该匹配作出决定",
    ),
    (
        "match.side.not_yours",
        "you do not decide for the {side} side of this match",
        "你无权代表 {side} 方对该匹配作出决定",
    ),
    (
        "interest.forbidden",
        "only the managers of the capability's or talent's organisation may express interest for it",
        "只有科研能力或人才所属组织的管理者可以为其表达合作意向",
    ),
    (
        "interest.target.exactly_one",
        "give either a capability or a talent, not both",
        "请指定一项科研能力或一位人才（二者只能选一）",
    ),
    (
        "interest.need.not_open",
        "interest can be expressed only in a published need",
        "只能对已发布的需求表达合作意向",
    ),
    (
        "interest.capability.not_published",
        "only a published capability can express interest",
        "只有已发布的科研能力可以表达合作意向",
    ),
    (
        "interest.duplicate",
        "interest in this need has already been expressed for it",
        "已为其对该需求表达过合作意向",
    ),
    (
        "interest.pair_declined",
        "this pair was declined: interest can no longer be expressed",
        "该匹配已被拒绝，不能再表达合作意向",
    ),
    (
        "interest.review.forbidden",
        "only the need's side reviews an interest",
        "只有需求方可以审阅合作意向",
    ),
    (
        "interest.review.through_match",
        "an interest for a capability is decided on its match (acceptMatch, declineMatch)",
        "科研能力的合作意向请在对应匹配上处理（acceptMatch、declineMatch）",
    ),
    (
        "interest.already_reviewed",
        "this interest has already been reviewed",
        "该合作意向已审阅",
    ),
    (
        "match.conflict.same_organization",
        "belongs to the need's own organisation",
        "属于需求方本组织",
    ),
    (
        "match.conflict.same_group",
        "belongs to the same group as the need's organisation",
        "与需求方属于同一集团",
    ),
];
