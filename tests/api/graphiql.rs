//! GraphiQL works without internet access: the page loads every script and
//! style from the server itself.

/// Every value of `attr="…"` in `html`.
fn attribute_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!("{attr}=\"");
    html.match_indices(&needle)
        .map(|(at, _)| {
            let rest = &html[at + needle.len()..];
            rest[..rest.find('"').expect("a closed attribute")].to_owned()
        })
        .collect()
}

e2e!(
    graphiql_loads_its_scripts_and_styles_from_the_server,
    |app| async move {
        let res = app
            .client
            .get(app.url("/graphql"))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        crate::common::assert_content_type(&res, "text/html; charset=utf-8");
        let html = res.text().await.unwrap();
        assert!(html.contains("GraphiQL.createFetcher"), "{html}");

        let scripts = attribute_values(&html, "src");
        let styles = attribute_values(&html, "href");
        assert_eq!(scripts.len(), 3, "React, ReactDOM, GraphiQL: {scripts:?}");
        assert_eq!(styles.len(), 1, "{styles:?}");
        // Nothing but same-origin paths: no scheme, no `//host`.
        assert!(!html.contains("://"), "{html}");
        for url in scripts.iter().chain(&styles) {
            assert!(
                url.starts_with('/') && !url.starts_with("//"),
                "{url} is not on this server"
            );
        }
        for (urls, media_type) in [
            (&scripts, "text/javascript; charset=utf-8"),
            (&styles, "text/css; charset=utf-8"),
        ] {
            for url in urls {
                let res = app.get(url).await;
                assert_eq!(res.status(), 200, "{url}");
                crate::common::assert_content_type(&res, media_type);
                let cache = res.headers()["cache-control"].to_str().unwrap().to_owned();
                assert!(cache.contains("immutable"), "{url}: {cache}");
                let body = res.bytes().await.unwrap();
                assert!(body.len() > 1_000, "{url}: {} bytes", body.len());
                // No asset pulls in anything from another host either.
                let text = String::from_utf8_lossy(&body);
                for cdn in [
                    "https://unpkg.com",
                    "https://cdn.jsdelivr.net",
                    "https://cdnjs.cloudflare.com",
                    "https://fonts.googleapis.com",
                    "https://esm.sh",
                ] {
                    assert!(!text.contains(cdn), "{url} refers to {cdn}");
                }
            }
        }
        assert_eq!(app.get("/graphiql/nothing.js").await.status(), 404);
    }
);

e2e!(
    graphiql_and_its_assets_are_off_in_production,
    settings = |s: &mut iurhub_api::Settings| {
        s.profile = iurhub_api::config::Profile::Production;
    },
    |app| async move {
        let res = app
            .client
            .get(app.url("/graphql"))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
        assert_eq!(
            app.get("/graphiql/graphiql-4.1.2.min.js").await.status(),
            404
        );
    }
);
