use super::{LIMIT, assert_no_child_left, within};
use crate::ex::line_protocol::{ask, serve};
use std::io::{BufRead, BufReader, BufWriter, Cursor, Write};
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

#[test]
fn serve_answers_each_line() {
    isolated!();
    let mut output = Vec::new();
    let served = serve(Cursor::new("1\n2\n30\n"), &mut output, |line| {
        let n: u64 = line.parse().unwrap();
        (n * n).to_string()
    })
    .expect("serve failed");
    assert_eq!(String::from_utf8(output).unwrap(), "1\n4\n900\n");
    assert_eq!(served, 3, "serve returns how many requests it answered");
}

/// A parent that waits for each reply before it sends the next request, as
/// over a real pipe to a worker process: each reply must reach the pipe
/// while the input is still open.
#[test]
fn serve_replies_while_the_input_is_open() {
    isolated!();
    let (requests_out, mut requests_in) = std::io::pipe().expect("cannot make a pipe");
    let (replies_out, replies_in) = std::io::pipe().expect("cannot make a pipe");
    let server = std::thread::spawn(move || {
        serve(
            BufReader::new(requests_out),
            BufWriter::new(replies_in),
            |line| line.to_uppercase(),
        )
    });
    let (line_tx, line_rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(replies_out).lines() {
            if line_tx.send(line).is_err() {
                break;
            }
        }
    });
    for word in ["one", "two", "three"] {
        writeln!(requests_in, "{word}").unwrap();
        requests_in.flush().unwrap();
        match line_rx.recv_timeout(Duration::from_secs(2)) {
            Ok(reply) => assert_eq!(reply.expect("cannot read the reply"), word.to_uppercase()),
            Err(_) => panic!(
                "sent the request {word:?} through a pipe (the input still open) and no reply \
                 came out of the other pipe within 2 s"
            ),
        }
    }
    drop(requests_in);
    let served = within(
        LIMIT,
        "serve did not return after its input was closed",
        move || server.join().unwrap(),
    );
    assert_eq!(
        served.expect("serve failed"),
        3,
        "serve answered 3 requests"
    );
}

#[test]
fn ask_gets_the_replies_in_order() {
    isolated!();
    let replies = within(
        LIMIT,
        "ask never returned from `tr a-z A-Z` with 2 requests (tr ends when its input ends)",
        || {
            let mut upper = Command::new("tr");
            upper.args(["a-z", "A-Z"]);
            ask(upper, &["hello".into(), "pipes".into()])
        },
    );
    assert_eq!(replies.expect("ask failed"), ["HELLO", "PIPES"]);
}

#[test]
fn a_big_batch_does_not_deadlock() {
    isolated!();
    let requests: Vec<String> = (0..100_000)
        .map(|i| format!("request number {i}"))
        .collect();
    let expected = requests.clone();
    let replies = within(
        Duration::from_secs(4),
        "ask never returned from `cat` with 100,000 requests (2 MB): the parent and the worker \
         were both stuck, each waiting for the other to read",
        move || ask(Command::new("cat"), &requests),
    );
    assert!(
        replies.expect("ask failed") == expected,
        "the replies differ from the requests"
    );
}

#[test]
fn a_failing_worker_is_an_error() {
    isolated!();
    let result = within(
        LIMIT,
        "ask never returned from a worker that exits at once",
        || {
            let mut failing = Command::new("sh");
            failing.args(["-c", "exit 3"]);
            ask(failing, &[])
        },
    );
    assert!(
        result.is_err(),
        "a worker exiting with code 3 should be an error, got {result:?}"
    );
}

#[test]
fn a_worker_that_exits_early_is_an_error_and_is_reaped() {
    isolated!();
    // 10,000 requests (about 110 KB, more than a pipe holds) to a worker
    // that reads none and exits with code 3: the writes fail, and ask must
    // still reap the worker before it returns the error.
    let requests: Vec<String> = (0..10_000).map(|n| format!("request {n}")).collect();
    let result = within(
        LIMIT,
        "ask never returned from a worker that exits at once without reading",
        move || {
            let mut failing = Command::new("sh");
            failing.args(["-c", "exit 3"]);
            ask(failing, &requests)
        },
    );
    assert!(
        result.is_err(),
        "a worker exiting with code 3 should be an error, got {result:?}"
    );
    assert_no_child_left(
        "ask returned the error of a worker that exited with code 3 without reading",
    );
}
