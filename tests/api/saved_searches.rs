//! Saved searches: `saveSearch` / `savedSearches` / `deleteSavedSearch`
//! for the signed-in user (at most 20), and the `saved_searches` job that
//! runs each as its user — so it finds only what they may see — telling
//! them once of each object published since they saved it that fits it
//! (`SAVED_SEARCH_MATCHED`).

use std::time::Duration;

use serde_json::{Value, json};

use crate::common::{TestApp, assert_code, text};
use crate::fixtures::World;
use crate::matching::need;
use crate::notifications::{inbox, kinds, until_count};

const SAVE: &str = "mutation($input: SaveSearchInput!) { saveSearch(input: $input) {
  savedSearch { id query types disciplineCode createdAt checkedAt } } }";
const LIST: &str = "{ savedSearches { id query types disciplineCode } }";
const DELETE: &str = "mutation($id: ID!) { deleteSavedSearch(input: {id: $id}) {
  deletedId savedSearches { id } } }";

async fn save(app: &TestApp, token: &str, input: Value) -> Value {
    app.gql(Some(token), SAVE, json!({ "input": input })).await
}

fn count(data: &Value, kind: &str) -> usize {
    kinds(data).iter().filter(|k| *k == kind).count()
}

e2e!(
    saved_searches_are_kept_per_user_and_capped,
    |app| async move {
        let w = World::new(&app).await;
        let res = save(&app, &w.u, json!({"query": " 轴承 bearing ", "types": ["NEED", "NEED"], "filters": {"disciplineCode": "460"}})).await;
        let saved = &res["data"]["saveSearch"]["savedSearch"];
        assert_eq!(saved["query"], "轴承 bearing", "{res}");
        assert_eq!(saved["types"], json!(["NEED"]));
        assert_eq!(saved["disciplineCode"], "460");
        let first = text(&saved["id"]);
        let res = save(&app, &w.u, json!({"query": "振动"})).await;
        assert_eq!(
            res["data"]["saveSearch"]["savedSearch"]["types"],
            json!(["NEED", "CAPABILITY"]),
            "{res}"
        );
        // Bad input is refused with its field named.
        assert_code(
            &save(&app, &w.u, json!({"query": "   "})).await,
            "BAD_USER_INPUT",
        );
        assert_code(
            &save(&app, &w.u, json!({"query": "x".repeat(201)})).await,
            "BAD_USER_INPUT",
        );
        let res = save(
            &app,
            &w.u,
            json!({"query": "轴承", "filters": {"disciplineCode": "46-0"}}),
        )
        .await;
        assert_code(&res, "BAD_USER_INPUT");
        assert!(res.to_string().contains("disciplineCode"), "{res}");
        assert_code(&app.gql(None, LIST, json!({})).await, "UNAUTHENTICATED");
        assert_code(
            &app.gql(None, SAVE, json!({"input": {"query": "轴承"}}))
                .await,
            "UNAUTHENTICATED",
        );

        // Each user sees their own; another's is NOT_FOUND to delete.
        let listed = app.gql_ok(Some(&w.u), LIST, json!({})).await;
        assert_eq!(listed["savedSearches"].as_array().unwrap().len(), 2);
        assert_eq!(
            app.gql_ok(Some(&w.b), LIST, json!({})).await["savedSearches"],
            json!([])
        );
        assert_code(
            &app.gql(Some(&w.b), DELETE, json!({"id": first})).await,
            "NOT_FOUND",
        );
        assert_code(
            &app.gql(Some(&w.u), DELETE, json!({"id": "bm9wZQ"})).await,
            "BAD_USER_INPUT",
        );

        // At most 20.
        for i in 2..20 {
            let res = save(&app, &w.u, json!({"query": format!("搜索 {i}")})).await;
            assert!(res.get("errors").is_none(), "{res}");
        }
        let res = save(&app, &w.u, json!({"query": "第二十一个"})).await;
        assert_code(&res, "BAD_USER_INPUT");
        assert_eq!(
            res["errors"][0]["extensions"]["key"], "saved_search.too_many",
            "{res}"
        );
        let res = app.gql_ok(Some(&w.u), DELETE, json!({"id": first})).await;
        assert_eq!(res["deleteSavedSearch"]["deletedId"], first.as_str());
        assert_eq!(
            res["deleteSavedSearch"]["savedSearches"]
                .as_array()
                .unwrap()
                .len(),
            19
        );
        assert_code(
            &app.gql(Some(&w.u), DELETE, json!({"id": first})).await,
            "NOT_FOUND",
        );
        assert!(
            save(&app, &w.u, json!({"query": "第二十个"}))
                .await
                .get("errors")
                .is_none()
        );
    }
);

e2e!(
    a_saved_search_tells_its_user_once_of_each_new_object_they_may_see,
    |app| async move {
        let w = World::new(&app).await;
        let app = app.restart_with(|s| s.schedule_every_secs = 1).await;
        // Published before the search was saved: not new to it.
        let before = need(
            &app,
            &w,
            "轴承温升监测 Bearing temperature",
            "轴承 bearing heat",
            &["轴承", "bearing"],
            "PUBLIC",
        )
        .await;
        for token in [&w.u, &w.b] {
            let res = save(
                &app,
                token,
                json!({"query": "轴承 bearing", "types": ["NEED"]}),
            )
            .await;
            assert!(res.get("errors").is_none(), "{res}");
        }
        // A search for needs of another discipline finds none of these.
        save(
            &app,
            &w.u,
            json!({"query": "轴承 bearing", "filters": {"disciplineCode": "120"}}),
        )
        .await;
        let public = need(
            &app,
            &w,
            "电机轴承故障预警 Motor bearing warning",
            "振动数据 bearing faults",
            &["轴承", "bearing"],
            "PUBLIC",
        )
        .await;
        let secret = need(
            &app,
            &w,
            "机密轴承项目 Confidential bearing project",
            "轴承 bearing",
            &["轴承", "bearing"],
            "CONFIDENTIAL",
        )
        .await;

        for token in [&w.u, &w.b] {
            let told = until_count(&app, token, "SAVED_SEARCH_MATCHED", 1).await;
            assert_eq!(told[0]["subject"]["id"], public.as_str(), "{told:?}");
            assert!(
                text(&told[0]["title"]).contains("电机轴承故障预警"),
                "{}",
                told[0]
            );
            assert!(
                text(&told[0]["title"]).contains("轴承 bearing"),
                "{}",
                told[0]
            );
        }
        // Once each, whatever the runs since; never the confidential need
        // nor the one published before; the creator's side is not told.
        tokio::time::sleep(Duration::from_millis(2500)).await;
        for token in [&w.u, &w.b] {
            let data = inbox(&app, token).await;
            assert_eq!(count(&data, "SAVED_SEARCH_MATCHED"), 1, "{data}");
            let s = data.to_string();
            assert!(
                !s.contains(&secret) && !s.contains("机密") && !s.contains(&before),
                "{s}"
            );
        }
        assert_eq!(count(&inbox(&app, &w.a).await, "SAVED_SEARCH_MATCHED"), 0);
        let metrics = app.get("/metrics").await.text().await.unwrap();
        assert!(
            metrics.contains("iurhub_job_runs{job=\"saved_searches\"}"),
            "{metrics}"
        );
    }
);
