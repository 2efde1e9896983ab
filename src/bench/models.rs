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
mod python;
pub mod report;

use super::BenchArgs;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use jobs::{MODELS, Model, best};
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
    reps: usize,
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
            cpu_seconds: if quick { 0.06 } else { 0.4 },
            reps: if quick { 1 } else { 3 },
            io_waits: if quick { 16 } else { 64 },
            io_wait: Duration::from_millis(if quick { 5 } else { 10 }),
            sweep,
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
        // calibrate + sequential, the sweep, I/O (5), start-up (4), memory (4), tiny (5), Python.
        2 + (self.sweep.len() * MODELS.len()) as u64 + 5 + 4 + 4 + 5 + 1
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
    pub python: Option<serde_json::Value>,
    pub python_skipped: Option<String>,
}

#[derive(Serialize)]
pub struct Machine {
    pub cores: usize,
    /// `debug` when built without optimizations (speedups still compare).
    pub build: &'static str,
    pub quick: bool,
    /// `/proc/loadavg` before and after: how busy the machine was with
    /// other programs (above the core count, figures come out lower).
    pub load_average: Option<[f64; 2]>,
}

fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
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
    pub seconds: f64,
    /// Sequential time divided by this time.
    pub speedup: f64,
    /// What ran: how many threads, processes or tasks.
    pub units: String,
}

impl Job {
    fn new(what: String, sequential: f64, rows: [Row; 4]) -> Job {
        let [threads, rayon, processes, tokio] = rows;
        Job {
            what,
            sequential: Row {
                seconds: sequential,
                speedup: 1.0,
                units: "1 thread".into(),
            },
            threads,
            rayon,
            processes,
            tokio,
        }
    }

