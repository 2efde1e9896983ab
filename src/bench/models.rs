//! `workbook bench models`: threads, rayon, processes and tokio measured on
//! this machine, on an I/O-bound job (waits that can overlap) and a CPU-bound
//! job (an integer kernel), plus the start-up cost and memory of one unit, a
//! pool-size sweep, and tiny jobs where concurrency costs more than it gives.
//! Where `python3` is installed the same jobs run in Python too.
//!
//! The process model runs this same binary as its workers
//! (`workbook bench --worker SPEC`, a hidden flag), as lesson 02 teaches.
pub mod jobs;
pub mod memory;
pub mod python;
pub mod report;

use super::BenchArgs;
use crate::measuring::{self, Conditions, Summary, Watch};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use jobs::{MODELS, Model};
use serde::Serialize;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

pub fn run(args: &BenchArgs) -> anyhow::Result<ExitCode> {
    if let Some(spec) = &args.worker {
        jobs::run_worker(spec)?;
        return Ok(ExitCode::SUCCESS);
    }
    let plan = Plan::new(args.quick);
    let progress = if args.json || !std::io::stdout().is_terminal() {
        ProgressBar::hidden()
    } else {
        let bar = ProgressBar::with_draw_target(Some(plan.steps()), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{bar:32}] {pos}/{len} {msg}")
                .expect("valid template")
                .progress_chars("=> "),
        );
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    };
    let figures = measure(&plan, &progress);
    progress.finish_and_clear();
    let figures = figures?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&figures)?);
    } else {
        report::print(&figures);
    }
    Ok(ExitCode::SUCCESS)
}

/// Measures everything without drawing progress: for other views (the TUI)
/// that show the figures their own way, e.g. with [`report::plot`].
pub fn measure_figures(quick: bool) -> anyhow::Result<Figures> {
    measure(&Plan::new(quick), &ProgressBar::hidden())
}

/// How big each job is; `--quick` shrinks everything for tests.
struct Plan {
    quick: bool,
    cores: usize,
    cpu_seconds: f64,
    /// Runs behind every figure, variants taking turns.
    runs: usize,
    io_waits: usize,
    io_wait: Duration,
    sweep: Vec<usize>,
    tiny_items: u64,
    /// Samples for start-up cost: thread, rayon job, process, tokio task.
    startup_samples: [u32; 4],
    /// Units for memory: threads, tasks, processes.
    memory_units: [usize; 3],
}

impl Plan {
    fn new(quick: bool) -> Plan {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let mut sweep: Vec<usize> = if 2 * cores <= 8 {
            (1..=2 * cores).collect()
        } else {
            let mut points = vec![];
            let mut w = 1;
            while w < 2 * cores {
                points.push(w);
                w *= 2;
            }
            points.extend([cores, cores + cores / 2, 2 * cores]);
            points
        };
        sweep.sort_unstable();
        sweep.dedup();
        Plan {
            quick,
            cores,
            // Half a second on one thread even in --quick: a shorter job
            // measures the machine's hiccups more than the models.
            cpu_seconds: 0.5,
            runs: measuring::RUNS,
            io_waits: if quick { 50 } else { 64 },
            io_wait: Duration::from_millis(10),
            sweep: if quick {
                // The chart's shape: one worker, one per core, and beyond.
                vec![1, cores, 2 * cores]
            } else {
                sweep
            },
            tiny_items: if quick { 200 } else { 1000 },
            startup_samples: if quick {
                [100, 1000, 5, 2000]
            } else {
                [500, 5000, 20, 20_000]
            },
            memory_units: if quick {
                [50, 2000, 2]
            } else {
                [200, 20_000, 4]
            },
        }
    }

    fn steps(&self) -> u64 {
        // calibrate, the sweep's runs, I/O (5), start-up (4), memory (4), tiny (5), Python.
        1 + (self.runs * self.sweep.len() * MODELS.len()) as u64 + 5 + 4 + 4 + 5 + 1
    }
}

#[derive(Serialize)]
pub struct Figures {
    pub machine: Machine,
    pub io_bound: Job,
    pub cpu_bound: Job,
    pub startup: Startup,
    pub sweep: Sweep,
    pub memory: memory::Memory,
    pub tiny_tasks: Job,
    /// The same jobs in Python; each row has `rust_over_python`.
    pub python: Option<python::PythonFigures>,
    pub python_skipped: Option<String>,
}

