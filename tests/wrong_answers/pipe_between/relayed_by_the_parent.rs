//! WRONG: reads the first child's output in this process and writes it into the second's stdin from a thread: right output, but every byte passes through the parent: the checks must see two different pipes.
use std::io::{self, Read, Write};
use std::process::{Command, ExitStatus, Stdio};
use std::thread;

#[derive(Debug)]
pub struct Piped {
    pub first: ExitStatus,
    pub second: ExitStatus,
    pub output: String,
}

pub fn pipe(mut first: Command, mut second: Command) -> io::Result<Piped> {
    let mut first = first.stdout(Stdio::piped()).spawn()?;
    let mut first_stdout = first.stdout.take().expect("stdout is piped");
    let mut second = second
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    let mut second_stdin = second.stdin.take().unwrap();
    let relay = thread::spawn(move || {
        let mut buf = [0u8; 8192];
        loop {
            match first_stdout.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if second_stdin.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
            }
        }
    });
    let mut output = String::new();
    second.stdout.take().unwrap().read_to_string(&mut output)?;
    let second_status = second.wait()?;
    relay.join().unwrap();
    let first_status = first.wait()?;
    Ok(Piped {
        first: first_status,
        second: second_status,
        output,
    })
}
