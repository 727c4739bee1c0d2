//! The SQL form of visibility (the list queries) agrees with the Rust form
//! (`visible_to`, i.e. `iurhub_domain::policy`): for every kind of reader
//! and every record, the record is in the reader's list exactly when
//! `visible_to` lets the reader see it. Each check runs on an in-memory
//! SQLite database and on a throwaway PostgreSQL database (when
//! `IURHUB_TEST_DATABASE_URL` names a server, as `./scripts/test` does).

use iurhub_domain::records::notifications::Notices;
use std::collections::BTreeSet;

use iurhub_domain::validate::TalentFields;
use iurhub_domain::{CapabilityStatus, NeedStatus, OrgRole, ProjectArea, Visibility};
use iurhub_store::capabilities::{CapabilityFilter, CapabilitySort};
use iurhub_store::needs::{NeedFilter, NeedSort};
use iurhub_store::page::{Page, PageArgs};
use iurhub_store::projects::{ProjectFilter, ProjectSort};
use iurhub_store::talents::{TalentFilter, TalentSort};
use iurhub_store::{Scope, Store};

mod common;

/// The organisations: `parent` has the child `child`; `other` is unrelated.
struct Orgs {
    parent: i64,
    child: i64,
    other: i64,
}

/// Every kind of reader, with a name for the failure messages. The scopes of
/// signed-in readers are computed by the store from real memberships, as the
/// API does.
async fn readers(store: &Store, orgs: &Orgs) -> Vec<(&'static str, Scope)> {
    let mut out = vec![("anonymous", Scope::ANONYMOUS)];
    let memberships: [(&str, &[(i64, OrgRole)]); 6] = [
        ("signed-in stranger", &[]),
        ("member of the parent", &[(orgs.parent, OrgRole::Member)]),
        (
            "org admin of the parent",
            &[(orgs.parent, OrgRole::OrgAdmin)],
        ),
        ("member of the child", &[(orgs.child, OrgRole::Member)]),
        ("org admin of the child", &[(orgs.child, OrgRole::OrgAdmin)]),
        ("member of the other", &[(orgs.other, OrgRole::Member)]),
    ];
    for (i, (name, roles)) in memberships.into_iter().enumerate() {
        let user = store
            .create_user(&format!("reader{i}@example.test"), "x", name, None)
            .await
            .unwrap();
        for (org, role) in roles {
            store.add_membership(user.id, *org, *role).await.unwrap();
        }
        let scope = Scope::member_of(store.managed_organization_ids(user.id).await.unwrap());
        out.push((name, scope));
    }
    // What the API gives coordinators and admins.
    out.push(("coordinator or admin", Scope::All));
    out
}

/// An agreement between the parent and the other organisation, for work to
/// be filed under.
async fn agreement(store: &Store, orgs: &Orgs, author: i64) -> i64 {
    let day = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
    store
        .create_agreement(
            iurhub_store::agreements::NewAgreement {
                title: "Coordinated".into(),
                signed_on: None,
                term_start: day("2026-01-01"),
                term_end: day("2030-12-31"),
                areas: ProjectArea::ALL.to_vec(),
                party_ids: vec![orgs.parent, orgs.other],
            },
            author,
        )
        .await
        .unwrap()
        .id
}

/// The readers an agreement COORDINATOR grant over `agreement_id` makes:
/// a coordinator of nothing else, and a member of the child who also
/// coordinates it. Their scopes are computed by the store, as the API does.
async fn coordinators(store: &Store, orgs: &Orgs, agreement_id: i64) -> Vec<(&'static str, Scope)> {
    let mut out = Vec::new();
    let cases: [(&str, Option<i64>); 2] = [
        ("coordinator of the agreement", None),
        (
            "member of the child coordinating the agreement",
            Some(orgs.child),
        ),
    ];
    for (name, member_of) in cases {
        let user = store
            .create_user(
                &format!("{}@example.test", name.replace(' ', ".")),
                "x",
                name,
                None,
            )
            .await
            .unwrap();
        if let Some(org) = member_of {
            store
                .add_membership(user.id, org, OrgRole::Member)
                .await
                .unwrap();
        }
        store
            .grant_agreement_coordinator(user.id, agreement_id, None)
            .await
            .unwrap();
        let scope = Scope::Reader {
            signed_in: true,
            organization_ids: store.managed_organization_ids(user.id).await.unwrap(),
            supervised_ids: Vec::new(),
            coordinated_agreement_ids: store.coordinated_agreement_ids(user.id).await.unwrap(),
        };
        out.push((name, scope));
    }
    out
}

