//! The recorder in a process of its own (it installs the global `tracing`
//! subscriber, once per process): threads that record and end, each into its
//! own ring, lose nothing, and every thread's records arrive in its order,
//! each span defined before it is entered, and a thread's own totals come
//! after its id and never after the End.
use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::Duration;
use workbook::wire::{Framer, Record};

const THREADS: u32 = 8;
/// Enough for a thread's ring to grow past its first size, twice.
const PAIRS: u64 = 20_000;

#[test]
fn threads_that_end_lose_no_record_and_keep_their_order() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut framer = Framer::default();
        let mut records = Vec::new();
        let mut chunk = vec![0u8; 1 << 16];
        while let Ok(n) = stream.read(&mut chunk) {
            if n == 0 {
                break;
            }
            framer.push(&chunk[..n]);
            while let Some(record) = framer.next_record() {
                records.push(record.expect("the recorder writes valid records"));
            }
        }
        let _ = tx.send(records);
    });
    let recording = workbook::record::init_to(&addr, &"00".repeat(16));
    let shared = tracing::info_span!("made on main");
    std::thread::scope(|s| {
        for t in 0..THREADS {
            let shared = &shared;
            s.spawn(move || {
                // A span made on another thread, and one made here.
                drop(shared.enter());
                let own = tracing::info_span!("own", t);
                for i in 0..PAIRS {
                    let _entered = own.enter();
                    if i % 5_000 == 0 {
                        tracing::info!(i, "mark");
                    }
                }
            });
        }
    });
    drop(shared);
    drop(recording);
    let records = rx
        .recv_timeout(Duration::from_secs(120))
        .expect("the reader ends when the recorder says goodbye");

    assert!(matches!(records.first(), Some(Record::Hello { .. })));
    assert!(matches!(records.last(), Some(Record::End { .. })));
    let mut defined = HashSet::new();
    let mut last_ts: HashMap<u32, u64> = HashMap::new();
    let mut open: HashMap<u32, Vec<u64>> = HashMap::new();
    let (mut pairs, mut marks) = (0, 0);
    let (mut with_id, mut with_totals) = (HashSet::new(), HashSet::new());
    for record in &records {
        let (thread, ts) = match *record {
            Record::Span { span, .. } => {
                defined.insert(span);
                continue;
            }
            Record::Enter { span, thread, ts } => {
                assert!(
                    defined.contains(&span),
                    "span {span} entered before defined"
                );
                open.entry(thread).or_default().push(span);
                (thread, ts)
            }
            Record::Exit { span, thread, ts } => {
                let stack = open.entry(thread).or_default();
                assert_eq!(
                    stack.pop(),
                    Some(span),
                    "thread {thread} exits what it entered"
                );
                pairs += 1;
                (thread, ts)
            }
            Record::Mark { thread, ts, .. } => {
                marks += 1;
                (thread, ts)
            }
            Record::Dropped { count } => panic!("{count} records dropped"),
            Record::ThreadId { thread, .. } => {
                with_id.insert(thread);
                continue;
            }
            Record::Totals { thread, .. } => {
                assert!(
                    with_id.contains(&thread),
                    "totals of {thread} before its id"
                );
                with_totals.insert(thread);
                continue;
            }
            _ => continue,
        };
        let last = last_ts.entry(thread).or_default();
        assert!(ts >= *last, "thread {thread}: {ts} ns after {last} ns");
        *last = ts;
    }
    assert_eq!(
        pairs,
        u64::from(THREADS) * (PAIRS + 1),
        "every pair arrived"
    );
    assert_eq!(
        marks,
        THREADS * (PAIRS / 5_000) as u32,
        "every mark arrived"
    );
    assert!(open.values().all(Vec::is_empty), "every enter has its exit");
    // Totals read as each thread first recorded; those read as it ended
    // may come after the End (a scoped thread's thread-locals outlive its
    // scope), and then are not sent.
    if std::fs::read_to_string("/proc/thread-self/schedstat").is_ok() {
        assert_eq!(with_totals.len(), THREADS as usize, "every thread's totals");
    }
}
