//! The lessons, read from their notes (`lessons/NN_name.md`), which are the
//! one source for titles, demos, ids covered and instructor minutes.
//!
//! Notes format, the lines this module reads (everything else is prose):
//! ```text
//! # 01 · Threading basics          <- title after the `·`
//! One paragraph: the summary shown in lists.
//! covers: T1, T2, C1               <- every id the lesson teaches
//! ## demo: spawn_join · T1 · 4 min <- one heading per demo, in run order
//! ```
use std::fmt;
use std::sync::OnceLock;

/// The lesson binaries in order, with their notes and source compiled in.
/// Each is a binary of the lessons package, `lessons/src/bin/NAME.rs`;
/// `tests/catalog.rs` checks the two lists agree.
const LESSONS: [(&str, &str, &str); 6] = [
    (
        "01_threading_basics",
        include_str!("../lessons/01_threading_basics.md"),
        include_str!("../lessons/src/bin/01_threading_basics.rs"),
    ),
    (
        "02_multiprocessing_basics",
        include_str!("../lessons/02_multiprocessing_basics.md"),
        include_str!("../lessons/src/bin/02_multiprocessing_basics.rs"),
    ),
    (
        "03_asyncio_basics",
        include_str!("../lessons/03_asyncio_basics.md"),
        include_str!("../lessons/src/bin/03_asyncio_basics.rs"),
    ),
    (
        "04_synchronization",
        include_str!("../lessons/04_synchronization.md"),
        include_str!("../lessons/src/bin/04_synchronization.rs"),
    ),
    (
        "05_advanced_concurrency",
        include_str!("../lessons/05_advanced_concurrency.md"),
        include_str!("../lessons/src/bin/05_advanced_concurrency.rs"),
    ),
    (
        "06_practical_examples",
        include_str!("../lessons/06_practical_examples.md"),
        include_str!("../lessons/src/bin/06_practical_examples.rs"),
    ),
];

/// What the curriculum ids beside each demo mean (`T5`, `S9`, ...), for
/// `workbook list`, its `--help`, the TUI's help and the README.
pub const IDS_LEGEND: &str = "Ids such as T5 or S9 name the concepts a demo teaches, numbered within their topic: \
T threads (lesson 01), M processes (02), A async with tokio (03), S synchronization (04), \
V advanced patterns (05), P practical examples (06), F performance and choosing a model, \
C concepts that run through every lesson (C1 concurrency vs parallelism, C2 which model for which job, \
C3 best practices: RAII, errors from every task, bounded resources; C4 no green threads in Rust). \
Each lesson's notes (n in the workbook) say what every demo shows.";

#[derive(Debug, Clone)]
pub struct Lesson {
    /// The binary's name, e.g. `01_threading_basics`.
    pub bin: &'static str,
    pub number: u8,
    pub title: String,
    pub summary: String,
    pub covers: Vec<String>,
    pub demos: Vec<DemoInfo>,
    /// The whole notes file, markdown.
    pub notes: &'static str,
    /// The lesson's Rust source.
    pub source: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoInfo {
    pub name: String,
    pub covers: String,
    pub minutes: u32,
    /// The prose under the demo's heading, up to the next heading.
    pub text: String,
}

/// All lessons, parsed once.
pub fn lessons() -> &'static [Lesson] {
    static PARSED: OnceLock<Vec<Lesson>> = OnceLock::new();
    PARSED.get_or_init(|| {
        LESSONS
            .iter()
            .map(|(bin, notes, source)| parse(bin, notes, source))
            .collect()
    })
}

fn parse(bin: &'static str, notes: &'static str, source: &'static str) -> Lesson {
    let number = bin[..2].parse().unwrap_or(0);
    let mut lesson = Lesson {
        bin,
        number,
        title: bin[3..].replace('_', " "),
        summary: String::new(),
        covers: Vec::new(),
        demos: Vec::new(),
        notes,
        source,
    };
    let mut in_demo = false;
    for line in notes.lines() {
        if let Some(title) = line.strip_prefix("# ") {
            lesson.title = title
                .split_once('·')
                .map_or(title, |(_, t)| t)
                .trim()
                .to_string();
        } else if let Some(ids) = line.strip_prefix("covers:") {
            lesson.covers = ids
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
        } else if let Some(demo) = line.strip_prefix("## demo:") {
            let mut parts = demo.split('·').map(str::trim);
            let name = parts.next().unwrap_or_default().to_string();
            let covers = parts.next().unwrap_or_default().to_string();
            let minutes = parts
                .next()
                .and_then(|m| m.trim_end_matches("min").trim().parse().ok())
                .unwrap_or(0);
            lesson.demos.push(DemoInfo {
                name,
                covers,
                minutes,
                text: String::new(),
            });
            in_demo = true;
        } else if line.starts_with("## ") {
            in_demo = false;
        } else if in_demo {
            let text = &mut lesson.demos.last_mut().expect("in a demo").text;
            text.push_str(line);
            text.push('\n');
        } else if lesson.summary.is_empty() && !line.trim().is_empty() && lesson.demos.is_empty() {
            lesson.summary = line.trim().to_string();
        }
    }
    for demo in &mut lesson.demos {
        demo.text = demo.text.trim().to_string();
    }
    lesson
}