on_both! {
    needs_agree => need_lists_agree_with_visible_to_on_sqlite, need_lists_agree_with_visible_to_on_postgres;
    capabilities_agree => capability_lists_agree_with_visible_to_on_sqlite, capability_lists_agree_with_visible_to_on_postgres;
    talents_agree => talent_lists_agree_with_visible_to_on_sqlite, talent_lists_agree_with_visible_to_on_postgres;
    projects_agree => project_lists_agree_with_visible_to_on_sqlite, project_lists_agree_with_visible_to_on_postgres;
    agreements_agree => agreement_lists_agree_with_visible_to_and_status_on_sqlite, agreement_lists_agree_with_visible_to_and_status_on_postgres;
    activities_agree => activity_lists_agree_with_visible_to_on_sqlite, activity_lists_agree_with_visible_to_on_postgres;
}

/// Creates the organisations and an author for the records.
async fn orgs_and_author(store: &Store) -> (Orgs, i64) {
    let parent = common::organization(store, "Parent", None).await;
    let orgs = Orgs {
        parent,
        child: common::organization(store, "Child", Some(parent)).await,
        other: common::organization(store, "Other", None).await,
    };
    (orgs, common::author(store).await)
}

/// Every page of a list, as ids.
async fn all_ids<T, F, Fut>(id: impl Fn(&T) -> i64, mut page: F) -> BTreeSet<i64>
where
    F: FnMut(PageArgs) -> Fut,
    Fut: std::future::Future<Output = Page<T>>,
{
    let mut ids = BTreeSet::new();
    let mut after = None;
    loop {
        let got = page(PageArgs {
            first: Some(7),
            after: after.clone(),
            ..Default::default()
        })
        .await;
        for (_, item) in &got.items {
            assert!(ids.insert(id(item)), "an item listed twice");
        }
        after = got.items.last().map(|(k, _)| k.clone());
        if !got.has_next_page {
            return ids;
        }
    }
}

fn assert_agree(kind: &str, reader: &str, listed: &BTreeSet<i64>, visible: &BTreeSet<i64>) {
    assert_eq!(
        listed, visible,
        "{kind}: the list of {reader} (left) differs from what visible_to grants (right)"
    );
}

async fn needs_agree(store: Store) {
    let (orgs, author) = orgs_and_author(&store).await;
    let filed_under = agreement(&store, &orgs, author).await;
    let mut ids = Vec::new();
    for org in [orgs.parent, orgs.child, orgs.other] {
        for visibility in Visibility::ALL {
            for status in NeedStatus::ALL {
                let fields =
                    common::need_fields(&format!("{org} {visibility} {status}"), *visibility);
                // Every other need of the parties is filed under the agreement.
                let under = (org != orgs.child && ids.len() % 2 == 0).then_some(filed_under);
                let need = store
                    .create_need_in(org, author, fields, under)
                    .await
                    .unwrap();
                if *status != NeedStatus::Draft {
                    store
                        .set_need_status(need.id, NeedStatus::Draft, *status, &mut Notices::none())
                        .await
                        .unwrap();
                }
                ids.push(need.id);
            }
        }
    }
    let mut needs = Vec::new();
    for id in &ids {
        needs.push(store.need(*id).await.unwrap().unwrap());
    }
    let mut readers = readers(&store, &orgs).await;
    readers.extend(coordinators(&store, &orgs, filed_under).await);
    for (reader, scope) in readers {
        let visible = needs
            .iter()
            .filter(|n| n.visible_to(&scope))
            .map(|n| n.id)
            .collect();
        let listed = all_ids(
            |n: &iurhub_store::needs::Need| n.id,
            |args| {
                let (store, scope) = (&store, &scope);
                async move {
                    store
                        .list_needs(
                            scope,
                            &NeedFilter::default(),
                            NeedSort::CreatedAt,
                            false,
                            args,
                        )
                        .await
                        .unwrap()
                }
            },
        )
        .await;
        assert_agree("needs", reader, &listed, &visible);
        let with_orgs = all_ids(
            |(n, _): &(iurhub_store::needs::Need, _)| n.id,
            |args| {
                let (store, scope) = (&store, &scope);
                async move {
                    store
                        .list_needs_with_organizations(
                            scope,
                            &NeedFilter::default(),
                            NeedSort::Title,
                            true,
                            args,
                        )
                        .await
                        .unwrap()
                }
            },
        )
        .await;
        assert_agree("needs with organisations", reader, &with_orgs, &visible);
    }
}

