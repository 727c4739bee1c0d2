//! Messages of projects, milestones, checklists, matches and their events.

/// Key, English text, Chinese text.
pub(super) const MESSAGES: &[(&str, &str, &str)] = &[
    // Who may do what.
    (
        "project.write.forbidden",
        "only members of the project's parties, coordinators and admins may change it",
        "只有合作项目各方组织的成员、协调员和管理员可以修改",
    ),
    (
        "project.create.forbidden",
        "a project is created by a member of one of its parties, a coordinator or an admin",
        "合作项目只能由其中一方组织的成员、协调员或管理员创建",
    ),
    (
        "project.need.link_forbidden",
        "needId: only a need of an organization you belong to may be linked to a project; \
         a cooperation with another organization's need starts from an accepted match",
        "needId：只能关联你所在组织的技术需求；与其他组织的技术需求合作，请从已接受的匹配创建合作项目",
    ),
    (
        "project.capability.link_forbidden",
        "capabilityId: only a capability of an organization you belong to may be linked to a project; \
         a cooperation with another organization's capability starts from an accepted match",
        "capabilityId：只能关联你所在组织的科研能力；与其他组织的科研能力合作，请从已接受的匹配创建合作项目",
    ),
    (
        "stats.read.forbidden",
        "these figures are for those who oversee the organisation, and the platform's for coordinators and admins",
        "只有所属组织的成员、范围内的协调员和监督员可以查看该组织的统计；全平台统计仅供平台协调员和管理员查看",
    ),
    (
        "stats.period.reversed",
        "must not be before period.from",
        "不能早于统计期间的开始日期 period.from",
    ),
    (
        "match.decide.forbidden",
        "matches of a need are for its organization, coordinators and admins",
        "技术需求的匹配仅限其所属组织、协调员和管理员查看和处理",
    ),
    (
        "capability.matching_needs.forbidden",
        "matching needs of a capability are for its organization, coordinators and admins",
        "与科研能力匹配的技术需求仅限其所属组织、协调员和管理员查看",
    ),
    // Projects.
    (
        "project.not_editable",
        "a {status} project can no longer be changed",
        "状态为 {status} 的合作项目不能再修改",
    ),
    (
        "project.end_date.before_start",
        "must not be before startDate",
        "不能早于开始日期 startDate",
    ),
    (
        "project.parties.required",
        "name at least one organization",
        "请至少指定一个组织",
    ),
    (
        "project.parties.unknown",
        "refers to an organization that does not exist",
        "引用了不存在的组织",
    ),
    ("need.unknown", "no such need", "该技术需求不存在"),
    (
        "capability.unknown",
        "no such capability",
        "该科研能力不存在",
    ),
    (
        "project.need.not_party",
        "the need's organization must be one of the project's parties",
        "技术需求所属的组织必须是合作项目的一方",
    ),
    (
        "project.capability.not_party",
        "the capability's organization must be one of the project's parties",
        "科研能力所属的组织必须是合作项目的一方",
    ),
    (
        "project.match.not_accepted",
        "only an ACCEPTED match becomes a project; this one is {status}",
        "只有已接受（ACCEPTED）的匹配才能创建合作项目，该匹配当前为 {status}",
    ),
    (
        "project.match.taken",
        "this match already has a project",
        "该匹配已有合作项目",
    ),
    (
        "project.title.confidential_need",
        "give the project a title: a confidential need's title is not shown to the other parties",
        "请为合作项目填写标题：保密技术需求的标题不会向其他各方展示",
    ),
    (
        "project.termination.reason_required",
        "say why the project is terminated",
        "请说明终止合作项目的原因",
    ),
    // Checklists.
    (
        "checklist_item.owner.not_member",
        "the owner must be a member of a party that accepted the project or that you manage",
        "负责人必须是已接受该合作项目或由您管理的某一方组织的成员",
    ),
    (
        "checklist_item.milestone.unknown",
        "no such milestone in this project",
        "该合作项目中没有这个里程碑",
    ),
    (
        "checklist_item.block.note_required",
        "say what blocks the item",
        "请说明清单事项受阻的原因",
    ),
    (
        "checklist_item.status.unchanged",
        "the item is already {status}",
        "清单事项已经是 {status} 状态",
    ),
    // Lists (REST).
    (
        "project.order_by.unknown",
        "must be DUE_DATE, UPDATED_AT or PROGRESS",
        "必须是 DUE_DATE、UPDATED_AT 或 PROGRESS",
    ),
];
