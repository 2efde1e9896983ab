//! The runner against small shell scripts standing in for lessons: it kills
//! the whole process group, times out, and reports how a program ended.
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use workbook::runner::{Outcome, Run, RunEvent, RunOptions};

/// A shell script standing in for a lesson, in a folder that removes
/// itself when the returned guard is dropped.
fn script(name: &str, body: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    (dir, path)
}

/// Collects events until `Exited`, failing the test rather than hanging.
fn drain(run: &Run, limit: Duration) -> (Vec<RunEvent>, Outcome) {
    let deadline = Instant::now() + limit;
    let mut events = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match run.events().recv_timeout(left) {
            Ok(RunEvent::Exited(outcome)) => return (events, outcome),
            Ok(event) => events.push(event),
            Err(e) => panic!("no Exited event within {limit:?} ({e}); events so far: {events:?}"),
        }
    }
}

fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        // A zombie (state Z) has exited; only its parent has not reaped it yet.
        stat.split_whitespace()
            .nth(2)
            .is_none_or(|state| state != "Z")
    })
}

/// The environment of `pid` once it names `key`.
fn wait_for_environ(pid: u32, key: &str) -> Vec<u8> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let environ = std::fs::read(format!("/proc/{pid}/environ")).unwrap_or_default();
        let named = environ
            .split(|&b| b == 0)
            .any(|kv| kv.starts_with(format!("{key}=").as_bytes()));
        if named {
            return environ;
        }
        assert!(
            Instant::now() < deadline,
            "{key} never appeared in /proc/{pid}/environ"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn a_stray_that_left_the_group_and_ignores_sigterm_is_ended_and_counted() {
    // The lesson's child starts a new session (so it leaves the process
    // group), ignores SIGTERM, and outlives the lesson, which exits at once.
    let (_dir, exe) = script(
        "stray.sh",
        "setsid sh -c 'trap \"\" TERM; echo $$ > \"$1\"; exec sleep 1000' sh \"$0.pid\" &\n\
         while [ ! -s \"$0.pid\" ]; do sleep 0.01; done\n\
         echo \"stray $(cat \"$0.pid\")\"",
    );
    let run = Run::start_program(exe, "stray", RunOptions::default());
    let (events, outcome) = drain(&run, Duration::from_secs(20));
    assert_eq!(outcome, Outcome::Code(0));
    let stray: u32 = events
        .iter()
        .find_map(|e| match e {
            RunEvent::Stdout(line) => line.strip_prefix("stray ")?.parse().ok(),
            _ => None,
        })
        .expect("the stray printed its pid");
    assert!(
        events.contains(&RunEvent::Strays(1)),
        "the ending counts the stray: {events:?}"
    );
    // Killed and reaped before Exited was sent: not even a zombie is left.
    assert!(
        std::fs::metadata(format!("/proc/{stray}")).is_err(),
        "stray {stray} is still there"
    );
}

#[test]
fn stop_kills_children_of_children_and_reports_it() {
    let (_dir, exe) = script(
        "tree.sh",
        "sh -c 'sleep 30 & echo grandchild $!; wait' &\necho started\nwait",
    );
    let run = Run::start_program(exe, "tree", RunOptions::default());
    let mut grandchild = None;
    let deadline = Instant::now() + Duration::from_secs(10);
    while grandchild.is_none() && Instant::now() < deadline {
        match run.events().recv_timeout(Duration::from_secs(5)) {
            Ok(RunEvent::Stdout(line)) => {
                grandchild = line
                    .strip_prefix("grandchild ")
                    .and_then(|p| p.parse::<u32>().ok());
            }
            Ok(RunEvent::Exited(outcome)) => panic!("the script ended early: {outcome}"),
            Ok(_) => {}
            Err(e) => panic!("no output from the script: {e}"),
        }
    }
    let grandchild = grandchild.expect("the script printed its grandchild's pid");
    assert!(alive(grandchild));
    run.stop();
    let (_, outcome) = drain(&run, Duration::from_secs(10));
    assert_eq!(outcome, Outcome::Killed);
    let deadline = Instant::now() + Duration::from_secs(5);
    while alive(grandchild) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        !alive(grandchild),
        "grandchild {grandchild} survived the stop"
    );
}

