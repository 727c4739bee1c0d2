//! Subscriptions over WebSocket (`/graphql/ws`, graphql-transport-ws).

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::common::TestApp;
use crate::fixtures::World;
use crate::matching::{capability, need};

/// A graphql-transport-ws client.
pub struct Ws(WebSocketStream<MaybeTlsStream<TcpStream>>);

/// How a connection attempt ended.
pub enum Init {
    Ack(Box<Ws>),
    /// The server closed the connection with this code.
    Closed(u16),
}

impl Ws {
    /// Connects and sends `connection_init` with the token, if any.
    pub async fn init(app: &TestApp, token: Option<&str>) -> Init {
        let url = app.url("/graphql/ws").replacen("http://", "ws://", 1);
        let mut request = url.into_client_request().unwrap();
        request.headers_mut().insert(
            "sec-websocket-protocol",
            "graphql-transport-ws".parse().unwrap(),
        );
        let (stream, response) = tokio_tungstenite::connect_async(request).await.unwrap();
        assert_eq!(
            response
                .headers()
                .get("sec-websocket-protocol")
                .and_then(|v| v.to_str().ok()),
            Some("graphql-transport-ws")
        );
        let mut ws = Ws(stream);
        let payload = match token {
            Some(t) => json!({"Authorization": format!("Bearer {t}")}),
            None => json!({}),
        };
        ws.send(json!({"type": "connection_init", "payload": payload}))
            .await;
        match ws.next_frame(Duration::from_secs(10)).await {
            Some(Ok(msg)) => {
                assert_eq!(msg["type"], "connection_ack", "{msg}");
                Init::Ack(Box::new(ws))
            }
            Some(Err(code)) => Init::Closed(code),
            None => panic!("no answer to connection_init"),
        }
    }

    pub async fn connect(app: &TestApp, token: Option<&str>) -> Ws {
        match Ws::init(app, token).await {
            Init::Ack(ws) => *ws,
            Init::Closed(code) => panic!("connection closed with {code}"),
        }
    }

    pub async fn send(&mut self, msg: Value) {
        self.0.send(Message::text(msg.to_string())).await.unwrap();
    }

    /// Sends `msg` if the connection still takes it (the server may have
    /// closed it already).
    pub async fn try_send(&mut self, msg: Value) -> bool {
        self.0.send(Message::text(msg.to_string())).await.is_ok()
    }

    pub async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        self.send(json!({"id": id, "type": "subscribe",
            "payload": {"query": query, "variables": variables}}))
            .await;
    }

    /// The next JSON message (pings answered), `Err(code)` on close, `None`
    /// on timeout.
    pub async fn next_frame(&mut self, wait: Duration) -> Option<Result<Value, u16>> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let frame = tokio::time::timeout_at(deadline, self.0.next())
                .await
                .ok()?;
            match frame {
                Some(Ok(Message::Text(text))) => {
                    let msg: Value = serde_json::from_str(&text).unwrap();
                    if msg["type"] == "ping" {
                        self.send(json!({"type": "pong"})).await;
                        continue;
                    }
                    return Some(Ok(msg));
                }
                Some(Ok(Message::Close(frame))) => {
                    return Some(Err(frame.map_or(1005, |f| u16::from(f.code))));
                }
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return Some(Err(1006)),
            }
        }
    }

    /// The next message, or `None` if nothing comes within `wait`.
    pub async fn next(&mut self, wait: Duration) -> Option<Value> {
        match self.next_frame(wait).await? {
            Ok(msg) => Some(msg),
            Err(code) => panic!("connection closed with {code}"),
        }
    }
}

impl Ws {
    /// Reads the refusal of subscription `id`: an `error` message, or a
    /// `next` with errors followed by `complete`; returns its
    /// `extensions.code`.
    pub async fn refusal(&mut self, id: &str) -> Option<String> {
        self.refusal_error(id).await["extensions"]["code"]
            .as_str()
            .map(str::to_owned)
    }

    /// The first error of the refusal of subscription `id`.
    pub async fn refusal_error(&mut self, id: &str) -> Value {
        let msg = self.next(Duration::from_secs(10)).await.expect("an answer");
        assert_eq!(msg["id"], id, "{msg}");
        let errors = match msg["type"].as_str() {
            Some("error") => &msg["payload"],
            Some("next") => {
                let done = self.next(Duration::from_secs(10)).await.expect("complete");
                assert_eq!(done, json!({"id": id, "type": "complete"}));
                &msg["payload"]["errors"]
            }
            _ => panic!("not a refusal: {msg}"),
        };
        errors[0].clone()
    }
}

