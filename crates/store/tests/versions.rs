//! Optimistic concurrency of the versioned rows: every edit bumps the
//! version; an edit based on another version is a CONFLICT on the field
//! `version` and writes nothing; an unknown row stays NOT_FOUND. Project
//! writes record their event and mark the project changed. On SQLite and
//! PostgreSQL.

use iurhub_domain::records::notifications::Notices;
use iurhub_domain::validate::NeedFields;
use iurhub_domain::{InstrumentStatus, NeedStatus, ProjectArea, Visibility};
use iurhub_store::instruments::InstrumentFields;
use iurhub_store::page::PageArgs;
use iurhub_store::projects::{ItemPatch, NewItem, Project, ProjectPatch};
use iurhub_store::{Store, StoreError};

mod common;

on_both! {
    needs_and_capabilities => need_and_capability_versions_on_sqlite, need_and_capability_versions_on_postgres;
    projects_and_checklists => project_and_item_versions_on_sqlite, project_and_item_versions_on_postgres;
    instruments_and_milestones => instrument_and_milestone_versions_on_sqlite, instrument_and_milestone_versions_on_postgres;
}

#[track_caller]
fn assert_version_conflict<T: std::fmt::Debug>(result: Result<T, StoreError>, expected: i32) {
    match result {
        Err(StoreError::Conflict { field, text }) => {
            assert_eq!(field, Some("version"));
            assert_eq!(text.key, "conflict.version");
            let message = text.render(iurhub_domain::Locale::En);
            assert!(
                message.contains(&format!("expected version {expected}")),
                "unexpected message: {message}"
            );
        }
        other => panic!("not a version conflict: {other:?}"),
    }
}

/// An organisation and an admin author.
async fn org_and_author(store: &Store) -> (i64, i64) {
    (
        common::organization(store, "Lab", None).await,
        common::author(store).await,
    )
}

/// A new project "P" of `org`, created by `author`.
async fn project_of(store: &Store, org: i64, author: i64) -> Project {
    let new = common::new_project("P", ProjectArea::ALL[0], &[org]);
    store
        .create_project(new, author, &mut Notices::none())
        .await
        .unwrap()
}

fn need_fields(title: &str) -> NeedFields {
    common::need_fields(title, Visibility::Public)
}

async fn needs_and_capabilities(store: Store) {
    let (org, author) = org_and_author(&store).await;

    let need = store
        .create_need(org, author, need_fields("v1"))
        .await
        .unwrap();
    assert_eq!(need.version, 1);
    let need = store
        .update_need(need.id, need_fields("v2"), Some(1))
        .await
        .unwrap();
    assert_eq!((need.version, need.title.as_str()), (2, "v2"));
    assert_version_conflict(
        store
            .update_need(need.id, need_fields("lost"), Some(1))
            .await,
        1,
    );
    // Without an expected version the last writer wins.
    let need = store
        .update_need(need.id, need_fields("v3"), None)
        .await
        .unwrap();
    assert_eq!((need.version, need.title.as_str()), (3, "v3"));
    assert!(matches!(
        store
            .update_need(need.id + 1000, need_fields("x"), None)
            .await,
        Err(StoreError::NotFound("need"))
    ));
    let need = store
        .set_need_status(
            need.id,
            NeedStatus::Draft,
            NeedStatus::Published,
            &mut Notices::none(),
        )
        .await
        .unwrap();
    assert_eq!(need.version, 4);
    assert!(need.published_at.is_some());
    assert!(matches!(
        store
            .set_need_status(
                need.id,
                NeedStatus::Draft,
                NeedStatus::Published,
                &mut Notices::none(),
            )
            .await,
        Err(StoreError::Conflict {
            field: Some("status"),
            ..
        })
    ));

    let capability = store
        .create_capability(org, author, common::capability_fields("v1"))
        .await
        .unwrap();
    assert_eq!(capability.version, 1);
    let capability = store
        .update_capability(capability.id, common::capability_fields("v2"), Some(1))
        .await
        .unwrap();
    assert_eq!(capability.version, 2);
    assert_version_conflict(
        store
            .update_capability(capability.id, common::capability_fields("lost"), Some(1))
            .await,
        1,
    );
    assert_eq!(
        store
            .capability(capability.id)
            .await
            .unwrap()
            .unwrap()
            .title,
        "v2"
    );
}

