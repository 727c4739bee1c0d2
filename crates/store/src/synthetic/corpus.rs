//! Deterministic synthetic data in the shape of the product's real objects:
//! bilingual (Chinese, English or mixed) titles, summaries and keywords drawn
//! from technology domains of the cooperation agreement, with structured
//! fields for the factor scoring. The same seed gives the same corpus.

use iurhub_domain::CooperationMode;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

/// A technology domain: a GB/T 13745 first-level code and its concepts
/// as (Chinese, English) pairs.
struct Domain {
    discipline: &'static str,
    concepts: &'static [(&'static str, &'static str)],
}

const DOMAINS: &[Domain] = &[
    Domain {
        discipline: "460",
        concepts: &[
            ("轴承", "bearing"),
            ("故障诊断", "fault diagnosis"),
            ("齿轮箱", "gearbox"),
            ("振动信号", "vibration signal"),
            ("数控机床", "CNC machine tool"),
            ("主轴", "spindle"),
            ("精密加工", "precision machining"),
            ("刀具磨损", "tool wear"),
            ("液压系统", "hydraulic system"),
            ("减速器", "reducer"),
            ("疲劳寿命", "fatigue life"),
            ("密封件", "seal"),
            ("工业机器人", "industrial robot"),
            ("装配线", "assembly line"),
        ],
    },
    Domain {
        discipline: "430",
        concepts: &[
            ("激光熔覆", "laser cladding"),
            ("高温合金", "superalloy"),
            ("热处理", "heat treatment"),
            ("涂层", "coating"),
            ("复合材料", "composite material"),
            ("腐蚀防护", "corrosion protection"),
            ("增材制造", "additive manufacturing"),
            ("焊接接头", "welded joint"),
            ("金相组织", "microstructure"),
            ("残余应力", "residual stress"),
            ("粉末冶金", "powder metallurgy"),
            ("陶瓷材料", "ceramic material"),
        ],
    },
    Domain {
        discipline: "413",
        concepts: &[
            ("伺服控制", "servo control"),
            ("运动控制", "motion control"),
            ("可编程控制器", "programmable logic controller"),
            ("状态监测", "condition monitoring"),
            ("传感器", "sensor"),
            ("工业互联网", "industrial internet"),
            ("数字孪生", "digital twin"),
            ("预测性维护", "predictive maintenance"),
            ("边缘计算", "edge computing"),
            ("现场总线", "fieldbus"),
            ("自适应控制", "adaptive control"),
        ],
    },
    Domain {
        discipline: "520",
        concepts: &[
            ("深度学习", "deep learning"),
            ("机器视觉", "machine vision"),
            ("缺陷检测", "defect detection"),
            ("知识图谱", "knowledge graph"),
            ("自然语言处理", "natural language processing"),
            ("图像分割", "image segmentation"),
            ("强化学习", "reinforcement learning"),
            ("推荐系统", "recommender system"),
            ("联邦学习", "federated learning"),
            ("时间序列预测", "time series forecasting"),
            ("大语言模型", "large language model"),
            ("目标检测", "object detection"),
        ],
    },
    Domain {
        discipline: "470",
        concepts: &[
            ("电机", "electric motor"),
            ("变频器", "frequency converter"),
            ("储能", "energy storage"),
            ("锂电池", "lithium battery"),
            ("光伏", "photovoltaic"),
            ("风电", "wind power"),
            ("电网调度", "grid dispatch"),
            ("余热回收", "waste heat recovery"),
            ("燃气轮机", "gas turbine"),
            ("氢能", "hydrogen energy"),
            ("功率电子", "power electronics"),
        ],
    },
    Domain {
        discipline: "530",
        concepts: &[
            ("催化剂", "catalyst"),
            ("精细化工", "fine chemicals"),
            ("膜分离", "membrane separation"),
            ("废水处理", "wastewater treatment"),
            ("高分子材料", "polymer"),
            ("反应器", "reactor"),
            ("萃取", "extraction"),
            ("结晶工艺", "crystallization process"),
            ("绿色溶剂", "green solvent"),
            ("过程强化", "process intensification"),
        ],
    },
    Domain {
        discipline: "180",
        concepts: &[
            ("发酵", "fermentation"),
            ("酶工程", "enzyme engineering"),
            ("生物传感器", "biosensor"),
            ("细胞培养", "cell culture"),
            ("基因编辑", "gene editing"),
            ("食品安全检测", "food safety testing"),
            ("微生物", "microorganism"),
            ("中药提取", "herbal extraction"),
            ("蛋白质表达", "protein expression"),
        ],
    },
    Domain {
        discipline: "610",
        concepts: &[
            ("土壤修复", "soil remediation"),
            ("大气污染", "air pollution"),
            ("碳排放核算", "carbon accounting"),
            ("固废资源化", "solid waste recycling"),
            ("环境监测", "environmental monitoring"),
            ("噪声控制", "noise control"),
            ("节能减排", "energy saving"),
            ("生命周期评价", "life cycle assessment"),
        ],
    },
];

