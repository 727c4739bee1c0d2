//! Messages of billing: price lists, billing accounts, invoices and
//! settlement.

/// Key, English text, Chinese text.
pub(super) const MESSAGES: &[(&str, &str, &str)] = &[
    ("invoice.not_found", "invoice not found", "账单不存在"),
    (
        "invoice.transition.not_allowed",
        "invoice cannot move from {from} to {to}",
        "账单不能从 {from} 变为 {to}",
    ),
    (
        "billing_account.not_found",
        "billing account not found",
        "结算账户不存在",
    ),
    (
        "test_item.not_found",
        "test item not found",
        "检测项目不存在",
    ),
    (
        "billing.period.order",
        "must not be before {field}",
        "不得早于 {field}",
    ),
    (
        "billing.period.too_long",
        "a billing period is at most {max} days",
        "结算周期最长 {max} 天",
    ),
    (
        "billing.staff_only",
        "only the staff of the testing center (the admins of the organisation running it) manage its prices, invoices and settlement",
        "只有检测中心的工作人员（运营单位的管理员）可以管理其价格、账单和分成结算",
    ),
    (
        "billing_account.forbidden",
        "only the admins of the organisation edit its billing account",
        "只有该组织的管理员可以编辑其结算账户",
    ),
    (
        "billing_account.email.invalid",
        "is not an e-mail address",
        "不是有效的电子邮件地址",
    ),
    (
        "billing_account.tax_number.invalid",
        "a taxpayer identification number has only capital letters and digits",
        "纳税人识别号只能包含大写字母和数字",
    ),
    (
        "test_item.code.invalid",
        "a code has only letters, digits, '-', '_', '.' and '/'",
        "编码只能包含字母、数字和 - _ . /",
    ),
    (
        "invoice.already_billed",
        "was billed meanwhile by another invoice",
        "已在另一张账单中结算",
    ),
    (
        "test_item.quoted",
        "a service order's quote charges this test item: change its prices instead of removing it",
        "已有检测委托的报价包含此检测项目：请修改其价格，不要删除",
    ),
    (
        "test_item.code.taken",
        "the center already lists a test item with this code",
        "该中心已有此编码的检测项目",
    ),
];
