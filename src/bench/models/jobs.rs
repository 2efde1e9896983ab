//! The jobs the benchmark runs, and each concurrency model running them:
//! threads, a rayon pool, child processes (this binary in worker mode) and
//! tokio tasks.
use anyhow::Context;
use rayon::prelude::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::ops::Range;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The CPU-bound job: a 64-bit integer mix, summed. The Python script runs
/// the same function, so their checksums can be compared. It is
/// [`crate::measuring::mix_sum`], optimized even in a debug build: unoptimized, its
/// speed changed from one process to the next with its memory layout.
pub fn kernel(range: Range<u64>) -> u64 {
    crate::measuring::mix_sum(range)
}

/// `0..items` cut into `parts` contiguous ranges.
pub fn split(items: u64, parts: usize) -> Vec<Range<u64>> {
    let parts = parts.max(1) as u64;
    let step = items / parts;
    (0..parts)
        .map(|k| {
            k * step..if k == parts - 1 {
                items
            } else {
                (k + 1) * step
            }
        })
        .collect()
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Model {
    Threads,
    Rayon,
    Processes,
    Tokio,
}

pub const MODELS: [Model; 4] = [Model::Threads, Model::Rayon, Model::Processes, Model::Tokio];

impl Model {
    pub fn key(self) -> &'static str {
        match self {
            Model::Threads => "threads",
            Model::Rayon => "rayon",
            Model::Processes => "processes",
            Model::Tokio => "tokio",
        }
    }
}

/// The CPU job over `0..items` with `workers` units of `model`; returns the
/// checksum. Pools and runtimes are built by the caller, outside the timing.
pub struct Cpu<'a> {
    pub items: u64,
    pub workers: usize,
    pub pool: &'a rayon::ThreadPool,
    pub runtime: &'a tokio::runtime::Runtime,
}

impl Cpu<'_> {
    pub fn run(&self, model: Model) -> anyhow::Result<u64> {
        let parts = split(self.items, self.workers);
        Ok(match model {
            Model::Threads => std::thread::scope(|s| {
                let handles: Vec<_> = parts
                    .into_iter()
                    .map(|range| s.spawn(move || kernel(range)))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("kernel does not panic"))
                    .fold(0, u64::wrapping_add)
            }),
            // More pieces than threads, so a thread that the OS delays
            // does not hold up the end: rayon's work stealing evens it out.
            Model::Rayon => self.pool.install(|| {
                split(self.items, self.workers * 8)
                    .into_par_iter()
                    .map(kernel)
                    .reduce(|| 0, u64::wrapping_add)
            }),
            Model::Processes => {
                let children = parts
                    .iter()
                    .map(|r| worker(&format!("cpu:{}:{}", r.start, r.end)))
                    .collect::<anyhow::Result<Vec<_>>>()?;
                let mut total = 0u64;
                for child in children {
                    let out = finish(child)?;
                    total = total.wrapping_add(out.trim().parse()?);
                }
                total
            }
            // CPU work on tokio's worker threads runs in parallel, but blocks
            // those threads for any I/O task: real code uses spawn_blocking.
            Model::Tokio => self.runtime.block_on(async {
                let tasks: Vec<_> = parts
                    .into_iter()
                    .map(|range| tokio::spawn(async move { kernel(range) }))
                    .collect();
                let mut total = 0u64;
                for task in tasks {
                    total = total.wrapping_add(task.await.expect("kernel does not panic"));
                }
                total
            }),
        })
    }
}

/// The I/O-bound job: `waits` sleeps of `wait` each, as many at once as the
/// model allows (a thread, process or task per wait; rayon has its pool).
pub fn io(
    model: Model,
    waits: usize,
    wait: Duration,
    pool: &rayon::ThreadPool,
    runtime: &tokio::runtime::Runtime,
) -> anyhow::Result<()> {
    match model {
        Model::Threads => std::thread::scope(|s| {
            for _ in 0..waits {
                s.spawn(move || std::thread::sleep(wait));
            }
        }),
        Model::Rayon => pool.install(|| {
            (0..waits)
                .into_par_iter()
                .for_each(|_| std::thread::sleep(wait));
        }),
        Model::Processes => {
            let children = (0..waits)
                .map(|_| worker(&format!("sleep:{}", wait.as_micros())))
                .collect::<anyhow::Result<Vec<_>>>()?;
            for child in children {
                finish(child)?;
            }
        }
        Model::Tokio => runtime.block_on(async {
            let tasks: Vec<_> = (0..waits)
                .map(|_| tokio::spawn(tokio::time::sleep(wait)))
                .collect();
            for task in tasks {
                task.await.expect("sleep does not panic");
            }
        }),
    }
    Ok(())
}