const FILLER_ZH: &[&str] = &[
    "方法",
    "系统",
    "研究",
    "性能",
    "分析",
    "设计",
    "实验",
    "工业",
    "应用",
    "模型",
    "工艺",
    "结果",
    "效率",
    "质量",
    "开发",
    "平台",
    "改进",
    "新型",
    "高精度",
    "可靠性",
    "成本",
    "生产",
    "验证",
    "现场",
    "数据",
    "优化",
    "结构",
    "测试",
    "评价",
    "装备",
    "关键技术",
    "示范",
    "产业化",
    "团队",
    "成果",
    "企业",
    "标准",
    "规模",
    "提升",
    "降低",
    "在线",
    "智能",
    "稳定性",
    "寿命",
    "精度",
];

const FILLER_EN: &[&str] = &[
    "method",
    "system",
    "research",
    "performance",
    "analysis",
    "design",
    "experimental",
    "industrial",
    "application",
    "model",
    "process",
    "results",
    "efficiency",
    "quality",
    "development",
    "platform",
    "improved",
    "novel",
    "high",
    "precision",
    "reliability",
    "cost",
    "production",
    "validation",
    "field",
    "data",
    "optimization",
    "structure",
    "testing",
    "evaluation",
    "equipment",
    "key",
    "technology",
    "demonstration",
    "scale",
    "team",
    "online",
    "intelligent",
    "stability",
    "lifetime",
    "accuracy",
    "reduce",
    "increase",
    "standard",
];

const PROVINCES: &[&str] = &[
    "Shaanxi",
    "Beijing",
    "Shanghai",
    "Guangdong",
    "Jiangsu",
    "Zhejiang",
    "Sichuan",
    "Hubei",
];

const MODES: &[CooperationMode] = &[
    CooperationMode::Consulting,
    CooperationMode::Secondment,
    CooperationMode::JointTraining,
    CooperationMode::JointResearch,
    CooperationMode::TechnologyTransfer,
    CooperationMode::Testing,
];

/// The written language of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Chinese,
    English,
    Mixed,
}

/// One synthetic need or capability.
#[derive(Debug, Clone)]
pub struct SynthDoc {
    pub id: i64,
    pub lang: Lang,
    pub title: String,
    /// Description (needs) or summary (capabilities).
    pub body: String,
    pub keywords: Vec<String>,
    /// 7-digit GB/T 13745 codes.
    pub discipline_codes: Vec<String>,
    /// Readiness offered (capabilities) or required (needs).
    pub trl: Option<i32>,
    /// Cooperation modes wanted (needs) or offered (capabilities).
    pub modes: Vec<CooperationMode>,
    pub province: String,
    /// Completed projects of the owning organisation.
    pub completed_projects: u32,
}

/// A seeded generator of synthetic documents.
pub struct Generator {
    rng: StdRng,
}

impl Generator {
    pub fn new(seed: u64) -> Generator {
        Generator {
            rng: StdRng::seed_from_u64(seed),
        }
    }

