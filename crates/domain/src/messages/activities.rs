//! Messages of cooperation activities (合作活动): talent sharing, joint
//! training, vocational education and the pairing of party organisations.

/// Key, English text, Chinese text.
pub(super) const MESSAGES: &[(&str, &str, &str)] = &[
    // Who may do what.
    (
        "activity.create.forbidden",
        "an activity is recorded by a member of one of the organizations involved or an admin",
        "合作活动只能由参与组织之一的成员或管理员登记",
    ),
    (
        "activity.write.forbidden",
        "only members of the organizations involved and admins may change the activity",
        "只有合作活动参与组织的成员和管理员可以修改该活动",
    ),
    // Life cycle.
    (
        "activity.transition.not_allowed",
        "activity cannot move from {from} to {to}",
        "合作活动不能从 {from} 变为 {to}",
    ),
    (
        "activity.not_editable",
        "a {status} activity can no longer be changed",
        "状态为 {status} 的合作活动不能再修改",
    ),
    (
        "activity.complete.before_start",
        "an activity starting on {start} cannot be completed before it starts",
        "开始日期为 {start} 的合作活动尚未开始，不能标记为完成",
    ),
    (
        "activity.cancel.reason_required",
        "say why the activity is cancelled",
        "请说明取消合作活动的原因",
    ),
    // Fields.
    (
        "activity.end_before_start",
        "must not be before startDate",
        "不能早于开始日期 startDate",
    ),
    (
        "activity.organizations.unknown",
        "refers to an organization that does not exist",
        "引用了不存在的组织",
    ),
    (
        "activity.participants.too_many",
        "at most {max} participants per activity",
        "每项合作活动最多 {max} 名参与人员",
    ),
    (
        "activity.participant.name_required",
        "name the participant or give their talent profile",
        "请填写参与人员姓名或选择其人才档案",
    ),
    (
        "activity.participant.talent_unknown",
        "no such talent profile",
        "该人才档案不存在",
    ),
    (
        "activity.participant.organization_unknown",
        "refers to an organization that does not exist",
        "引用了不存在的组织",
    ),
    (
        "activity.participant.unknown",
        "no such participant of the activity",
        "该合作活动没有此参与人员",
    ),
    // Under an agreement.
    (
        "activity.agreement.area_not_covered",
        "the agreement does not cover the area {area}",
        "该合作框架协议不涵盖合作领域 {area}",
    ),
    (
        "activity.agreement.not_a_party",
        "every organization involved must be a party of the agreement or belong to one",
        "所有参与组织都必须是合作框架协议的一方或其下属组织",
    ),
];
