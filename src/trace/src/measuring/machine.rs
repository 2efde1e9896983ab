//! How busy the machine was while measuring, from `/proc`: the load
//! average, the CPU time other programs used (all CPU time in `/proc/stat`
//! less this process's and its reaped children's in `/proc/self/stat`), and
//! the time the hypervisor stole (`steal` in `/proc/stat`).
use super::Summary;
use serde::Serialize;
use std::time::Instant;

/// Other programs using more than this many cores on average make the
/// machine busy.
const BUSY_CORES: f64 = 0.25;
/// Stolen CPU time above this share makes the machine busy.
const BUSY_STEAL: f64 = 0.02;

/// Started before measuring; [`Watch::finish`] says what the machine did.
pub struct Watch {
    started: Instant,
    load_before: Option<f64>,
    cpu: Option<CpuTicks>,
    own: Option<u64>,
}

/// The machine while a figure was measured.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Conditions {
    pub cores: usize,
    /// The 1-minute load average before and after (it lags: a minute's
    /// average, this program included).
    pub load_average: Option<[f64; 2]>,
    /// Cores' worth of CPU time other programs used while measuring.
    pub other_programs_cores: Option<f64>,
    /// Share of all CPU time the hypervisor gave to other machines.
    pub steal_fraction: Option<f64>,
    pub seconds: f64,
    /// Built with optimizations.
    pub optimized: bool,
}

#[derive(Clone, Copy)]
struct CpuTicks {
    busy: u64,
    total: u64,
    steal: u64,
}

impl Watch {
    pub fn start() -> Watch {
        Watch {
            started: Instant::now(),
            load_before: load_average(),
            cpu: cpu_ticks(),
            own: own_ticks(),
        }
    }

    pub fn finish(&self) -> Conditions {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let seconds = self.started.elapsed().as_secs_f64();
        let (mut others, mut steal) = (None, None);
        if let (Some(a), Some(b)) = (self.cpu, cpu_ticks()) {
            let total = b.total.saturating_sub(a.total);
            if total > 0 {
                steal = Some(b.steal.saturating_sub(a.steal) as f64 / total as f64);
                if let (Some(own_a), Some(own_b)) = (self.own, own_ticks()) {
                    let busy = b.busy.saturating_sub(a.busy);
                    let own = own_b.saturating_sub(own_a);
                    // Ticks of all cores; `total / cores` ticks is the wall time.
                    let wall_ticks = total as f64 / cores as f64;
                    others = Some(busy.saturating_sub(own) as f64 / wall_ticks);
                }
            }
        }
        Conditions {
            cores,
            load_average: self.load_before.zip(load_average()).map(|(a, b)| [a, b]),
            other_programs_cores: others,
            steal_fraction: steal,
            seconds,
            optimized: !cfg!(debug_assertions),
        }
    }
}

impl Conditions {
    /// The machine was shared enough to move the figures.
    pub fn busy(&self) -> bool {
        self.other_programs_cores.is_some_and(|c| c > BUSY_CORES)
            || self.steal_fraction.is_some_and(|s| s > BUSY_STEAL)
    }

    /// `load average 0.42, quiet` or `load average 2.10, busy`.
    pub fn brief(&self) -> String {
        let load = self.load_average.map_or_else(
            || "load average unknown".into(),
            |[a, _]| format!("load average {a:.2}"),
        );
        let state = if self.busy() { "busy" } else { "quiet" };
        format!("{load}, {state}")
    }

    /// Every measured fact, for a report's header.
    pub fn describe(&self) -> String {
        let mut parts = vec![format!("{} cores", self.cores)];
        if let Some([a, b]) = self.load_average {
            parts.push(format!("load average {a:.2} before, {b:.2} after"));
        }
        if let Some(c) = self.other_programs_cores {
            parts.push(format!("other programs used {c:.2} cores"));
        }
        if let Some(s) = self.steal_fraction {
            parts.push(format!("steal {:.1}%", s * 100.0));
        }
        parts.join(", ")
    }

