//! `workbook bench trace`: what recording costs, under the measuring policy
//! of [`crate::measuring`] (median of runs, spread, machine conditions).
//!
//! Three figures:
//! - nanoseconds per span enter+exit pair on the recording thread, timed by
//!   that thread's own CPU clock, so the writer and the reader (which compete
//!   for the same cores) are not charged to it; the wall time is shown too.
//!   Every record must reach the reader: a drop fails the run;
//! - intake: records a second decoded from the wire and taken into the
//!   timeline model, as the runner and the TUI do;
//! - lesson 01's `cpu_bound` demo traced through the runner against
//!   untraced, runs taking turns, as ratios per pair of runs by the wall
//!   clock and in CPU seconds ([`overhead`]).
mod overhead;

use super::BenchArgs;
use crate::measuring::{self, Conditions, Summary, Watch};
use crate::timeline::Timeline;
use crate::wire::{self, Framer, Record};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use nix::time::{ClockId, clock_gettime};
use overhead::Overhead;
use serde::Serialize;
use std::io::{IsTerminal, Read};
use std::net::TcpListener;
use std::process::ExitCode;
use std::time::Instant;

/// Targets (issue 16): per pair on the recording thread, intake, overhead.
const TARGET_NS_PER_PAIR: f64 = 50.0;
const TARGET_INTAKE: f64 = 20e6;
const TARGET_RATIO: f64 = 1.02;

#[derive(Serialize)]
struct Figures {
    /// Recording thread's CPU time per enter+exit pair, ns.
    span_enter_exit_ns: Summary,
    /// Wall time per pair, ns (includes time the writer or reader held the core).
    span_enter_exit_wall_ns: Summary,
    span_pairs_per_run: u64,
    records_received: u64,
    records_dropped: u64,
    /// Records a CPU second of the intake thread, from wire bytes into the
    /// timeline model (what one core can take in, whatever else runs).
    intake_records_per_second: Summary,
    /// The same by the wall clock (lower when other programs share the core).
    intake_records_per_wall_second: Summary,
    lesson01_cpu_bound: Option<Overhead>,
    machine: Conditions,
    caution: Option<String>,
    optimized_build: bool,
    targets_met: Targets,
}

#[derive(Serialize)]
struct Targets {
    ns_per_pair: bool,
    no_drops: bool,
    intake: bool,
    ratio: Option<bool>,
    cpu_ratio: Option<bool>,
    total_cpu_ratio: Option<bool>,
}