/// Tiny jobs: `items` units of almost no work, one unit of the model each.
pub fn tiny(
    model: Model,
    items: u64,
    pool: &rayon::ThreadPool,
    runtime: &tokio::runtime::Runtime,
) -> anyhow::Result<u64> {
    let one = |i: u64| kernel(i * 64..i * 64 + 64);
    Ok(match model {
        Model::Threads => {
            let handles: Vec<_> = (0..items)
                .map(|i| std::thread::spawn(move || one(i)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("no panic"))
                .fold(0, u64::wrapping_add)
        }
        Model::Rayon => pool.install(|| {
            (0..items as usize)
                .into_par_iter()
                .with_max_len(1)
                .map(|i| one(i as u64))
                .reduce(|| 0, u64::wrapping_add)
        }),
        Model::Processes => {
            // A process per item, but only a few alive at once: thousands of
            // simultaneous processes would measure the kernel's limits.
            let batch = 2 * std::thread::available_parallelism().map_or(1, usize::from);
            let mut total = 0u64;
            let all: Vec<u64> = (0..items).collect();
            for chunk in all.chunks(batch) {
                let children = chunk
                    .iter()
                    .map(|i| worker(&format!("cpu:{}:{}", i * 64, i * 64 + 64)))
                    .collect::<anyhow::Result<Vec<_>>>()?;
                for child in children {
                    total = total.wrapping_add(finish(child)?.trim().parse()?);
                }
            }
            total
        }
        Model::Tokio => runtime.block_on(async {
            let tasks: Vec<_> = (0..items)
                .map(|i| tokio::spawn(async move { one(i) }))
                .collect();
            let mut total = 0u64;
            for task in tasks {
                total = total.wrapping_add(task.await.expect("no panic"));
            }
            total
        }),
    })
}

/// Microseconds to start one unit and wait for it to end, averaged.
pub fn startup(
    model: Model,
    samples: u32,
    pool: &rayon::ThreadPool,
    runtime: &tokio::runtime::Runtime,
) -> anyhow::Result<f64> {
    let started = Instant::now();
    match model {
        Model::Threads => {
            for _ in 0..samples {
                std::thread::spawn(|| ()).join().expect("empty thread");
            }
        }
        Model::Rayon => {
            let (tx, rx) = std::sync::mpsc::channel();
            for _ in 0..samples {
                let tx = tx.clone();
                pool.spawn(move || tx.send(()).expect("receiver alive"));
                rx.recv_timeout(Duration::from_secs(10))?;
            }
        }
        Model::Processes => {
            for _ in 0..samples {
                finish(worker("noop")?)?;
            }
        }
        Model::Tokio => runtime.block_on(async {
            for _ in 0..samples {
                tokio::spawn(async {}).await.expect("empty task");
            }
        }),
    }
    Ok(started.elapsed().as_secs_f64() * 1e6 / f64::from(samples))
}

/// Starts this binary as a worker of the process model: `bench --worker SPEC`.
pub fn worker(spec: &str) -> anyhow::Result<Child> {
    // On Linux `/proc/self/exe` is this very binary even if a rebuild has
    // replaced the file on disk meanwhile; `current_exe` would name the new
    // (or a missing) file.
    let exe = match std::path::Path::new("/proc/self/exe") {
        proc if proc.exists() => proc.to_path_buf(),
        _ => std::env::current_exe()?,
    };
    Command::new(exe)
        .args(["bench", "--worker", spec])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .env_remove("WORKBOOK_TRACE")
        .spawn()
        .context("starting a worker process")
}

/// Waits for a worker and returns what it printed; an error if it failed.
pub fn finish(mut child: Child) -> anyhow::Result<String> {
    drop(child.stdin.take());
    let mut out = String::new();
    if let Some(mut stdout) = child.stdout.take() {
        stdout.read_to_string(&mut out)?;
    }
    let status = child.wait()?;
    anyhow::ensure!(status.success(), "a worker process failed: {status}");
    Ok(out)
}

/// Waits until a `park` worker says it is ready (it then idles until its
/// stdin closes), so its memory can be read while it exists.
pub fn wait_ready(child: &mut Child) -> anyhow::Result<()> {
    let stdout = child
        .stdout
        .as_mut()
        .ok_or_else(|| anyhow::anyhow!("no stdout"))?;
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line)?;
    anyhow::ensure!(line.trim() == "ready", "worker said {line:?}");
    Ok(())
}

/// The worker side: what `workbook bench --worker SPEC` does.
pub fn run_worker(spec: &str) -> anyhow::Result<()> {
    let parts: Vec<&str> = spec.split(':').collect();
    match parts[..] {
        ["noop"] => {}
        ["flood", seconds] => {
            crate::bench::flood::producer::produce(seconds.parse()?);
        }
        ["cpu", start, end] => println!("{}", kernel(start.parse()?..end.parse()?)),
        ["sleep", micros] => std::thread::sleep(Duration::from_micros(micros.parse()?)),
        ["park"] => {
            // Idle until the parent closes stdin, and never longer than a
            // minute, so an abandoned worker cannot linger.
            std::thread::spawn(|| {
                std::thread::sleep(Duration::from_secs(60));
                std::process::exit(0);
            });
            println!("ready");
            std::io::stdout().flush()?;
            let _ = std::io::stdin().read_to_end(&mut Vec::new());
        }
        _ => anyhow::bail!("unknown worker spec {spec:?}"),
    }
    Ok(())
}