    pub fn row(&self, key: &str) -> &Row {
        match key {
            "threads" => &self.threads,
            "rayon" => &self.rayon,
            "processes" => &self.processes,
            "tokio" => &self.tokio,
            _ => &self.sequential,
        }
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
    pub micros: f64,
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
    pub seconds: f64,
    pub speedup: f64,
}

impl Sweep {
    fn points_mut(&mut self, model: Model) -> &mut [Point] {
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
    let load_before = load_average();
    let (pool_n, runtime_n) = (pool(cores)?, runtime(cores)?);

    // CPU-bound: the sequential baseline, then every model at every pool size.
    step("calibrating the CPU job");
    let items = jobs::calibrate(plan.cpu_seconds);
    progress.inc(1);
    step("CPU-bound job on one thread");
    let (mut sequential, checksum) = best(plan.reps, || jobs::kernel(0..items));
    progress.inc(1);
    let mut sweep = Sweep {
        threads: vec![],
        rayon: vec![],
        processes: vec![],
        tokio: vec![],
    };
    for &workers in &plan.sweep {
        // Every figure is the best of several runs; the baseline is run again
        // between groups so it too gets the machine's quietest moments.
        sequential = sequential.min(best(1, || jobs::kernel(0..items)).0);
        let (p, rt) = (pool(workers)?, runtime(workers)?);
        let cpu = jobs::Cpu {
            items,
            workers,
            pool: &p,
            runtime: &rt,
        };
        for model in MODELS {
            step(&format!(
                "CPU-bound job: {} with {workers} workers",
                model.key()
            ));
            let (seconds, sum) = best(plan.reps, || cpu.run(model));
            anyhow::ensure!(sum? == checksum, "{} computed a different sum", model.key());
            let point = Point {
                workers,
                seconds,
                speedup: f64::NAN,
            };
            match model {
                Model::Threads => sweep.threads.push(point),
                Model::Rayon => sweep.rayon.push(point),
                Model::Processes => sweep.processes.push(point),
                Model::Tokio => sweep.tokio.push(point),
            }
            progress.inc(1);
        }
    }
    for model in MODELS {
        for point in sweep.points_mut(model) {
            point.speedup = sequential / point.seconds;
        }
    }
    let at_cores = |model: Model| {
        let p = sweep
            .points(model)
            .iter()
            .find(|p| p.workers == cores)
            .copied()
            .unwrap_or(Point {
                workers: 0,
                seconds: f64::NAN,
                speedup: f64::NAN,
            });
        let units = match model {
            Model::Threads => format!("{cores} threads"),
            Model::Rayon => format!("pool of {cores}, {} jobs", cores * 8),
            Model::Processes => format!("{cores} processes"),
            Model::Tokio => format!("{cores} tasks, {cores} threads"),
        };
        Row {
            seconds: p.seconds,
            speedup: p.speedup,
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

    // I/O-bound: waits that overlap.
    let (waits, wait) = (plan.io_waits, plan.io_wait);
    step("I/O-bound job on one thread");
    let (io_sequential, ()) = best(1, || (0..waits).for_each(|_| std::thread::sleep(wait)));
    progress.inc(1);
    let mut io_rows = Vec::new();
    for model in MODELS {
        step(&format!("I/O-bound job: {}", model.key()));
        let (seconds, done) = best(1, || jobs::io(model, waits, wait, &pool_n, &runtime_n));
        done?;
        let units = match model {
            Model::Threads => format!("{waits} threads"),
            Model::Rayon => format!("pool of {cores}"),
            Model::Processes => format!("{waits} processes"),
            Model::Tokio => format!("{waits} tasks, {cores} threads"),
        };
        io_rows.push(Row {
            seconds,
            speedup: io_sequential / seconds,
            units,
        });
        progress.inc(1);
    }
    let io_bound = Job::new(
        format!("{waits} waits of {} ms", wait.as_millis()),
        io_sequential,
        io_rows
            .try_into()
            .map_err(|_| anyhow::anyhow!("four I/O rows"))?,
    );

    // Start-up: one unit, started and finished, many times.
    let mut costs = Vec::new();
    for (model, samples) in MODELS.into_iter().zip(plan.startup_samples) {
        step(&format!("start-up cost: {}", model.key()));
        // The best of five batches: on a busy machine a new thread or
        // process can wait milliseconds for a core, which is not its cost.
        let mut micros = f64::INFINITY;
        for _ in 0..5 {
            micros = micros.min(jobs::startup(
                model,
                samples.div_ceil(5),
                &pool_n,
                &runtime_n,
            )?);
        }
        costs.push(Cost { micros, samples });
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

    // Tiny tasks: a unit per item of almost no work.
    let tiny_n = plan.tiny_items;
    let one = |i: u64| jobs::kernel(i * 64..i * 64 + 64);
    step("tiny tasks on one thread");
    let (tiny_sequential, tiny_sum) = best(plan.reps, || {
        (0..tiny_n).map(one).fold(0, u64::wrapping_add)
    });
    progress.inc(1);
    let mut tiny_rows = Vec::new();
    for model in MODELS {
        step(&format!("tiny tasks: {}", model.key()));
        let (seconds, sum) = best(plan.reps, || jobs::tiny(model, tiny_n, &pool_n, &runtime_n));
        anyhow::ensure!(sum? == tiny_sum, "{} computed a different sum", model.key());
        let units = match model {
            Model::Threads => format!("{tiny_n} threads"),
            Model::Rayon => format!("{tiny_n} jobs, {cores} threads"),
            Model::Processes => format!("{tiny_n} proc., {} at once", 2 * cores),
            Model::Tokio => format!("{tiny_n} tasks, {cores} threads"),
        };
        tiny_rows.push(Row {
            seconds,
            speedup: tiny_sequential / seconds,
            units,
        });
        progress.inc(1);
    }
    let tiny_tasks = Job::new(
        format!("{tiny_n} items of 64 kernel steps, one unit each"),
        tiny_sequential,
        tiny_rows
            .try_into()
            .map_err(|_| anyhow::anyhow!("four tiny rows"))?,
    );

    let mut figures = Figures {
        machine: Machine {
            cores,
            build: if cfg!(debug_assertions) {
                "debug"
            } else {
                "release"
            },
            quick: plan.quick,
            load_average: load_before.zip(load_average()).map(|(a, b)| [a, b]),
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
        "cpu_seconds": if plan.quick { 0.1 } else { 0.5 },
        "workers": cores,
        "reps": plan.reps,
        "startup_samples": if plan.quick { 5 } else { 20 },
    });
    match python::run(
        &config,
        Duration::from_secs(if plan.quick { 60 } else { 90 }),
    ) {
        Ok(mut value) => {
            add_ratios(&figures, &mut value);
            figures.python = Some(value);
        }
        Err(reason) => figures.python_skipped = Some(reason),
    }
    progress.inc(1);
    Ok(figures)
}

/// Puts `rust_over_python` beside each Python row: for jobs, Rust's speedup
/// over Python's; for start-up, Rust's cost over Python's.
fn add_ratios(figures: &Figures, python: &mut serde_json::Value) {
    for (key, job) in [
        ("io_bound", &figures.io_bound),
        ("cpu_bound", &figures.cpu_bound),
    ] {
        for model in ["sequential", "threads", "rayon", "processes", "tokio"] {
            if let Some(row) = python[key][model].as_object_mut()
                && let Some(speedup) = row.get("speedup").and_then(serde_json::Value::as_f64)
            {
                row.insert(
                    "rust_over_python".into(),
                    (job.row(model).speedup / speedup).into(),
                );
            }
        }
    }
    let s = &figures.startup;
    for (key, cost) in [
        ("thread", &s.thread),
        ("rayon_job", &s.rayon_job),
        ("process", &s.process),
        ("tokio_task", &s.tokio_task),
    ] {
        if let Some(row) = python["startup"][key].as_object_mut()
            && let Some(micros) = row.get("micros").and_then(serde_json::Value::as_f64)
        {
            row.insert("rust_over_python".into(), (cost.micros / micros).into());
        }
    }
    // The same kernel must give the same sum in both languages.
    if let Some(items) = python["cpu_bound"]["items"].as_u64() {
        let same = python["cpu_bound"]["checksum"].as_u64() == Some(jobs::kernel(0..items));
        python["cpu_bound"]["same_checksum_as_rust"] = same.into();
    }
}
