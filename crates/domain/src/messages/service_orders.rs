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
        "only the testing center's staff quote, reject, run and complete an order",
        "只有检测中心的工作人员可以报价、拒绝、执行和完成委托",
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
        "service_order.item.other_center",
        "the test item is not on the price list of the order's testing center",
        "该检测项目不在此委托检测中心的价目表中",
    ),
    (
        "service_order.item.quantity",
        "a test item is quoted 1 to {max} times",
        "检测项目数量须为 1 至 {max}",
    ),
    (
        "service_order.line.minutes",
        "instrument time is 1 to {max} minutes",
        "仪器机时须为 1 至 {max} 分钟",
    ),
    (
        "service_order.center.not_found",
        "no testing center has this id",
        "检测中心不存在",
    ),
    (
        "service_order.not_running",
        "the order is {status}: instrument time is booked and the report attached only while it is IN_PROGRESS",
        "委托当前状态为 {status}：只有在检测进行中（IN_PROGRESS）才能预约机时或上传报告",
    ),
    (
        "service_order.report.missing",
        "attach the test report before completing the order",
        "请先上传检测报告再完成委托",
    ),
    (
        "service_order.rating.client_only",
        "only the client organisation rates an order",
        "只有委托方可以评价委托",
    ),
    (
        "service_order.rating.not_completed",
        "an order is rated once it is completed",
        "委托完成后才能评价",
    ),
    (
        "service_order.rating.exists",
        "this order is rated already",
        "该委托已评价",
    ),
];
