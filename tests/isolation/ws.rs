//! A graphql-transport-ws client (as in `tests/api/subscriptions.rs`) that
//! scans every message for the markers hidden from its user.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::world::{Tenants, Who, assert_no_leak};

pub struct Ws {
    stream: WebSocketStream<MaybeTlsStream<TcpStream>>,
    who: Who,
}

impl Ws {
    /// Connects as `who` and waits for `connection_ack`.
    pub async fn connect(t: &Tenants<'_>, who: Who) -> Ws {
        let url = t.app.url("/graphql/ws").replacen("http://", "ws://", 1);
        let mut request = url.into_client_request().unwrap();
        request.headers_mut().insert(
            "sec-websocket-protocol",
            "graphql-transport-ws".parse().unwrap(),
        );
        let (stream, _) = tokio_tungstenite::connect_async(request).await.unwrap();
        let mut ws = Ws { stream, who };
        let payload = match t.token(who) {
            Some(token) => json!({"Authorization": format!("Bearer {token}")}),
            None => json!({}),
        };
        ws.send(json!({"type": "connection_init", "payload": payload}))
            .await;
        let ack = ws
            .next(Duration::from_secs(10))
            .await
            .expect("an answer to connection_init");
        assert_eq!(ack["type"], "connection_ack", "{ack}");
        ws
    }

    async fn send(&mut self, msg: Value) {
        self.stream
            .send(Message::text(msg.to_string()))
            .await
            .unwrap();
    }

    pub async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        self.send(json!({"id": id, "type": "subscribe",
            "payload": {"query": query, "variables": variables}}))
            .await;
    }

    /// The next message (pings answered, leak-checked), or `None` when
    /// nothing comes within `wait`.
    pub async fn next(&mut self, wait: Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let frame = tokio::time::timeout_at(deadline, self.stream.next())
                .await
                .ok()?;
            match frame {
                Some(Ok(Message::Text(text))) => {
                    assert_no_leak(self.who, "a subscription message", &text);
                    let msg: Value = serde_json::from_str(&text).unwrap();
                    if msg["type"] == "ping" {
                        self.send(json!({"type": "pong"})).await;
                        continue;
                    }
                    return Some(msg);
                }
                Some(Ok(Message::Close(frame))) => panic!("connection closed: {frame:?}"),
                Some(Ok(_)) => continue,
                Some(Err(e)) => panic!("connection failed: {e}"),
                None => panic!("connection ended"),
            }
        }
    }

    /// Reads the refusal of subscription `id` (an `error`, or a `next` with
    /// errors then `complete`); returns the first error's code and message.
    pub async fn refusal(&mut self, id: &str) -> (Option<String>, String) {
        let msg = self.next(Duration::from_secs(10)).await.expect("an answer");
        assert_eq!(msg["id"], id, "{msg}");
        let errors = match msg["type"].as_str() {
            Some("error") => msg["payload"].clone(),
            Some("next") => {
                assert!(
                    msg["payload"]["data"].is_null(),
                    "a refusal carries no data: {msg}"
                );
                let done = self.next(Duration::from_secs(10)).await.expect("complete");
                assert_eq!(done, json!({"id": id, "type": "complete"}));
                msg["payload"]["errors"].clone()
            }
            _ => panic!("not a refusal: {msg}"),
        };
        (
            errors[0]["extensions"]["code"].as_str().map(str::to_owned),
            errors[0]["message"].as_str().unwrap_or_default().to_owned(),
        )
    }
}
