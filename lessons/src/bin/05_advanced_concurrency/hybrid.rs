//! Both halves of the `hybrid` demo: the parent starts this same program as
//! `05_advanced_concurrency worker threads|async`, and the child side does
//! its job inside one process, with a thread pool or an async runtime.
//!
//! The parent never leaves a child behind: each lives in a [`KillOnDrop`],
//! and every wait has a deadline.
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use tracing::{Instrument, info_span};

/// `05_advanced_concurrency worker <kind>`: starts this program in worker mode.
pub fn spawn_worker(kind: &str) -> std::io::Result<KillOnDrop> {
    let exe = std::env::current_exe()?;
    let child = Command::new(exe)
        .args(["worker", kind])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()?;
    Ok(KillOnDrop(child))
}

/// A child that is killed and reaped when dropped, on every path out.
pub struct KillOnDrop(pub Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
        }
        let _ = self.0.wait();
    }
}

impl KillOnDrop {
    /// Reads the child's stdout on a thread of its own, one line at a time,
    /// so the parent can wait for a line with a deadline.
    pub fn lines(&mut self) -> mpsc::Receiver<String> {
        let (tx, rx) = mpsc::channel();
        if let Some(stdout) = self.0.stdout.take() {
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            });
        }
        rx
    }

    /// Waits up to `limit` for the child to exit; `false` if it is still running.
    pub fn wait_until(&mut self, deadline: Instant) -> bool {
        loop {
            match self.0.try_wait() {
                Ok(Some(_)) | Err(_) => return true,
                Ok(None) if Instant::now() >= deadline => return false,
                Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            }
        }
    }
}

/// The child's side. Prints one `result ...` line and exits.
pub fn worker_main(args: &[String]) -> ExitCode {
    let started = Instant::now();
    match args.first().map(String::as_str) {
        Some("threads") => {
            // CPU-bound: a thread pool of two, one per core of the test machine.
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(2)
                .thread_name(|i| format!("pool-{i}"))
                .build()
                .expect("a rayon pool");
            let sum: u64 = pool.install(|| {
                use rayon::prelude::*;
                (0..8_u64)
                    .into_par_iter()
                    .map(|chunk| {
                        let _work = info_span!("chunk", chunk).entered();
                        (chunk * 1_000_000..(chunk + 1) * 1_000_000)
                            .map(|x| x % 7)
                            .sum::<u64>()
                    })
                    .sum()
            });
            println!(
                "result threads: sum {sum} from 8 chunks on 2 pool threads in {} ms",
                started.elapsed().as_millis()
            );
        }
        Some("async") => {
            // I/O-bound: 20 concurrent "requests" on one thread.
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a tokio runtime");
            let done = runtime.block_on(async {
                let mut tasks = tokio::task::JoinSet::new();
                for id in 0..20_u64 {
                    let request = async move {
                        tokio::time::sleep(Duration::from_millis(20 + id % 5 * 5))
                            .instrument(info_span!("io", waiting_on = "the server"))
                            .await;
                        id
                    };
                    tasks.spawn(
                        request.instrument(info_span!("request", task = %format!("request {id}"))),
                    );
                }
                tasks.join_all().await.len()
            });
            println!(
                "result async: {done} requests of 20-40 ms on one thread in {} ms",
                started.elapsed().as_millis()
            );
        }
        other => {
            eprintln!("unknown worker kind {other:?}; expected `threads` or `async`");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