/// A lesson name that matched none, or more than one.
#[derive(Debug)]
pub struct UnknownLesson {
    pub given: String,
    pub matches: Vec<&'static str>,
}

impl fmt::Display for UnknownLesson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.matches.is_empty() {
            writeln!(f, "no lesson is called `{}`. The lessons are:", self.given)?;
        } else {
            writeln!(
                f,
                "`{}` could mean {}. The lessons are:",
                self.given,
                self.matches.join(" or ")
            )?;
        }
        for lesson in lessons() {
            writeln!(
                f,
                "  {:02}  {:<28} {}",
                lesson.number, lesson.bin, lesson.title
            )?;
        }
        write!(
            f,
            "Name one by number (`01` or `1`), by a word of its name (`threading`), or in full."
        )
    }
}

impl std::error::Error for UnknownLesson {}

/// Finds a lesson by number (`01`, `1`), full name, or a unique word or
/// prefix of its name (`threading`, `sync`).
pub fn find(given: &str) -> Result<&'static Lesson, UnknownLesson> {
    let wanted = given.trim().to_ascii_lowercase();
    if let Ok(n) = wanted.parse::<u8>()
        && let Some(lesson) = lessons().iter().find(|l| l.number == n)
    {
        return Ok(lesson);
    }
    if let Some(lesson) = lessons().iter().find(|l| l.bin == wanted) {
        return Ok(lesson);
    }
    let matches: Vec<&Lesson> = if wanted.is_empty() {
        Vec::new()
    } else {
        lessons()
            .iter()
            .filter(|l| {
                l.bin[3..].split('_').any(|word| word.starts_with(&wanted))
                    || l.bin[3..].starts_with(&wanted)
            })
            .collect()
    };
    match matches[..] {
        [one] => Ok(one),
        _ => Err(UnknownLesson {
            given: given.to_string(),
            matches: matches.iter().map(|l| l.bin).collect(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lessons_are_found_by_number_word_and_full_name() {
        assert_eq!(find("01").unwrap().bin, "01_threading_basics");
        assert_eq!(find("1").unwrap().bin, "01_threading_basics");
        assert_eq!(find("threading").unwrap().bin, "01_threading_basics");
        assert_eq!(find("Sync").unwrap().bin, "04_synchronization");
        assert_eq!(
            find("06_practical_examples").unwrap().bin,
            "06_practical_examples"
        );
    }

    #[test]
    fn unknown_and_ambiguous_names_list_the_lessons() {
        let err = find("nope").unwrap_err();
        assert!(err.matches.is_empty());
        assert!(err.to_string().contains("03_asyncio_basics"));
        let err = find("basics").unwrap_err();
        assert_eq!(err.matches.len(), 3);
        assert!(err.to_string().contains("could mean"));
    }

    #[test]
    fn notes_headings_become_demos() {
        let lesson = parse(
            "09_example",
            "# 09 · Example lesson\n\nA summary.\n\ncovers: T1, T2\n\n## demo: first · T1 · 3 min\nSome text.\n\n## demo: second · T2 · 5 min\nMore.\n## Python to Rust\n",
            "",
        );
        assert_eq!(lesson.title, "Example lesson");
        assert_eq!(lesson.summary, "A summary.");
        assert_eq!(lesson.covers, ["T1", "T2"]);
        assert_eq!(lesson.demos.len(), 2);
        assert_eq!(lesson.demos[1].name, "second");
        assert_eq!(lesson.demos[1].minutes, 5);
        assert_eq!(lesson.demos[0].text, "Some text.");
    }
}
