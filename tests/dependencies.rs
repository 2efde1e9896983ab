//! What `cargo run` compiles: the `workbook` package links the trace crate,
//! not the lessons, so the lessons' dependencies (hyper for lesson 06's site
//! above all) stay out of the app's first build. `cargo tree` says which
//! packages a package's normal dependencies pull in; this reads it offline.
use std::process::Command;
use std::time::Duration;

/// The packages in `cargo tree -p <package> -e normal`, one name each.
fn normal_dependencies(package: &str) -> Vec<String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["tree", "--offline", "-p", package, "-e", "normal"])
        .args(["--prefix", "none", "--format", "{p}"]);
    // cargo tree reads the lock file and the local registry cache: seconds at
    // most, even on a busy machine; the bound only turns a hang into a failure.
    let out = supervisor::output(&mut command, Some(Duration::from_secs(120))).expect("cargo runs");
    assert!(
        matches!(out.ended.outcome, supervisor::Outcome::Exited(0)),
        "cargo tree -p {package} failed ({}):\n{}",
        out.ended.outcome,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_workbook_binary_does_not_build_hyper_and_the_lessons_do() {
    let app = normal_dependencies("workbook");
    // The tree really was read: the app's own crates are in it.
    for needed in ["workbook", "workbook-trace", "ratatui", "supervisor"] {
        assert!(
            app.iter().any(|p| p == needed),
            "{needed} missing from: {app:?}"
        );
    }
    let hyper: Vec<&String> = app.iter().filter(|p| p.starts_with("hyper")).collect();
    assert!(
        hyper.is_empty(),
        "the workbook package depends on {hyper:?}: a lesson's dependency leaked into the app"
    );
    // The same check finds hyper where it belongs, so it can fail.
    let lessons = normal_dependencies("lessons");
    assert!(lessons.iter().any(|p| p == "hyper"), "{lessons:?}");
}
