//! Messages of the annual plans of framework agreements (年度工作计划):
//! targets, work items and who may change them.

/// Key, English text, Chinese text.
pub(super) const MESSAGES: &[(&str, &str, &str)] = &[
    (
        "plan.write.forbidden",
        "only members of the agreement's parties and admins may change its plan",
        "只有合作框架协议各方组织的成员和管理员可以修改其年度计划",
    ),
    (
        "plan.agreement.closed",
        "the plan of a {status} agreement can no longer be changed",
        "状态为 {status} 的合作框架协议的年度计划不能再修改",
    ),
    (
        "plan.year.outside_term",
        "{year} is outside the agreement's term ({start} to {end})",
        "{year} 年不在协议期限内（{start} 至 {end}）",
    ),
    (
        "plan.area.not_covered",
        "the agreement does not cover the area {area}",
        "该合作框架协议不包含合作领域 {area}",
    ),
    (
        "plan.metric.wrong_area",
        "{metric} is not counted in the area {area}",
        "指标 {metric} 不适用于合作领域 {area}",
    ),
    (
        "plan.responsible.not_party",
        "must be one of the agreement's parties",
        "必须是该合作框架协议的一方组织",
    ),
    (
        "plan_work_item.transition.not_allowed",
        "work item cannot move from {from} to {to}",
        "计划事项不能从 {from} 变为 {to}",
    ),
];
