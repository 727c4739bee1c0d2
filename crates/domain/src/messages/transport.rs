//! Messages of the transports: sign-in headers, request shapes, REST
//! parameters, paging, ids, document limits and rate limits.

/// Key, English text, Chinese text.
pub(super) const MESSAGES: &[(&str, &str, &str)] = &[
    // Credentials.
    (
        "auth.sign_in_ended",
        "this sign-in has ended",
        "此次登录已结束，请重新登录",
    ),
    (
        "auth.header.not_bearer",
        "the Authorization header must be `Bearer <access token>`",
        "Authorization 请求头必须是 `Bearer <访问令牌>`",
    ),
    (
        "auth.header.not_text",
        "the Authorization header is not valid text",
        "Authorization 请求头不是有效的文本",
    ),
    (
        "calendar_feed.token.refused",
        "the calendar feed token is unknown, revoked or for another calendar",
        "日历订阅令牌不存在、已撤销或属于其他日历",
    ),
    // Request shapes.
    (
        "graphql.get_mutation",
        "mutations are only accepted over POST",
        "变更操作（mutation）只能通过 POST 发送",
    ),
    (
        "graphql.content_type",
        "send GraphQL requests as `content-type: application/json`",
        "请以 `content-type: application/json` 发送 GraphQL 请求",
    ),
    (
        "graphql.batch",
        "batched requests are not supported: send one operation per request",
        "不支持批量请求：每个请求只发送一个操作",
    ),
    (
        "graphql.body.not_json",
        "the body is not valid JSON",
        "请求体不是有效的 JSON",
    ),
    (
        "graphql.body.not_request",
        "the body is not a GraphQL request: {detail}",
        "请求体不是 GraphQL 请求：{detail}",
    ),
    (
        "graphql.variables.not_json",
        "`variables` is not valid JSON",
        "`variables` 不是有效的 JSON",
    ),
    (
        "graphiql.disabled",
        "GraphiQL is disabled in production",
        "生产环境中已关闭 GraphiQL",
    ),
    // Parameters, paging and ids.
    (
        "query.malformed",
        "is not a valid query string",
        "不是有效的查询字符串",
    ),
    (
        "query.unreadable",
        "cannot be read: {detail}",
        "无法解析查询参数：{detail}",
    ),
    (
        "value.one_of",
        "must be one of {values}",
        "必须是以下取值之一：{values}",
    ),
    ("value.at_most", "must be at most {max}", "不能大于 {max}"),
    (
        "order.direction.invalid",
        "must be ASC or DESC",
        "必须是 ASC 或 DESC",
    ),
    (
        "paging.first.range",
        "must be a number from 1 to {max}",
        "必须是 1 到 {max} 之间的数字",
    ),
    (
        "paging.first_and_last",
        "cannot be combined with first",
        "不能与 first 同时使用",
    ),
    (
        "node.ids.too_many",
        "at most {max} ids at once",
        "一次最多查询 {max} 个 ID",
    ),
    // Document limits (checked before execution).
    (
        "document.variables.too_many",
        "the variables hold {count} values; at most {max} are accepted",
        "变量中有 {count} 个值，最多接受 {max} 个",
    ),
    (
        "document.list.too_long",
        "a list has {count} items; at most {max} are accepted",
        "某个列表有 {count} 项，最多接受 {max} 项",
    ),
    (
        "document.tokens.too_many",
        "the query has more than {count} tokens; at most {max} are accepted",
        "查询超过 {count} 个词法单元，最多接受 {max} 个",
    ),
    (
        "document.fragment.cycle",
        "fragment {name} spreads itself (directly or through other fragments)",
        "片段 {name} 直接或间接地展开了自身",
    ),
    (
        "document.fields.too_many",
        "the query selects {count} fields once its fragments are expanded; at most {max} are accepted",
        "展开片段后查询选择了 {count} 个字段，最多接受 {max} 个",
    ),
    (
        "document.aliases.too_many",
        "the query has {count} aliases; at most {max} are accepted",
        "查询有 {count} 个别名，最多接受 {max} 个",
    ),
    (
        "document.root_fields.too_many",
        "an operation selects {count} root fields; at most {max} are accepted",
        "一个操作选择了 {count} 个根字段，最多接受 {max} 个",
    ),
    (
        "document.bulk.too_many",
        "an operation runs {count} bulk imports; at most {max} is accepted per request",
        "一个操作包含 {count} 个批量导入，每个请求最多接受 {max} 个",
    ),
    (
        "document.too_deep",
        "the query is nested too deep: {count} levels of fields; at most {max} are accepted",
        "查询嵌套过深：字段有 {count} 层，最多接受 {max} 层",
    ),
    (
        "document.introspection.too_deep",
        "the introspection query is nested too deep: {count} levels of fields; at most {max} are accepted",
        "内省查询嵌套过深：字段有 {count} 层，最多接受 {max} 层",
    ),
    // Rate limits.
    (
        "rate.auth_per_ip",
        "too many requests from this address: try again in {retryAfter} s",
        "来自该地址的请求过于频繁，请 {retryAfter} 秒后重试",
    ),
    (
        "rate.login_per_account",
        "too many sign-in attempts for this account: try again in {retryAfter} s",
        "该账户的登录尝试过于频繁，请 {retryAfter} 秒后重试",
    ),
    (
        "rate.graphql_per_user",
        "too many GraphQL requests: try again in {retryAfter} s",
        "GraphQL 请求过于频繁，请 {retryAfter} 秒后重试",
    ),
];
