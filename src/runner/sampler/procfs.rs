//! Reading /proc for the sampler: a thread's files kept open and read
//! again with `pread`, a process's thread count, name and command line.
use super::{parse_schedstat, parse_stat};
use std::collections::HashMap;
use std::fs::File;
use std::os::unix::fs::FileExt;

/// New threads opened per round: a storm of short-lived threads (lesson
/// 01's `too_many_threads` starts 2,000) costs a bounded amount per round,
/// and threads that die before their turn cost nothing.
const NEW_THREADS_PER_ROUND: usize = 64;

/// One thread's open files and what was last sent about it.
pub struct ThreadFiles {
    pub schedstat: File,
    pub stat: File,
    pub comm: String,
    pub state: u8,
}
/// The process a task belongs to (`Tgid` in its status).
pub fn thread_group(pid: u32) -> Option<u32> {
    let status = supervisor::procfs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("Tgid:"))?
        .trim()
        .parse()
        .ok()
}

/// The program and its arguments, as the process was started: what tells
/// the workers of a pool apart.
pub fn command_line(pid: u32) -> Option<String> {
    let raw = supervisor::procfs::read(format!("/proc/{pid}/cmdline")).ok()?;
    let words: Vec<String> = raw
        .split(|&b| b == 0)
        .filter(|w| !w.is_empty())
        .map(|w| String::from_utf8_lossy(w).into_owned())
        .collect();
    let (exe, args) = words.split_first()?;
    let exe = exe.rsplit('/').next().unwrap_or(exe);
    Some(
        std::iter::once(exe.to_string())
            .chain(args.iter().cloned())
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// Opens files for threads of `pid` not yet known, a bounded number a
/// round. Returns whether it opened every one it found.
pub fn list_threads(pid: u32, threads: &mut HashMap<u32, ThreadFiles>) -> bool {
    let Ok(dir) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return true;
    };
    let mut opened = 0;
    for entry in dir.flatten() {
        let Some(tid) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        if threads.contains_key(&tid) {
            continue;
        }
        if opened == NEW_THREADS_PER_ROUND {
            return false;
        }
        let base = format!("/proc/{pid}/task/{tid}");
        if let (Ok(schedstat), Ok(stat)) = (
            File::open(format!("{base}/schedstat")),
            File::open(format!("{base}/stat")),
        ) {
            opened += 1;
            threads.insert(
                tid,
                ThreadFiles {
                    schedstat,
                    stat,
                    comm: String::new(),
                    state: b'?',
                },
            );
        }
    }
    true
}

/// A thread's totals on a CPU and queued; `None` once it is gone.
pub fn read_schedstat(files: &ThreadFiles, buf: &mut [u8]) -> Option<(u64, u64)> {
    let n = files.schedstat.read_at(buf, 0).ok().filter(|&n| n > 0)?;
    parse_schedstat(std::str::from_utf8(&buf[..n]).ok()?)
}

/// A thread's name and state letter; `None` once it is gone.
pub fn read_stat_line<'b>(files: &ThreadFiles, buf: &'b mut [u8]) -> Option<(&'b str, u8)> {
    let n = files.stat.read_at(buf, 0).ok().filter(|&n| n > 0)?;
    let (comm, state, _, _) = parse_stat(std::str::from_utf8(&buf[..n]).ok()?)?;
    Some((comm, state))
}

/// A process's thread count (field 20 of its `stat`).
pub fn read_num_threads(stat: &File, buf: &mut [u8]) -> Option<usize> {
    let n = stat.read_at(buf, 0).ok().filter(|&n| n > 0)?;
    let text = std::str::from_utf8(&buf[..n]).ok()?;
    // After the name's ')': state is field 3, so num_threads is the 18th.
    text[text.rfind(')')? + 1..]
        .split_ascii_whitespace()
        .nth(17)?
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_thread_count_is_read() {
        let Ok(stat) = File::open("/proc/self/stat") else {
            return; // no /proc here
        };
        let n = read_num_threads(&stat, &mut [0; 1024]).expect("a thread count");
        assert!(n >= 1);
        let me = std::process::id();
        assert_eq!(thread_group(me), Some(me));
        let tid = std::thread::spawn(nix::unistd::gettid).join().unwrap();
        // The thread is gone, its id may be too: only a live answer counts.
        if let Some(tgid) = thread_group(tid.as_raw() as u32) {
            assert!(tgid == me || tgid == tid.as_raw() as u32);
        }
    }
}
