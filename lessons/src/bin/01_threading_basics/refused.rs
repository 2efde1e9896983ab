//! The examples of `01_threading_basics/send_sync.md`, read from the file:
//! each section's title, the code the compiler refuses (or, for a fix,
//! accepts) and the first error it gives. Shared by the `send_sync` demo,
//! which prints them, and `lessons/tests/send_sync.rs`, which compiles them.

/// The markdown, compiled into whoever includes this module.
pub const MARKDOWN: &str = include_str!("send_sync.md");

/// One `## ` section of the markdown that holds a Rust block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub title: String,
    /// The paragraph under the title: why the compiler refuses it.
    pub why: String,
    pub code: String,
    /// `true` for a ```` ```compile_fail ```` block, `false` for ```` ```rust ````.
    pub must_fail: bool,
    /// The first `error...` line the compiler prints, from the ```` ```text ```` block.
    pub error: Option<String>,
}

/// Every section with a Rust block, in file order.
pub fn examples() -> Vec<Example> {
    MARKDOWN.split("\n## ").skip(1).filter_map(parse).collect()
}

fn parse(section: &str) -> Option<Example> {
    let (title, body) = section.split_once('\n')?;
    let why = body
        .split("\n\n")
        .map(str::trim)
        .find(|p| !p.is_empty() && !p.starts_with("```"))
        .unwrap_or_default()
        .replace('\n', " ");
    let (mut code, mut must_fail, mut error) = (None, false, None);
    let mut blocks = body.split("```").skip(1).step_by(2);
    for block in blocks.by_ref() {
        let (fence, text) = block.split_once('\n').unwrap_or((block, ""));
        if fence.starts_with("compile_fail") || fence == "rust" {
            must_fail = fence.starts_with("compile_fail");
            code = Some(text.to_string());
        } else if fence == "text" {
            error = text.lines().next().map(str::to_string);
        }
    }
    Some(Example {
        title: title.trim().to_string(),
        why,
        code: code?,
        must_fail,
        error,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refused_example_names_its_error() {
        let all = examples();
        assert!(all.len() >= 7, "{all:#?}");
        for example in all.iter().filter(|e| e.must_fail) {
            let error = example.error.as_deref().unwrap_or_default();
            assert!(error.starts_with("error"), "{example:#?}");
        }
        assert!(all.iter().any(|e| !e.must_fail), "a fix that compiles");
    }
}
