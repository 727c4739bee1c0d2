//! The `iurhub` binary as an operator runs it.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::Backend;

pub(crate) use crate::common::free_port;

pub(crate) fn iurhub() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_iurhub"));
    cmd.env_remove("IURHUB_DATABASE_URL")
        .env("RUST_LOG", "info")
        .stdin(Stdio::null());
    cmd
}

/// Starts `iurhub` from `dir` on a free port and on `app`'s database (the
/// binary's default SQLite file in `dir` for a SQLite `app`), after
/// `configure` has added the arguments, environment and output of the case;
/// returns once it is ready.
pub(crate) async fn serve_beside(
    app: &crate::common::TestApp,
    dir: &std::path::Path,
    configure: impl FnOnce(&mut Command),
) -> (Child, u16) {
    let port = free_port();
    let mut cmd = iurhub();
    cmd.current_dir(dir)
        .env("IURHUB_LISTEN", format!("127.0.0.1:{port}"));
    configure(&mut cmd);
    if app.backend == Backend::Postgres {
        cmd.env("IURHUB_DATABASE_URL", &app.database_url);
    }
    let child = cmd.spawn().unwrap();
    wait_ready(port).await;
    (child, port)
}

pub(crate) async fn wait_ready(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let client = reqwest::Client::new();
    loop {
        if let Ok(res) = client
            .get(format!("http://127.0.0.1:{port}/readyz"))
            .send()
            .await
            && res.status() == 200
        {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "server on port {port} did not become ready"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Sends SIGTERM and waits for a clean exit; returns the process's log.
/// The log is read while the process shuts down, so a full pipe cannot
/// hold it (a server writing more than the pipe holds would block).
pub(crate) async fn terminate(mut child: Child) -> String {
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let reader = std::thread::spawn(move || {
        use std::io::Read;
        let mut log = String::new();
        let _ = stderr.read_to_string(&mut log);
        log
    });
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let log = reader.join().unwrap();
            assert!(status.success(), "exit status {status}; its log:\n{log}");
            return log;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            let log = reader.join().unwrap();
            panic!("no exit within 10 s of SIGTERM; its log:\n{log}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

e2e!(
    serve_starts_with_zero_configuration_and_stops_on_sigterm,
    |app| async move {
        let dir = tempfile::tempdir().unwrap();
        let (child, port) = serve_beside(&app, dir.path(), |cmd| {
            cmd.stdout(Stdio::null()).stderr(Stdio::piped());
        })
        .await;
        let res = reqwest::get(format!("http://127.0.0.1:{port}/healthz"))
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let log = terminate(child).await;
        if app.backend == Backend::Sqlite {
            assert!(
                dir.path().join("data/iurhub.db").exists(),
                "SQLite file under ./data"
            );
            assert!(
                dir.path().join("data/jwt-secret").exists(),
                "generated secret kept in the data dir"
            );
            assert!(
                log.contains("IURHUB_JWT_SECRET is not set"),
                "the generated secret is announced: {log}"
            );
        }
        assert!(
            log.contains("request_id"),
            "one line per request with its id: {log}"
        );
        assert!(log.contains("status=200"), "{log}");
        assert!(!log.contains("hunter2"), "no secret in the log");
    }
);

e2e!(config_file_and_environment_layer, |app| async move {
    let dir = tempfile::tempdir().unwrap();
    let (file_port, env_port) = (free_port(), free_port());
    std::fs::write(
        dir.path().join("iurhub.toml"),
        format!("listen = \"127.0.0.1:{file_port}\"\ndata_dir = \"./state\"\n"),
    )
    .unwrap();
    let run = |envs: Vec<(&str, String)>| {
        let mut cmd = iurhub();
        cmd.current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if app.backend == Backend::Postgres {
            cmd.env("IURHUB_DATABASE_URL", &app.database_url);
        }
        for (k, v) in envs {
            cmd.env(k, v);
        }
        cmd.spawn().unwrap()
    };
    // The file's listen address and data directory apply...
    let child = run(vec![]);
    wait_ready(file_port).await;
    terminate(child).await;
    if app.backend == Backend::Sqlite {
        assert!(dir.path().join("state/iurhub.db").exists());
    }
    // ...and the environment overrides the file.
    let child = run(vec![
        ("IURHUB_LISTEN", format!("127.0.0.1:{env_port}")),
        ("IURHUB_LOG_FORMAT", "json".into()),
        (
            "IURHUB_JWT_SECRET",
            "hunter2hunter2hunter2hunter2hunter2hunter2".into(),
        ),
    ]);
    wait_ready(env_port).await;
    let log = terminate(child).await;
    let first = log.lines().next().unwrap_or_default();
    assert!(
        serde_json::from_str::<serde_json::Value>(first).is_ok(),
        "JSON log lines: {first}"
    );
    assert!(!log.contains("hunter2"), "the secret is never logged");

    // A bad value stops the start with a message naming the key.
    let out = iurhub()
        .current_dir(dir.path())
        .env("IURHUB_JWT_LEEWAY_SECS", "120")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("jwt_leeway_secs"));
});

e2e!(migrate_down_and_up_and_export_schema, |app| async move {
    let migrate = |args: &[&str]| {
        let out = iurhub()
            .env("IURHUB_DATABASE_URL", &app.database_url)
            .arg("migrate")
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let status = migrate(&["status"]);
    let total = status.lines().count();
    assert!(total >= 4, "{status}");
    assert_eq!(status.matches("Applied").count(), total, "{status}");
    migrate(&["down"]);
    assert_eq!(migrate(&["status"]).matches("Pending").count(), 1);
    migrate(&["up"]);
    assert_eq!(migrate(&["status"]).matches("Applied").count(), total);

    let out = iurhub()
        .args(["export-schema", "--check", "--out"])
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql"))
        .output()
        .unwrap();
    assert!(out.status.success(), "schema.graphql is current");
    let help = iurhub().args(["migrate", "--help"]).output().unwrap();
    assert!(String::from_utf8_lossy(&help.stdout).contains("status"));
});

e2e!(serve_with_demo_data_matches_right_away, |app| async move {
    let dir = tempfile::tempdir().unwrap();
    let (child, port) = serve_beside(&app, dir.path(), |cmd| {
        cmd.args(["serve", "--demo"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
    })
    .await;
    let client = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    let login: serde_json::Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"email": "coordinator@demo.iurhub.cn", "password": "iurhub-demo-2026"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["accessToken"]
        .as_str()
        .expect("demo coordinator signs in");
    let query = "{ needs(first: 1, filter: {keyword: \"轴承\", status: [PUBLISHED]}) { edges { node { matches(first: 3) { totalCount edges { node { capability { title } } } } } } } }";
    let res: serde_json::Value = client
        .post(format!("{base}/graphql"))
        .bearer_auth(token)
        .json(&serde_json::json!({"query": query}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let matches = &res["data"]["needs"]["edges"][0]["node"]["matches"];
    assert!(
        matches["totalCount"].as_u64().unwrap_or(0) > 0,
        "demo data is indexed at start: {res}"
    );
    let top = matches["edges"][0]["node"]["capability"]["title"]
        .as_str()
        .unwrap();
    assert!(
        top.contains("轴承") || top.to_lowercase().contains("bearing"),
        "{top}"
    );
    terminate(child).await;
});

e2e!(generate_writes_a_synthetic_corpus_once, |app| async move {
    let run = || {
        iurhub()
            .env("IURHUB_DATABASE_URL", &app.database_url)
            .args([
                "generate",
                "--capabilities",
                "450",
                "--needs",
                "60",
                "--seed",
                "5",
            ])
            .output()
            .unwrap()
    };
    let out = run();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout
            .contains("generated 450 capabilities of 3 universities and 60 needs of 6 enterprises"),
        "{stdout}"
    );

    // What a reader of the API sees: published needs with their organisation.
    let admin = app.admin_token().await;
    let data = app
        .gql_ok(
            Some(&admin),
            "{ needs(first: 3, filter: {status: [PUBLISHED]}) { totalCount
                 edges { node { title keywords organization { name kind region { province } } } } }
               capabilities(first: 1, filter: {status: [PUBLISHED]}) { totalCount } }",
            serde_json::json!({}),
        )
        .await;
    let needs = data["needs"]["totalCount"].as_i64().unwrap();
    assert!(
        (35..60).contains(&needs),
        "about 85% of 60 published: {data}"
    );
    let capabilities = data["capabilities"]["totalCount"].as_i64().unwrap();
    assert!(
        (380..450).contains(&capabilities),
        "about 90% of 450: {data}"
    );
    let first = &data["needs"]["edges"][0]["node"];
    assert_eq!(first["organization"]["kind"], "ENTERPRISE", "{data}");
    assert!(
        first["organization"]["region"]["province"].is_string(),
        "{data}"
    );
    assert!(!first["keywords"].as_array().unwrap().is_empty(), "{data}");

    // A second corpus would mix with the first: refused, nothing written.
    let again = run();
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("already holds synthetic data"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    let data = app
        .gql_ok(
            Some(&admin),
            "{ capabilities(first: 1) { totalCount } }",
            serde_json::json!({}),
        )
        .await;
    assert_eq!(data["capabilities"]["totalCount"], 450, "{data}");
});

// The index a server rebuilds at start (from the texts alone) finds what
// the index kept in step with the writes found: the same objects, in the
// same order, for words of every indexed field of every kind. On SQLite the
// rebuild alone answers; on PostgreSQL the new server's catch-up poll also
// re-applies writes of the last minute, so there the two together must
// agree (and the rebuild must read PostgreSQL's rows at all).
e2e!(
    the_index_rebuilt_at_start_finds_what_the_live_one_found,
    |app| async move {
        use crate::fixtures::{CREATE_CAPABILITY, World};
        let w = World::new(&app).await;
        w.need(&app, "Spindle thermal drift 主轴热漂移", "PUBLIC", true)
            .await;
        let data = app
        .gql_ok(
            Some(&w.u),
            "mutation($input: UpsertTalentProfileInput!) { upsertTalentProfile(input: $input) { talent { id } } }",
            serde_json::json!({"input": {"organizationId": w.org_u, "name": "Li Wei 李伟",
                "title": "Professor of tribology 摩擦学教授", "bio": "Lubrication of rolling bearings 滚动轴承润滑",
                "keywords": ["tribology", "摩擦学"]}}),
        )
        .await;
        let talent = crate::common::text(&data["upsertTalentProfile"]["talent"]["id"]);
        let data = app
            .gql_ok(
                Some(&w.u),
                CREATE_CAPABILITY,
                serde_json::json!({"input": {"organizationId": w.org_u,
                "title": "Thermal error compensation 热误差补偿",
                "summary": "Spindle drift models for machine tools 机床主轴",
                "keywords": ["热误差", "compensation"], "talentIds": [talent]}}),
            )
            .await;
        let capability = crate::common::text(&data["createCapability"]["capability"]["id"]);
        app.gql_ok(
            Some(&w.u),
            "mutation($id: ID!) { publishCapability(input: {id: $id}) { capability { status } } }",
            serde_json::json!({"id": capability}),
        )
        .await;

        let search = "query($q: String!) { search(query: $q, first: 10) { edges { node {
        ... on Need { id } ... on Capability { id } ... on Talent { id } } } } }";
        let words = [
            "thermal",
            "主轴",
            "drift",
            "compensation",
            "热误差",
            "tribology",
            "摩擦学",
            "教授",
            "Li Wei",
            "滚动轴承",
            "Lubrication",
            "machine tools",
        ];
        let found = |app: crate::common::TestApp| {
            let token = w.u.clone();
            async move {
                let mut all = Vec::new();
                for word in words {
                    let data = app
                        .gql_ok(Some(&token), search, serde_json::json!({"q": word}))
                        .await;
                    let ids: Vec<String> = data["search"]["edges"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|h| crate::common::text(&h["node"]["id"]))
                        .collect();
                    assert!(!ids.is_empty(), "{word} finds something");
                    all.push((word, ids));
                }
                all
            }
        };
        let live = found(crate::common::TestApp::remote(
            app.addr,
            app.backend,
            &app.database_url,
        ))
        .await;

        // A second server on the same database rebuilds its index at start.
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let child = iurhub()
            .current_dir(dir.path())
            .arg("serve")
            .env("IURHUB_LISTEN", format!("127.0.0.1:{port}"))
            .env("IURHUB_DATABASE_URL", &app.database_url)
            .env("IURHUB_DATA_DIR", dir.path())
            .env(
                "IURHUB_JWT_SECRET",
                "test secret that is long enough for HS256",
            )
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        wait_ready(port).await;
        let addr = format!("127.0.0.1:{port}").parse().unwrap();
        let rebuilt = found(crate::common::TestApp::remote(
            addr,
            app.backend,
            &app.database_url,
        ))
        .await;
        terminate(child).await;
        assert_eq!(live, rebuilt);
    }
);
