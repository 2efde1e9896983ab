//! The lesson list lives in src/catalog.rs and again in Cargo.toml's
//! `[[bin]]` entries; this keeps the two in step.
#[test]
fn cargo_toml_names_a_binary_for_every_lesson_and_no_other() {
    let manifest = include_str!("../Cargo.toml");
    let mut bins: Vec<(String, String)> = Vec::new();
    let mut name = None;
    for line in manifest.lines() {
        if let Some(value) = line.strip_prefix("name = ") {
            name = Some(value.trim_matches('"').to_string());
        } else if let Some(path) = line.strip_prefix("path = ") {
            if let Some(name) = name.take() {
                bins.push((name, path.trim_matches('"').to_string()));
            }
        }
    }
    let lessons: Vec<(String, String)> =
        bins.into_iter().filter(|(n, _)| n != "workbook").collect();
    let expected: Vec<(String, String)> = workbook::catalog::lessons()
        .iter()
        .map(|l| (l.bin.to_string(), format!("lessons/{}.rs", l.bin)))
        .collect();
    assert_eq!(lessons, expected);
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
