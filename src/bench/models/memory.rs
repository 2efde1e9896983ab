//! Memory per unit: how much resident memory one more idle thread, task or
//! process costs. Read from `/proc` (Linux); elsewhere the figures are absent.
use super::jobs;
use serde::Serialize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

#[derive(Serialize, Default)]
pub struct Memory {
    /// Resident memory added per idle thread, KiB (its stack is reserved as
    /// 2 MiB of address space, but only touched pages count).
    pub thread: Option<Figure>,
    /// Per thread of a freshly built rayon pool, KiB.
    pub rayon_pool_thread: Option<Figure>,
    /// Per idle child process: resident (RSS) and proportional (PSS, shared
    /// pages divided among the processes sharing them), KiB.
    pub process: Option<ProcessFigure>,
    /// Per pending tokio task, in bytes rather than KiB.
    pub tokio_task: Option<TaskFigure>,
}

#[derive(Serialize, Clone, Copy)]
pub struct Figure {
    pub kib: f64,
    pub units: usize,
}

#[derive(Serialize, Clone, Copy)]
pub struct ProcessFigure {
    pub rss_kib: f64,
    pub pss_kib: Option<f64>,
    pub units: usize,
}

#[derive(Serialize, Clone, Copy)]
pub struct TaskFigure {
    pub bytes: f64,
    pub units: usize,
}

/// A field of `/proc/<pid>/<file>` in KiB, e.g. `VmRSS` or `Pss`.
fn proc_kib(pid: &str, file: &str, field: &str) -> Option<f64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/{file}")).ok()?;
    text.lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
}

fn rss_kib() -> Option<f64> {
    proc_kib("self", "status", "VmRSS")
}

pub fn threads(units: usize) -> Option<Figure> {
    let before = rss_kib()?;
    let started = Arc::new(Barrier::new(units + 1));
    let release = Arc::new(Barrier::new(units + 1));
    let handles: Vec<_> = (0..units)
        .map(|_| {
            let (started, release) = (started.clone(), release.clone());
            std::thread::spawn(move || {
                started.wait();
                release.wait();
            })
        })
        .collect();
    started.wait();
    let during = rss_kib();
    release.wait();
    for handle in handles {
        let _ = handle.join();
    }
    Some(Figure {
        kib: (during? - before) / units as f64,
        units,
    })
}

pub fn rayon_pool(threads: usize) -> Option<Figure> {
    let before = rss_kib()?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .ok()?;
    // Make sure every thread has started and run something.
    pool.broadcast(|_| ());
    let during = rss_kib()?;
    drop(pool);
    Some(Figure {
        kib: (during - before) / threads as f64,
        units: threads,
    })
}

pub fn tokio_tasks(units: usize, runtime: &tokio::runtime::Runtime) -> Option<TaskFigure> {
    let before = rss_kib()?;
    let gate = Arc::new(tokio::sync::Semaphore::new(0));
    let polled = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..units)
        .map(|_| {
            let (gate, polled) = (gate.clone(), polled.clone());
            // Pending until the gate closes: an idle task, like one waiting on a socket.
            runtime.spawn(async move {
                polled.fetch_add(1, Ordering::Relaxed);
                gate.acquire().await.is_err()
            })
        })
        .collect();
    // Measure once every task has been polled and is really waiting.
    let deadline = Instant::now() + Duration::from_secs(5);
    while polled.load(Ordering::Relaxed) < units && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(1));
    }
    let during = rss_kib();
    gate.close();
    runtime.block_on(async {
        for task in tasks {
            let _ = task.await;
        }
    });
    Some(TaskFigure {
        bytes: (during? - before) * 1024.0 / units as f64,
        units,
    })
}

pub fn processes(units: usize) -> Option<ProcessFigure> {
    let mut children = Vec::new();
    for _ in 0..units {
        let mut child = jobs::worker("park").ok()?;
        if jobs::wait_ready(&mut child).is_err() {
            let _ = child.kill();
            let _ = child.wait();
            break;
        }
        children.push(child);
    }
    let measure = |file, field| -> Option<f64> {
        let values: Option<Vec<f64>> = children
            .iter()
            .map(|c| proc_kib(&c.id().to_string(), file, field))
            .collect();
        let values = values?;
        (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
    };
    let rss = measure("status", "VmRSS");
    let pss = measure("smaps_rollup", "Pss");
    let count = children.len();
    for child in children {
        let _ = jobs::finish(child);
    }
    Some(ProcessFigure {
        rss_kib: rss?,
        pss_kib: pss,
        units: count,
    })
}