#[derive(Serialize)]
pub struct Machine {
    /// `debug` when built without optimizations (speedups still compare).
    pub build: &'static str,
    pub quick: bool,
    /// Cores, load average before and after, CPU time other programs used
    /// and the hypervisor stole while measuring (see [`measuring`]).
    #[serde(flatten)]
    pub conditions: Conditions,
    /// Runs behind each figure.
    pub runs: usize,
    /// Cores' worth of CPU time the CPU-bound job got with one thread per
    /// core (its CPU seconds over its wall seconds, run by run): near the
    /// core count on a quiet machine; lower when other programs held cores,
    /// which is then why the speedup is low.
    pub threads_cores_used: Option<Summary>,
    /// Words when the figures are not to be trusted as they stand.
    pub caution: Option<String>,
}

/// One job, run sequentially and with each model.
#[derive(Serialize)]
pub struct Job {
    pub what: String,
    pub sequential: Row,
    pub threads: Row,
    pub rayon: Row,
    pub processes: Row,
    pub tokio: Row,
}

#[derive(Serialize, Clone)]
pub struct Row {
    /// The median run.
    pub seconds: f64,
    /// The fastest sequential time divided by this time, run by run: the
    /// median.
    pub speedup: f64,
    /// The lowest and highest of those speedups.
    pub speedup_range: [f64; 2],
    pub runs: usize,
    /// What ran: how many threads, processes or tasks.
    pub units: String,
}

impl Row {
    /// From the sequential job's and this model's seconds, run by run.
    fn measured(units: String, sequential: &[f64], times: &[f64]) -> Row {
        let point = Point::measured(0, sequential, times);
        Row {
            seconds: point.seconds,
            speedup: point.speedup,
            speedup_range: point.speedup_range,
            runs: point.runs,
            units,
        }
    }
}

impl Job {
    fn new(what: String, sequential: &[f64], rows: [Row; 4]) -> Job {
        let [threads, rayon, processes, tokio] = rows;
        let seconds = Summary::of(sequential).map_or(f64::NAN, |s| s.median);
        Job {
            what,
            sequential: Row {
                seconds,
                speedup: 1.0,
                speedup_range: [1.0, 1.0],
                runs: sequential.len(),
                units: "1 thread".into(),
            },
            threads,
            rayon,
            processes,
            tokio,
        }
    }

    pub fn row(&self, key: &str) -> &Row {
        let (sequential, threads, rayon) = (&self.sequential, &self.threads, &self.rayon);
        by_key(
            key,
            [sequential, threads, rayon, &self.processes, &self.tokio],
        )
    }
}

/// Of a job's rows, in the order sequential, threads, rayon, processes,
/// tokio, the one `key` names (sequential for any other key): the Rust and
/// the Python jobs are looked up alike.
pub fn by_key<T>(key: &str, [sequential, threads, rayon, processes, tokio]: [T; 5]) -> T {
    match key {
        "threads" => threads,
        "rayon" => rayon,
        "processes" => processes,
        "tokio" => tokio,
        _ => sequential,
    }
}

/// Microseconds to start one unit and wait for it to finish.
#[derive(Serialize)]
pub struct Startup {
    pub thread: Cost,
    pub rayon_job: Cost,
    pub process: Cost,
    pub tokio_task: Cost,
}

#[derive(Serialize)]
pub struct Cost {
    /// The median batch's cost per unit.
    pub micros: f64,
    /// The cheapest and dearest batch.
    pub micros_range: [f64; 2],
    pub samples: u32,
}

/// CPU-bound speedup against the number of workers, per model.
#[derive(Serialize)]
pub struct Sweep {
    pub threads: Vec<Point>,
    pub rayon: Vec<Point>,
    pub processes: Vec<Point>,
    pub tokio: Vec<Point>,
}

#[derive(Serialize, Clone, Copy)]
pub struct Point {
    pub workers: usize,
    /// The median run.
    pub seconds: f64,
    /// The median of the run-by-run speedups over the sequential job at its
    /// best (its fastest run).
    pub speedup: f64,
    /// The lowest and highest of them.
    pub speedup_range: [f64; 2],
    pub runs: usize,
}

