//! WRONG: checks the links one after another: right report, one request in flight; the checks must count the requests in flight.
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
    let links: BTreeSet<String> = links_in(&body).into_iter().collect();
    let fetch = &fetch;
    let mut statuses: Vec<LinkStatus> = Vec::new();
    for link in links {
        let status = fetch(link.clone()).await.map(|(status, _)| status);
        statuses.push((link, status));
    }
    statuses.sort();
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
