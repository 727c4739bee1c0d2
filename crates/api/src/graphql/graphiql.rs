//! GraphiQL, served entirely by this server: the page and the scripts and
//! styles it loads (GraphiQL 4, React 18) come from `crates/api/assets/graphiql`,
//! compiled into the binary, so the IDE works on an intranet without
//! internet access. No CDN, no font or icon from another host.
//!
//! The asset names carry their version, so browsers may keep them for a
//! year (`immutable`); a new version gets a new name.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
use axum::response::{Html, IntoResponse, Response};

use crate::error::ApiError;
use crate::state::AppState;

/// Where the assets are served.
pub const ASSET_PREFIX: &str = "/graphiql/";

const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// One vendored file: its public name, content and media type.
struct Asset {
    name: &'static str,
    body: &'static [u8],
    content_type: &'static str,
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "react-18.3.1.production.min.js",
        body: include_bytes!("../../assets/graphiql/react.production.min.js"),
        content_type: JS,
    },
    Asset {
        name: "react-dom-18.3.1.production.min.js",
        body: include_bytes!("../../assets/graphiql/react-dom.production.min.js"),
        content_type: JS,
    },
    Asset {
        name: "graphiql-4.1.2.min.js",
        body: include_bytes!("../../assets/graphiql/graphiql.min.js"),
        content_type: JS,
    },
    Asset {
        name: "graphiql-4.1.2.min.css",
        body: include_bytes!("../../assets/graphiql/graphiql.min.css"),
        content_type: CSS,
    },
];

/// The GraphiQL page: every script and style from [`ASSET_PREFIX`].
pub fn page() -> Html<String> {
    let src = |name: &str| format!("{ASSET_PREFIX}{name}");
    Html(format!(
        r#"<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="robots" content="noindex">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>iurhub GraphQL</title>
    <style>
      body {{ height: 100%; margin: 0; width: 100%; overflow: hidden; }}
      #graphiql {{ height: 100vh; }}
    </style>
    <link rel="stylesheet" href="{css}">
    <script src="{react}"></script>
    <script src="{react_dom}"></script>
  </head>
  <body>
    <div id="graphiql">Loading…</div>
    <script src="{graphiql}"></script>
    <script>
      const url = (path, socket) => {{
        const u = new URL(path, window.location.origin);
        if (socket) u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
        return u.toString();
      }};
      ReactDOM.createRoot(document.getElementById('graphiql')).render(
        React.createElement(GraphiQL, {{
          fetcher: GraphiQL.createFetcher({{
            url: url('/graphql', false),
            subscriptionUrl: url('/graphql/ws', true),
            fetch: (input, init = {{}}) => fetch(input, {{...init, credentials: 'same-origin'}}),
          }}),
          defaultEditorToolsVisibility: true,
        }})
      );
    </script>
  </body>
</html>
"#,
        css = src(ASSETS[3].name),
        react = src(ASSETS[0].name),
        react_dom = src(ASSETS[1].name),
        graphiql = src(ASSETS[2].name),
    ))
}

/// GET /graphiql/{file}: one of GraphiQL's scripts or styles (not in
/// production, where GraphiQL is off).
pub async fn asset(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let found = ASSETS.iter().find(|a| a.name == file);
    match found {
        Some(a) if state.settings.profile != crate::config::Profile::Production => (
            StatusCode::OK,
            [
                (CONTENT_TYPE, a.content_type),
                (CACHE_CONTROL, "public, max-age=31536000, immutable"),
                (X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ],
            a.body,
        )
            .into_response(),
        _ => ApiError::not_found("file").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_names_every_asset_once() {
        let html = page().0;
        for a in ASSETS {
            assert_eq!(html.matches(a.name).count(), 1, "{}", a.name);
            assert!(!a.body.is_empty());
        }
        assert!(!html.contains("https://"), "{html}");
    }
}