    fn word(&mut self, concept: (&'static str, &'static str), lang: Lang) -> &'static str {
        match lang {
            Lang::Chinese => concept.0,
            Lang::English => concept.1,
            Lang::Mixed => {
                if self.rng.random_bool(0.5) {
                    concept.0
                } else {
                    concept.1
                }
            }
        }
    }

    fn sentence(&mut self, concepts: &[(&'static str, &'static str)], lang: Lang) -> String {
        let len = self.rng.random_range(6..=14);
        let zh = match lang {
            Lang::Chinese => true,
            Lang::English => false,
            Lang::Mixed => self.rng.random_bool(0.5),
        };
        let mut words = Vec::with_capacity(len);
        for _ in 0..len {
            let w = if self.rng.random_bool(0.3) {
                let c = *concepts.choose(&mut self.rng).expect("concepts");
                if zh { c.0 } else { c.1 }
            } else if zh {
                FILLER_ZH.choose(&mut self.rng).expect("filler")
            } else {
                FILLER_EN.choose(&mut self.rng).expect("filler")
            };
            words.push(w);
        }
        if zh {
            format!("{}。", words.concat())
        } else {
            format!("{}.", words.join(" "))
        }
    }

    /// The next document with the given id.
    pub fn doc(&mut self, id: i64) -> SynthDoc {
        let lang = match self.rng.random_range(0..10) {
            0..=4 => Lang::Chinese,
            5..=8 => Lang::English,
            _ => Lang::Mixed,
        };
        let domain = DOMAINS.choose(&mut self.rng).expect("domains");
        let k = self.rng.random_range(3..=6).min(domain.concepts.len());
        let mut concepts: Vec<(&str, &str)> = domain
            .concepts
            .choose_multiple(&mut self.rng, k)
            .copied()
            .collect();
        if self.rng.random_bool(0.3) {
            let other = DOMAINS.choose(&mut self.rng).expect("domains");
            concepts.push(*other.concepts.choose(&mut self.rng).expect("concepts"));
        }
        let title = {
            let a = self.word(concepts[0], lang);
            let b = self.word(concepts[1], lang);
            match lang {
                Lang::Chinese => format!("{a}与{b}关键技术研究"),
                _ => format!("{a} and {b} technology"),
            }
        };
        let sentences = self.rng.random_range(3..=6);
        let body: Vec<String> = (0..sentences)
            .map(|_| self.sentence(&concepts, lang))
            .collect();
        let bilingual = self.rng.random_bool(0.6);
        let mut keywords = Vec::new();
        for c in concepts.iter().take(self.rng.random_range(2..=4)) {
            if bilingual {
                keywords.push(c.0.to_owned());
                keywords.push(c.1.to_owned());
            } else {
                keywords.push(self.word(*c, lang).to_owned());
            }
        }
        let discipline_codes = (0..self.rng.random_range(1..=2))
            .map(|_| {
                format!(
                    "{}{:02}{:02}",
                    domain.discipline,
                    self.rng.random_range(1..=5) * 10,
                    self.rng.random_range(1..=3) * 10
                )
            })
            .collect();
        let trl = self
            .rng
            .random_bool(0.9)
            .then(|| self.rng.random_range(1..=9));
        let n_modes = self.rng.random_range(1..=3);
        let mut modes: Vec<CooperationMode> = MODES
            .choose_multiple(&mut self.rng, n_modes)
            .copied()
            .collect();
        modes.sort();
        SynthDoc {
            id,
            lang,
            title,
            body: body.join(if lang == Lang::Chinese { "" } else { " " }),
            keywords,
            discipline_codes,
            trl,
            modes,
            province: (*PROVINCES.choose(&mut self.rng).expect("provinces")).to_owned(),
            completed_projects: self.rng.random_range(0..=12),
        }
    }

    /// Documents with ids `1..=n`.
    pub fn docs(&mut self, n: usize) -> Vec<SynthDoc> {
        (1..=n as i64).map(|id| self.doc(id)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_bilingual_and_complete() {
        let a = Generator::new(7).docs(200);
        let b = Generator::new(7).docs(200);
        assert_eq!(
            a.iter().map(|d| &d.body).collect::<Vec<_>>(),
            b.iter().map(|d| &d.body).collect::<Vec<_>>(),
            "the same seed gives the same corpus"
        );
        assert!(a.iter().any(|d| d.lang == Lang::Chinese));
        assert!(a.iter().any(|d| d.lang == Lang::English));
        for d in &a {
            assert!(!d.title.is_empty() && !d.body.is_empty() && !d.keywords.is_empty());
            assert!(d.discipline_codes.iter().all(|c| c.len() == 7));
            assert!(!d.modes.is_empty());
        }
    }
}
