//! Lesson 09: an example lesson, used by the TUI's tests.
use std::thread;

// ── spawn_join ──
// Start a thread, then wait for it with join.
// Timeline: two lanes, main waits on worker-1.
fn spawn_join() {
    let worker = thread::Builder::new()
        .name("worker-1".into())
        .spawn(|| (1..=10).sum::<u32>())
        .unwrap();
    println!("sum = {}", worker.join().unwrap());
}

// ── scoped ──
// Scoped threads borrow from the caller.
// Timeline: three lanes that start and end inside main's span.
fn scoped() {
    let data = [1, 2, 3];
    thread::scope(|s| {
        for x in &data {
            s.spawn(move || println!("{x}"));
        }
    });
}

fn main() {
    spawn_join();
    scoped();
}