#[test]
fn a_timeout_stops_a_hanging_program() {
    let (_dir, exe) = script("hang.sh", "sleep 30");
    let options = RunOptions {
        timeout: Some(Duration::from_millis(300)),
        ..RunOptions::default()
    };
    let run = Run::start_program(exe, "hang", options);
    let (_, outcome) = drain(&run, Duration::from_secs(10));
    assert!(matches!(outcome, Outcome::TimedOut(_)), "{outcome:?}");
}

#[test]
fn exit_codes_signals_and_output_are_reported() {
    let (_dir, exe) = script("fail.sh", "echo out; echo err >&2; exit 3");
    let run = Run::start_program(exe, "fail", RunOptions::default());
    let (events, outcome) = drain(&run, Duration::from_secs(10));
    assert_eq!(outcome, Outcome::Code(3));
    assert!(events.contains(&RunEvent::Stdout("out".into())));
    assert!(events.contains(&RunEvent::Stderr("err".into())));

    let (_dir, exe) = script("abort.sh", "kill -ABRT $$");
    let run = Run::start_program(exe, "abort", RunOptions::default());
    let (_, outcome) = drain(&run, Duration::from_secs(10));
    assert_eq!(outcome, Outcome::Signal(6));
    assert!(outcome.to_string().contains("SIGABRT"));
}

#[test]
fn a_panic_message_is_reported() {
    let (_dir, exe) = script(
        "panic.sh",
        "echo \"thread 'main' panicked at src/main.rs:1:1:\" >&2; echo 'the sky fell' >&2; exit 101",
    );
    let run = Run::start_program(exe, "panic", RunOptions::default());
    let (_, outcome) = drain(&run, Duration::from_secs(10));
    assert_eq!(
        outcome,
        Outcome::Panicked {
            message: "the sky fell".into()
        }
    );
}

#[test]
fn a_missing_binary_is_a_clear_failure() {
    let run = Run::start_program(
        PathBuf::from("/nonexistent/lesson"),
        "x",
        RunOptions::default(),
    );
    let (_, outcome) = drain(&run, Duration::from_secs(10));
    let Outcome::FailedToStart(why) = outcome else {
        panic!("{outcome:?}")
    };
    assert!(why.contains("not built"), "{why}");
}

#[test]
fn a_connection_without_the_token_is_refused_and_garbage_is_counted() {
    use std::io::Write;
    // A wrong token, then a good hello followed by an unknown record.
    let (_dir, run, addr, token) = run_with_port(1);
    let hello = |token: [u8; 16]| {
        let mut buf = Vec::new();
        workbook::wire::encode(
            &workbook::wire::Record::Hello {
                version: workbook::wire::VERSION,
                token,
                pid: 1,
                ppid: 0,
                name: "x".into(),
            },
            &mut buf,
        );
        buf
    };
    let mut intruder = std::net::TcpStream::connect(&addr).unwrap();
    intruder.write_all(&hello([0; 16])).unwrap();
    let mut good = std::net::TcpStream::connect(&addr).unwrap();
    good.write_all(&hello(token)).unwrap();
    good.write_all(&[1, 0, 99]).unwrap();
    drop(good);
    let (events, _) = drain(&run, Duration::from_secs(10));
    let (errors, _) = wire_errors_and_traces(&events);
    assert!(
        errors.iter().any(|m| m.contains("wrong token")),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|m| m.contains("unknown record tag 99")),
        "{errors:?}"
    );
}

/// Starts a lesson-like script that lives for `seconds`, and returns the run
/// with its trace address and token, read from the script's environment.
fn run_with_port(seconds: u32) -> (tempfile::TempDir, Run, String, [u8; 16]) {
    run_with_options(seconds, RunOptions::default())
}

