//! Scores are a function of what the reader may see: documents hidden from
//! a reader (drafts, confidential needs, draft capabilities of another
//! organisation) move none of the scores it sees, in search or in matching.
//! Before, the BM25 statistics counted every document and the text factor of
//! a match was relative to the best hit, hidden or not: the score of one's
//! own need for a rare word told whether another tenant's confidential need
//! contained it.

use serde_json::{Value, json};

use crate::fixtures::{CREATE_CAPABILITY, CREATE_NEED, World};
use crate::matching::{capability, need};

const SEARCH: &str = "query($q: String!, $types: [SearchType!]) {
  search(query: $q, types: $types, first: 20) { edges { score matchedTerms
    node { __typename ... on Need { id } ... on Capability { id } } } } }";

const MATCHES: &str = "query($id: ID!) { need(id: $id) { matches(first: 20) {
  edges { node { score capability { id } } } } } }";

const MATCHING_NEEDS: &str = "query($id: ID!) { capability(id: $id) { matchingNeeds(first: 20) {
  edges { node { score need { id } } } } } }";

/// The score of object `id` among the hits of `search`, exactly as sent.
async fn search_score(app: &crate::common::TestApp, token: &str, types: &str, id: &str) -> Value {
    let data = app
        .gql_ok(
            Some(token),
            SEARCH,
            json!({"q": "zirconolite", "types": [types]}),
        )
        .await;
    data["search"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["node"]["id"] == id)
        .unwrap_or_else(|| panic!("{id} not found: {data}"))["score"]
        .clone()
}

fn score_in(data: &Value, list: &str, field: &str, id: &str) -> Value {
    data[list.split('.').next().unwrap()][list.split('.').nth(1).unwrap()]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["node"][field]["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in {list}: {data}"))["node"]["score"]
        .clone()
}

/// Every score A and the university can see of their own objects.
async fn visible_scores(
    app: &crate::common::TestApp,
    w: &World,
    a_need: &str,
    u_capability: &str,
) -> [Value; 4] {
    let matches = app.gql_ok(Some(&w.a), MATCHES, json!({"id": a_need})).await;
    let matching = app
        .gql_ok(Some(&w.u), MATCHING_NEEDS, json!({"id": u_capability}))
        .await;
    [
        search_score(app, &w.a, "NEED", a_need).await,
        search_score(app, &w.a, "CAPABILITY", u_capability).await,
        score_in(&matches, "need.matches", "capability", u_capability),
        score_in(&matching, "capability.matchingNeeds", "need", a_need),
    ]
}

e2e!(hidden_documents_move_no_visible_score, |app| async move {
    let w = World::new(&app).await;
    // A public need of A and a published capability of the university, both
    // with a rare word, and a second pair so that scores are relative to
    // something.
    let a_need = need(
        &app,
        &w,
        "Zirconolite waste forms",
        "Immobilising actinides in zirconolite ceramics for storage.",
        &["zirconolite"],
        "PUBLIC",
    )
    .await;
    need(
        &app,
        &w,
        "Ceramic storage of actinides",
        "Long-term storage of actinides in ceramics, zirconolite among others.",
        &["ceramics"],
        "PLATFORM",
    )
    .await;
    let u_capability = capability(
        &app,
        &w,
        "Zirconolite ceramics by hot isostatic pressing",
        "Hot isostatic pressing of zirconolite and pyrochlore ceramics.",
        &["zirconolite"],
        &["460"],
        5,
    )
    .await;
    capability(
        &app,
        &w,
        "Pyrochlore ceramics",
        "Sintering of pyrochlore ceramics for actinides, some zirconolite.",
        &["ceramics"],
        &["460"],
        5,
    )
    .await;
    let before = visible_scores(&app, &w, &a_need, &u_capability).await;

    // Enterprise B: a confidential need, a draft need and a draft capability,
    // each full of the rare word and closer to the others' texts than they
    // are to each other.
    let text = "Zirconolite zirconolite ceramics: immobilising actinides in zirconolite \
                ceramics by hot isostatic pressing, zirconolite waste forms for storage.";
    let mut hidden = Vec::new();
    for (visibility, publish) in [("CONFIDENTIAL", true), ("PUBLIC", false)] {
        let data = app
            .gql_ok(
                Some(&w.b),
                CREATE_NEED,
                json!({"input": {"organizationId": w.org_b, "title": "Zirconolite waste forms zirconolite",
                    "description": text, "keywords": ["zirconolite"], "disciplineCodes": ["460"],
                    "visibility": visibility}}),
            )
            .await;
        let id = crate::common::text(&data["createNeed"]["need"]["id"]);
        if publish {
            app.gql_ok(
                Some(&w.b),
                "mutation($id: ID!) { publishNeed(input: {id: $id}) { need { id } } }",
                json!({"id": id}),
            )
            .await;
        }
        hidden.push(id);
    }
    let data = app
        .gql_ok(
            Some(&w.b),
            CREATE_CAPABILITY,
            json!({"input": {"organizationId": w.org_b, "title": "Zirconolite waste forms zirconolite",
                "summary": text, "keywords": ["zirconolite"], "disciplineCodes": ["460"], "trl": 5}}),
        )
        .await;
    let draft_capability = crate::common::text(&data["createCapability"]["capability"]["id"]);

    let after = visible_scores(&app, &w, &a_need, &u_capability).await;
    assert_eq!(
        before, after,
        "[search need, search capability, matches, matchingNeeds] moved with hidden documents"
    );

    // Edited and withdrawn, still nothing moves.
    app.gql_ok(
        Some(&w.b),
        "mutation($input: UpdateNeedInput!) { updateNeed(input: $input) { need { id } } }",
        json!({"input": {"id": hidden[0], "description": "zirconolite zirconolite zirconolite"}}),
    )
    .await;
    app.gql_ok(
        Some(&w.b),
        "mutation($id: ID!) { withdrawNeed(input: {id: $id}) { need { id } } }",
        json!({"id": hidden[1]}),
    )
    .await;
    assert_eq!(
        before,
        visible_scores(&app, &w, &a_need, &u_capability).await
    );

    // B still finds its own hidden objects by the word; A does not.
    for (types, id) in [("NEED", &hidden[0]), ("CAPABILITY", &draft_capability)] {
        let score = search_score(&app, &w.b, types, id).await;
        assert!(score.as_f64().unwrap() > 0.0);
        let data = app
            .gql_ok(
                Some(&w.a),
                SEARCH,
                json!({"q": "zirconolite", "types": [types]}),
            )
            .await;
        assert!(!data.to_string().contains(id.as_str()), "{data}");
    }

    // Published, a need counts like every visible one: scores move.
    let data = app
        .gql_ok(
            Some(&w.b),
            "mutation($input: UpdateNeedInput!) { updateNeed(input: $input) { need { id visibility } } }",
            json!({"input": {"id": hidden[0], "visibility": "PUBLIC"}}),
        )
        .await;
    assert_eq!(data["updateNeed"]["need"]["visibility"], "PUBLIC");
    assert_ne!(
        before[0],
        search_score(&app, &w.a, "NEED", &a_need).await,
        "a shared need counts in the statistics"
    );
    let data = app
        .gql_ok(
            Some(&w.a),
            SEARCH,
            json!({"q": "zirconolite", "types": ["NEED"]}),
        )
        .await;
    assert!(data.to_string().contains(hidden[0].as_str()), "{data}");
});

