//! Messages of matching: why a pair scored as it did, factor by factor.

/// Key, English text, Chinese text.
pub(super) const MESSAGES: &[(&str, &str, &str)] = &[
    (
        "factor.not_applicable",
        "not applicable: no data on one side",
        "不适用：一方缺少数据",
    ),
    (
        "factor.text.count",
        "{count} matched term(s); relevance relative to the best candidate",
        "匹配到 {count} 个词；相关度以最佳候选为基准",
    ),
    (
        "factor.text.matched",
        "matched {terms}; relevance relative to the best candidate",
        "匹配到：{terms}；相关度以最佳候选为基准",
    ),
    (
        "factor.text.relevance",
        "relevance relative to the best candidate",
        "相关度以最佳候选为基准",
    ),
    (
        "factor.discipline.shared",
        "shared disciplines: {pairs}",
        "共同学科：{pairs}",
    ),
    (
        "factor.discipline.same",
        "{name} (the same)",
        "{name}（相同）",
    ),
    (
        "factor.discipline.none",
        "no shared discipline",
        "没有共同学科",
    ),
    (
        "factor.keywords.count",
        "{shared} of {total} keyword terms shared",
        "{total} 个关键词中有 {shared} 个相同",
    ),
    (
        "factor.keywords.shared",
        "shared keywords: {terms}",
        "共同关键词：{terms}",
    ),
    (
        "factor.keywords.none",
        "no shared keyword",
        "没有共同关键词",
    ),
    (
        "factor.trl.meets",
        "TRL {reached} meets the required {required}",
        "技术成熟度 {reached} 级，达到要求的 {required} 级",
    ),
    (
        "factor.trl.below",
        "TRL {reached} is {gap} below the required {required}",
        "技术成熟度 {reached} 级，比要求的 {required} 级低 {gap} 级",
    ),
    (
        "factor.modes.available",
        "someone responsible is available for {modes}",
        "有负责人可参与：{modes}",
    ),
    (
        "factor.modes.none",
        "nobody responsible is available for the wanted modes",
        "没有负责人可参与所需的合作方式",
    ),
    ("factor.region.same", "both in {region}", "同在{region}"),
    (
        "factor.region.different",
        "{need} and {candidate}",
        "{need}与{candidate}",
    ),
    (
        "factor.track_record",
        "{count} completed cooperation project(s)",
        "已完成 {count} 个合作项目",
    ),
    // Ways of cooperating, as words in a sentence.
    ("cooperation_mode.consulting", "consulting", "技术咨询"),
    ("cooperation_mode.secondment", "secondment", "人员派驻"),
    (
        "cooperation_mode.joint_training",
        "joint training",
        "联合培养",
    ),
    (
        "cooperation_mode.joint_research",
        "joint research",
        "联合研发",
    ),
    (
        "cooperation_mode.technology_transfer",
        "technology transfer",
        "技术转让",
    ),
    ("cooperation_mode.testing", "testing", "检验检测"),
];
