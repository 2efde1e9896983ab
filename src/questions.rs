//! Predict, then run: a demo's question, asked before it runs and answered
//! by what the run prints.
//!
//! A question lives in the lesson notes under its demo's heading:
//! ```text
//! **Predict:** How many of the 8,000,000 increments will be lost?
//! - none · `= 0`
//! - fewer than 80,000 · `< 80000`
//! - 80,000 or more · `>= 80000`
//!
//! **Measured:** `lost (\d+)` on the first `load then store` line. Why ...
//! ```
//! The rule: the first line of the run's standard output that the
//! `**Measured:**` regex matches gives the measured value, its first
//! capture group (commas and underscores in a number are dropped). The
//! choices are tried in order and the first whose condition holds is what
//! the run measured. A condition is `= V` (a number, or a word compared as
//! text), `< N`, `<= N`, `> N`, `>= N`, or `A..B` (A ≤ value < B). After
//! the regex, the first sentence says in words where the line is; the rest
//! of the paragraph explains the answer.
use regex::Regex;

#[derive(Debug, Clone)]
pub struct Question {
    pub text: String,
    pub choices: Vec<Choice>,
    /// The regex whose first capture group is the measured value.
    pub pattern: Regex,
    /// Where the rule reads it, in words (`in the output`).
    pub read_from: String,
    /// Why the answer is what it is: shown after the run.
    pub explain: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub label: String,
    pub when: Condition,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    Equals(String),
    Less(f64),
    AtMost(f64),
    More(f64),
    AtLeast(f64),
    Range(f64, f64),
}

/// What a run measured: the value read from its output and the choice it
/// falls in (`None` if no choice's condition holds).
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    pub value: String,
    pub choice: Option<usize>,
}

const PREDICT: &str = "**Predict:**";
const MEASURED: &str = "**Measured:**";

impl Question {
    /// The question in a demo's notes text, if it has one; an error names
    /// what is malformed (a test checks every lesson's notes parse).
    pub fn parse(demo_text: &str) -> Result<Option<Question>, String> {
        let mut lines = demo_text.lines().map(str::trim);
        let Some(text) = lines.find_map(|l| l.strip_prefix(PREDICT)) else {
            return Ok(None);
        };
        let mut choices = Vec::new();
        let mut measured: Option<String> = None;
        for line in lines {
            if let Some(rule) = &mut measured {
                if line.is_empty() || line.starts_with("**") {
                    break;
                }
                rule.push(' ');
                rule.push_str(line);
            } else if let Some(choice) = line.strip_prefix("- ") {
                choices.push(parse_choice(choice)?);
            } else if let Some(rule) = line.strip_prefix(MEASURED) {
                measured = Some(rule.trim().to_string());
            } else if !line.is_empty() {
                return Err(format!("unexpected line in a question: {line:?}"));
            }
        }
        let rule = measured.ok_or("a question without a **Measured:** line")?;
        let (pattern, rest) = code_span(&rule).ok_or("**Measured:** needs a `regex`")?;
        // The first sentence says where the line is; the rest, why.
        let (read_from, explain) = rest.split_once(". ").unwrap_or((rest, ""));
        let pattern = Regex::new(pattern).map_err(|e| format!("bad regex: {e}"))?;
        if pattern.captures_len() < 2 {
            return Err(format!("the regex {pattern} has no capture group"));
        }
        if choices.len() < 2 {
            return Err("a question needs at least two choices".into());
        }
        Ok(Some(Question {
            text: text.trim().to_string(),
            choices,
            pattern,
            read_from: read_from.trim().to_string(),
            explain: explain.trim().to_string(),
        }))
    }

    /// Reads the answer from the run's output lines.
    pub fn measure<'a>(&self, lines: impl IntoIterator<Item = &'a str>) -> Option<Measured> {
        let value = lines
            .into_iter()
            .find_map(|line| self.pattern.captures(line))?
            .get(1)?
            .as_str()
            .to_string();
        let choice = self.choices.iter().position(|c| c.when.holds(&value));
        Some(Measured { value, choice })
    }
}

/// A choice line: its label, ` · `, and its condition in backticks.
fn parse_choice(line: &str) -> Result<Choice, String> {
    let (label, cond) = line
        .rsplit_once(" · ")
        .ok_or_else(|| format!("a choice needs `label · \\`condition\\``: {line:?}"))?;
    let cond = cond.trim().trim_matches('`');
    Ok(Choice {
        label: label.trim().to_string(),
        when: Condition::parse(cond)?,
    })
}

/// The first `` `code` `` in `text`, and what follows it.
fn code_span(text: &str) -> Option<(&str, &str)> {
    let (_, rest) = text.split_once('`')?;
    rest.split_once('`')
}

fn number(text: &str) -> Option<f64> {
    text.trim().replace([',', '_'], "").parse().ok()
}

impl Condition {
    fn parse(text: &str) -> Result<Condition, String> {
        let bad = || format!("cannot read the condition {text:?}");
        let num = |t: &str| number(t).ok_or_else(bad);
        Ok(if let Some(v) = text.strip_prefix("<=") {
            Condition::AtMost(num(v)?)
        } else if let Some(v) = text.strip_prefix(">=") {
            Condition::AtLeast(num(v)?)
        } else if let Some(v) = text.strip_prefix('<') {
            Condition::Less(num(v)?)
        } else if let Some(v) = text.strip_prefix('>') {
            Condition::More(num(v)?)
        } else if let Some(v) = text.strip_prefix('=') {
            Condition::Equals(v.trim().to_string())
        } else if let Some((a, b)) = text.split_once("..") {
            Condition::Range(num(a)?, num(b)?)
        } else {
            return Err(bad());
        })
    }

    pub fn holds(&self, value: &str) -> bool {
        let n = number(value);
        match (self, n) {
            (Condition::Equals(want), _) => match (number(want), n) {
                // Equal as written numbers: `= 0` and `0`, `= 1000000`
                // and `1,000,000`; no arithmetic, so no rounding.
                #[allow(clippy::float_cmp)]
                (Some(a), Some(b)) => a == b,
                _ => want.eq_ignore_ascii_case(value.trim()),
            },
            (Condition::Less(x), Some(n)) => n < *x,
            (Condition::AtMost(x), Some(n)) => n <= *x,
            (Condition::More(x), Some(n)) => n > *x,
            (Condition::AtLeast(x), Some(n)) => n >= *x,
            (Condition::Range(a, b), Some(n)) => *a <= n && n < *b,
            _ => false,
        }
    }
}

/// Where a question's answer is kept: `04/lost_update`.
pub fn key(lesson_bin: &str, demo: &str) -> String {
    format!("{}/{demo}", &lesson_bin[..2.min(lesson_bin.len())])
}

#[cfg(test)]
mod tests;
