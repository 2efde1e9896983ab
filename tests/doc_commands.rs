//! The commands the README and the lesson notes quote name lessons, demos and
//! benchmarks that exist. A figure in the docs is worth what the command
//! beside it reproduces, so a command that names a renamed demo, a lesson
//! that is gone or a benchmark with no such suite is a figure nobody can
//! check (issue 16).
use clap::ValueEnum;
use regex::Regex;
use std::path::Path;
use workbook::bench::Suite;
use workbook::catalog::{self, Lesson};

/// The code in a document: its inline `code` spans and the lines of its
/// fenced blocks (a `# comment` cut off), each with the line it is on.
fn code_of(text: &str) -> Vec<(usize, String)> {
    let inline = Regex::new(r"`([^`\n]+)`").unwrap();
    let mut code = Vec::new();
    let mut fenced = false;
    for (i, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if fenced {
            code.push((i + 1, line.split(" #").next().unwrap_or("").to_string()));
        } else {
            code.extend(
                inline
                    .captures_iter(line)
                    .map(|c| (i + 1, c[1].to_string())),
            );
        }
    }
    code
}

/// README.md and every lesson's notes, with the lesson the notes belong to.
fn documents() -> Vec<(String, String, Option<&'static Lesson>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut docs = vec![(
        "README.md".to_string(),
        std::fs::read_to_string(root.join("README.md")).unwrap(),
        None,
    )];
    for lesson in catalog::lessons() {
        docs.push((
            format!("lessons/{}.md", lesson.bin),
            lesson.notes.to_string(),
            Some(lesson),
        ));
    }
    docs
}

/// What is wrong with one piece of code, if it is a command naming a lesson,
/// a demo or a benchmark that does not exist; `checked` counts the commands.
fn problem(code: &str, notes_of: Option<&'static Lesson>, checked: &mut usize) -> Option<String> {
    let workbook = r"(?:workbook|cargo run(?: --release)? --)(?: --no-build)?";
    let lesson_cmd = Regex::new(&format!(
        r"^{workbook} (?:run|trace|compare) ([0-9a-z_]+)(?: ([a-z_]+))?(?:.*--demo ([a-z_]+))?"
    ))
    .unwrap();
    let bin_cmd = Regex::new(r"--bin ([0-9]{2}_[a-z_]+)(?: -- --demo ([a-z_]+))?").unwrap();
    let bare_demo = Regex::new(r"^(?:-- )?--demo ([a-z_]+)").unwrap();
    let bench_cmd = Regex::new(&format!(r"^{workbook} bench(?: ([a-z]+))?")).unwrap();

    let (lesson, demo) = if let Some(c) = lesson_cmd.captures(code) {
        let Ok(lesson) = catalog::find(&c[1]) else {
            return Some(format!("no lesson {:?}", &c[1]));
        };
        // `compare 01 cpu_bound` names the demo without --demo.
        let demo = c.get(3).or(c.get(2)).map(|m| m.as_str().to_string());
        (lesson, demo)
    } else if let Some(c) = bin_cmd.captures(code) {
        match catalog::lessons().iter().find(|l| l.bin == &c[1]) {
            Some(lesson) => (lesson, c.get(2).map(|m| m.as_str().to_string())),
            None => return Some(format!("no lesson binary {:?}", &c[1])),
        }
    } else if let (Some(c), Some(lesson)) = (bare_demo.captures(code), notes_of) {
        (lesson, Some(c[1].to_string()))
    } else if let Some(c) = bench_cmd.captures(code) {
        *checked += 1;
        let suite = c.get(1)?.as_str();
        let known = Suite::value_variants()
            .iter()
            .filter_map(ValueEnum::to_possible_value)
            .any(|v| v.get_name() == suite);
        return (!known).then(|| format!("no benchmark {suite:?}"));
    } else {
        return None;
    };
    *checked += 1;
    let demo = demo?;
    let exists = lesson.demos.iter().any(|d| d.name == demo);
    (!exists).then(|| format!("lesson {} has no demo {demo:?}", lesson.bin))
}

#[test]
fn every_command_the_docs_quote_names_a_lesson_demo_or_benchmark_that_exists() {
    let mut wrong = Vec::new();
    let mut checked = 0;
    for (file, text, lesson) in documents() {
        let before = checked;
        for (line, code) in code_of(&text) {
            if let Some(why) = problem(code.trim(), lesson, &mut checked) {
                wrong.push(format!("{file}:{line}: `{}`: {why}", code.trim()));
            }
        }
        // Every lesson's notes name at least one command of their own, so the
        // patterns above cannot all miss without this test saying so.
        assert!(
            checked > before,
            "{file}: no workbook command found in its code"
        );
    }
    assert!(
        wrong.is_empty(),
        "commands in the docs that cannot run:\n{}",
        wrong.join("\n")
    );
    assert!(
        checked >= 20,
        "only {checked} commands found: the patterns miss"
    );
}

#[test]
fn the_patterns_catch_a_wrong_demo_lesson_and_benchmark() {
    let mut checked = 0;
    let lesson_04 = catalog::find("04").ok();
    for wrong in [
        "workbook run 04 --demo no_such_demo",
        "cargo run -- run 99 --demo deadlock",
        "cargo run -- compare 01 no_such_demo",
        "cargo run --release --bin 06_practical_examples -- --demo no_such_demo",
        "cargo run --bin 07_nothing",
        "cargo run --release -- bench no_such_suite",
    ] {
        assert!(
            problem(wrong, None, &mut checked).is_some(),
            "{wrong} passed"
        );
    }
    assert!(problem("-- --demo no_such_demo", lesson_04, &mut checked).is_some());
    for right in [
        "workbook run 04 --demo deadlock",
        "cargo run -- compare 01 cpu_bound",
        "cargo run -- run 04 --demo lost_update --ask",
        "cargo run --release -- bench trace",
        "cargo run -- trace 03 -o trace.json",
    ] {
        assert_eq!(problem(right, None, &mut checked), None, "{right}");
    }
}
