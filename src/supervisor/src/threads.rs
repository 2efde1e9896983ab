//! Who waits in a process that does not finish: each thread's name, state and
//! the kernel function it sleeps in (`/proc/PID/task/*/{comm,stat,wchan}`),
//! told as a sentence: "5 threads blocked on a lock, condition variable,
//! channel or join: philosopher-0, ...; no thread running".
use std::collections::BTreeMap;
use std::fs;

/// One thread of a process, as the kernel shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadState {
    pub tid: i32,
    pub name: String,
    /// `R` running, `S` sleeping, `D` in uninterruptible wait, `T` stopped...
    pub state: char,
    /// The kernel function the thread waits in, or empty.
    pub wchan: String,
}

/// The threads of `pid`, main thread first.
pub fn threads(pid: u32) -> Vec<ThreadState> {
    let Ok(entries) = fs::read_dir(format!("/proc/{pid}/task")) else {
        return Vec::new();
    };
    let mut found: Vec<ThreadState> = entries
        .flatten()
        .filter_map(|entry| {
            let tid: i32 = entry.file_name().to_str()?.parse().ok()?;
            let dir = entry.path();
            let name = fs::read_to_string(dir.join("comm"))
                .ok()?
                .trim()
                .to_string();
            let stat = fs::read_to_string(dir.join("stat")).ok()?;
            let state = stat[stat.rfind(')')? + 1..].trim_start().chars().next()?;
            let wchan = fs::read_to_string(dir.join("wchan")).unwrap_or_default();
            let wchan = if wchan.trim() == "0" {
                String::new()
            } else {
                wchan.trim().to_string()
            };
            Some(ThreadState {
                tid,
                name,
                state,
                wchan,
            })
        })
        .collect();
    found.sort_by_key(|t| t.tid);
    found
}

/// What a thread is doing, in words.
fn activity(thread: &ThreadState) -> String {
    let wchan = thread.wchan.as_str();
    let what = match thread.state {
        'R' => "running",
        'T' | 't' => "stopped",
        'Z' | 'X' => "exited",
        _ if wchan.contains("futex") => "blocked on a lock, condition variable, channel or join",
        _ if wchan.contains("epoll") || wchan.contains("ep_poll") => {
            "waiting for I/O events (an idle async runtime or event loop)"
        }
        _ if wchan.contains("nanosleep") => "sleeping",
        _ if wchan.contains("pipe") => "waiting on a pipe",
        _ if wchan.contains("do_wait") || wchan.contains("wait4") => "waiting for a child process",
        _ if wchan.contains("accept") => "waiting for a connection",
        _ if wchan.contains("sk_wait") || wchan.contains("wait_woken") || wchan.contains("tcp") => {
            "waiting for network data"
        }
        _ if wchan.contains("poll") || wchan.contains("select") => "waiting in poll",
        _ if wchan.is_empty() => "waiting",
        _ => return format!("waiting in the kernel's {wchan}"),
    };
    what.to_string()
}

/// "3 threads blocked on a lock, condition variable, channel or join:
/// philosopher-0, philosopher-1, philosopher-2; no thread running".
/// The main thread (libtest's, waiting for the test) is left out when there
/// are others; `test` names the test thread, whose name the kernel cuts.
pub fn describe(pid: u32, test: Option<&str>) -> String {
    let all = threads(pid);
    if all.is_empty() {
        return "its threads could not be read".to_string();
    }
    let shown: Vec<&ThreadState> = if all.len() > 1 {
        all.iter().filter(|t| t.tid != pid as i32).collect()
    } else {
        all.iter().collect()
    };
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for thread in &shown {
        let name = match test {
            Some(test) if !thread.name.is_empty() && test.starts_with(&thread.name) => {
                "the test's own thread".to_string()
            }
            _ => thread.name.clone(),
        };
        groups.entry(activity(thread)).or_default().push(name);
    }
    let running = groups.contains_key("running");
    let mut parts: Vec<String> = groups
        .into_iter()
        .map(|(what, names)| {
            let count = names.len();
            let noun = if count == 1 { "thread" } else { "threads" };
            format!("{count} {noun} {what}: {}", list(&names))
        })
        .collect();
    if !running {
        parts.push("no thread running".to_string());
    }
    parts.join("; ")
}

/// At most eight names, then how many more.
fn list(names: &[String]) -> String {
    const SHOWN: usize = 8;
    let text = names
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    match names.len().checked_sub(SHOWN) {
        Some(more) if more > 0 => format!("{text} and {more} more"),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Barrier, Mutex};

    #[test]
    fn names_the_threads_that_wait_on_a_lock() {
        let lock = Arc::new(Mutex::new(()));
        let held = lock.lock().unwrap();
        let started = Arc::new(Barrier::new(3));
        let waiters: Vec<_> = (0..2)
            .map(|i| {
                let (lock, started) = (lock.clone(), started.clone());
                std::thread::Builder::new()
                    .name(format!("waiter-{i}"))
                    .spawn(move || {
                        started.wait();
                        drop(lock.lock().unwrap());
                    })
                    .unwrap()
            })
            .collect();
        started.wait();
        // Poll until both sleep in the kernel: being scheduled takes a moment
        // on a busy machine, and there is no event for "now blocked".
        let mut text = String::new();
        for _ in 0..500 {
            text = describe(std::process::id(), None);
            if both_blocked(&text) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        drop(held);
        for waiter in waiters {
            waiter.join().unwrap();
        }
        assert!(both_blocked(&text), "{text}");
    }

    /// Other tests of this binary may be blocked too: look for the group.
    fn both_blocked(text: &str) -> bool {
        text.split("; ").any(|group| {
            group.contains("blocked on a lock, condition variable, channel or join:")
                && group.contains("waiter-0")
                && group.contains("waiter-1")
        })
    }

    #[test]
    fn long_lists_are_cut() {
        let names: Vec<String> = (0..10).map(|i| format!("t{i}")).collect();
        assert_eq!(list(&names), "t0, t1, t2, t3, t4, t5, t6, t7 and 2 more");
    }
}
