//! # link_checker · lesson 06 · check a page's links concurrently (P1, A6, A8)
//!
//! `fetch` stands for an HTTP client: given a URL it returns the status code
//! and the body, or an error when there is no answer at all.
//!
//! [`check_page`] fetches `page`, finds its links with [`links_in`], and
//! fetches every distinct link, at most `limit` requests in flight at once.
//! It returns each link with its status (or its error), sorted by link. If
//! the page itself cannot be fetched, return that error.
//!
//! A stream does the bounding neatly: `futures::stream::iter(links)`, `.map`
//! each link to a future, then `.buffer_unordered(limit)` runs up to `limit`
//! of those futures at once and yields results as they finish
//! (`futures::StreamExt`). Python's `async for` over an async generator is
//! the closest relative.
//!
//! Check it: `cargo run -- check link_checker`
use futures::StreamExt;
use std::collections::BTreeSet;

/// A link and what fetching it gave: the status code, or an error.
pub type LinkStatus = (String, Result<u16, String>);

/// Every link on `page` with its status, sorted by link.
pub async fn check_page<F, Fut>(
    page: &str,
    fetch: F,
    limit: usize,
) -> Result<Vec<LinkStatus>, String>
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Result<(u16, String), String>>,
{
    // TODO: fetch the page, take its distinct links, check them through
    // `stream::iter(..).map(..).buffer_unordered(limit)`, sort the result.
    todo!("check the page's links, `limit` at a time")
}

/// The targets of the `href="..."` attributes in `html`, in page order.
pub fn links_in(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"'))
        .map(|(link, _)| link.to_string())
        .collect()
}
