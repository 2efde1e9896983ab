//! The exercise commands as a learner runs them: `workbook hint`, unknown
//! names, `workbook reset` (in a scratch git repository, never this one).
//! The exercise checks themselves run in the `solutions` crate's tests.
mod support;

use std::process::Command;
use std::time::Duration;
use support::{run_with_timeout, workbook};

const LIMIT: Duration = Duration::from_secs(30);

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `workbook hint` gives one step more each time (in a scratch root, so the
/// project's own progress file is left alone), and the progress file keeps
/// how many were shown.
#[test]
fn hint_gives_one_step_more_each_time() {
    let root = std::env::temp_dir().join(format!("workbook-hint-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let hint = || {
        let out = Command::new(workbook())
            .args(["hint", "philosophers"])
            .env("WORKBOOK_ROOT", &root)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        let stdout = text(&out.stdout);
        assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
        assert!(stdout.contains("philosophers · lesson 04"), "{stdout}");
        assert!(stdout.contains("exercises/04_philosophers.rs"), "{stdout}");
        stdout
    };
    let first = hint();
    assert!(first.contains("Hint 1 of 3 (where to look)"), "{first}");
    assert!(
        !first.contains("Hint 2 of 3") && !first.contains("left.min(right)"),
        "{first}"
    );
    let second = hint();
    assert!(
        second.contains("Hint 2 of 3 (the idea)") && !second.contains("Hint 3"),
        "{second}"
    );
    let third = hint();
    assert!(
        third.contains("Hint 3 of 3") && third.contains("left.min(right)"),
        "{third}"
    );
    assert!(hint().contains("That was the last step"), "no fourth step");
    let progress = std::fs::read_to_string(root.join(".workbook/progress.json")).unwrap();
    assert!(progress.contains("\"philosophers\": 3"), "{progress}");
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn unknown_names_list_the_exercises_and_exit_2() {
    for args in [
        &["hint", "philosopher"][..],
        &["check", "nope"],
        &["reset", "nope", "--yes"],
        &["solution", "nope", "--force"],
    ] {
        let out = run_with_timeout(workbook(), args, LIMIT);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("no exercise named"), "{args:?}: {stderr}");
        assert!(
            stderr.contains("philosophers") && stderr.contains("image_filter"),
            "{stderr}"
        );
    }
}

#[test]
fn solution_with_force_shows_the_solution() {
    let out = run_with_timeout(workbook(), &["solution", "semaphore", "--force"], LIMIT);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("solutions/04_semaphore.rs") && stdout.contains("impl Drop for Permit")
    );
}

#[test]
fn reset_restores_the_stub_from_git() {
    let root = std::env::temp_dir().join(format!("workbook-reset-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("exercises")).unwrap();
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(&root)
            .output()
            .expect("git runs");
        assert!(
            status.status.success(),
            "git {args:?}: {}",
            text(&status.stderr)
        );
    };
    let file = root.join("exercises/04_philosophers.rs");
    let stub = "//! stub\n// TODO: fix it\nfn forks() {}\n";
    git(&["init", "-q"]);
    std::fs::write(&file, stub).unwrap();
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "stub"]);
    // The learner's work, committed: reset still finds the stub.
    std::fs::write(&file, "fn forks() { /* solved */ }\n").unwrap();
    git(&["commit", "-q", "-am", "my work"]);
    std::fs::write(&file, "fn forks() { /* more */ }\n").unwrap();

    let out = Command::new(workbook())
        .args(["reset", "philosophers", "--yes"])
        .env("WORKBOOK_ROOT", &root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), stub);
    let progress = std::fs::read_to_string(root.join(".workbook/progress.json")).unwrap();
    assert!(progress.contains("\"done\""), "{progress}");

    let again = Command::new(workbook())
        .args(["reset", "philosophers", "--yes"])
        .env("WORKBOOK_ROOT", &root)
        .output()
        .unwrap();
    assert!(text(&again.stdout).contains("already the original stub"));
    std::fs::remove_dir_all(&root).unwrap();
}
