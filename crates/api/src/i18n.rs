//! The language of error messages: `Accept-Language` of the request (q-values
//! honoured; `zh`, `zh-CN`, `zh-Hans` → Chinese; English by default), kept
//! for the request's task so every error rendered while it runs — REST
//! bodies, GraphQL errors over HTTP and WebSocket — speaks it. The texts
//! themselves live in [`iurhub_domain::messages`].

use axum::extract::Request;
use axum::http::HeaderMap;
use axum::http::header::ACCEPT_LANGUAGE;
use axum::middleware::Next;
use axum::response::Response;
pub use iurhub_domain::Locale;

tokio::task_local! {
    static LOCALE: Locale;
}

/// The language errors are written in for the running request (English
/// outside of one).
pub fn current() -> Locale {
    LOCALE.try_with(|l| *l).unwrap_or_default()
}

/// The language a request's `Accept-Language` asks for.
pub fn of_headers(headers: &HeaderMap) -> Locale {
    headers
        .get(ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Locale::from_accept_language)
        .unwrap_or_default()
}

/// Runs `future` with errors written in `locale`.
pub async fn with_locale<F: Future>(locale: Locale, future: F) -> F::Output {
    LOCALE.scope(locale, future).await
}

/// Middleware: the rest of the request runs in the language it asks for.
pub async fn scope(request: Request, next: Next) -> Response {
    let locale = of_headers(request.headers());
    let mut response = with_locale(locale, next.run(request)).await;
    if !response
        .headers()
        .contains_key(axum::http::header::CONTENT_LANGUAGE)
        && (response.status().is_client_error() || response.status().is_server_error())
    {
        response.headers_mut().insert(
            axum::http::header::CONTENT_LANGUAGE,
            axum::http::HeaderValue::from_static(locale.tag()),
        );
    }
    response
}