    /// Words for a reader when the figures should not be trusted as they
    /// stand: a busy machine, a wide spread, or an unoptimized build.
    pub fn caution(&self, figures: &[&Summary]) -> Option<String> {
        let mut why = Vec::new();
        if let Some(c) = self.other_programs_cores.filter(|&c| c > BUSY_CORES) {
            why.push(format!(
                "other programs kept {c:.1} of the {} cores busy",
                self.cores
            ));
        }
        if let Some(s) = self.steal_fraction.filter(|&s| s > BUSY_STEAL) {
            why.push(format!(
                "the hypervisor took {:.0}% of the CPU time",
                s * 100.0
            ));
        }
        if let Some(wide) = figures.iter().find(|s| s.is_wide()) {
            why.push(format!(
                "runs spread from {:.2} to {:.2} around a median of {:.2}",
                wide.min, wide.max, wide.median
            ));
        }
        if why.is_empty() {
            return None;
        }
        Some(format!(
            "Noisy: {}. These figures are not this machine's best; run again when it is quieter.",
            why.join("; ")
        ))
    }
}

fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// The `cpu` line of `/proc/stat`: user nice system idle iowait irq softirq
/// steal guest `guest_nice`, in clock ticks (guest time is inside user).
fn cpu_ticks() -> Option<CpuTicks> {
    parse_cpu_line(std::fs::read_to_string("/proc/stat").ok()?.lines().next()?)
}

fn parse_cpu_line(line: &str) -> Option<CpuTicks> {
    let mut words = line.split_whitespace();
    if words.next()? != "cpu" {
        return None;
    }
    let t: Vec<u64> = words
        .take(8)
        .map(|w| w.parse().ok())
        .collect::<Option<_>>()?;
    if t.len() < 8 {
        return None;
    }
    let (idle, steal) = (t[3] + t[4], t[7]);
    let total: u64 = t.iter().sum();
    Some(CpuTicks {
        busy: total - idle - steal,
        total,
        steal,
    })
}

/// This process's CPU ticks and those of its children it has waited for.
fn own_ticks() -> Option<u64> {
    parse_own_ticks(&std::fs::read_to_string("/proc/self/stat").ok()?)
}

fn parse_own_ticks(stat: &str) -> Option<u64> {
    // The command name (field 2) may hold spaces: count from after its ')'.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // After ')': state is field 3, so utime (14) .. cstime (17) are 11..=14.
    fields
        .get(11..=14)?
        .iter()
        .map(|f| f.parse::<u64>().ok())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_lines_parse() {
        let cpu = parse_cpu_line("cpu  100 0 50 800 10 0 5 35 0 0").unwrap();
        assert_eq!((cpu.busy, cpu.total, cpu.steal), (155, 1000, 35));
        assert!(parse_cpu_line("cpu0 1 2 3").is_none());
        let stat = "42 (a b) S 1 1 1 0 -1 0 0 0 0 0 7 3 2 1 20 0";
        assert_eq!(parse_own_ticks(stat), Some(13));
    }

    #[test]
    fn a_busy_machine_and_a_wide_spread_are_named() {
        let quiet = Conditions {
            cores: 2,
            load_average: Some([0.3, 0.9]),
            other_programs_cores: Some(0.05),
            steal_fraction: Some(0.001),
            seconds: 3.0,
            optimized: true,
        };
        let tight = Summary::of(&[1.9, 1.95, 2.0]).unwrap();
        assert_eq!(quiet.caution(&[&tight]), None);
        assert_eq!(quiet.brief(), "load average 0.30, quiet");
        let busy = Conditions {
            other_programs_cores: Some(1.2),
            steal_fraction: Some(0.05),
            ..quiet
        };
        let caution = busy.caution(&[&tight]).unwrap();
        assert!(
            caution.contains("other programs kept 1.2 of the 2 cores"),
            "{caution}"
        );
        assert!(caution.contains("hypervisor took 5%"), "{caution}");
        let wide = Summary::of(&[1.0, 1.9, 2.0]).unwrap();
        assert!(
            quiet
                .caution(&[&wide])
                .unwrap()
                .contains("from 1.00 to 2.00")
        );
    }

    #[test]
    fn watching_this_machine_gives_conditions() {
        let watch = Watch::start();
        // Long enough for the clock ticks of /proc/stat (10 ms) to move.
        let spin = Instant::now();
        while spin.elapsed().as_millis() < 50 {
            std::hint::black_box(spin.elapsed());
        }
        let conditions = watch.finish();
        assert!(conditions.cores >= 1);
        assert!(conditions.seconds >= 0.05);
        if std::path::Path::new("/proc/stat").exists() {
            assert!(conditions.steal_fraction.is_some(), "{conditions:?}");
            assert!(conditions.other_programs_cores.is_some(), "{conditions:?}");
            assert!(conditions.load_average.is_some(), "{conditions:?}");
        }
    }
}