const SUGGESTED: &str = "subscription($needId: ID!) { matchSuggested(needId: $needId) {
  id score status matchedTerms capability { id title } factors { name weight contribution } } }";

const TOUCH: &str = "mutation($input: UpdateCapabilityInput!) { updateCapability(input: $input) { capability { id } } }";

e2e!(
    match_suggested_pushes_fitting_capabilities_to_the_need_owner,
    |app| async move {
        let w = World::new(&app).await;
        let need_id = need(
            &app,
            &w,
            "电机轴承故障诊断 Bearing fault diagnosis",
            "需要基于振动信号的轴承故障早期预警方法，用于生产线电机。",
            &["轴承", "故障诊断", "bearing", "fault diagnosis"],
            "PUBLIC",
        )
        .await;

        let mut ws = Ws::connect(&app, Some(&w.a)).await;
        ws.subscribe("s1", SUGGESTED, json!({"needId": need_id}))
            .await;

        // Off topic: never pushed.
        capability(
            &app,
            &w,
            "Spray painting of ship hulls 船体喷涂",
            "Anti-fouling coatings for marine vessels.",
            &["coating", "涂装"],
            &["430"],
            6,
        )
        .await;
        let fitting = capability(
            &app,
            &w,
            "Bearing fault diagnosis from vibration signals 轴承故障诊断",
            "Deep learning on vibration signals detects early bearing faults 振动信号 故障诊断.",
            &["故障诊断", "fault diagnosis", "轴承", "bearing"],
            &["460"],
            5,
        )
        .await;

        // The subscription may register just after the first publication:
        // edits of a published capability announce it again.
        let mut pushed = None;
        for attempt in 0..10 {
            if let Some(msg) = ws.next(Duration::from_millis(1500)).await {
                pushed = Some(msg);
                break;
            }
            app.gql_ok(
                Some(&w.u),
                TOUCH,
                json!({"input": {"id": fitting, "summary": format!(
                    "Deep learning on vibration signals detects early bearing faults 振动信号 故障诊断 (rev {attempt})."
                )}}),
            )
            .await;
        }
        let msg = pushed.expect("a suggestion within 15 s");
        assert_eq!(msg["type"], "next", "{msg}");
        assert_eq!(msg["id"], "s1");
        let m = &msg["payload"]["data"]["matchSuggested"];
        assert_eq!(
            m["capability"]["id"], fitting,
            "the fitting capability, not the off-topic one: {msg}"
        );
        assert_eq!(m["status"], "SUGGESTED");
        assert!(m["score"].as_f64().unwrap() >= 0.3, "{msg}");
        assert!(
            m["matchedTerms"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t == "轴承"),
            "{msg}"
        );
        assert!(!m["factors"].as_array().unwrap().is_empty());

        // Once decided on, the pair is no longer a new suggestion.
        app.gql_ok(
            Some(&w.a),
            "mutation($id: ID!) { shortlistMatch(input: {id: $id}) { match { status } } }",
            json!({"id": m["id"]}),
        )
        .await;
        app.gql_ok(
            Some(&w.u),
            TOUCH,
            json!({"input": {"id": fitting, "title": "Bearing fault diagnosis 轴承故障诊断 (v2)"}}),
        )
        .await;
        let again = ws.next(Duration::from_millis(1500)).await;
        assert!(again.is_none(), "decided pairs are not pushed: {again:?}");

        // A published import announces its rows at once: the fitting ones
        // come, best first; the off-topic one does not.
        let row = |title: &str, summary: &str, keywords: &[&str]| {
            json!({"organizationId": w.org_u, "title": title, "summary": summary,
                "keywords": keywords, "disciplineCodes": ["460"], "trl": 5})
        };
        let data = app
            .gql_ok(
                Some(&w.u),
                "mutation($input: [CreateCapabilityInput!]!) {
                  importCapabilities(input: {rows: $input, publish: true}) { capabilities { id title } } }",
                json!({"input": [
                    row("Rolling bearing fault diagnosis 滚动轴承故障诊断", "振动信号 轴承 故障诊断 early warning", &["轴承", "bearing", "故障诊断"]),
                    row("Greenhouse irrigation 温室灌溉", "Drip irrigation scheduling.", &["irrigation"]),
                    row("Motor bearing condition monitoring 电机轴承状态监测", "振动 轴承 fault diagnosis of motor bearings", &["轴承", "fault diagnosis"]),
                ]}),
            )
            .await;
        let imported: Vec<&Value> = data["importCapabilities"]["capabilities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| &c["id"])
            .collect();
        let mut pushed = Vec::new();
        while let Some(msg) = ws.next(Duration::from_millis(2000)).await {
            pushed.push(msg["payload"]["data"]["matchSuggested"]["capability"]["id"].clone());
        }
        assert_eq!(pushed.len(), 2, "{pushed:?}");
        assert!(pushed.contains(imported[0]) && pushed.contains(imported[2]));
        assert!(!pushed.contains(imported[1]), "off topic: {pushed:?}");
    }
);