async fn projects_and_checklists(store: Store) {
    let (org, author) = org_and_author(&store).await;
    let project = project_of(&store, org, author).await;
    assert_eq!(project.created_at, project.updated_at);
    let rename = |title: &str| ProjectPatch {
        title: Some(title.into()),
        ..Default::default()
    };
    let project = store
        .update_project(project.id, rename("P2"), Some(1), author)
        .await
        .unwrap();
    assert_eq!(project.version, 2);
    assert_version_conflict(
        store
            .update_project(project.id, rename("lost"), Some(1), author)
            .await,
        1,
    );
    // A stale version is a conflict even when nothing would change.
    assert_version_conflict(
        store
            .update_project(project.id, ProjectPatch::default(), Some(1), author)
            .await,
        1,
    );

    let item = store
        .add_item(
            project.id,
            NewItem {
                milestone_id: None,
                title: "Item".into(),
                owner_user_id: None,
                due_date: None,
            },
            author,
            &mut Notices::none(),
        )
        .await
        .unwrap();
    let patch = |title: &str| ItemPatch {
        title: Some(title.into()),
        ..Default::default()
    };
    let item = store
        .update_item(
            item.id,
            patch("Item 2"),
            None,
            Some(1),
            author,
            &mut Notices::none(),
        )
        .await
        .unwrap();
    assert_eq!(item.version, 2);
    assert_version_conflict(
        store
            .update_item(
                item.id,
                patch("lost"),
                None,
                Some(1),
                author,
                &mut Notices::none(),
            )
            .await,
        1,
    );

    // One event per write, the project marked changed at the last one.
    let events = store
        .project_events(
            project.id,
            PageArgs {
                first: Some(50),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        events.items.len(),
        4,
        "created, updated, item added, item updated"
    );
    let last = &events.items.last().unwrap().1;
    let project = store.project(project.id).await.unwrap().unwrap();
    assert_eq!(project.updated_at, last.created_at);
    assert_eq!(
        project.version, 2,
        "checklist writes do not bump the project"
    );
}

async fn instruments_and_milestones(store: Store) {
    let (org, author) = org_and_author(&store).await;
    let fields = |name: &str| InstrumentFields {
        name: name.into(),
        model: String::new(),
        category: "SEM".into(),
        location: String::new(),
        rate_internal_cents: 100,
        rate_group_cents: 100,
        rate_external_cents: 300,
        requires_qualification: false,
        description: String::new(),
        original_value_cents: None,
        purchase_date: None,
        registration_number: String::new(),
        public: false,
    };
    let center = store
        .create_center(
            org,
            iurhub_store::centers::CenterFields {
                name: "Center".into(),
                description: String::new(),
            },
            &[],
        )
        .await
        .unwrap();
    let owners = [iurhub_store::centers::Owner {
        organization_id: org,
        share_percent: 100,
    }];
    let instrument = store
        .create_instrument(org, center.id, &owners, fields("SEM"))
        .await
        .unwrap();
    assert_eq!(instrument.version, 1);
    let instrument = store
        .update_instrument(
            instrument.id,
            fields("SEM 2"),
            InstrumentStatus::Available,
            InstrumentStatus::Retired,
        )
        .await
        .unwrap();
    assert_eq!(
        (instrument.version, instrument.status),
        (2, InstrumentStatus::Retired)
    );
    // The guard on the prior status stays: a retired instrument is not put
    // back by an update decided on AVAILABLE.
    assert!(matches!(
        store
            .update_instrument(
                instrument.id,
                fields("back"),
                InstrumentStatus::Available,
                InstrumentStatus::Available,
            )
            .await,
        Err(StoreError::Conflict {
            field: Some("status"),
            ..
        })
    ));
    assert!(matches!(
        store
            .update_instrument(
                instrument.id + 1000,
                fields("x"),
                InstrumentStatus::Available,
                InstrumentStatus::Available,
            )
            .await,
        Err(StoreError::NotFound("instrument"))
    ));
    assert_eq!(
        store
            .instrument(instrument.id)
            .await
            .unwrap()
            .unwrap()
            .version,
        2
    );

    let project = project_of(&store, org, author).await;
    let milestone = store
        .add_milestone(project.id, "M".into(), None, author)
        .await
        .unwrap();
    assert_eq!(milestone.version, 1);
    let milestone = store
        .update_milestone(milestone.id, Some("M2".into()), None, author)
        .await
        .unwrap();
    assert_eq!((milestone.version, milestone.title.as_str()), (2, "M2"));
    // Nothing changed: nothing written.
    let same = store
        .update_milestone(milestone.id, Some("M2".into()), None, author)
        .await
        .unwrap();
    assert_eq!(same.version, 2);
}
