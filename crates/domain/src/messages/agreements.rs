//! Messages of framework agreements (合作框架协议) and of linking projects
//! and needs to them.

/// Key, English text, Chinese text.
pub(super) const MESSAGES: &[(&str, &str, &str)] = &[
    // Who may do what.
    (
        "agreement.create.forbidden",
        "an agreement is created by a member of one of its parties or an admin",
        "合作框架协议只能由其中一方组织的成员或管理员创建",
    ),
    (
        "agreement.write.forbidden",
        "only members of the agreement's parties and admins may change it",
        "只有合作框架协议各方组织的成员和管理员可以修改",
    ),
    (
        "agreement.activate.forbidden",
        "an agreement is confirmed for a party by an ORG_ADMIN of that party or an admin",
        "只有协议某一方组织的组织管理员（ORG_ADMIN）或平台管理员可以代表该方确认协议",
    ),
    (
        "agreement.terminate.forbidden",
        "an agreement is terminated by an ORG_ADMIN of one of its parties or an admin",
        "只有协议某一方组织的组织管理员（ORG_ADMIN）或平台管理员可以终止协议",
    ),
    (
        "agreement.link.forbidden",
        "agreementId: only members of the agreement's parties may file work under it",
        "agreementId：只有合作框架协议各方组织的成员可以将项目或需求归入该协议",
    ),
    // Life cycle.
    (
        "agreement.transition.not_allowed",
        "agreement cannot move from {from} to {to}",
        "合作框架协议不能从 {from} 变为 {to}",
    ),
    (
        "agreement.not_editable",
        "a {status} agreement can no longer be changed",
        "状态为 {status} 的合作框架协议不能再修改",
    ),
    (
        "agreement.termination.reason_required",
        "say why the agreement is terminated",
        "请说明终止合作框架协议的原因",
    ),
    // Fields.
    (
        "agreement.term.end_before_start",
        "must not be before termStart",
        "不能早于协议期限开始日期 termStart",
    ),
    (
        "agreement.areas.required",
        "name at least one cooperation area",
        "请至少指定一个合作领域",
    ),
    (
        "agreement.parties.too_few",
        "an agreement is between at least {min} organizations",
        "合作框架协议至少需要 {min} 个组织参与",
    ),
    (
        "agreement.parties.unknown",
        "refers to an organization that does not exist",
        "引用了不存在的组织",
    ),
    (
        "agreement.party.taken",
        "the organization is already a party",
        "该组织已是协议的一方",
    ),
    (
        "agreement.party.unknown",
        "the organization is not a party of the agreement",
        "该组织不是协议的一方",
    ),
    (
        "agreement.responsible.not_member",
        "a person responsible must be a member of the party organization or of one below it",
        "负责人必须是该方组织或其下属组织的成员",
    ),
    (
        "agreement.responsible.too_many",
        "at most {max} people per party",
        "每一方最多 {max} 名负责人",
    ),
    // Linking projects and needs.
    (
        "agreement.unknown",
        "no such agreement",
        "该合作框架协议不存在",
    ),
    (
        "agreement.import.unsupported",
        "a bulk import files no need under an agreement: link it afterwards with updateNeed",
        "批量导入不能将技术需求归入合作框架协议：请导入后用 updateNeed 关联",
    ),
    (
        "agreement.link.closed",
        "a {status} agreement takes no new projects or needs",
        "状态为 {status} 的合作框架协议不能再归入新的项目或需求",
    ),
];