fn run_with_options(
    seconds: u32,
    options: RunOptions,
) -> (tempfile::TempDir, Run, String, [u8; 16]) {
    let (dir, exe) = script("port.sh", &format!("sleep {seconds}"));
    let run = Run::start_program(exe, "port", options);
    let pid = match run.events().recv_timeout(Duration::from_secs(10)) {
        Ok(RunEvent::Started { pid }) => pid,
        other => panic!("expected the script to start, got {other:?}"),
    };
    let environ = wait_for_environ(pid, workbook::wire::ENV_ADDR);
    let var = |key: &str| {
        environ
            .split(|&b| b == 0)
            .find_map(|kv| {
                std::str::from_utf8(kv)
                    .ok()?
                    .strip_prefix(&format!("{key}="))
                    .map(str::to_string)
            })
            .unwrap()
    };
    let hex = var(workbook::wire::ENV_TOKEN);
    let token: Vec<u8> = (0..16)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    (
        dir,
        run,
        var(workbook::wire::ENV_ADDR),
        token.try_into().unwrap(),
    )
}

fn wire_errors_and_traces(events: &[RunEvent]) -> (Vec<String>, usize) {
    let errors = events
        .iter()
        .filter_map(|e| match e {
            RunEvent::WireError { message, .. } => Some(message.clone()),
            _ => None,
        })
        .collect();
    // Connection 0 is the runner's own sampler; lessons' connections count
    // from 1.
    let traces = events
        .iter()
        .filter(|e| matches!(e, RunEvent::Trace { conn, .. } if *conn != 0))
        .count();
    (errors, traces)
}

#[test]
fn a_first_record_that_is_not_a_hello_is_refused_and_its_records_dropped() {
    use std::io::Write;
    let (_dir, run, addr, _token) = run_with_port(1);
    let mut bytes = Vec::new();
    workbook::wire::encode(&workbook::wire::Record::End { ts: 5 }, &mut bytes);
    workbook::wire::encode(&workbook::wire::Record::End { ts: 6 }, &mut bytes);
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    stream.write_all(&bytes).unwrap();
    let (events, _) = drain(&run, Duration::from_secs(20));
    let (errors, traces) = wire_errors_and_traces(&events);
    assert!(
        errors
            .iter()
            .any(|m| m.contains("the first record was not a hello")),
        "{errors:?}"
    );
    assert_eq!(
        traces, 0,
        "records of a refused connection were kept: {events:?}"
    );
}

#[test]
fn a_wire_version_mismatch_is_refused_and_its_records_dropped() {
    use std::io::Write;
    let (_dir, run, addr, token) = run_with_port(1);
    let mut bytes = Vec::new();
    workbook::wire::encode(
        &workbook::wire::Record::Hello {
            version: workbook::wire::VERSION + 1,
            token,
            pid: 1,
            ppid: 0,
            name: "future".into(),
        },
        &mut bytes,
    );
    workbook::wire::encode(&workbook::wire::Record::End { ts: 5 }, &mut bytes);
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    stream.write_all(&bytes).unwrap();
    let (events, _) = drain(&run, Duration::from_secs(20));
    let (errors, traces) = wire_errors_and_traces(&events);
    assert!(
        errors
            .iter()
            .any(|m| m.contains(&format!("wire version {}", workbook::wire::VERSION + 1))),
        "{errors:?}"
    );
    assert_eq!(
        traces, 0,
        "records of a refused connection were kept: {events:?}"
    );
}

#[test]
fn garbage_before_the_hello_closes_the_connection() {
    use std::io::{Read, Write};
    let (_dir, run, addr, _token) = run_with_port(5);
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    stream.write_all(&[1, 0, 99]).unwrap();
    // The runner closes its end: the read sees EOF (or a reset), not a hang.
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut buf = [0u8; 1];
    match stream.read(&mut buf) {
        Ok(0) => {}
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
        other => panic!("the connection stayed open: {other:?}"),
    }
    run.stop();
    let (events, _) = drain(&run, Duration::from_secs(20));
    let (errors, _) = wire_errors_and_traces(&events);
    assert!(
        errors
            .iter()
            .any(|m| m.contains("before the hello; connection closed")),
        "{errors:?}"
    );
}

