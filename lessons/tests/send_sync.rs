//! The "does not compile" examples that lesson 01 shows (its `send_sync`
//! demo, and the errors `shared_counter` quotes) are compiled here with the
//! real compiler: each refused example must fail with the very error line
//! printed under it in `lessons/src/bin/01_threading_basics/send_sync.md`, and each
//! fix must compile. So the quoted errors cannot drift from the compiler.
//! (The same blocks are doctests of the library too, `compile_fail`, but
//! rustdoc checks error codes only on nightly.)
#[path = "../src/bin/01_threading_basics/refused.rs"]
mod refused;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A folder under the system's temp dir, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Self {
        let dir = std::env::temp_dir().join(format!("workbook-send-sync-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        Self(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Where cargo put this test's dependencies (tokio among them).
fn deps_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test's own path");
    exe.parent().expect("target/debug/deps").to_path_buf()
}

/// Compiles `code` as a 2024-edition program (metadata only: type and
/// borrow checks, no code generation) against `tokio`, with a deadline.
fn rustc(code: &str, tokio: &Path, scratch: &Scratch, name: &str) -> Output {
    let source = scratch.0.join(format!("{name}.rs"));
    std::fs::write(&source, code).expect("write the example");
    let deps = deps_dir();
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let mut child = Command::new(rustc)
        .args([
            "--edition",
            "2024",
            "--crate-type",
            "bin",
            "--emit=metadata",
        ])
        .arg("-o")
        .arg(scratch.0.join(format!("{name}.rmeta")))
        .arg("-L")
        .arg(format!("dependency={}", deps.display()))
        .arg("--extern")
        .arg(format!("tokio={}", tokio.display()))
        .arg(&source)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("rustc starts");
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().expect("rustc's status").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("rustc took over 120 s on {name}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("rustc's output")
}

fn first_error(output: &Output) -> Option<String> {
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .find(|l| l.starts_with("error"))
        .map(str::to_string)
}

#[test]
fn each_refused_example_fails_with_the_error_shown_and_each_fix_compiles() {
    let scratch = Scratch::new();
    let examples = refused::examples();
    let fix = examples
        .iter()
        .find(|e| !e.must_fail)
        .expect("the markdown has a fix");
    // Cargo may hold more than one build of tokio (other feature sets); use
    // one that the fix compiles against, so a broken setup cannot pass as a
    // refusal.
    let mut candidates: Vec<PathBuf> = std::fs::read_dir(deps_dir())
        .expect("the deps folder")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            name.starts_with("libtokio-") && name.ends_with(".rlib")
        })
        .collect();
    candidates.sort();
    let tokio = candidates
        .iter()
        .find(|rlib| rustc(&fix.code, rlib, &scratch, "fix").status.success())
        .unwrap_or_else(|| panic!("the fix compiles against none of {candidates:?}"));

    for (n, example) in examples.iter().enumerate() {
        let output = rustc(&example.code, tokio, &scratch, &format!("example{n}"));
        let stderr = String::from_utf8_lossy(&output.stderr);
        if example.must_fail {
            assert!(
                !output.status.success(),
                "`{}` compiles, but the lesson says it does not",
                example.title
            );
            assert_eq!(
                first_error(&output).as_deref(),
                example.error.as_deref(),
                "`{}`: the compiler's first error differs from the one the lesson shows:\n{stderr}",
                example.title
            );
        } else {
            assert!(
                output.status.success(),
                "the fix `{}` does not compile:\n{stderr}",
                example.title
            );
        }
    }
}