e2e!(
    match_suggested_requires_the_right_to_decide_on_the_need,
    |app| async move {
        let w = World::new(&app).await;
        let public = need(&app, &w, "轴承故障诊断", "振动信号", &["轴承"], "PUBLIC").await;
        let confidential = need(
            &app,
            &w,
            "齿轮箱寿命预测",
            "机密需求",
            &["齿轮箱"],
            "CONFIDENTIAL",
        )
        .await;

        // A competitor sees the public need but does not decide on it, and
        // does not learn that the confidential one exists.
        let mut ws = Ws::connect(&app, Some(&w.b)).await;
        ws.subscribe("p", SUGGESTED, json!({"needId": public}))
            .await;
        assert_eq!(ws.refusal("p").await.as_deref(), Some("FORBIDDEN"));
        ws.subscribe("c", SUGGESTED, json!({"needId": confidential}))
            .await;
        assert_eq!(ws.refusal("c").await.as_deref(), Some("NOT_FOUND"));

        // Without signing in: UNAUTHENTICATED.
        let mut anonymous = Ws::connect(&app, None).await;
        anonymous
            .subscribe("x", SUGGESTED, json!({"needId": public}))
            .await;
        assert_eq!(
            anonymous.refusal("x").await.as_deref(),
            Some("UNAUTHENTICATED")
        );

        // A bad token closes the connection with 4403 Forbidden.
        match Ws::init(&app, Some("not-a-token")).await {
            Init::Closed(code) => assert_eq!(code, 4403),
            Init::Ack(_) => panic!("a bad token was accepted"),
        }

        // A malformed id is a coded input error.
        let mut ws = Ws::connect(&app, Some(&w.a)).await;
        ws.subscribe("bad", SUGGESTED, json!({"needId": "nonsense"}))
            .await;
        assert_eq!(ws.refusal("bad").await.as_deref(), Some("BAD_USER_INPUT"));
    }
);

e2e!(document_limits_hold_over_websocket_too, |app| async move {
    let w = World::new(&app).await;
    let id = need(
        &app,
        &w,
        "齿轮箱寿命预测",
        "寿命预测",
        &["齿轮箱"],
        "PUBLIC",
    )
    .await;
    let mut ws = Ws::connect(&app, Some(&w.a)).await;
    // 31 aliases: one more than `graphql_max_aliases` allows.
    let fields: Vec<String> = (0..31).map(|i| format!("a{i}: id")).collect();
    let query = format!(
        "subscription($needId: ID!) {{ matchSuggested(needId: $needId) {{ {} }} }}",
        fields.join(" ")
    );
    ws.subscribe("aliases", &query, json!({"needId": id})).await;
    let error = ws.refusal_error("aliases").await;
    assert_eq!(error["extensions"]["code"], "BAD_USER_INPUT", "{error}");
    assert_eq!(
        error["message"], "the query has 31 aliases; at most 30 are accepted",
        "{error}"
    );
    // Syntax and validation errors carry the code too.
    ws.subscribe("syntax", "subscription {", json!({})).await;
    assert_eq!(
        ws.refusal("syntax").await.as_deref(),
        Some("BAD_USER_INPUT")
    );
    ws.subscribe("unknown", "subscription { noSuchField }", json!({}))
        .await;
    assert_eq!(
        ws.refusal("unknown").await.as_deref(),
        Some("BAD_USER_INPUT")
    );
});
