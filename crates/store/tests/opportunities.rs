//! The opportunity queue's pages. A scope with few pairs in reach checks its
//! best pairs a window at a time; whatever the windows, every page holds
//! exactly the pairs nobody has taken up, best first (ties by id), forwards
//! and backwards, with the same page info and total as the walk of every
//! pair. On SQLite and PostgreSQL.

use chrono::Utc;
use iurhub_domain::records::notifications::Notices;
use iurhub_domain::records::opportunities::{NewAssignment, OpportunityFilter};
use iurhub_domain::{CapabilityStatus, NeedStatus, Visibility};
use iurhub_store::page::{Page, PageArgs};
use iurhub_store::{Scope, Store};

mod common;

on_both! {
    windowed_pages_agree => windowed_pages_agree_on_sqlite, windowed_pages_agree_on_postgres;
}

type Pair = (i64, i64);

/// Every page of the queue of `scope`, `size` pairs each, following the
/// cursors forwards (or backwards from the end), in the queue's order.
async fn every_page(store: &Store, scope: &Scope, size: u64, backward: bool) -> Vec<Pair> {
    let mut pairs: Vec<Pair> = Vec::new();
    let mut args = PageArgs {
        first: (!backward).then_some(size),
        last: backward.then_some(size),
        ..PageArgs::default()
    };
    for turn in 0.. {
        assert!(turn < 100, "the pages never end");
        let page: Page<_> = store
            .opportunities(
                scope,
                &OpportunityFilter::default(),
                Utc::now(),
                args.clone(),
            )
            .await
            .unwrap();
        let got: Vec<Pair> = page
            .items
            .iter()
            .map(|(_, o)| (o.need_id, o.capability_id))
            .collect();
        let (more, cursor) = if backward {
            (page.has_previous_page, page.items.first())
        } else {
            (page.has_next_page, page.items.last())
        };
        if backward {
            assert_eq!(page.has_next_page, turn > 0, "turn {turn}");
            pairs.splice(0..0, got);
        } else {
            assert_eq!(page.has_previous_page, turn > 0, "turn {turn}");
            pairs.extend(got);
        }
        if !more {
            break;
        }
        let key = cursor
            .expect("a page with more after it has rows")
            .0
            .clone();
        if backward {
            args.before = Some(key);
        } else {
            args.after = Some(key);
        }
    }
    pairs
}

async fn windowed_pages_agree(store: Store) {
    let author = common::author(&store).await;
    let enterprise = common::organization(&store, "Enterprise", None).await;
    let lab = common::organization(&store, "Lab", None).await;
    let mut needs = Vec::new();
    for i in 0..3 {
        let fields = common::need_fields(&format!("need {i}"), Visibility::Public);
        let need = store
            .create_need_in(enterprise, author, fields, None)
            .await
            .unwrap();
        store
            .set_need_status(
                need.id,
                NeedStatus::Draft,
                NeedStatus::Published,
                &mut Notices::none(),
            )
            .await
            .unwrap();
        needs.push(need.id);
    }
    let mut capabilities = Vec::new();
    for i in 0..50 {
        let fields = common::capability_fields(&format!("capability {i}"));
        let capability = store.create_capability(lab, author, fields).await.unwrap();
        store
            .set_capability_status(
                capability.id,
                CapabilityStatus::Draft,
                CapabilityStatus::Published,
            )
            .await
            .unwrap();
        capabilities.push(capability.id);
    }
    // 150 pairs; every score is shared by two pairs, so ties are broken by
    // the pair's id.
    let now = Utc::now();
    let mut scored: Vec<(f64, Pair)> = Vec::new();
    for (n, need) in needs.iter().enumerate() {
        let ranked: Vec<(i64, f64)> = capabilities
            .iter()
            .enumerate()
            .map(|(c, capability)| (*capability, ((n * 50 + c) / 2) as f64 / 100.0))
            .collect();
        store
            .put_need_opportunities(*need, &ranked, now)
            .await
            .unwrap();
        scored.extend(ranked.iter().map(|(c, s)| (*s, (*need, *c))));
    }
    let all = every_page(&store, &Scope::All, 1_000, false).await;
    assert_eq!(all.len(), 150);
    // The best 70 pairs and every third after them are handed to a broker:
    // the first window of the scope's best pairs holds none that is free.
    let mut free = Vec::new();
    for (rank, pair) in all.iter().enumerate() {
        if rank < 70 || rank % 3 == 0 {
            let new = NewAssignment {
                need_id: pair.0,
                capability_id: pair.1,
                broker_id: author,
                due_on: None,
                note: String::new(),
            };
            store
                .assign_opportunity(&new, author, &mut Notices::none())
                .await
                .unwrap();
        } else {
            free.push(*pair);
        }
    }
    // The order of the walk is the order of the scores (ties by id).
    let mut by_score = scored.clone();
    by_score.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (walked, (score, _)) in all.iter().zip(&by_score) {
        let kept = scored.iter().find(|(_, p)| p == walked).unwrap().0;
        assert_eq!(kept, *score, "walked out of score order: {all:?}");
    }

    let member = Scope::Reader {
        signed_in: true,
        organization_ids: vec![enterprise],
        supervised_ids: Vec::new(),
        coordinated_agreement_ids: Vec::new(),
    };
    // The lab reaches the pairs through its capabilities; a scope over both
    // reaches each pair twice, and pages hold it once.
    let of = |organization_ids: Vec<i64>| Scope::Reader {
        signed_in: true,
        organization_ids,
        supervised_ids: Vec::new(),
        coordinated_agreement_ids: Vec::new(),
    };
    let (labs, both) = (of(vec![lab]), of(vec![enterprise, lab]));
    for (scope, reached) in [(&member, 150), (&labs, 150), (&both, 300)] {
        assert_eq!(
            store.pairs_within_reach(scope).await.unwrap(),
            Some(reached),
            "{scope:?}: its pairs are named"
        );
    }
    assert_eq!(store.pairs_within_reach(&Scope::All).await.unwrap(), None);
    for scope in [&Scope::All, &member, &labs, &both] {
        for size in [1, 7, 50, 200] {
            assert_eq!(
                every_page(&store, scope, size, false).await,
                free,
                "{scope:?}, pages of {size}"
            );
            assert_eq!(
                every_page(&store, scope, size, true).await,
                free,
                "{scope:?}, pages of {size} from the end"
            );
        }
        let counted = store
            .opportunities(
                scope,
                &OpportunityFilter::default(),
                Utc::now(),
                PageArgs {
                    first: Some(5),
                    with_total: true,
                    ..PageArgs::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(counted.total_count, Some(free.len() as u64), "{scope:?}");
        let firsts: Vec<Pair> = counted
            .items
            .iter()
            .map(|(_, o)| (o.need_id, o.capability_id))
            .collect();
        assert_eq!(firsts, free[..5], "{scope:?}");
    }
    // A stranger's reach is empty, and so is its queue.
    let stranger = Scope::Reader {
        signed_in: true,
        organization_ids: Vec::new(),
        supervised_ids: Vec::new(),
        coordinated_agreement_ids: Vec::new(),
    };
    assert!(every_page(&store, &stranger, 10, false).await.is_empty());
}