impl Point {
    const MISSING: Point = Point {
        workers: 0,
        seconds: f64::NAN,
        speedup: f64::NAN,
        speedup_range: [f64::NAN, f64::NAN],
        runs: 0,
    };

    /// Each run of `times` over the fastest run of `sequential`
    /// ([`Summary::of_speedups`]); the runs took turns, so a burst of load
    /// slows some of each.
    fn measured(workers: usize, sequential: &[f64], times: &[f64]) -> Point {
        let (Some(time), Some(speedup)) =
            (Summary::of(times), Summary::of_speedups(sequential, times))
        else {
            return Point {
                workers,
                ..Point::MISSING
            };
        };
        Point {
            workers,
            seconds: time.median,
            speedup: speedup.median,
            speedup_range: [speedup.min, speedup.max],
            runs: speedup.runs,
        }
    }

    pub fn summary(&self) -> Summary {
        Summary {
            median: self.speedup,
            min: self.speedup_range[0],
            max: self.speedup_range[1],
            runs: self.runs,
        }
    }
}

fn model_index(model: Model) -> usize {
    MODELS.iter().position(|&m| m == model).unwrap_or(0)
}

impl Sweep {
    fn points_vec(&mut self, model: Model) -> &mut Vec<Point> {
        match model {
            Model::Threads => &mut self.threads,
            Model::Rayon => &mut self.rayon,
            Model::Processes => &mut self.processes,
            Model::Tokio => &mut self.tokio,
        }
    }

    pub fn points(&self, model: Model) -> &[Point] {
        match model {
            Model::Threads => &self.threads,
            Model::Rayon => &self.rayon,
            Model::Processes => &self.processes,
            Model::Tokio => &self.tokio,
        }
    }
}

/// CPU seconds (user + system) of this process, all its threads, so far.
fn own_cpu_seconds() -> f64 {
    use nix::sys::resource::{UsageWho, getrusage};
    getrusage(UsageWho::RUSAGE_SELF).map_or(f64::NAN, |u| {
        let (user, system) = (u.user_time(), u.system_time());
        user.tv_sec() as f64
            + system.tv_sec() as f64
            + (user.tv_usec() + system.tv_usec()) as f64 / 1e6
    })
}

fn pool(threads: usize) -> anyhow::Result<rayon::ThreadPool> {
    Ok(rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?)
}

fn runtime(threads: usize) -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()?)
}

