//! `workbook bench sampler`: what the runner's kernel sampler costs and how
//! well it reads. Each case starts a worker process of this binary
//! (`--worker spin:4:MS` and friends) whose threads spin, sleep or park, runs
//! the real sampler loop on it from a thread of this process, feeds the
//! samples to the real timeline model and reads the figures back:
//! - overhead: the sampler thread's own CPU time (getrusage of that thread)
//!   over the wall time, with 100 threads in the run;
//! - accuracy: each named worker thread's share of time on a core, and
//!   queued for one, over its life as the sampler saw it.
//!
//! Every case runs several times; the report gives the median and the
//! spread (see [`crate::measuring`]) and, beside each case, how busy the
//! machine was while it ran (load average, CPU time other programs took,
//! the hypervisor's steal). The accuracy targets need free cores: on a busy
//! machine they are not judged, and the report says why. The overhead is
//! the sampler's own CPU time, which load moves little, so it is judged
//! whatever the load. `--json` prints the same figures as one JSON object.
mod judge;

use super::BenchArgs;
use crate::measuring::Watch;
use crate::runner::sampler::{self, MIN_INTERVAL};
use crate::timeline::Timeline;
use crate::wire::SAMPLER_CONN;
use judge::{
    Figures, MAX_OVERHEAD, MAX_SLEEPER, MIN_ALONE, SHARED_TOLERANCE, Target, print_case,
    shared_share, summarize,
};
use std::os::unix::process::CommandExt;
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

/// A case: what the worker's threads do, how many, for how long.
struct Case {
    what: &'static str,
    kind: &'static str,
    threads: usize,
    target: Target,
}

const CASES: [Case; 4] = [
    Case {
        what: "overhead, 100 sleeping threads",
        kind: "sleep",
        threads: 100,
        target: Target::Overhead,
    },
    Case {
        what: "1 spinning thread alone",
        kind: "spin",
        threads: 1,
        target: Target::Alone,
    },
    Case {
        what: "4 spinning threads",
        kind: "spin",
        threads: 4,
        target: Target::Shared,
    },
    Case {
        what: "1 sleeping thread",
        kind: "sleep",
        threads: 1,
        target: Target::Sleeper,
    },
];

/// One run of one case, as the sampler saw it.
#[derive(Debug, Clone, Copy)]
struct Reading {
    /// The sampler thread's CPU time over wall time, in % of one core.
    overhead: f64,
    /// Per worker thread, averaged over them: % on a core, % queued.
    on_cpu: f64,
    queued: f64,
    rounds_per_s: f64,
}

