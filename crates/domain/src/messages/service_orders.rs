//! Messages of testing service orders.

/// Key, English text, Chinese text.
pub(super) const MESSAGES: &[(&str, &str, &str)] = &[
    (
        "service_order.not_found",
        "service order not found",
        "检测委托不存在",
    ),
    (
        "service_order.center.no_instruments",
        "this organisation runs no instruments: ask a testing center",
        "该组织没有仪器，请向检测中心委托",
    ),
    (
        "service_order.client.not_member",
        "you can ask for tests only for an organisation you belong to",
        "只能为你所属的组织委托检测",
    ),
    (
        "service_order.client.none",
        "join an organisation before asking for tests",
        "请先加入一个组织再委托检测",
    ),
    (
        "service_order.required_by.past",
        "must be in the future",
        "必须晚于当前时间",
    ),
    (
        "service_order.staff_only",
        "only the testing center's staff quote or reject an order",
        "只有检测中心的工作人员可以报价或拒绝委托",
    ),
    (
        "service_order.client_only",
        "only the client organisation accepts, declines or cancels an order",
        "只有委托方可以接受、拒绝报价或取消委托",
    ),
    (
        "service_order.lines.count",
        "a quote has 1 to {max} lines",
        "报价须有 1 至 {max} 项",
    ),
    (
        "service_order.line.other_center",
        "the instrument is not one of the order's testing center",
        "该仪器不属于此委托的检测中心",
    ),
    (
        "service_order.line.minutes",
        "instrument time is 1 to {max} minutes",
        "仪器机时须为 1 至 {max} 分钟",
    ),
];
