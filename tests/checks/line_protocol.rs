use super::{LIMIT, within};
use crate::ex::line_protocol::{ask, serve};
use std::io::Cursor;
use std::process::Command;
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

#[test]
fn ask_gets_the_replies_in_order() {
    isolated!();
    let replies = within(
        LIMIT,
        "ask never returned: is the worker's stdin closed when all requests are sent?",
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
        "likely a pipe deadlock: the parent writes every request before reading any reply, \
         the worker blocks on its full stdout, and the parent on the worker's full stdin; \
         write on another thread",
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
    let result = within(LIMIT, "ask never returned", || {
        let mut failing = Command::new("sh");
        failing.args(["-c", "exit 3"]);
        ask(failing, &[])
    });
    assert!(
        result.is_err(),
        "a worker exiting with code 3 should be an error, got {result:?}"
    );
}
