use super::within;
use crate::ex::crash_pool::{JobError, run_jobs};
use std::time::Duration;

#[test]
fn a_crash_does_not_stop_the_others() {
    isolated!();
    let results = within(
        Duration::from_secs(5),
        "run_jobs never returned: is a worker thread waiting for a job that never comes?",
        || {
            run_jobs(
                &[
                    "echo one",
                    "exit 3",
                    "kill -SEGV $$",
                    "echo four",
                    "echo five",
                ],
                2,
            )
        },
    );
    assert_eq!(
        results,
        [
            Ok("one".to_string()),
            Err(JobError::Exit(3)),
            Err(JobError::Signal(11)),
            Ok("four".to_string()),
            Ok("five".to_string()),
        ],
        "one result per job, in job order"
    );
}

#[test]
fn at_most_workers_at_once() {
    isolated!();
    let dir = std::env::temp_dir().join(format!("crash-pool-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Each job counts the jobs running beside it (their marker files), then
    // leaves its own marker for a moment.
    let job = format!(
        "d={}; n=$(ls $d | wc -l); touch $d/$$; sleep 0.2; rm $d/$$; echo $n",
        dir.display()
    );
    let results = within(
        Duration::from_secs(8),
        "run_jobs never returned",
        move || {
            let jobs: Vec<&str> = std::iter::repeat_n(job.as_str(), 6).collect();
            run_jobs(&jobs, 2)
        },
    );
    let _ = std::fs::remove_dir_all(&dir);
    for result in results {
        let beside: u32 = result.expect("a job failed").parse().unwrap();
        assert!(
            beside < 2,
            "a job saw {beside} others running with workers = 2"
        );
    }
}
