//! A recording thread's own kernel totals (wire record 15), read when it
//! first records and when it ends: a thread that lives a few milliseconds
//! may start and end between two of the runner's samples, and then this is
//! all the timeline learns of what the kernel did with it.
//!
//! Read twice per thread, never per span: a file open and read (a few
//! microseconds) has no place on the enter/exit path.
use crate::wire::Record;

/// This thread's totals now, as a Totals record for recorder thread
/// `thread` stamped `ts`; `None` where the kernel keeps no schedstats.
pub(super) fn own_totals(thread: u32, ts: u64) -> Option<Record> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let (schedstat_on_cpu, queued) = parse(&text)?;
    // The schedstat file brings a running thread's time on a core up to
    // date only at a tick or a switch, so a thread reading its own would
    // miss up to a tick of it (4 ms at 250 Hz, a fifth of a 20 ms thread's
    // life); its CPU-time clock is exact. Its run-queue wait is exact in the
    // file: a thread that is running is not waiting.
    let on_cpu = thread_cpu_ns().unwrap_or(schedstat_on_cpu);
    Some(Record::Totals {
        thread,
        ts,
        on_cpu,
        queued,
    })
}

/// `on_cpu_ns run_queue_ns timeslices`.
fn parse(text: &str) -> Option<(u64, u64)> {
    let mut fields = text.split_ascii_whitespace();
    Some((fields.next()?.parse().ok()?, fields.next()?.parse().ok()?))
}

fn thread_cpu_ns() -> Option<u64> {
    let t = nix::time::clock_gettime(nix::time::ClockId::CLOCK_THREAD_CPUTIME_ID).ok()?;
    Some(t.tv_sec() as u64 * 1_000_000_000 + t.tv_nsec() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedstat_lines_parse() {
        assert_eq!(parse("1234 56 7\n"), Some((1234, 56)));
        assert_eq!(parse("1234"), None);
        assert_eq!(parse("x y z"), None);
    }

    #[test]
    fn a_thread_reads_its_own_time_on_a_core() {
        if std::fs::read_to_string("/proc/thread-self/schedstat").is_err() {
            return; // no schedstats here: the recorder sends no totals
        }
        // Bounded work, not a time: the CPU clock must have moved by the end.
        let spin = |n: u64| (0..n).fold(0u64, |a, i| std::hint::black_box(a ^ i));
        let Some(Record::Totals { on_cpu: before, .. }) = own_totals(1, 10) else {
            panic!("totals where schedstat is readable");
        };
        spin(5_000_000);
        let Some(Record::Totals {
            thread,
            ts,
            on_cpu: after,
            ..
        }) = own_totals(1, 20)
        else {
            panic!("totals where schedstat is readable");
        };
        assert_eq!((thread, ts), (1, 20));
        assert!(after > before, "{before} -> {after}");
    }
}