#[test]
fn a_silent_connection_is_closed_at_the_hello_deadline() {
    use std::io::Read;
    let (_dir, run, addr, _token) = run_with_port(10);
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut buf = [0u8; 1];
    match stream.read(&mut buf) {
        Ok(0) => {}
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
        other => panic!("the connection stayed open: {other:?}"),
    }
    run.stop();
    let (events, _) = drain(&run, Duration::from_secs(20));
    let (errors, _) = wire_errors_and_traces(&events);
    assert!(
        errors.iter().any(|m| m.contains("no hello within 2 s")),
        "{errors:?}"
    );
}

#[test]
fn a_flood_of_idle_connections_is_capped_and_counted() {
    let (_dir, run, addr, _token) = run_with_port(10);
    let cap = workbook::runner::MAX_OPEN_CONNECTIONS;
    // More idle connections than the cap, held open (each costs the runner
    // a thread until its hello deadline, so the cap bounds the threads).
    let streams: Vec<_> = (0..cap + 300)
        .filter_map(|_| std::net::TcpStream::connect(&addr).ok())
        .collect();
    assert!(streams.len() > cap, "only {} connected", streams.len());
    let threads = std::fs::read_dir("/proc/self/task").unwrap().count();
    assert!(
        threads < cap + 100,
        "{threads} threads with {} idle connections open",
        streams.len()
    );
    let streams_connected = streams.len();
    run.stop();
    drop(streams);
    let (events, _) = drain(&run, Duration::from_secs(20));
    let (errors, _) = wire_errors_and_traces(&events);
    // The first refusal is said at once if the run's channel has room (the
    // accepting never waits for it), and the total always at the end. At most
    // the connections past the cap are refused; fewer when connecting took
    // longer than the hello deadline, which freed slots of the first ones.
    let most = streams_connected - cap;
    let refused: Vec<usize> = errors
        .iter()
        .filter_map(|m| {
            m.strip_suffix(&format!(
                " trace connections were refused in all: more than {cap} were open at once"
            ))
        })
        .filter_map(|n| n.parse().ok())
        .collect();
    assert!(
        matches!(refused[..], [n] if n > 0 && n <= most),
        "one total of refusals, between 1 and {most}: {errors:?}"
    );
}

/// Whether `pid` has children and all of them are stopped (`T`).
fn children_stopped(pid: u32) -> bool {
    let children =
        std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap_or_default();
    let states: Vec<Option<char>> = children
        .split_whitespace()
        .map(|child| {
            std::fs::read_to_string(format!("/proc/{child}/stat"))
                .ok()
                .and_then(|s| s[s.rfind(')')? + 2..].chars().next())
        })
        .collect();
    !states.is_empty() && states.iter().all(|s| *s == Some('T'))
}

