//! Finding and ending a supervised process's whole tree.
//!
//! A tree is found three ways, because each alone misses something:
//! - its process group (the child was started as the leader of a new one);
//! - its descendants by parent pid, while the chain still reaches the child;
//! - its tag: every supervised child gets a token in the environment variable
//!   [`TAG_VAR`], which its children inherit, so a grandchild that called
//!   `setsid()` (new group, new session) and was reparented when its parent
//!   died is still recognised.
//!
//! The workbook is a child subreaper ([`become_subreaper`]): orphans of a
//! supervised tree are reparented to it rather than to init, so it can reap
//! the strays it kills.
use nix::sys::signal::{Signal, kill, killpg};
use nix::sys::wait::waitpid;
use nix::unistd::Pid;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;

/// The environment variable that carries the tags of the supervised trees a
/// process belongs to (space-separated: supervisors can nest).
pub const TAG_VAR: &str = "WORKBOOK_SUPERVISED";

/// How many times the tree is searched again after a signal, in case a
/// process forked between the search and the signal.
const PASSES: usize = 20;

/// Makes this process the reaper of its orphaned descendants
/// (`PR_SET_CHILD_SUBREAPER`). Calling it again is harmless.
pub fn become_subreaper() {
    let _ = nix::sys::prctl::set_child_subreaper(true);
}

/// One process as `/proc/PID/stat` describes it.
#[derive(Debug, Clone, Copy)]
struct Proc {
    parent: i32,
    group: i32,
    zombie: bool,
    /// When it started, in clock ticks since boot.
    started: u64,
}

/// What to look for: the child's pid (also its group id) and its tag.
#[derive(Debug, Clone)]
pub struct TreeId {
    pub root: i32,
    pub tag: String,
    /// When the root started (clock ticks since boot), 0 if unknown: a
    /// process that started before it cannot be of its tree, so its
    /// environment is not read for the tag (reading every process's
    /// environment was most of the cost of ending a run).
    pub started: u64,
}

impl TreeId {
    /// The tree of the child `root`, just spawned.
    pub fn new(root: i32, tag: String) -> TreeId {
        let started = read_stat(root).map_or(0, |p| p.started);
        TreeId { root, tag, started }
    }
}

impl TreeId {
    /// Every live process of the tree except the root itself; whether the
    /// root is still alive (not a zombie); and the tree's zombies that are
    /// this process's children (strays reparented to it) to reap.
    fn members(&self) -> (BTreeSet<i32>, bool, BTreeSet<i32>) {
        let procs = scan();
        let me = std::process::id() as i32;
        let mut alive = BTreeSet::new();
        let mut zombies = BTreeSet::new();
        for (&pid, proc) in &procs {
            if pid == me || pid == self.root {
                continue;
            }
            if proc.zombie {
                // A zombie's environment is gone: only its group tells.
                if proc.parent == me && proc.group == self.root {
                    zombies.insert(pid);
                }
            } else if proc.group == self.root
                || descends_from(pid, self.root, &procs)
                || (proc.started >= self.started && has_tag(pid, &self.tag))
            {
                alive.insert(pid);
            }
        }
        let root_alive = procs.get(&self.root).is_some_and(|p| !p.zombie);
        (alive, root_alive, zombies)
    }

    /// The live processes of the tree other than the root.
    pub fn strays(&self) -> BTreeSet<i32> {
        self.members().0
    }

    /// Kills the whole tree with SIGKILL and reaps what this process may
    /// reap, except the root, whose owner reaps it. Returns how many
    /// processes other than the root were killed.
    pub fn kill(&self) -> usize {
        let (killed, mut to_reap) = self.signal_all(Signal::SIGKILL);
        to_reap.extend(killed.iter().copied());
        reap(&to_reap);
        killed.len()
    }

    /// Stops every process of the tree with SIGSTOP (which no process can
    /// catch or ignore): a frozen run. Returns how many processes other
    /// than the root were stopped.
    pub fn freeze(&self) -> usize {
        self.signal_all(Signal::SIGSTOP).0.len()
    }

    /// Continues every process of the tree (SIGCONT) after [`TreeId::freeze`].
    pub fn resume(&self) -> usize {
        self.signal_all(Signal::SIGCONT).0.len()
    }

