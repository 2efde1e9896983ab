//! The lesson list lives in src/catalog.rs; the lesson binaries are the
//! files Cargo finds in lessons/src/bin (`NAME.rs` or `NAME/main.rs`). This
//! keeps the two in step.
use std::path::Path;

/// The binaries Cargo discovers in the lessons package, by its own rules.
fn discovered_lesson_bins() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons/src/bin");
    let mut bins: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("a folder entry").path())
        .filter_map(|path| {
            let name = path.file_stem()?.to_str()?.to_string();
            let is_bin = if path.is_dir() {
                path.join("main.rs").is_file()
            } else {
                path.extension().is_some_and(|e| e == "rs")
            };
            is_bin.then_some(name)
        })
        .collect();
    bins.sort();
    bins
}

#[test]
fn the_catalog_names_every_lesson_binary_and_no_other() {
    let mut catalog: Vec<String> = workbook::catalog::lessons()
        .iter()
        .map(|l| l.bin.to_string())
        .collect();
    catalog.sort();
    assert_eq!(discovered_lesson_bins(), catalog);
}

#[test]
fn every_lesson_has_notes_with_demos_and_covered_ids() {
    for lesson in workbook::catalog::lessons() {
        assert!(!lesson.summary.is_empty(), "{} has no summary", lesson.bin);
        assert!(!lesson.covers.is_empty(), "{} names no ids", lesson.bin);
        assert!(!lesson.demos.is_empty(), "{} has no demos", lesson.bin);
        for demo in &lesson.demos {
            assert!(
                demo.minutes > 0,
                "{} {} has no minutes",
                lesson.bin,
                demo.name
            );
        }
    }
}
