//! Relay connections: argument checks and page assembly shared by every list.

use iurhub_domain::Message;
use std::sync::Arc;

use async_graphql::connection::{Connection, CursorType, Edge};
use async_graphql::{Context, OutputType, SimpleObject};
use iurhub_domain::MAX_PAGE_SIZE;
use iurhub_domain::records::page::{Key, Page, PageArgs};

use super::ids::{cursor_order, decode_cursor, encode_cursor};
use crate::error::ApiError;

/// Fields every connection has besides edges and page info.
#[derive(SimpleObject)]
pub struct ConnectionFields {
    /// Number of objects in the whole list (all pages) for this filter.
    pub total_count: u64,
}

/// A Relay connection with `totalCount`.
pub type Conn<T> = Connection<PageCursor, T, ConnectionFields>;

/// A row's position in a list ordering, encoded (see
/// [`encode_cursor`]) only when a client selects a cursor: most reads of a
/// list never do, and encoding is a JSON text and base64 per edge.
#[derive(Debug, Clone)]
pub struct PageCursor {
    order: Arc<str>,
    key: Key,
}

impl CursorType for PageCursor {
    /// The message of the `BAD_USER_INPUT` error.
    type Error = String;

    fn decode_cursor(s: &str) -> Result<Self, String> {
        let order = cursor_order("cursor", s).map_err(|e| e.message())?;
        let key = decode_cursor("cursor", &order, s).map_err(|e| e.message())?;
        Ok(PageCursor {
            order: order.into(),
            key,
        })
    }

    fn encode_cursor(&self) -> String {
        encode_cursor(&self.order, &self.key)
    }
}

/// The largest page the configuration allows (`page_size_max`), in the
/// schema's data.
#[derive(Debug, Clone, Copy)]
pub struct PageSizeMax(pub u64);

/// The largest page a request may ask for.
pub fn page_size_max(ctx: &Context<'_>) -> u64 {
    ctx.data_opt::<PageSizeMax>()
        .map_or(MAX_PAGE_SIZE, |max| max.0)
}

/// The standard paging arguments of a list field.
#[derive(Debug, Default, Clone)]
pub struct PageInput {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
}

impl PageInput {
    pub fn new(
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> Self {
        Self {
            first,
            after,
            last,
            before,
        }
    }

    /// Checks the bounds and decodes the cursors for ordering `order`.
    pub fn to_args(&self, ctx: &Context<'_>, order: &str) -> Result<PageArgs, ApiError> {
        let max = page_size_max(ctx);
        let size = |field: &str, v: Option<i32>| -> Result<Option<u64>, ApiError> {
            match v {
                None => Ok(None),
                Some(n) if n < 0 => Err(ApiError::invalid(field, Message::new("value.negative"))),
                Some(n) if n as u64 > max => Err(ApiError::invalid(
                    field,
                    Message::new("value.at_most").with("max", max),
                )),
                Some(n) => Ok(Some(n as u64)),
            }
        };
        let first = size("first", self.first)?;
        let last = size("last", self.last)?;
        if first.is_some() && last.is_some() {
            return Err(ApiError::invalid(
                "last",
                Message::new("paging.first_and_last"),
            ));
        }
        let after = self
            .after
            .as_deref()
            .map(|c| decode_cursor("after", order, c))
            .transpose()?;
        let before = self
            .before
            .as_deref()
            .map(|c| decode_cursor("before", order, c))
            .transpose()?;
        Ok(PageArgs {
            first,
            after,
            last,
            before,
            with_total: ctx.look_ahead().field("totalCount").exists(),
        })
    }
}

/// Builds the connection of a page, converting each item with `node`.
pub fn connection<T, N: OutputType>(order: &str, page: Page<T>, node: impl Fn(T) -> N) -> Conn<N> {
    let mut conn = Connection::with_additional_fields(
        page.has_previous_page,
        page.has_next_page,
        ConnectionFields {
            total_count: page.total_count.unwrap_or_default(),
        },
    );
    let order: Arc<str> = order.into();
    conn.edges.extend(page.items.into_iter().map(|(key, item)| {
        let cursor = PageCursor {
            order: order.clone(),
            key,
        };
        Edge::new(cursor, node(item))
    }));
    conn
}

/// Pages through a list computed in memory (ranked matches, taxonomy
/// levels); cursors are positions in that list.
pub fn slice<T, N: OutputType>(
    ctx: &Context<'_>,
    tag: &str,
    items: Vec<T>,
    input: &PageInput,
    node: impl Fn(T) -> N,
) -> Result<Conn<N>, ApiError> {
    Ok(connection(tag, window(ctx, tag, items, input)?, node))
}

/// The page of [`slice`], before its items become nodes (to read what the
/// shown items need, once for the page).
pub fn window<T>(
    ctx: &Context<'_>,
    tag: &str,
    items: Vec<T>,
    input: &PageInput,
) -> Result<Page<T>, ApiError> {
    use iurhub_domain::records::page::SortValue;
    let args = input.to_args(ctx, tag)?;
    let total = items.len();
    let start = args
        .after
        .as_ref()
        .map_or(0, |k| usize::try_from(k.id).unwrap_or(0));
    let end = args
        .before
        .as_ref()
        .map_or(total, |k| {
            usize::try_from(k.id).unwrap_or(1).saturating_sub(1)
        })
        .min(total);
    let window = end.saturating_sub(start);
    let (from, to) = match (args.first, args.last) {
        (Some(f), _) => (0, (f as usize).min(window)),
        (None, Some(l)) => (window.saturating_sub(l as usize), window),
        (None, None) => (0, (iurhub_domain::DEFAULT_PAGE_SIZE as usize).min(window)),
    };
    let items: Vec<(Key, T)> = items
        .into_iter()
        .enumerate()
        .skip(start + from)
        .take(to - from)
        .map(|(i, item)| {
            let position = i as i64 + 1;
            (
                Key {
                    value: SortValue::Int(position),
                    id: position,
                },
                item,
            )
        })
        .collect();
    let page = Page {
        items,
        has_next_page: start + to < end || end < total,
        has_previous_page: start + from > 0,
        total_count: Some(total as u64),
    };
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;
    use iurhub_domain::records::page::SortValue;

    #[test]
    fn page_cursors_encode_when_asked_and_decode_back() {
        let key = Key {
            value: SortValue::Text("轴承 bearing".into()),
            id: 7,
        };
        let cursor = PageCursor {
            order: "needs:TITLE:ASC".into(),
            key: key.clone(),
        };
        let text = cursor.encode_cursor();
        assert_eq!(text, encode_cursor("needs:TITLE:ASC", &key));
        let back = PageCursor::decode_cursor(&text).unwrap();
        assert_eq!(&*back.order, "needs:TITLE:ASC");
        assert_eq!(back.key, key);
        for bad in ["", "!!!", "W10", "WyJhIl0"] {
            assert!(PageCursor::decode_cursor(bad).is_err(), "{bad}");
        }
    }
}
