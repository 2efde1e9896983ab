//! The little a lesson binary shares with the others: which demos it has and
//! how `--demo NAME` and `--list` pick among them.
use std::process::ExitCode;

/// One demo of a lesson: a function that runs a short, self-contained
/// example and ends by itself.
pub struct Demo {
    /// The name used with `--demo`, in `snake_case`.
    pub name: &'static str,
    /// The curriculum ids it covers, e.g. `"T1, T2"`.
    pub covers: &'static str,
    pub run: fn(),
}

/// Runs the demo named on the command line, or all of them in order.
///
/// `lesson --list` prints the demo names, one a line; `lesson --demo NAME`
/// runs one. A `demo starts` mark on the main thread shows on the timeline
/// where each demo begins.
pub fn run_demos(title: &str, demos: &[Demo]) -> ExitCode {
    end_quietly_when_stdout_fails();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let chosen: Vec<&Demo> = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        [] => demos.iter().collect(),
        ["--list"] => {
            for demo in demos {
                println!("{}", demo.name);
            }
            return ExitCode::SUCCESS;
        }
        ["--demo", name] => {
            let Some(demo) = demos.iter().find(|d| d.name == name) else {
                eprintln!("error: no demo named `{name}` in this lesson");
                eprintln!("the demos are: {}", names(demos));
                return ExitCode::from(2);
            };
            vec![demo]
        }
        _ => {
            eprintln!("usage: {title} [--demo NAME | --list]");
            eprintln!("the demos are: {}", names(demos));
            return ExitCode::from(2);
        }
    };
    for demo in chosen {
        println!("\n── {} · {} ──", demo.name, demo.covers);
        // A mark, not a span: a span around the whole demo would paint the
        // main thread as working even while it only waits for others.
        tracing::info!(demo = demo.name, "demo starts");
        (demo.run)();
    }
    ExitCode::SUCCESS
}

/// `lesson | head -1`: once the reader has gone, `println!` panics with
/// "failed printing to stdout: Broken pipe" (Rust ignores SIGPIPE). A
/// lesson has nothing more to say then: it ends at once, without a panic
/// message, with the code a shell shows for SIGPIPE (141); any other failure
/// to write to stdout ends it with one line on stderr and code 1. Other
/// panics go to the hook that was there before.
pub fn end_quietly_when_stdout_fails() {
    let earlier = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if let Some(why) = message.strip_prefix("failed printing to stdout: ") {
            if why.contains("Broken pipe") {
                std::process::exit(141);
            }
            eprintln!("cannot write to standard output: {why}");
            std::process::exit(1);
        }
        earlier(info);
    }));
}

fn names(demos: &[Demo]) -> String {
    demos.iter().map(|d| d.name).collect::<Vec<_>>().join(", ")
}