pub fn run(args: &BenchArgs) -> anyhow::Result<ExitCode> {
    let runs = measuring::RUNS;
    let progress = if args.json || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let bar = ProgressBar::with_draw_target(Some(3), ProgressDrawTarget::stderr());
        bar.set_style(ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")?);
        bar
    };
    let watch = Watch::start();
    progress.set_message("recording spans in this process");
    let pairs: u64 = if args.quick { 500_000 } else { 2_000_000 };
    let cost = span_cost(runs, pairs)?;
    progress.inc(1);
    progress.set_message("decoding and taking records into the model");
    let intake = intake(runs, if args.quick { 200_000 } else { 400_000 })?;
    progress.inc(1);
    let pairs_compared = if args.quick {
        measuring::RUNS
    } else {
        overhead::PAIRS
    };
    let lesson = match overhead::measure(pairs_compared, TARGET_RATIO, &progress) {
        Ok(lesson) => Some(lesson),
        Err(err) => {
            eprintln!("lesson 01 overhead not measured: {err:#}");
            None
        }
    };
    progress.inc(1);
    progress.finish_and_clear();
    let machine = watch.finish();
    let mut spread = vec![&cost.cpu, &intake.cpu];
    if let Some(lesson) = &lesson {
        spread.push(&lesson.ratio);
    }
    let figures = Figures {
        caution: machine.caution(&spread),
        span_enter_exit_ns: cost.cpu,
        span_enter_exit_wall_ns: cost.wall,
        span_pairs_per_run: pairs,
        records_received: cost.received,
        records_dropped: cost.dropped,
        intake_records_per_second: intake.cpu,
        intake_records_per_wall_second: intake.wall,
        targets_met: Targets {
            ns_per_pair: cost.cpu.median <= TARGET_NS_PER_PAIR,
            no_drops: cost.dropped == 0 && cost.received >= cost.expected,
            intake: intake.cpu.median >= TARGET_INTAKE,
            ratio: lesson.as_ref().map(|l| l.ratio.median <= TARGET_RATIO),
            cpu_ratio: lesson.as_ref().map(|l| l.cpu_ratio.median <= TARGET_RATIO),
            total_cpu_ratio: lesson
                .as_ref()
                .map(|l| l.total_cpu_ratio.median <= TARGET_RATIO),
        },
        lesson01_cpu_bound: lesson,
        machine,
        optimized_build: !cfg!(debug_assertions),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&figures)?);
    } else {
        print(&figures, &cost);
    }
    if cost.dropped > 0 || cost.received < cost.expected {
        eprintln!(
            "FAILED: {} records dropped and {} of {} received while measuring: the recorder lost records",
            cost.dropped, cost.received, cost.expected
        );
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

fn print(f: &Figures, cost: &SpanCost) {
    let yes = |met: bool| if met { "met" } else { "NOT met" };
    println!(
        "Recording cost, measured now on this machine ({}; {} build):",
        f.machine.describe(),
        if f.optimized_build {
            "release"
        } else {
            "debug"
        }
    );
    println!(
        "  span enter+exit, recording thread  {} ns per pair (CPU time; target ≤ {TARGET_NS_PER_PAIR}: {})",
        f.span_enter_exit_ns.text(1),
        yes(f.targets_met.ns_per_pair)
    );
    println!(
        "  span enter+exit, wall time         {} ns per pair (writer and reader share the cores)",
        f.span_enter_exit_wall_ns.text(1)
    );
    println!(
        "  records: {} pairs a run; {} of {} received, {} dropped (target: none dropped: {})",
        f.span_pairs_per_run,
        cost.received,
        cost.expected,
        cost.dropped,
        yes(f.targets_met.no_drops)
    );
    let millions = |s: &Summary| Summary {
        median: s.median / 1e6,
        min: s.min / 1e6,
        max: s.max / 1e6,
        runs: s.runs,
    };
    println!(
        "  intake into the model              {} M records per CPU second (target ≥ {}: {})",
        millions(&f.intake_records_per_second).text(1),
        TARGET_INTAKE / 1e6,
        yes(f.targets_met.intake)
    );
    println!(
        "  intake into the model, wall time   {} M records/s",
        millions(&f.intake_records_per_wall_second).text(1)
    );
    if let Some(l) = &f.lesson01_cpu_bound {
        print_overhead(l);
    }
    if let Some(caution) = &f.caution {
        println!("{caution}");
    }
    if !f.optimized_build {
        println!(
            "This is a debug build: the recorder (workbook-trace) is optimized even here (Cargo.toml), the intake into the model is not; for the app's real figures run `cargo run --release -- bench trace`."
        );
    }
}

fn print_overhead(l: &Overhead) {
    let yes = |s: &Summary| {
        if s.median <= TARGET_RATIO {
            "met"
        } else {
            "NOT met"
        }
    };
    println!(
        "  lesson 01 cpu_bound, untraced      {} s",
        l.untraced_s.text(3)
    );
    println!(
        "  lesson 01 cpu_bound, traced        {} s  ({} spans on the timeline)",
        l.traced_s.text(3),
        l.spans
    );
    println!(
        "  traced / untraced, wall time       {} pair by pair, in both orders, after {} warm-up pair (target ≤ {TARGET_RATIO}: {})",
        l.ratio.text(3),
        l.warm_up_pairs_left_out,
        yes(&l.ratio)
    );
    println!(
        "  traced / untraced, CPU time        {} the lesson's processes ({})",
        l.cpu_ratio.text(3),
        yes(&l.cpu_ratio)
    );
    println!(
        "  traced / untraced, CPU time        {} with the workbook's threads serving the run ({})",
        l.total_cpu_ratio.text(3),
        yes(&l.total_cpu_ratio)
    );
    println!(
        "  CPU tracing adds, per run          {} ms in the lesson (recorder, writer), {} ms in the workbook (listener, sampler, intake)",
        l.lesson_extra_cpu_ms.text(1),
        l.workbook_cpu_ms.text(1)
    );
    println!(
        "  runner's start and end, wall time  {} ms of each traced run",
        l.runner_start_end_ms.text(1)
    );
    if let Some(note) = &l.note {
        println!("  Note: {note}.");
    }
}

struct SpanCost {
    cpu: Summary,
    wall: Summary,
    received: u64,
    expected: u64,
    dropped: u64,
}

/// This thread's CPU time, in nanoseconds.
fn thread_cpu_ns() -> f64 {
    clock_gettime(ClockId::CLOCK_THREAD_CPUTIME_ID)
        .map_or(f64::NAN, |t| t.tv_sec() as f64 * 1e9 + t.tv_nsec() as f64)
}

/// Installs the recorder in this process, pointed at a loopback reader that
/// decodes every record, and times `runs` tight enter/exit loops of `pairs`.
fn span_cost(runs: usize, pairs: u64) -> anyhow::Result<SpanCost> {
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
                // The thread's own kernel totals are not what is measured,
                // and a machine without schedstats sends none.
                if matches!(record, Record::Totals { .. }) {
                    continue;
                }
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
    let (mut cpu, mut wall) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let (started, cpu_started) = (Instant::now(), thread_cpu_ns());
        for _ in 0..pairs {
            let _guard = span.enter();
        }
        cpu.push((thread_cpu_ns() - cpu_started) / pairs as f64);
        wall.push(started.elapsed().as_nanos() as f64 / pairs as f64);
        // Let the writer catch up between runs, as a lesson's pauses would.
        crate::record::flush();
    }
    drop(span);
    drop(recording);
    let (received, dropped) = reader
        .join()
        .map_err(|_| anyhow::anyhow!("the wire reader panicked"))?;
    if received == 0 {
        anyhow::bail!("the recorder sent nothing: was another tracing subscriber installed?");
    }
    let summary = |v: &[f64]| Summary::of(v).ok_or_else(|| anyhow::anyhow!("no runs"));
    Ok(SpanCost {
        cpu: summary(&cpu)?,
        wall: summary(&wall)?,
        received,
        // Hello, thread, thread id, span, the warm-up pair, the pairs, end.
        expected: 2 * (1 + runs as u64 * pairs) + 5,
        dropped,
    })
}

