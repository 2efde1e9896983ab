//! The one list of exercises: name, lesson, title, kind, minutes, hints and
//! files, one file per lesson (`lesson_01.rs` ...) in the order a learner
//! meets them. The crates in `exercises/` and `solutions/` declare the same
//! files (their `lib.rs`), and the tests below check that the copies agree.
use std::fmt;
use std::sync::LazyLock;

/// Where an exercise stands on its lesson's ladder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Complete one small piece of something already built.
    WarmUp,
    /// A real concurrency bug: the file says the symptom, never the cause.
    FixTheBug,
    /// Write a component against a documented API.
    BuildFromSpec,
    /// Harder: for those who finished the rest.
    Stretch,
    /// A 30 to 60 minute project closing a part of the course.
    Capstone,
}

impl Kind {
    /// A short label for lists.
    pub fn label(self) -> &'static str {
        match self {
            Kind::WarmUp => "warm-up",
            Kind::FixTheBug => "fix the bug",
            Kind::BuildFromSpec => "build",
            Kind::Stretch => "stretch",
            Kind::Capstone => "capstone",
        }
    }
}

/// One exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExerciseInfo {
    /// The name used on the command line and in test names (`philosophers`).
    pub name: &'static str,
    /// The lesson it belongs to, 1 to 6.
    pub lesson: u8,
    /// A one-line title.
    pub title: &'static str,
    /// Its step on the ladder.
    pub kind: Kind,
    /// 1 (gentle) to 3 (hard).
    pub difficulty: u8,
    /// About how long it takes a learner, for the workshop plan.
    pub minutes: u16,
    /// Whether it is about async code (tokio, futures).
    pub is_async: bool,
    /// Hints in three steps: where to look, the idea, the shape of the fix.
    pub hints: [&'static str; 3],
    /// The learner's file, relative to the project root.
    pub path: &'static str,
    /// The reference answer, relative to the project root.
    pub solution: &'static str,
}

/// One catalog entry; `file` gives both the stub's and the solution's path.
macro_rules! exercise {
    (
        lesson: $lesson:literal,
        file: $file:literal,
        name: $name:literal,
        title: $title:literal,
        kind: $kind:ident,
        difficulty: $difficulty:literal,
        minutes: $minutes:literal,
        is_async: $is_async:literal,
        hints: [$h1:expr, $h2:expr, $h3:expr $(,)?] $(,)?
    ) => {
        $crate::exercises::ExerciseInfo {
            name: $name,
            lesson: $lesson,
            title: $title,
            kind: $crate::exercises::Kind::$kind,
            difficulty: $difficulty,
            minutes: $minutes,
            is_async: $is_async,
            hints: [$h1, $h2, $h3],
            path: concat!("exercises/", $file),
            solution: concat!("solutions/", $file),
        }
    };
}
// The lesson files use the macro above, so they are declared after it.
mod lesson_01;
mod lesson_02;
mod lesson_03;
mod lesson_04;
mod lesson_05;
mod lesson_06;

static EXERCISES: LazyLock<Vec<ExerciseInfo>> = LazyLock::new(|| {
    [
        lesson_01::EXERCISES,
        lesson_02::EXERCISES,
        lesson_03::EXERCISES,
        lesson_04::EXERCISES,
        lesson_05::EXERCISES,
        lesson_06::EXERCISES,
    ]
    .concat()
});

/// Every exercise, in lesson order.
pub fn catalog() -> &'static [ExerciseInfo] {
    &EXERCISES
}

/// The exercise named `name`, or an error listing the valid names.
pub fn find(name: &str) -> Result<&'static ExerciseInfo, UnknownExercise> {
    EXERCISES
        .iter()
        .find(|e| e.name == name)
        .ok_or_else(|| UnknownExercise(name.to_string()))
}

/// A name that is not an exercise; its message lists the valid names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownExercise(pub String);

