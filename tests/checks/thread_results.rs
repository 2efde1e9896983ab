use super::within;
use crate::ex::thread_results::{Job, run_all};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn sleeper(ms: u64, result: u64) -> Job {
    Box::new(move || {
        std::thread::sleep(Duration::from_millis(ms));
        result
    })
}

#[test]
fn results_come_back_in_job_order() {
    isolated!();
    // Distinct, shuffled lengths: the finishing order is 3, 1, 5, 4, 2, 0.
    let lengths = [250, 50, 200, 0, 150, 100];
    let results = within(super::LIMIT, "run_all did not return", move || {
        run_all(
            lengths
                .iter()
                .enumerate()
                .map(|(i, &ms)| sleeper(ms, i as u64 * 10))
                .collect(),
        )
    });
    assert_eq!(
        results,
        vec![Ok(0), Ok(10), Ok(20), Ok(30), Ok(40), Ok(50)],
        "one result per job, in the order of the jobs (they finish in another order)"
    );
}

#[test]
fn the_jobs_run_at_the_same_time() {
    isolated!();
    let jobs = 6;
    let peak = within(super::LIMIT, "run_all did not return", move || {
        let in_flight = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let list: Vec<Job> = (0..jobs)
            .map(|_| {
                let (in_flight, peak) = (Arc::clone(&in_flight), Arc::clone(&peak));
                Box::new(move || {
                    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(now, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(200));
                    in_flight.fetch_sub(1, Ordering::SeqCst);
                    1u64
                }) as Job
            })
            .collect();
        run_all(list);
        peak.load(Ordering::SeqCst)
    });
    assert!(
        peak >= jobs / 2,
        "at most {peak} of {jobs} jobs (200 ms each) were running at once: they ran one after another"
    );
}

#[test]
fn each_job_runs_on_its_own_named_thread() {
    isolated!();
    let names = within(super::LIMIT, "run_all did not return", || {
        let names = Arc::new(Mutex::new(Vec::new()));
        let list: Vec<Job> = (0..4)
            .map(|i| {
                let names = Arc::clone(&names);
                Box::new(move || {
                    let name = std::thread::current().name().map(str::to_string);
                    names.lock().unwrap().push((i, name));
                    0u64
                }) as Job
            })
            .collect();
        run_all(list);
        let mut names = names.lock().unwrap().clone();
        names.sort();
        names
    });
    let expected: Vec<_> = (0..4).map(|i| (i, Some(format!("job-{i}")))).collect();
    assert_eq!(names, expected, "(job, name of the thread it ran on)");
}

#[test]
fn a_panicking_job_gives_its_message_and_the_rest_go_on() {
    isolated!();
    let results = within(super::LIMIT, "run_all did not return", || {
        let jobs: Vec<Job> = vec![
            sleeper(30, 1),
            Box::new(|| panic!("job 1 gave up")),
            sleeper(10, 3),
            Box::new(|| {
                let code = 42;
                panic!("job 3 failed with {code}")
            }),
            sleeper(0, 5),
        ];
        run_all(jobs)
    });
    assert_eq!(
        results,
        vec![
            Ok(1),
            Err("job 1 gave up".to_string()),
            Ok(3),
            Err("job 3 failed with 42".to_string()),
            Ok(5)
        ],
        "results of 5 jobs, of which job 1 panicked with a literal and job 3 with a formatted message"
    );
}
