//! Every lesson against its notes and the curriculum: the binary's demos are
//! the notes' demo headings, every id a demo names is one the lesson covers,
//! and every curriculum id is covered by some lesson.
mod support;
use std::collections::BTreeSet;
use workbook::catalog;

/// Every concept id in `../shared/curriculum.md`, by lesson.
const CURRICULUM: &[(&str, u32)] = &[
    ("T", 10),
    ("M", 10),
    ("A", 12),
    ("S", 10),
    ("V", 7),
    ("P", 5),
    ("F", 5),
    ("C", 4),
];

fn exe(bin: &str) -> String {
    // Integration tests sit in target/debug/deps; the lessons one level up.
    let workbook = std::path::Path::new(support::workbook());
    workbook.with_file_name(bin).to_string_lossy().into_owned()
}

#[test]
fn each_lesson_lists_the_demos_of_its_notes_in_order() {
    for lesson in catalog::lessons() {
        let in_notes: Vec<String> = lesson.demos.iter().map(|d| d.name.clone()).collect();
        assert_eq!(
            support::listed_demos(&exe(lesson.bin)),
            in_notes,
            "{}",
            lesson.bin
        );
    }
}

#[test]
fn notes_have_their_sections_and_demo_ids_are_covered_ids() {
    for lesson in catalog::lessons() {
        for section in ["## Python to Rust", "## Instructor notes"] {
            assert!(
                lesson.notes.contains(section),
                "{} lacks {section}",
                lesson.bin
            );
        }
        for demo in &lesson.demos {
            assert!(
                demo.minutes > 0,
                "{} {} has no minutes",
                lesson.bin,
                demo.name
            );
            for id in demo
                .covers
                .split(',')
                .map(str::trim)
                .filter(|id| !id.is_empty())
            {
                assert!(
                    lesson.covers.iter().any(|c| c == id),
                    "{} demo {} names {id}, which the covers: line lacks",
                    lesson.bin,
                    demo.name
                );
            }
        }
    }
}

#[test]
fn every_curriculum_id_is_covered_by_a_lesson() {
    let covered: BTreeSet<&str> = catalog::lessons()
        .iter()
        .flat_map(|l| l.covers.iter().map(String::as_str))
        .collect();
    let missing: Vec<String> = CURRICULUM
        .iter()
        .flat_map(|(prefix, count)| (1..=*count).map(move |n| format!("{prefix}{n}")))
        .filter(|id| !covered.contains(id.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "no lesson's covers: line names {missing:?}"
    );
}
