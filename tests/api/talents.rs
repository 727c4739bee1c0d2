use serde_json::json;

use crate::fixtures::World;

const UPSERT: &str = "mutation($input: UpsertTalentProfileInput!) { upsertTalentProfile(input: $input) {
  talent { id name title bio keywords availability isViewer viewerCanEdit disciplines { code } organization { id } } } }";

e2e!(talent_profiles_upsert_and_permissions, |app| async move {
    let w = World::new(&app).await;
    let mine = json!({"organizationId": w.org_u, "name": "王芳 Wang Fang", "title": "副教授 Associate Professor",
        "bio": "Tribology and surface engineering.", "keywords": ["摩擦学", "tribology"], "disciplineCodes": ["460"],
        "availability": ["CONSULTING", "JOINT_RESEARCH"], "linkToMe": true});
    let data = app.gql_ok(Some(&w.u), UPSERT, json!({"input": mine})).await;
    let t = &data["upsertTalentProfile"]["talent"];
    assert_eq!(t["isViewer"], true);
    assert_eq!(t["availability"], json!(["CONSULTING", "JOINT_RESEARCH"]));
    assert_eq!(t["disciplines"][0]["code"], "460");
    let id = crate::common::text(&t["id"]);

    // Upserting "my" profile again updates it instead of creating a second one.
    let mut again = mine.clone();
    again["bio"] = json!("Tribology, laser surface texturing.");
    let data = app
        .gql_ok(Some(&w.u), UPSERT, json!({"input": again}))
        .await;
    assert_eq!(data["upsertTalentProfile"]["talent"]["id"], id.as_str());
    assert_eq!(
        data["upsertTalentProfile"]["talent"]["bio"],
        "Tribology, laser surface texturing."
    );

    // Others may read but not change it.
    let mut hijack = mine.clone();
    hijack["id"] = json!(id);
    hijack["linkToMe"] = json!(false);
    app.gql_err(Some(&w.a), UPSERT, json!({"input": hijack}), "FORBIDDEN")
        .await;
    let res = app
        .gql(
            Some(&w.a),
            "query($id: ID!) { talent(id: $id) { name viewerCanEdit } }",
            json!({"id": id}),
        )
        .await;
    assert_eq!(res["data"]["talent"]["viewerCanEdit"], false, "{res}");
    // Nor create profiles in an organisation they do not belong to.
    let mut foreign = mine.clone();
    foreign["linkToMe"] = json!(false);
    app.gql_err(Some(&w.a), UPSERT, json!({"input": foreign}), "FORBIDDEN")
        .await;

    let mut bad = mine.clone();
    bad["name"] = json!("");
    let res = app.gql(Some(&w.u), UPSERT, json!({"input": bad})).await;
    assert_eq!(
        res["errors"][0]["extensions"]["fields"][0]["field"],
        "input.name"
    );

    // Talent profiles are for signed-in users.
    app.gql_err(
        None,
        "{ talents { totalCount } }",
        json!({}),
        "UNAUTHENTICATED",
    )
    .await;
    app.gql_err(
        None,
        "query($id: ID!) { node(id: $id) { id } }",
        json!({"id": id}),
        "UNAUTHENTICATED",
    )
    .await;

    let list = "query($f: TalentFilterInput) { talents(filter: $f) { totalCount edges { node { name } } } }";
    let d = app
        .gql_ok(
            Some(&w.b),
            list,
            json!({"f": {"availableFor": "JOINT_RESEARCH"}}),
        )
        .await;
    assert_eq!(d["talents"]["totalCount"], 1);
    let d = app
        .gql_ok(
            Some(&w.b),
            list,
            json!({"f": {"availableFor": "SECONDMENT"}}),
        )
        .await;
    assert_eq!(d["talents"]["totalCount"], 0);
    let d = app
        .gql_ok(
            Some(&w.b),
            list,
            json!({"f": {"keyword": "tribology", "organizationId": w.org_u}}),
        )
        .await;
    assert_eq!(d["talents"]["edges"][0]["node"]["name"], "王芳 Wang Fang");
});
