//! WRONG: fetches every href on the page, repeats included: the report is right, but a link that appears twice is fetched twice; the checks must count the fetches.
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
    let (_, body) = fetch(page.to_string()).await?;
    let links: Vec<String> = links_in(&body);
    let fetch = &fetch;
    let mut statuses: Vec<LinkStatus> = futures::stream::iter(links)
        .map(|link| async move {
            let status = fetch(link.clone()).await.map(|(status, _)| status);
            (link, status)
        })
        .buffer_unordered(limit.max(1))
        .collect()
        .await;
    statuses.sort();
    statuses.dedup();
    Ok(statuses)
}

/// The targets of the `href="..."` attributes in `html`, in page order.
pub fn links_in(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"'))
        .map(|(link, _)| link.to_string())
        .collect()
}
