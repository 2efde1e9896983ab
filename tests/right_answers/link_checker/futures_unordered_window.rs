//! RIGHT: a FuturesUnordered filled by hand: `limit` fetches pushed at the start, and one more pushed each time one finishes, until the links run out.
//! # link_checker · lesson 06 · check a page's links concurrently (P1, A6, A8)
use futures::StreamExt;
use futures::stream::FuturesUnordered;
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
    let (_, body) = fetch(page.to_string()).await?;
    let mut waiting = links_in(&body)
        .into_iter()
        .collect::<BTreeSet<String>>()
        .into_iter();
    let fetch = &fetch;
    let one = |link: String| async move {
        let status = fetch(link.clone()).await.map(|(status, _)| status);
        (link, status)
    };
    let mut in_flight = FuturesUnordered::new();
    for link in waiting.by_ref().take(limit.max(1)) {
        in_flight.push(one(link));
    }
    let mut statuses = Vec::new();
    while let Some(done) = in_flight.next().await {
        statuses.push(done);
        // A slot is free: fill it before waiting again.
        if let Some(link) = waiting.next() {
            in_flight.push(one(link));
        }
    }
    statuses.sort();
    Ok(statuses)
}

/// The targets of the `href="..."` attributes in `html`, in page order.
pub fn links_in(html: &str) -> Vec<String> {
    let mut links = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("href=\"") {
        rest = &rest[start + "href=\"".len()..];
        let Some(end) = rest.find('"') else { break };
        links.push(rest[..end].to_string());
        rest = &rest[end + 1..];
    }
    links
}