/// Wire bytes for `pairs` enter/exit pairs on 8 threads, as a lesson sends
/// them.
fn wire_bytes(pairs: u64) -> Vec<u8> {
    let mut out = Vec::new();
    wire::encode(
        &Record::Hello {
            version: wire::VERSION,
            token: [0; 16],
            pid: 1,
            ppid: 0,
            name: "bench".into(),
        },
        &mut out,
    );
    for thread in 0..8u32 {
        wire::encode(
            &Record::Thread {
                thread,
                name: format!("worker-{thread}"),
            },
            &mut out,
        );
        wire::encode(
            &Record::Span {
                span: u64::from(thread) + 1,
                parent: 0,
                name: "work".into(),
                target: "bench".into(),
                fields: vec![],
            },
            &mut out,
        );
    }
    for i in 0..pairs {
        let thread = (i % 8) as u32;
        let span = u64::from(thread) + 1;
        wire::encode_switch(&mut out, wire::ENTER, span, thread, 10 * i);
        wire::encode_switch(&mut out, wire::EXIT, span, thread, 10 * i + 5);
    }
    out
}

struct Intake {
    cpu: Summary,
    wall: Summary,
}

/// Records a second from wire bytes into the model: 64 KiB reads through
/// the framer, a batch per read, as the runner's reader and the TUI do.
fn intake(runs: usize, pairs: u64) -> anyhow::Result<Intake> {
    let bytes = wire_bytes(pairs);
    let mut cpu = Vec::new();
    let rates: Vec<f64> = (0..runs)
        .map(|_| {
            let mut timeline = Timeline::new();
            let mut framer = Framer::default();
            let mut count = 0usize;
            let (started, cpu_started) = (Instant::now(), thread_cpu_ns());
            for chunk in bytes.chunks(64 << 10) {
                framer.push(chunk);
                let mut batch = Vec::with_capacity(chunk.len() / 23 + 1);
                while let Some(Ok(record)) = framer.next_record() {
                    batch.push(record);
                }
                count += batch.len();
                timeline.ingest_all(1, batch);
            }
            let seconds = started.elapsed().as_secs_f64();
            cpu.push(count as f64 / ((thread_cpu_ns() - cpu_started) / 1e9));
            // Every pair became a span, and the process its own.
            anyhow::ensure!(
                timeline.span_count() as u64 == pairs + 1 && timeline.errors().count == 0,
                "the model took in {} spans of {pairs}, with {} errors",
                timeline.span_count(),
                timeline.errors().count
            );
            Ok(count as f64 / seconds)
        })
        .collect::<anyhow::Result<_>>()?;
    let summary = |v: &[f64]| Summary::of(v).ok_or_else(|| anyhow::anyhow!("no runs"));
    Ok(Intake {
        cpu: summary(&cpu)?,
        wall: summary(&rates)?,
    })
}