async fn capabilities_agree(store: Store) {
    let (orgs, author) = orgs_and_author(&store).await;
    let mut ids = Vec::new();
    for org in [orgs.parent, orgs.child, orgs.other] {
        for status in CapabilityStatus::ALL {
            let fields = common::capability_fields(&format!("{org} {status}"));
            let capability = store.create_capability(org, author, fields).await.unwrap();
            if *status != CapabilityStatus::Draft {
                store
                    .set_capability_status(capability.id, CapabilityStatus::Draft, *status)
                    .await
                    .unwrap();
            }
            ids.push(capability.id);
        }
    }
    let mut capabilities = Vec::new();
    for id in &ids {
        capabilities.push(store.capability(*id).await.unwrap().unwrap());
    }
    for (reader, scope) in readers(&store, &orgs).await {
        let visible = capabilities
            .iter()
            .filter(|c| c.visible_to(&scope))
            .map(|c| c.id)
            .collect();
        let listed = all_ids(
            |c: &iurhub_store::capabilities::Capability| c.id,
            |args| {
                let (store, scope) = (&store, &scope);
                async move {
                    store
                        .list_capabilities(
                            scope,
                            &CapabilityFilter::default(),
                            CapabilitySort::UpdatedAt,
                            false,
                            args,
                        )
                        .await
                        .unwrap()
                }
            },
        )
        .await;
        assert_agree("capabilities", reader, &listed, &visible);
    }
}

/// Talent profiles have no visibility of their own: every signed-in reader
/// sees all of them, and the store's list takes no scope (the API lets only
/// signed-in readers list them). So for signed-in readers the list is what
/// `visible_to` grants, and anonymous readers are granted nothing.
async fn talents_agree(store: Store) {
    let (orgs, _) = orgs_and_author(&store).await;
    let mut talents = Vec::new();
    for org in [orgs.parent, orgs.child, orgs.other] {
        let fields = TalentFields {
            organization_id: org,
            name: format!("Talent of {org}"),
            title: None,
            bio: String::new(),
            keywords: Vec::new(),
            discipline_codes: Vec::new(),
            availability: Vec::new(),
        };
        let saved = store.save_talent(None, None, fields, None).await.unwrap();
        talents.push(store.talent(saved.id).await.unwrap().unwrap());
    }
    let listed = all_ids(
        |t: &iurhub_store::talents::Talent| t.id,
        |args| {
            let store = &store;
            async move {
                store
                    .list_talents(&TalentFilter::default(), TalentSort::Name, false, args)
                    .await
                    .unwrap()
            }
        },
    )
    .await;
    for (reader, scope) in readers(&store, &orgs).await {
        let visible: BTreeSet<i64> = talents
            .iter()
            .filter(|t| t.visible_to(&scope))
            .map(|t| t.id)
            .collect();
        if scope.signed_in() {
            assert_agree("talents", reader, &listed, &visible);
        } else {
            assert!(visible.is_empty(), "{reader} may see talent profiles");
        }
    }
}