fn measure(plan: &Plan, progress: &ProgressBar) -> anyhow::Result<Figures> {
    let step = |msg: &str| {
        progress.set_message(msg.to_string());
    };
    let cores = plan.cores;
    let watch = Watch::start();
    let (pool_n, runtime_n) = (pool(cores)?, runtime(cores)?);

    // CPU-bound: the job sized to about half a second on one thread, then
    // rounds of the sequential job and every model at every pool size, taking
    // turns, so each round's speedups compare runs that saw the same load.
    step("calibrating the CPU job");
    let items = measuring::calibrate(plan.cpu_seconds, 1 << 14, |n| {
        measuring::timed(|| std::hint::black_box(jobs::kernel(0..n))).0
    });
    progress.inc(1);
    let checksum = jobs::kernel(0..items);
    let cpus: Vec<(rayon::ThreadPool, tokio::runtime::Runtime)> = plan
        .sweep
        .iter()
        .map(|&w| Ok((pool(w)?, runtime(w)?)))
        .collect::<anyhow::Result<_>>()?;
    let variants: Vec<Option<(usize, Model)>> = std::iter::once(None)
        .chain((0..plan.sweep.len()).flat_map(|i| MODELS.map(|m| Some((i, m)))))
        .collect();
    let mut round = 0;
    let mut cores_used = Vec::new();
    let times = measuring::alternate(plan.runs, variants.len(), |v| {
        let Some((i, model)) = variants[v] else {
            round += 1;
            step(&format!("CPU-bound job, round {round} of {}", plan.runs));
            // Its sum is checked like every model's: an optimizing build
            // would otherwise drop a computation whose result nobody reads
            // (a release build timed nothing here and printed 1e-7x).
            let (seconds, sum) = measuring::timed(|| jobs::kernel(0..items));
            anyhow::ensure!(
                sum == checksum,
                "the sequential job computed a different sum"
            );
            return Ok(seconds);
        };
        let cpu = jobs::Cpu {
            items,
            workers: plan.sweep[i],
            pool: &cpus[i].0,
            runtime: &cpus[i].1,
        };
        let cpu_before = own_cpu_seconds();
        let (seconds, sum) = measuring::timed(|| cpu.run(model));
        if model == Model::Threads && plan.sweep[i] == cores {
            cores_used.push((own_cpu_seconds() - cpu_before) / seconds);
        }
        anyhow::ensure!(sum? == checksum, "{} computed a different sum", model.key());
        progress.inc(1);
        Ok(seconds)
    })?;
    let threads_cores_used = Summary::of(&cores_used);
    drop(cpus);
    let sequential = &times[0];
    let mut sweep = Sweep {
        threads: vec![],
        rayon: vec![],
        processes: vec![],
        tokio: vec![],
    };
    for (v, variant) in variants.iter().enumerate() {
        if let Some((i, model)) = *variant {
            let point = Point::measured(plan.sweep[i], sequential, &times[v]);
            sweep.points_vec(model).push(point);
        }
    }
    let at_cores = |model: Model| {
        let p = sweep
            .points(model)
            .iter()
            .find(|p| p.workers == cores)
            .copied()
            .unwrap_or(Point::MISSING);
        let units = match model {
            Model::Threads => format!("{cores} threads"),
            Model::Rayon => format!("pool of {cores}, {} jobs", cores * 8),
            Model::Processes => format!("{cores} processes"),
            Model::Tokio => format!("{cores} tasks, {cores} threads"),
        };
        Row {
            seconds: p.seconds,
            speedup: p.speedup,
            speedup_range: p.speedup_range,
            runs: p.runs,
            units,
        }
    };
    let cpu_bound = Job::new(
        format!(
            "{:.1} M kernel items split over {cores} workers",
            items as f64 / 1e6
        ),
        sequential,
        MODELS.map(at_cores),
    );

    // I/O-bound: waits that overlap, in alternating rounds like the CPU job.
    let (waits, wait) = (plan.io_waits, plan.io_wait);
    step("I/O-bound job");
    let times = measuring::alternate(plan.runs, 1 + MODELS.len(), |v| {
        let Some(&model) = v.checked_sub(1).and_then(|m| MODELS.get(m)) else {
            return Ok(measuring::timed(|| (0..waits).for_each(|_| std::thread::sleep(wait))).0);
        };
        let (seconds, done) =
            measuring::timed(|| jobs::io(model, waits, wait, &pool_n, &runtime_n));
        done?;
        Ok(seconds)
    })?;
    progress.inc(5);
    let io_rows = MODELS.map(|model| {
        let units = match model {
            Model::Threads => format!("{waits} threads"),
            Model::Rayon => format!("pool of {cores}"),
            Model::Processes => format!("{waits} processes"),
            Model::Tokio => format!("{waits} tasks, {cores} threads"),
        };
        Row::measured(units, &times[0], &times[model_index(model) + 1])
    });
    let io_bound = Job::new(
        format!("{waits} waits of {} ms", wait.as_millis()),
        &times[0],
        io_rows,
    );

    // Start-up: one unit, started and finished, many times, in batches.
    let mut costs = Vec::new();
    for (model, samples) in MODELS.into_iter().zip(plan.startup_samples) {
        step(&format!("start-up cost: {}", model.key()));
        let batches = (0..plan.runs)
            .map(|_| {
                jobs::startup(
                    model,
                    samples.div_ceil(plan.runs as u32),
                    &pool_n,
                    &runtime_n,
                )
            })
            .collect::<anyhow::Result<Vec<f64>>>()?;
        let summary = Summary::of(&batches).ok_or_else(|| anyhow::anyhow!("no batches"))?;
        costs.push(Cost {
            micros: summary.median,
            micros_range: [summary.min, summary.max],
            samples,
        });
        progress.inc(1);
    }
    let [thread, rayon_job, process, tokio_task]: [Cost; 4] = costs
        .try_into()
        .map_err(|_| anyhow::anyhow!("four costs"))?;
    let startup = Startup {
        thread,
        rayon_job,
        process,
        tokio_task,
    };

    // Memory per idle unit.
    let [threads_n, tasks_n, processes_n] = plan.memory_units;
    step("memory per thread");
    let mut memory = memory::Memory {
        thread: memory::threads(threads_n),
        ..Default::default()
    };
    progress.inc(1);
    step("memory per rayon pool thread");
    memory.rayon_pool_thread = memory::rayon_pool(cores.max(2) * 4);
    progress.inc(1);
    step("memory per process");
    memory.process = memory::processes(processes_n);
    progress.inc(1);
    step("memory per tokio task");
    memory.tokio_task = memory::tokio_tasks(tasks_n, &runtime_n);
    progress.inc(1);

    // Tiny tasks: a unit per item of almost no work. The sequential job is
    // tiny on purpose (the point is the cost of a unit), so its spread is
    // wide; the alternation still keeps the ratios fair.
    let tiny_n = plan.tiny_items;
    let one = |i: u64| jobs::kernel(i * 64..i * 64 + 64);
    let tiny_sum = (0..tiny_n).map(one).fold(0, u64::wrapping_add);
    step("tiny tasks");
    let times = measuring::alternate(plan.runs, 1 + MODELS.len(), |v| {
        let Some(&model) = v.checked_sub(1).and_then(|m| MODELS.get(m)) else {
            let (seconds, sum) =
                measuring::timed(|| (0..tiny_n).map(one).fold(0, u64::wrapping_add));
            anyhow::ensure!(
                sum == tiny_sum,
                "the sequential tiny job computed a different sum"
            );
            return Ok(seconds);
        };
        let (seconds, sum) = measuring::timed(|| jobs::tiny(model, tiny_n, &pool_n, &runtime_n));
        anyhow::ensure!(sum? == tiny_sum, "{} computed a different sum", model.key());
        Ok(seconds)
    })?;
    progress.inc(5);
    let tiny_rows = MODELS.map(|model| {
        let units = match model {
            Model::Threads => format!("{tiny_n} threads"),
            Model::Rayon => format!("{tiny_n} jobs, {cores} threads"),
            Model::Processes => format!("{tiny_n} proc., {} at once", 2 * cores),
            Model::Tokio => format!("{tiny_n} tasks, {cores} threads"),
        };
        Row::measured(units, &times[0], &times[model_index(model) + 1])
    });
    let tiny_tasks = Job::new(
        format!("{tiny_n} items of 64 kernel steps, one unit each"),
        &times[0],
        tiny_rows,
    );

    let conditions = watch.finish();
    // The figures a reader takes away: the CPU-bound speedups at one worker
    // per core.
    let headline: Vec<Summary> = MODELS
        .iter()
        .filter_map(|&m| sweep.points(m).iter().find(|p| p.workers == cores))
        .map(Point::summary)
        .collect();
    let mut caution = conditions.caution(&headline.iter().collect::<Vec<_>>());
    if let Some(used) = threads_cores_used.filter(|u| u.median < 0.85 * cores as f64) {
        let note = format!(
            "With {cores} threads the CPU-bound job got only {:.2} of the {cores} cores (median of {} runs, {:.2}–{:.2}): other programs held the rest, so its speedup shows the machine, not the model.",
            used.median, used.runs, used.min, used.max
        );
        caution = Some(caution.map_or(note.clone(), |c| format!("{c} {note}")));
    }
    let mut figures = Figures {
        machine: Machine {
            build: if cfg!(debug_assertions) {
                "debug"
            } else {
                "release"
            },
            quick: plan.quick,
            conditions,
            runs: plan.runs,
            threads_cores_used,
            caution,
        },
        io_bound,
        cpu_bound,
        startup,
        sweep,
        memory,
        tiny_tasks,
        python: None,
        python_skipped: None,
    };

    step("the same jobs in Python");
    let config = serde_json::json!({
        "io_waits": waits,
        "io_ms": wait.as_millis() as u64,
        // The same policy as the Rust jobs: half a second sequential, runs
        // taking turns, the median and spread of the speedups.
        "cpu_seconds": plan.cpu_seconds,
        "workers": cores,
        "runs": plan.runs,
        "startup_samples": if plan.quick { 5 } else { 20 },
    });
    match python::run(
        &config,
        Duration::from_secs(if plan.quick { 120 } else { 180 }),
    ) {
        Ok(mut python) => {
            python.add_ratios(&figures);
            figures.python = Some(python);
        }
        Err(reason) => figures.python_skipped = Some(reason),
    }
    progress.inc(1);
    Ok(figures)
}
