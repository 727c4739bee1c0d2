//! Messages of the parties' consent to a project: invitations and the
//! confirmations of its binding moves.

/// Key, English text, Chinese text.
pub(super) const MESSAGES: &[(&str, &str, &str)] = &[
    (
        "project.consent.party_declined",
        "a party declined the project: it cannot be agreed while that party is named; terminate it instead",
        "有合作方已拒绝参与该项目：该方仍被列为合作方时项目不能确认，可以终止该项目",
    ),
    (
        "project.consent.invitations_open",
        "every party must accept its invitation before the project is agreed",
        "所有合作方都接受邀请后，项目才能确认",
    ),
    (
        "project.consent.not_accepted",
        "your organization has not accepted its invitation to this project yet: accept it first",
        "你所在的组织尚未接受该项目的邀请，请先接受邀请",
    ),
    (
        "project.consent.no_invitation",
        "no organization you manage has an open invitation to this project",
        "你管理的组织在该项目中没有待答复的邀请",
    ),
    (
        "project.consent.closed",
        "the project has ended ({status}): invitations can no longer be answered",
        "项目已结束（{status}），不能再答复邀请",
    ),
    (
        "project.confirmation.none",
        "no organization you manage has confirmed this move: there is nothing to withdraw",
        "你管理的组织没有确认过这一状态变更，无可撤回",
    ),
    (
        "project.confirmation.not_binding",
        "only agreeing, completing and terminating a project are confirmed by the parties",
        "只有确认、完成和终止项目需要各合作方确认",
    ),
];