async fn projects_agree(store: Store) {
    let (orgs, author) = orgs_and_author(&store).await;
    let parties: [&[i64]; 6] = [
        &[orgs.parent],
        &[orgs.child],
        &[orgs.other],
        &[orgs.parent, orgs.other],
        &[orgs.child, orgs.other],
        &[],
    ];
    let filed_under = agreement(&store, &orgs, author).await;
    let mut projects = Vec::new();
    // Each set of parties once filed under the agreement and once not.
    for (i, party_ids) in parties.into_iter().chain(parties).enumerate() {
        let mut new = common::new_project(
            &format!("Project {i}"),
            ProjectArea::ALL[i % ProjectArea::ALL.len()],
            party_ids,
        );
        new.agreement_id = (i >= parties.len()).then_some(filed_under);
        let created = store
            .create_project(new, author, &mut Notices::none())
            .await
            .unwrap();
        projects.push(store.project(created.id).await.unwrap().unwrap());
    }
    let mut readers = readers(&store, &orgs).await;
    readers.extend(coordinators(&store, &orgs, filed_under).await);
    for (reader, scope) in readers {
        let visible = projects
            .iter()
            .filter(|p| p.visible_to(&scope))
            .map(|p| p.id)
            .collect();
        let listed = all_ids(
            |p: &iurhub_store::projects::Project| p.id,
            |args| {
                let (store, scope) = (&store, &scope);
                async move {
                    store
                        .list_projects(
                            scope,
                            &ProjectFilter::default(),
                            ProjectSort::DueDate,
                            false,
                            args,
                        )
                        .await
                        .unwrap()
                }
            },
        )
        .await;
        assert_agree("projects", reader, &listed, &visible);
    }
}

async fn agreements_agree(store: Store) {
    use iurhub_domain::AgreementStatus;
    use iurhub_store::agreements::{AgreementFilter, AgreementSort, NewAgreement};
    let (orgs, author) = orgs_and_author(&store).await;
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
    let day = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
    // (parties, term end, activated, terminated)
    let cases: [(&[i64], &str, bool, bool); 6] = [
        (&[orgs.parent, orgs.other], "2030-01-01", false, false),
        (&[orgs.child, orgs.other], "2030-01-01", true, false),
        (&[orgs.other, orgs.child], "2026-12-06", true, false),
        (&[orgs.parent, orgs.child], "2026-12-07", true, false),
        (&[orgs.other, orgs.parent], "2030-01-01", true, true),
        (&[orgs.child, orgs.parent], "2020-01-01", false, true),
    ];
    let mut agreements = Vec::new();
    for (i, (parties, end, activate, terminate)) in cases.into_iter().enumerate() {
        let created = store
            .create_agreement(
                NewAgreement {
                    title: format!("Agreement {i}"),
                    signed_on: None,
                    term_start: day("2019-01-01"),
                    term_end: day(end),
                    areas: vec![ProjectArea::ALL[i % ProjectArea::ALL.len()]],
                    party_ids: parties.to_vec(),
                },
                author,
            )
            .await
            .unwrap();
        if activate {
            store
                .confirm_agreement(created.id, parties, author, None, day("2019-01-02"))
                .await
                .unwrap();
        }
        if terminate {
            store
                .terminate_agreement(created.id, "ended".into(), None, day("2019-01-03"))
                .await
                .unwrap();
        }
        agreements.push(store.agreement(created.id).await.unwrap().unwrap());
    }
    let statuses: Vec<AgreementStatus> = agreements.iter().map(|a| a.status_on(today)).collect();
    assert_eq!(
        statuses,
        [
            AgreementStatus::Draft,
            AgreementStatus::Active,
            AgreementStatus::Expired,
            AgreementStatus::Active,
            AgreementStatus::Terminated,
            AgreementStatus::Terminated,
        ]
    );
    let mut readers = readers(&store, &orgs).await;
    // Coordinators of the EXPIRED agreement between the other and the child.
    readers.extend(coordinators(&store, &orgs, agreements[2].id).await);
    for (reader, scope) in readers {
        for status in [
            None,
            Some(AgreementStatus::Active),
            Some(AgreementStatus::Expired),
        ] {
            let visible = agreements
                .iter()
                .filter(|a| a.visible_to(&scope))
                .filter(|a| status.is_none_or(|s| a.status_on(today) == s))
                .map(|a| a.id)
                .collect();
            let filter = AgreementFilter {
                statuses: status.into_iter().collect(),
                today: Some(today),
                ..AgreementFilter::default()
            };
            let listed = all_ids(
                |a: &iurhub_store::agreements::Agreement| a.id,
                |args| {
                    let (store, scope, filter) = (&store, &scope, &filter);
                    async move {
                        store
                            .list_agreements(scope, filter, AgreementSort::CreatedAt, true, args)
                            .await
                            .unwrap()
                    }
                },
            )
            .await;
            assert_agree(
                &format!("agreements ({status:?})"),
                reader,
                &listed,
                &visible,
            );
        }
    }
}

