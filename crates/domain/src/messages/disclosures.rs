//! Messages of staged confidentiality: teasers of CONFIDENTIAL needs and
//! their disclosures under a non-disclosure agreement.

/// Key, English text, Chinese text.
pub(super) const MESSAGES: &[(&str, &str, &str)] = &[
    (
        "need_teaser.write.forbidden",
        "only the need's organisation may write its teaser",
        "只有需求所属组织可以编写其披露摘要",
    ),
    (
        "need_teaser.names_organization",
        "a teaser is shown to outsiders and must not name the organisation (\"{name}\")",
        "披露摘要面向外部组织展示，不得出现需求方组织名称（“{name}”）",
    ),
    (
        "disclosure.write.forbidden",
        "only the need's organisation may disclose it or revoke a disclosure",
        "只有需求所属组织可以披露该需求或撤销披露",
    ),
    (
        "disclosure.accept.forbidden",
        "only a member of the receiving organisation may accept the non-disclosure agreement",
        "只有接收方组织的成员可以接受保密协议",
    ),
    (
        "disclosure.need.not_confidential",
        "only a CONFIDENTIAL need is disclosed: this one is {visibility}",
        "只有保密（CONFIDENTIAL）需求需要披露，该需求的可见范围为 {visibility}",
    ),
    (
        "disclosure.need.not_released",
        "a need in status {status} cannot be disclosed",
        "状态为 {status} 的需求不能披露",
    ),
    (
        "disclosure.teaser.missing",
        "write the need's teaser first: the receiving organisation sees it before accepting",
        "请先编写需求的披露摘要：接收方组织在接受保密协议前只能看到摘要",
    ),
    (
        "disclosure.organization.own",
        "a need is not disclosed to its own organisation",
        "不能向需求所属组织披露该需求",
    ),
    (
        "disclosure.exists",
        "the need is already disclosed to this organisation ({status})",
        "该需求已向此组织披露（{status}）",
    ),
    (
        "disclosure.nda.version_mismatch",
        "the non-disclosure agreement in force is version {current}: read it and accept that version",
        "现行保密协议版本为 {current}，请阅读后接受该版本",
    ),
];