pub fn run(args: &BenchArgs) -> anyhow::Result<ExitCode> {
    if let Some(worker) = &args.worker {
        return work(worker);
    }
    if let Some(why) = sampler::unavailable() {
        if args.json {
            println!("{}", serde_json::json!({ "skipped": why }));
        } else {
            println!("sampler: skipped, {why}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let (runs, millis) = if args.quick { (3, 1000) } else { (5, 2000) };
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let whole = Watch::start();
    let mut cases = Vec::new();
    for case in &CASES {
        let watch = Watch::start();
        let mut readings = Vec::new();
        for _ in 0..runs {
            readings.push(measure(case, millis)?);
        }
        let figures = summarize(case, &readings, watch.finish(), cores)?;
        if !args.json {
            print_case(&figures);
        }
        cases.push(figures);
    }
    let figures = Figures {
        cores,
        runs_per_case: runs,
        millis_per_run: millis,
        optimized_build: !cfg!(debug_assertions),
        cases,
        machine: whole.finish(),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&figures)?);
    } else {
        println!(
            "{} build; the whole measuring: {}",
            if figures.optimized_build {
                "release"
            } else {
                "debug"
            },
            figures.machine.describe()
        );
        println!(
            "targets: sampler ≤ {MAX_OVERHEAD}% of one core with 100 threads; one spinner alone ≥ {MIN_ALONE}% on a core; \
             4 spinners on {cores} cores {:.0}% each (± {SHARED_TOLERANCE} points), the rest queued; a sleeper ≤ {MAX_SLEEPER}%",
            shared_share(cores, 4)
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn measure(case: &Case, millis: u64) -> anyhow::Result<Reading> {
    let exe = std::env::current_exe()?;
    let mut child = Command::new(exe)
        .args(["bench", "sampler", "--worker"])
        .arg(format!("{}:{}:{millis}", case.kind, case.threads))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .process_group(0)
        .spawn()?;
    let pid = child.id();
    let started = Instant::now();
    let stop = AtomicBool::new(false);
    let mut timeline = Timeline::new();
    let (cpu, wall, rounds) = std::thread::scope(|scope| {
        let sampling = scope.spawn(|| {
            let mut records = Vec::new();
            let mut rounds = 0u32;
            let begun = Instant::now();
            let requests = sampler::Requests::default();
            sampler::sample_loop(pid, started, &stop, &requests, |batch| {
                rounds += 1;
                records.extend(batch);
                true
            });
            (thread_cpu(), begun.elapsed(), rounds, records)
        });
        let _ = child.wait();
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        sampling.thread().unpark();
        let (cpu, wall, rounds, records) = sampling.join().expect("the sampler does not panic");
        for record in records {
            timeline.ingest(SAMPLER_CONN, record);
        }
        (cpu, wall, rounds)
    });
    let prefix = format!("{}-", case.kind);
    let (mut on_cpu, mut queued, mut counted) = (0.0, 0.0, 0);
    for lane in timeline
        .lanes()
        .iter()
        .filter(|l| l.name.starts_with(&prefix))
    {
        let slices = timeline.kernel_slices(lane.id);
        let total: f64 = slices.iter().map(|s| f64::from(s.len)).sum();
        if total > 0.0 {
            on_cpu += slices.iter().map(|s| f64::from(s.on_cpu)).sum::<f64>() / total;
            queued += slices.iter().map(|s| f64::from(s.queued)).sum::<f64>() / total;
            counted += 1;
        }
    }
    anyhow::ensure!(counted > 0, "the sampler saw none of the worker's threads");
    let secs = wall.as_secs_f64();
    Ok(Reading {
        overhead: 100.0 * cpu.as_secs_f64() / secs,
        on_cpu: 100.0 * on_cpu / f64::from(counted),
        queued: 100.0 * queued / f64::from(counted),
        rounds_per_s: f64::from(rounds) / secs,
    })
}

/// CPU time of the calling thread.
fn thread_cpu() -> Duration {
    use nix::sys::resource::{UsageWho, getrusage};
    getrusage(UsageWho::RUSAGE_THREAD).map_or(Duration::ZERO, |usage| {
        let micros = |t: nix::sys::time::TimeVal| {
            Duration::from_micros((t.tv_sec() as u64) * 1_000_000 + t.tv_usec() as u64)
        };
        micros(usage.user_time()) + micros(usage.system_time())
    })
}

/// The worker process: `KIND:THREADS:MS`, threads named `KIND-N`.
fn work(spec: &str) -> anyhow::Result<ExitCode> {
    let parts: Vec<&str> = spec.split(':').collect();
    let [kind, threads, millis] = parts[..] else {
        anyhow::bail!("worker spec {spec:?}: expected KIND:THREADS:MS");
    };
    let threads: usize = threads.parse()?;
    let until = Instant::now() + Duration::from_millis(millis.parse()?);
    let spin = match kind {
        "spin" => true,
        "sleep" => false,
        other => anyhow::bail!("worker kind {other:?}: expected spin or sleep"),
    };
    // Let the sampler take its first reading of the threads before they work.
    std::thread::sleep(MIN_INTERVAL * 2);
    std::thread::scope(|scope| {
        for i in 0..threads {
            std::thread::Builder::new()
                .name(format!("{kind}-{i}"))
                .spawn_scoped(scope, move || {
                    while Instant::now() < until {
                        if spin {
                            std::hint::spin_loop();
                        } else {
                            std::thread::sleep(Duration::from_millis(50));
                        }
                    }
                })
                .expect("spawning a worker thread");
        }
    });
    Ok(ExitCode::SUCCESS)
}