async fn activities_agree(store: Store) {
    use iurhub_domain::{ActivityKind, ActivityStatus};
    use iurhub_store::activities::{ActivityFields, ActivityFilter};
    let (orgs, author) = orgs_and_author(&store).await;
    let filed_under = agreement(&store, &orgs, author).await;
    let day = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
    // (host, the others involved)
    let cases: [(i64, &[i64]); 5] = [
        (orgs.parent, &[]),
        (orgs.child, &[]),
        (orgs.other, &[]),
        (orgs.other, &[orgs.child]),
        (orgs.parent, &[orgs.other, orgs.child]),
    ];
    let mut activities = Vec::new();
    for (i, (host, others)) in cases.into_iter().enumerate() {
        let kind = ActivityKind::ALL[i % ActivityKind::ALL.len()];
        let created = store
            .create_activity(
                ActivityFields {
                    // Every third filed under the agreement.
                    agreement_id: (i % 3 == 0).then_some(filed_under),
                    kind,
                    title: format!("Activity {i}"),
                    description: None,
                    start_date: day("2026-03-01"),
                    end_date: None,
                    host_organization_id: host,
                    organization_ids: others.to_vec(),
                    attendance: None,
                },
                Vec::new(),
                author,
            )
            .await
            .unwrap();
        assert_eq!(created.area, kind.area());
        assert!(created.organization_ids.contains(&host));
        if i % 2 == 1 {
            store
                .move_activity(
                    created.id,
                    ActivityStatus::Cancelled,
                    Some("off".into()),
                    day("2026-03-02"),
                    None,
                )
                .await
                .unwrap();
        }
        activities.push(store.activity(created.id).await.unwrap().unwrap());
    }
    let mut readers = readers(&store, &orgs).await;
    // Supervisors see the activities involving an organisation in scope.
    readers.push((
        "supervisor of the child",
        Scope::Reader {
            signed_in: true,
            organization_ids: Vec::new(),
            supervised_ids: vec![orgs.child],
            coordinated_agreement_ids: Vec::new(),
        },
    ));
    readers.extend(coordinators(&store, &orgs, filed_under).await);
    for (reader, scope) in readers {
        for status in [None, Some(ActivityStatus::Cancelled)] {
            let visible = activities
                .iter()
                .filter(|a| a.visible_to(&scope))
                .filter(|a| status.is_none_or(|s| a.status == s))
                .map(|a| a.id)
                .collect();
            let filter = ActivityFilter {
                statuses: status.into_iter().collect(),
                ..ActivityFilter::default()
            };
            let listed = all_ids(
                |a: &iurhub_store::activities::Activity| a.id,
                |args| {
                    let (store, scope, filter) = (&store, &scope, &filter);
                    async move {
                        store
                            .list_activities(scope, filter, true, args)
                            .await
                            .unwrap()
                    }
                },
            )
            .await;
            assert_agree(
                &format!("activities ({status:?})"),
                reader,
                &listed,
                &visible,
            );
        }
    }
}