/// The state letter of `pid` (`T`: stopped), a bounded number of looks
/// until it is `want`: a signal lands when the process is next scheduled.
fn state_becomes(pid: u32, want: bool) -> Option<char> {
    let mut state = None;
    for _ in 0..500 {
        state = std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|s| s[s.rfind(')')? + 2..].chars().next());
        if (state == Some('T')) == want {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    state
}

#[test]
fn a_frozen_run_is_stopped_marked_and_its_frozen_time_is_not_counted() {
    let (_dir, exe) = script("nap.sh", "sleep 1\necho done");
    let options = RunOptions {
        timeout: Some(Duration::from_secs(4)),
        ..RunOptions::default()
    };
    let run = Run::start_program(exe, "nap", options);
    let pid = loop {
        match run.events().recv_timeout(Duration::from_secs(30)) {
            Ok(RunEvent::Started { pid }) => break pid,
            Ok(_) => {}
            Err(e) => panic!("the script did not start: {e}"),
        }
    };
    let freezer = run.freezer();
    assert!(freezer.set(true), "the run froze");
    assert!(!freezer.set(true), "a frozen run is not frozen twice");
    let state = state_becomes(pid, true);
    // A shell that vforked `sleep` waits in D for its child to exec; when
    // the freeze stopped that child first, the shell stays in D, stopped
    // with it (seen once in 20 runs).
    assert!(
        state == Some('T') || (state == Some('D') && children_stopped(pid)),
        "the script is stopped: state {state:?}"
    );
    // Frozen longer than the whole deadline: frozen time must not count.
    std::thread::sleep(Duration::from_secs(5));
    assert!(freezer.set(false), "the run resumed");
    let (events, outcome) = drain(&run, Duration::from_secs(30));
    assert_eq!(outcome, Outcome::Code(0), "it ended by itself: {events:?}");
    assert!(events.contains(&RunEvent::Stdout("done".into())));
    let freezes: Vec<bool> = events
        .iter()
        .filter_map(|e| match e {
            RunEvent::Trace { records, .. } => Some(records),
            _ => None,
        })
        .flatten()
        .filter_map(|r| match r {
            workbook::wire::Record::Freeze { frozen, .. } => Some(*frozen),
            _ => None,
        })
        .collect();
    assert_eq!(
        freezes,
        [true, false],
        "the freeze and the resume are recorded"
    );
}

/// Past the run's byte limit a connection's records are refused, not
/// forwarded; the first refusal is said at once and the total at the end,
/// and every byte sent is either taken or counted as refused.
#[test]
fn trace_bytes_past_the_run_limit_are_refused_and_counted() {
    use std::io::Write;
    use workbook::wire::{Record, encode};
    const LIMIT: u64 = 200_000;
    let options = RunOptions {
        trace_limit: Some(LIMIT),
        ..RunOptions::default()
    };
    let (_dir, run, addr, token) = run_with_options(2, options);
    let hello = Record::Hello {
        version: workbook::wire::VERSION,
        token,
        pid: 1,
        ppid: 0,
        name: "x".into(),
    };
    let mut bytes = Vec::new();
    encode(&hello, &mut bytes);
    let record = |i: u32| Record::Thread {
        thread: i,
        name: "t".repeat(100),
    };
    let mut one = Vec::new();
    encode(&record(0), &mut one);
    for i in 0..5_000 {
        encode(&record(i), &mut bytes);
    }
    let sent = bytes.len() as u64;
    assert!(sent > 2 * LIMIT);
    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    stream.write_all(&bytes).unwrap();
    drop(stream);
    let (events, _) = drain(&run, Duration::from_secs(20));
    let (errors, _) = wire_errors_and_traces(&events);
    let mut received = Vec::new();
    for event in &events {
        if let RunEvent::Trace { conn, records } = event
            && *conn != 0
        {
            for record in records {
                encode(record, &mut received);
            }
        }
    }
    let received = received.len() as u64;
    assert!(received > 0, "nothing was taken before the limit");
    assert!(received <= LIMIT, "{received} bytes taken, limit {LIMIT}");
    assert!(
        errors
            .iter()
            .any(|m| m.contains("the run's trace reached its limit of 195.3 KiB")),
        "{errors:?}"
    );
    let refused: u64 = errors
        .iter()
        .find_map(|m| {
            m.split_once(" bytes) of trace refused in all")?
                .0
                .rsplit('(')
                .next()?
                .parse()
                .ok()
        })
        .unwrap_or_else(|| panic!("no total of refused bytes: {errors:?}"));
    // A record cut by the limit is neither taken whole nor counted whole.
    let unaccounted = sent - refused - received;
    assert!(
        unaccounted < one.len() as u64,
        "sent {sent}, refused {refused}, taken {received}"
    );
}