    /// Sends `signal` to the group, the root and every member, searching
    /// again while a search finds a process the last one did not (it
    /// forked between the search and the signal). Returns the members
    /// reached (the root left out) and the tree's zombies ours to reap.
    fn signal_all(&self, signal: Signal) -> (BTreeSet<i32>, BTreeSet<i32>) {
        let mut reached = BTreeSet::new();
        let mut zombies = BTreeSet::new();
        for _ in 0..PASSES {
            // Look first, then signal: what changes after the look is still known.
            let (members, root_alive, found_zombies) = self.members();
            zombies.extend(found_zombies);
            let _ = killpg(Pid::from_raw(self.root), signal);
            if root_alive {
                let _ = kill(Pid::from_raw(self.root), signal);
            }
            for &pid in &members {
                let _ = kill(Pid::from_raw(pid), signal);
            }
            // Signalled processes show up again (dying ones until they are
            // zombies); only a process not seen before needs another pass.
            let before = reached.len();
            reached.extend(members);
            if reached.len() == before {
                break;
            }
        }
        (reached, zombies)
    }
}

/// Reaps the killed processes that are this process's children (strays
/// reparented to it as subreaper). Others belong to someone else: waitpid
/// says so at once. Two rounds, because a stray becomes ours only when its
/// parent, also killed, has finished exiting.
fn reap(killed: &BTreeSet<i32>) {
    let mut left: Vec<i32> = killed.iter().copied().collect();
    for _ in 0..2 {
        left.retain(|&pid| waitpid(Pid::from_raw(pid), None).is_err());
    }
}

/// Every process on the machine that can be read.
fn scan() -> BTreeMap<i32, Proc> {
    let mut procs = BTreeMap::new();
    let Ok(entries) = fs::read_dir("/proc") else {
        return procs;
    };
    for entry in entries.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse().ok()) else {
            continue;
        };
        if let Some(proc) = read_stat(pid) {
            procs.insert(pid, proc);
        }
    }
    procs
}

fn read_stat(pid: i32) -> Option<Proc> {
    let stat = crate::procfs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The name is in parentheses and may contain spaces: read after the last ')'.
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut fields = rest.split_whitespace();
    let state = fields.next()?;
    let parent = fields.next()?.parse().ok()?;
    let group = fields.next()?.parse().ok()?;
    // The next field is the 6th (session); starttime is the 22nd.
    let started = fields.nth(16)?.parse().ok()?;
    Some(Proc {
        parent,
        group,
        zombie: state == "Z" || state == "X",
        started,
    })
}

fn descends_from(mut pid: i32, root: i32, procs: &BTreeMap<i32, Proc>) -> bool {
    for _ in 0..procs.len() {
        match procs.get(&pid) {
            Some(proc) if proc.parent == root => return true,
            Some(proc) if proc.parent > 1 => pid = proc.parent,
            _ => return false,
        }
    }
    false
}

fn has_tag(pid: i32, tag: &str) -> bool {
    let Ok(environ) = crate::procfs::read(format!("/proc/{pid}/environ")) else {
        return false;
    };
    let prefix = format!("{TAG_VAR}=");
    environ
        .split(|&b| b == 0)
        .filter_map(|entry| entry.strip_prefix(prefix.as_bytes()))
        .any(|value| value.split(|&b| b == b' ').any(|t| t == tag.as_bytes()))
}

/// The tag list a new child inherits: this process's own tags plus `tag`.
pub fn tags_with(tag: &str) -> String {
    match std::env::var(TAG_VAR) {
        Ok(mine) if !mine.is_empty() => format!("{mine} {tag}"),
        _ => tag.to_string(),
    }
}

/// Whether `pid` is alive (a zombie is not).
pub fn alive(pid: i32) -> bool {
    read_stat(pid).is_some_and(|p| !p.zombie)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_this_process() {
        let me = read_stat(std::process::id() as i32).unwrap();
        assert!(!me.zombie);
        assert!(me.parent > 0);
        // starttime, counted another way: the 20th field after the name.
        let stat = fs::read_to_string("/proc/self/stat").unwrap();
        let after_name: Vec<&str> = stat[stat.rfind(')').unwrap() + 1..]
            .split_whitespace()
            .collect();
        assert_eq!(me.started.to_string(), after_name[19]);
        // A child starts no earlier than its parent.
        let mut child = std::process::Command::new("sleep")
            .arg("5")
            .spawn()
            .unwrap();
        let started = TreeId::new(child.id() as i32, String::new()).started;
        let _ = child.kill();
        let _ = child.wait();
        assert!(started >= me.started && started > 0, "{started} {me:?}");
    }

    #[test]
    fn tags_are_matched_whole() {
        // This test process has no tag; a made-up one is not found.
        assert!(!has_tag(std::process::id() as i32, "no-such-tag"));
    }
}