e2e!(
    hidden_documents_take_no_place_among_hits,
    |app| async move {
        let w = World::new(&app).await;
        // A's public need mentions the rare word once, in a longer text: a weak
        // hit. The university's capability is about that word only.
        let a_need = need(
            &app,
            &w,
            "Storage of actinides",
            "Long-term storage of actinides in ceramic waste forms; one candidate \
         host is zirconolite, next to glass and synroc, for a repository.",
            &["storage"],
            "PUBLIC",
        )
        .await;
        let u_capability = capability(
            &app,
            &w,
            "Zirconolite",
            "Zirconolite zirconolite.",
            &["zirconolite"],
            &["460"],
            5,
        )
        .await;
        // Enterprise B: 200 drafts that are each a better hit than A's need, as
        // many as the matching pipeline takes candidates.
        let drafts: Vec<Value> = (0..200)
            .map(|i| {
                json!({"organizationId": w.org_b, "title": format!("Zirconolite {i}"),
                "description": "zirconolite", "keywords": ["zirconolite"],
                "disciplineCodes": ["460"], "visibility": "PUBLIC"})
            })
            .collect();
        let data = app
            .gql_ok(
                Some(&w.b),
                "mutation($input: [CreateNeedInput!]!) { importNeeds(input: {rows: $input}) { count } }",
                json!({"input": drafts}),
            )
            .await;
        assert_eq!(data["importNeeds"]["count"], 200);

        // Hidden drafts take no place among the best hits: A's need is still the
        // first hit for readers who cannot see them, even asking for one.
        for token in [None, Some(w.a.as_str()), Some(w.u.as_str())] {
            let data = app
            .gql_ok(
                token,
                "query { search(query: \"zirconolite\", types: [NEED], first: 1) { edges { node { ... on Need { id } } } } }",
                json!({}),
            )
            .await;
            assert_eq!(
                data["search"]["edges"][0]["node"]["id"],
                a_need.as_str(),
                "{data}"
            );
        }
        let matching = app
            .gql_ok(Some(&w.u), MATCHING_NEEDS, json!({"id": u_capability}))
            .await;
        score_in(&matching, "capability.matchingNeeds", "need", &a_need);
        // B finds its drafts first.
        let data = app
        .gql_ok(
            Some(&w.b),
            "query { search(query: \"zirconolite\", types: [NEED], first: 1) { edges { node { ... on Need { title } } } } }",
            json!({}),
        )
        .await;
        assert!(
            data["search"]["edges"][0]["node"]["title"]
                .as_str()
                .unwrap()
                .starts_with("Zirconolite "),
            "{data}"
        );
    }
);
