//! `workbook bench trace`: what recording costs.
//!
//! Two figures: nanoseconds per span enter+exit pair with the recorder
//! installed and a reader draining the wire (measured in this process, the
//! reader decoding every record as the runner would), and the wall time of
//! lesson 01's `cpu_bound` demo traced through the runner against untraced,
//! as a ratio of medians over alternating runs.
use super::BenchArgs;
use crate::catalog;
use crate::runner::{self, Run, RunEvent, RunOptions};
use crate::timeline::Timeline;
use crate::wire::{Framer, Record};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;
use std::io::{IsTerminal, Read};
use std::net::TcpListener;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

pub fn run(args: &BenchArgs) -> anyhow::Result<ExitCode> {
    let rounds = if args.quick { 1 } else { 3 };
    let progress = if args.json || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let bar = ProgressBar::with_draw_target(Some(1 + 2 * rounds), ProgressDrawTarget::stderr());
        bar.set_style(ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")?);
        bar
    };
    progress.set_message("recording spans in this process");
    let pairs: u64 = if args.quick { 200_000 } else { 2_000_000 };
    let span_cost = span_cost(pairs)?;
    progress.inc(1);
    let lesson = overhead(rounds, &progress)?;
    progress.finish_and_clear();

    if args.json {
        let figures = json!({
            "span_enter_exit_ns": span_cost.ns_per_pair,
            "span_pairs": pairs,
            "records_received": span_cost.received,
            "records_dropped": span_cost.dropped,
            "lesson01_cpu_bound.untraced_s": lesson.untraced,
            "lesson01_cpu_bound.traced_s": lesson.traced,
            "lesson01_cpu_bound.ratio": lesson.traced / lesson.untraced,
            "lesson01_cpu_bound.spans": lesson.spans,
            "rounds": rounds,
            "optimized_build": !cfg!(debug_assertions),
        });
        println!("{}", serde_json::to_string_pretty(&figures)?);
    } else {
        println!(
            "Recording cost, measured now on this machine ({} cores):",
            super_cores()
        );
        println!(
            "  span enter+exit, wire attached   {:>8.1} ns per pair  ({pairs} pairs; {} records received, {} dropped)",
            span_cost.ns_per_pair, span_cost.received, span_cost.dropped
        );
        println!(
            "  lesson 01 cpu_bound, untraced    {:>8.3} s  (median of {rounds})",
            lesson.untraced
        );
        println!(
            "  lesson 01 cpu_bound, traced      {:>8.3} s  ({} spans on the timeline)",
            lesson.traced, lesson.spans
        );
        println!(
            "  traced / untraced                {:>8.3}",
            lesson.traced / lesson.untraced
        );
        println!(
            "Targets: at most 100 ns per pair; a ratio of at most 1.05. On a busy machine both move: run it again."
        );
        if cfg!(debug_assertions) {
            println!(
                "This is a debug build, so the recorder itself is unoptimized: for the real figure run `cargo run --release -- bench trace`."
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn super_cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

struct SpanCost {
    ns_per_pair: f64,
    received: u64,
    dropped: u64,
}

/// Installs the recorder in this process, pointed at a loopback reader that
/// decodes every record, and times a tight enter/exit loop.
fn span_cost(pairs: u64) -> anyhow::Result<SpanCost> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?.to_string();
    let reader = std::thread::spawn(move || -> (u64, u64) {
        let Ok((mut stream, _)) = listener.accept() else {
            return (0, 0);
        };
        let mut framer = Framer::default();
        let mut chunk = vec![0u8; 1 << 16];
        let (mut received, mut dropped) = (0, 0);
        while let Ok(n) = stream.read(&mut chunk) {
            if n == 0 {
                break;
            }
            framer.push(&chunk[..n]);
            while let Some(Ok(record)) = framer.next_record() {
                received += 1;
                if let Record::Dropped { count } = record {
                    dropped += count;
                }
            }
        }
        (received, dropped)
    });
    let recording = crate::record::init_to(&addr, &"00".repeat(16));
    let span = tracing::info_span!("bench", n = 1);
    // Warm up: the thread's first record announces the thread.
    drop(span.enter());
    let started = Instant::now();
    for _ in 0..pairs {
        let _guard = span.enter();
    }
    let elapsed = started.elapsed();
    drop(span);
    drop(recording);
    let (received, dropped) = reader
        .join()
        .map_err(|_| anyhow::anyhow!("the wire reader panicked"))?;
    if received == 0 {
        anyhow::bail!("the recorder sent nothing: was another tracing subscriber installed?");
    }
    Ok(SpanCost {
        ns_per_pair: elapsed.as_nanos() as f64 / pairs as f64,
        received,
        dropped,
    })
}

struct LessonOverhead {
    untraced: f64,
    traced: f64,
    spans: usize,
}

/// Alternates untraced and traced runs of lesson 01's CPU-bound demo, so
/// both see the same machine load, and compares medians.
fn overhead(rounds: u64, progress: &ProgressBar) -> anyhow::Result<LessonOverhead> {
    let lesson = catalog::find("01")?;
    let exe = runner::lesson_binary(lesson.bin)?;
    if !exe.exists() {
        anyhow::bail!(
            "{} is not built: run `cargo build --bins` first",
            exe.display()
        );
    }
    let (mut untraced, mut traced, mut spans) = (Vec::new(), Vec::new(), 0);
    for _ in 0..rounds {
        progress.set_message("lesson 01 cpu_bound, untraced");
        let started = Instant::now();
        let status = Command::new(&exe)
            .args(["--demo", "cpu_bound"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()?;
        anyhow::ensure!(status.success(), "lesson 01 cpu_bound failed: {status}");
        untraced.push(started.elapsed().as_secs_f64());
        progress.inc(1);

        progress.set_message("lesson 01 cpu_bound, traced");
        let started = Instant::now();
        let options = RunOptions {
            demo: Some("cpu_bound".into()),
            timeout: Some(Duration::from_secs(120)),
            build: false,
        };
        let run = Run::start_program(exe.clone(), lesson.bin, options);
        let mut timeline = Timeline::new();
        let outcome = loop {
            match run.events().recv_timeout(Duration::from_secs(150)) {
                Ok(RunEvent::Trace { conn, records }) => {
                    for record in records {
                        timeline.ingest(conn, record);
                    }
                }
                Ok(RunEvent::Exited(outcome)) => break outcome,
                Ok(_) => {}
                Err(_) => anyhow::bail!("the traced run did not end"),
            }
        };
        anyhow::ensure!(outcome.success(), "traced lesson 01 cpu_bound {outcome}");
        traced.push(started.elapsed().as_secs_f64());
        spans = timeline.span_count();
        progress.inc(1);
    }
    Ok(LessonOverhead {
        untraced: median(&mut untraced),
        traced: median(&mut traced),
        spans,
    })
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