impl fmt::Display for UnknownExercise {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "there is no exercise named `{}`. The exercises are:",
            self.0
        )?;
        for lesson in 1..=6 {
            let names: Vec<_> = EXERCISES
                .iter()
                .filter(|e| e.lesson == lesson)
                .map(|e| e.name)
                .collect();
            writeln!(f, "  {lesson:02}  {}", names.join(", "))?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownExercise {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::path::Path;

    fn read(path: &str) -> String {
        let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
        std::fs::read_to_string(&full)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", full.display()))
    }

    #[test]
    fn every_exercise_has_stub_solution_hint_lesson_and_check() {
        let mut names = BTreeSet::new();
        for e in catalog() {
            assert!(names.insert(e.name), "{} is listed twice", e.name);
            assert!(
                (1..=6).contains(&e.lesson),
                "{}: lesson {}",
                e.name,
                e.lesson
            );
            assert!(
                e.hints.iter().all(|h| !h.trim().is_empty()) && !e.title.is_empty(),
                "{}: a hint or the title is empty",
                e.name
            );
            let file = e.path.strip_prefix("exercises/").unwrap();
            assert!(
                file.starts_with(&format!("{:02}_", e.lesson)),
                "{}: file named after another lesson",
                e.name
            );
            assert_eq!(
                e.solution,
                format!("solutions/{file}"),
                "{}: the solution mirrors the stub",
                e.name
            );
            let stub = read(e.path);
            assert!(
                stub.contains("// TODO"),
                "{}: the stub has no // TODO mark",
                e.name
            );
            assert!(
                stub.starts_with("//! # "),
                "{}: the stub starts with its instructions",
                e.name
            );
            assert!(
                !read(e.solution).contains("TODO"),
                "{}: the solution still has a TODO",
                e.name
            );
            read(&format!("tests/checks/{}.rs", e.name));
            for krate in ["exercises", "solutions"] {
                let lib = read(&format!("{krate}/lib.rs"));
                let declared = format!("#[path = \"{file}\"]\npub mod {};", e.name);
                assert!(
                    lib.contains(&declared),
                    "{krate}/lib.rs does not declare {}",
                    e.name
                );
            }
            let checks = read("tests/checks/mod.rs");
            assert!(
                checks.contains(&format!("mod {};", e.name)),
                "tests/checks/mod.rs misses {}",
                e.name
            );
        }
    }

    /// Step 1 says where to look, never the answer: it holds none of the
    /// solution's own lines (those the stub does not have) and none of the
    /// code that step 3 spells out.
    #[test]
    fn the_first_hint_gives_no_key_line_away() {
        for e in catalog() {
            let first = e.hints[0];
            let stub = read(e.path);
            let stub_lines: BTreeSet<&str> = stub.lines().map(str::trim).collect();
            let solution = read(e.solution);
            for line in solution.lines().map(str::trim) {
                let code = line.trim_end_matches([';', ',', '{', ' ']);
                if code.len() < 12 || stub_lines.contains(line) || line.starts_with("//") {
                    continue;
                }
                assert!(
                    !first.contains(code),
                    "{}: hint step 1 contains the solution's line `{code}`",
                    e.name
                );
            }
            // Names of functions or types are where to look; code is not.
            let is_code = |span: &str| span.contains(['(', '.', '=', ' ', '!', '&']);
            for span in e.hints[2].split('`').skip(1).step_by(2) {
                assert!(
                    span.len() < 12 || !is_code(span) || !first.contains(span),
                    "{}: hint step 1 contains `{span}`, the code of step 3",
                    e.name
                );
            }
            assert!(
                e.hints.iter().collect::<BTreeSet<_>>().len() == 3,
                "{}: the three hint steps must differ",
                e.name
            );
        }
    }

    #[test]
    fn the_catalog_lists_every_exercise_file() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("exercises");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.extension().is_some_and(|ext| ext == "rs") && file != "lib.rs" {
                let path = format!("exercises/{file}");
                assert!(
                    catalog().iter().any(|e| e.path == path),
                    "{path} is not in the catalog"
                );
            }
        }
    }

    /// The lists that repeat the catalog: the module lists of the two
    /// crates' `lib.rs` and of `tests/checks/mod.rs`, and the files in
    /// `exercises/`, `solutions/` and `tests/checks/`. They stay written out
    /// (a learner reads `exercises/lib.rs`, the fixtures cut its `#[path]`
    /// lines, Cargo needs the test modules declared), and this keeps each
    /// exactly equal to the catalog: nothing missing, nothing extra.
    #[test]
    fn the_lists_that_repeat_the_catalog_hold_exactly_its_exercises() {
        let names: BTreeSet<String> = catalog().iter().map(|e| e.name.to_string()).collect();
        let declared = |text: &str, prefix: &str| -> BTreeSet<String> {
            text.lines()
                .filter_map(|l| l.trim().strip_prefix(prefix)?.strip_suffix(';'))
                .map(str::to_string)
                .collect()
        };
        let files = |dir: &str| -> BTreeSet<String> {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            std::fs::read_dir(&dir)
                .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
                .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
                .filter_map(|file| Some(file.strip_suffix(".rs")?.to_string()))
                .collect()
        };
        // `NN_name` to `name`: the crates' files carry their lesson.
        let unnumbered = |set: BTreeSet<String>| -> BTreeSet<String> {
            set.into_iter()
                .filter(|f| f != "lib")
                .map(|f| f.split_once('_').map_or(f.clone(), |(_, n)| n.to_string()))
                .collect()
        };
        for krate in ["exercises", "solutions"] {
            let lib = read(&format!("{krate}/lib.rs"));
            assert_eq!(declared(&lib, "pub mod "), names, "{krate}/lib.rs");
            assert_eq!(unnumbered(files(krate)), names, "the files in {krate}/");
        }
        // The checks' own helpers are the only other modules there.
        let helpers = ["isolation", "probe", "loom_models", "loom_sync", "mod"];
        let not_helpers = |set: BTreeSet<String>| -> BTreeSet<String> {
            set.into_iter()
                .filter(|m| !helpers.contains(&m.as_str()))
                .collect()
        };
        let checks = read("tests/checks/mod.rs");
        assert_eq!(
            not_helpers(declared(&checks, "mod ")),
            names,
            "tests/checks/mod.rs"
        );
        assert_eq!(
            not_helpers(files("tests/checks")),
            names,
            "the files in tests/checks/"
        );
    }

    #[test]
    fn every_check_starts_isolated() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/checks");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            for (at, line) in lines.iter().enumerate() {
                if line.trim() != "#[test]" {
                    continue;
                }
                let body = lines[at + 1..]
                    .iter()
                    .skip_while(|l| !l.trim_end().ends_with('{'));
                let first = body.clone().nth(1).map_or("", |l| l.trim());
                assert_eq!(
                    first,
                    "isolated!();",
                    "{}:{}: a check's first line must be `isolated!();`",
                    path.display(),
                    at + 1
                );
            }
        }
    }

    #[test]
    fn enough_exercises_per_lesson() {
        assert!(catalog().len() >= 18);
        for lesson in 1..=6 {
            let n = catalog().iter().filter(|e| e.lesson == lesson).count();
            assert!(n >= 3, "lesson {lesson} has {n} exercises");
        }
        assert!(
            catalog().windows(2).all(|w| w[0].lesson <= w[1].lesson),
            "in lesson order"
        );
    }

    #[test]
    fn unknown_names_list_the_valid_ones() {
        let err = find("nope").unwrap_err().to_string();
        assert!(
            err.contains("nope") && err.contains("philosophers") && err.contains("image_filter")
        );
        assert_eq!(find("philosophers").unwrap().lesson, 4);
    }
}
