//! Messages of organisations, members, accounts, talents, capabilities and imports.

/// Key, English text, Chinese text.
pub(super) const MESSAGES: &[(&str, &str, &str)] = &[
    // Organisations and their members.
    (
        "organization.create.forbidden",
        "only admins and coordinators may create organizations",
        "只有管理员和协调员可以创建组织",
    ),
    (
        "organization.update.forbidden",
        "only admins, coordinators and the organization's ORG_ADMINs may change it",
        "只有管理员、协调员和该组织的组织管理员可以修改该组织",
    ),
    (
        "organization.members.forbidden",
        "only the organization's members, coordinators and admins see its members",
        "只有该组织的成员、协调员和管理员可以查看其成员",
    ),
    (
        "membership.add.forbidden",
        "only admins and the organization's ORG_ADMINs may add members",
        "只有管理员和该组织的组织管理员可以添加成员",
    ),
    (
        "membership.remove.forbidden",
        "only admins and the organization's ORG_ADMINs may remove members",
        "只有管理员和该组织的组织管理员可以移除成员",
    ),
    (
        "membership.email.unknown",
        "no registered user has this e-mail",
        "没有用户使用该电子邮件地址注册",
    ),
    // Scoped roles.
    (
        "role.grant.forbidden",
        "only admins and the organization's ORG_ADMINs may grant roles over it",
        "只有管理员和该组织的组织管理员可以授予该组织范围内的角色",
    ),
    (
        "role.revoke.forbidden",
        "only admins, the organization's ORG_ADMINs and the holder may revoke a role",
        "只有管理员、该组织的组织管理员和角色持有人可以撤销角色",
    ),
    (
        "role.grant.exists",
        "the user already holds this role over this organization",
        "该用户已在该组织范围内拥有此角色",
    ),
    (
        "role.revoke.revoked",
        "this role was revoked already",
        "该角色已被撤销",
    ),
    // Agreement coordinators.
    (
        "agreement.coordinator.grant.forbidden",
        "only admins and the ORG_ADMINs of the agreement's parties may appoint its coordinators",
        "只有管理员和协议各方的组织管理员可以指定该协议的协调员",
    ),
    (
        "agreement.coordinator.revoke.forbidden",
        "only admins and the ORG_ADMINs of the agreement's parties may revoke its coordinators",
        "只有管理员和协议各方的组织管理员可以撤销该协议的协调员",
    ),
    (
        "agreement.coordinator.exists",
        "the user already coordinates this agreement",
        "该用户已是该协议的协调员",
    ),
    (
        "agreement.coordinator.revoked",
        "this coordinator grant was revoked already",
        "该协调员授权已被撤销",
    ),
    (
        "organization.role_grants.forbidden",
        "only admins, coordinators and the organization's ORG_ADMINs see the roles granted over it",
        "只有管理员、协调员和该组织的组织管理员可以查看该组织范围内授予的角色",
    ),
    (
        "account.read_only",
        "a supervisor's account reads and changes nothing",
        "监督账户只能查看，不能进行任何修改",
    ),
    // Accounts.
    (
        "user.search.forbidden",
        "you may search only the members of your organizations and of your projects' parties",
        "只能搜索你所在组织以及你的合作项目各参与方的成员",
    ),
    ("body.incomplete", "is incomplete", "请求体不完整"),
    // Talent profiles.
    (
        "talent.write.forbidden",
        "only the person, members of their organization, coordinators and admins may change a talent profile",
        "只有本人、其所在组织的成员、协调员和管理员可以修改人才档案",
    ),
    (
        "talent.version.unexpected",
        "a new profile has no version yet; leave it out",
        "新建的人才档案还没有版本号，请不要填写",
    ),
    (
        "talent.create.required",
        "is required for a new talent profile",
        "新建人才档案时必须填写",
    ),
    (
        "talent.link.forbidden",
        "talentIds: only talent profiles of organizations you belong to may be named as responsible",
        "只能指定你所在组织的人才档案作为负责人（talentIds）",
    ),
    // Lists.
    ("filter.one_value", "takes one value only", "只能取一个值"),
    // Imports.
    (
        "import.organization.forbidden",
        "{rows}: only members of the owning organization, coordinators and admins may import for it; nothing was imported",
        "{rows}：只有所属组织的成员、协调员和管理员可以为其导入；未导入任何数据",
    ),
    (
        "import.organization.forbidden_more",
        "{rows} and {more} more: only members of the owning organization, coordinators and admins may import for it; nothing was imported",
        "{rows} 以及另外 {more} 行：只有所属组织的成员、协调员和管理员可以为其导入；未导入任何数据",
    ),
    // Demo data.
    (
        "demo.reference.unknown",
        "unknown {kind} `{key}`",
        "演示数据引用了不存在的对象 `{key}`",
    ),
    // Import files read by the command line.
    (
        "import.id.unreadable",
        "`{value}` is neither a database id nor a global {kind} ID",
        "`{value}` 既不是数据库 ID，也不是全局 ID",
    ),
    (
        "import.id.not_positive",
        "`{value}` is not a valid id",
        "`{value}` 不是有效的 ID",
    ),
    (
        "import.organization.missing",
        "missing: give it in the row or with --organization",
        "缺少组织：请在行中给出，或使用 --organization 指定",
    ),
    (
        "import.row.not_object",
        "must be a JSON object",
        "必须是 JSON 对象",
    ),
    (
        "import.row.not_json",
        "not valid JSON: {detail}",
        "不是有效的 JSON：{detail}",
    ),
    (
        "import.row.cells",
        "has {count} cells, the header has {header}",
        "有 {count} 个单元格，而表头有 {header} 列",
    ),
    (
        "import.row.not_utf8",
        "is not valid UTF-8",
        "不是有效的 UTF-8 文本",
    ),
    ("import.value.invalid", "{detail}", "取值无效：{detail}"),
];
