//! The demo data set, built from the cooperation agreement between the
//! provincial machinery & electrical group and the university of technology.
//! Loading it twice changes nothing: every object is looked up first.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use iurhub_domain::validate::{
    Achievement, CapabilityFields, NeedFields, OrganizationFields, Region, TalentFields,
};
use iurhub_domain::{
    CapabilityStatus, CooperationMode, NeedStatus, OrgKind, OrgRole, PlatformRole, Visibility,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde::Deserialize;

use crate::entities::{
    instruments, memberships, research_capabilities, talent_profiles, tech_needs,
};
use crate::{Store, StoreError, StoreResult};

const DEMO_JSON: &str = include_str!("../data/demo.json");

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DemoFile {
    organizations: Vec<DemoOrg>,
    users: Vec<DemoUser>,
    talents: Vec<DemoTalent>,
    capabilities: Vec<DemoCapability>,
    needs: Vec<DemoNeed>,
    instruments: Vec<DemoInstrument>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DemoOrg {
    key: String,
    name: String,
    kind: OrgKind,
    parent: Option<String>,
    province: Option<String>,
    city: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DemoUser {
    key: String,
    email: String,
    display_name: String,
    platform_role: Option<PlatformRole>,
    #[serde(default)]
    memberships: Vec<DemoMembership>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DemoMembership {
    org: String,
    role: OrgRole,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DemoTalent {
    key: String,
    org: String,
    user: Option<String>,
    name: String,
    title: Option<String>,
    bio: String,
    keywords: Vec<String>,
    discipline_codes: Vec<String>,
    availability: Vec<CooperationMode>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DemoCapability {
    org: String,
    created_by: String,
    title: String,
    summary: String,
    keywords: Vec<String>,
    discipline_codes: Vec<String>,
    trl: Option<i32>,
    #[serde(default)]
    achievements: Vec<Achievement>,
    #[serde(default)]
    talents: Vec<String>,
    status: CapabilityStatus,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DemoNeed {
    org: String,
    created_by: String,
    title: String,
    description: String,
    keywords: Vec<String>,
    discipline_codes: Vec<String>,
    #[serde(default)]
    industry_codes: Vec<String>,
    trl_required: Option<i32>,
    budget_min: Option<i64>,
    budget_max: Option<i64>,
    deadline: Option<NaiveDate>,
    cooperation_modes: Vec<CooperationMode>,
    visibility: Visibility,
    status: NeedStatus,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DemoInstrument {
    org: String,
    name: String,
    model: String,
    category: String,
    location: String,
    rate_internal_cents: i64,
    rate_external_cents: i64,
    requires_qualification: bool,
    description: String,
}

/// What a seeding run created (zeros on a second run).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub organizations: usize,
    pub users: usize,
    pub talents: usize,
    pub capabilities: usize,
    pub needs: usize,
    pub instruments: usize,
    /// E-mail, display name and role of every demo user.
    pub accounts: Vec<(String, String, String)>,
}

fn missing(what: &str, key: &str) -> StoreError {
    StoreError::Domain(iurhub_domain::DomainError::field(
        "demo",
        format!("unknown {what} `{key}`"),
    ))
}

impl Store {
    /// Loads the demo data set; every demo user gets `password_hash`.
    pub async fn seed_demo(&self, password_hash: &str) -> StoreResult<DemoSummary> {
        let file: DemoFile = serde_json::from_str(DEMO_JSON).expect("shipped demo.json is valid");
        let mut summary = DemoSummary::default();
        self.ensure_taxonomy().await?;

        let mut orgs: HashMap<&str, i64> = HashMap::new();
        for o in &file.organizations {
            let parent_id = match &o.parent {
                Some(p) => Some(
                    *orgs
                        .get(p.as_str())
                        .ok_or_else(|| missing("organization", p))?,
                ),
                None => None,
            };
            let id = match self.organization_by_name(parent_id, &o.name).await? {
                Some(existing) => existing.id,
                None => {
                    summary.organizations += 1;
                    let fields = OrganizationFields {
                        name: o.name.clone(),
                        kind: o.kind,
                        parent_id,
                        region: Region {
                            province: o.province.clone(),
                            city: o.city.clone(),
                        },
                    }
                    .validate()?;
                    self.create_organization(fields).await?.id
                }
            };
            orgs.insert(&o.key, id);
        }
        let org = |key: &str| {
            orgs.get(key)
                .copied()
                .ok_or_else(|| missing("organization", key))
        };

        let mut users: HashMap<&str, i64> = HashMap::new();
        for u in &file.users {
            let id = match self.user_by_email(&u.email).await? {
                Some(existing) => existing.id,
                None => {
                    summary.users += 1;
                    self.create_user(&u.email, password_hash, &u.display_name, u.platform_role)
                        .await?
                        .id
                }
            };
            for m in &u.memberships {
                let org_id = org(&m.org)?;
                let exists = memberships::Entity::find()
                    .filter(memberships::Column::UserId.eq(id))
                    .filter(memberships::Column::OrganizationId.eq(org_id))
                    .one(&self.db)
                    .await?
                    .is_some();
                if !exists {
                    self.add_membership(id, org_id, m.role).await?;
                }
            }
            let role = match (u.platform_role, u.memberships.first()) {
                (Some(r), _) => r.as_str().to_owned(),
                (None, Some(m)) => m.role.as_str().to_owned(),
                (None, None) => String::new(),
            };
            summary
                .accounts
                .push((u.email.clone(), u.display_name.clone(), role));
            users.insert(&u.key, id);
        }
        let user = |key: &str| users.get(key).copied().ok_or_else(|| missing("user", key));

        let mut talents: HashMap<&str, i64> = HashMap::new();
        for t in &file.talents {
            let org_id = org(&t.org)?;
            let existing = talent_profiles::Entity::find()
                .filter(talent_profiles::Column::OrganizationId.eq(org_id))
                .filter(talent_profiles::Column::Name.eq(t.name.as_str()))
                .one(&self.db)
                .await?;
            let id = match existing {
                Some(m) => m.id,
                None => {
                    summary.talents += 1;
                    let user_id = t.user.as_deref().map(user).transpose()?;
                    let fields = TalentFields {
                        organization_id: org_id,
                        name: t.name.clone(),
                        title: t.title.clone(),
                        bio: t.bio.clone(),
                        keywords: t.keywords.clone(),
                        discipline_codes: t.discipline_codes.clone(),
                        availability: t.availability.clone(),
                    }
                    .validate()?;
                    self.save_talent(None, user_id, fields).await?.id
                }
            };
            talents.insert(&t.key, id);
        }

        for c in &file.capabilities {
            let org_id = org(&c.org)?;
            let exists = research_capabilities::Entity::find()
                .filter(research_capabilities::Column::OrganizationId.eq(org_id))
                .filter(research_capabilities::Column::Title.eq(c.title.as_str()))
                .one(&self.db)
                .await?
                .is_some();
            if exists {
                continue;
            }
            summary.capabilities += 1;
            let talent_ids = c
                .talents
                .iter()
                .map(|k| {
                    talents
                        .get(k.as_str())
                        .copied()
                        .ok_or_else(|| missing("talent", k))
                })
                .collect::<StoreResult<Vec<_>>>()?;
            let fields = CapabilityFields {
                title: c.title.clone(),
                summary: c.summary.clone(),
                keywords: c.keywords.clone(),
                discipline_codes: c.discipline_codes.clone(),
                trl: c.trl,
                achievements: c.achievements.clone(),
                talent_ids,
            }
            .validate()?;
            let created = self
                .create_capability(org_id, user(&c.created_by)?, fields)
                .await?;
            if c.status != CapabilityStatus::Draft {
                let mut status = CapabilityStatus::Draft;
                for step in [CapabilityStatus::Published, CapabilityStatus::Archived] {
                    if status == c.status {
                        break;
                    }
                    self.set_capability_status(created.id, status, step).await?;
                    status = step;
                }
            }
        }

        for n in &file.needs {
            let org_id = org(&n.org)?;
            let exists = tech_needs::Entity::find()
                .filter(tech_needs::Column::OrganizationId.eq(org_id))
                .filter(tech_needs::Column::Title.eq(n.title.as_str()))
                .one(&self.db)
                .await?
                .is_some();
            if exists {
                continue;
            }
            summary.needs += 1;
            let fields = NeedFields {
                title: n.title.clone(),
                description: n.description.clone(),
                keywords: n.keywords.clone(),
                discipline_codes: n.discipline_codes.clone(),
                industry_codes: n.industry_codes.clone(),
                trl_required: n.trl_required,
                budget_min: n.budget_min,
                budget_max: n.budget_max,
                deadline: n.deadline,
                cooperation_modes: n.cooperation_modes.clone(),
                visibility: n.visibility,
            }
            .validate()?;
            let created = self
                .create_need(org_id, user(&n.created_by)?, fields)
                .await?;
            let path: &[NeedStatus] = match n.status {
                NeedStatus::Draft => &[],
                NeedStatus::Published => &[NeedStatus::Published],
                NeedStatus::InCooperation => &[NeedStatus::Published, NeedStatus::InCooperation],
                NeedStatus::Closed => &[NeedStatus::Published, NeedStatus::Closed],
                NeedStatus::Withdrawn => &[NeedStatus::Withdrawn],
            };
            let mut status = NeedStatus::Draft;
            for step in path {
                self.set_need_status(created.id, status, *step).await?;
                status = *step;
            }
        }

        for i in &file.instruments {
            let org_id = org(&i.org)?;
            let exists = instruments::Entity::find()
                .filter(instruments::Column::OrganizationId.eq(org_id))
                .filter(instruments::Column::Name.eq(i.name.as_str()))
                .one(&self.db)
                .await?
                .is_some();
            if exists {
                continue;
            }
            summary.instruments += 1;
            let now = Utc::now();
            instruments::ActiveModel {
                organization_id: Set(org_id),
                name: Set(i.name.clone()),
                model: Set(i.model.clone()),
                category: Set(i.category.clone()),
                location: Set(i.location.clone()),
                rate_internal_cents: Set(i.rate_internal_cents),
                rate_external_cents: Set(i.rate_external_cents),
                requires_qualification: Set(i.requires_qualification),
                status: Set(iurhub_domain::InstrumentStatus::Available
                    .as_str()
                    .to_owned()),
                description: Set(i.description.clone()),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&self.db)
            .await?;
        }
        Ok(summary)
    }
}
