use super::within;
use crate::ex::crash_pool::{JobError, run_jobs};
use std::time::Duration;

#[test]
fn a_crash_does_not_stop_the_others() {
    isolated!();
    let results = within(
        Duration::from_secs(5),
        "run_jobs never returned (5 jobs of at most 0.3 s, 2 at a time)",
        || {
            // Different lengths, so the jobs finish out of job order.
            run_jobs(
                &[
                    "sleep 0.3; echo one",
                    "exit 3",
                    "sleep 0.1; kill -SEGV $$",
                    "echo four",
                    "sleep 0.2; echo five",
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
        "one result per job, in job order (a job that exits 3 and one killed by SIGSEGV among them)"
    );
}

#[test]
fn workers_jobs_at_once() {
    isolated!();
    let dir = std::env::temp_dir().join(format!("crash-pool-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Each job leaves a marker file while it runs, and counts the markers of
    // the jobs running beside it while its own is still there.
    let job = format!(
        "d={}; touch $d/$$; sleep 0.2; n=$(ls $d | wc -l); rm $d/$$; echo $((n - 1))",
        dir.display()
    );
    let results = within(
        Duration::from_secs(8),
        "run_jobs never returned (6 jobs of 0.2 s, 2 at a time)",
        move || {
            let jobs: Vec<&str> = std::iter::repeat_n(job.as_str(), 6).collect();
            run_jobs(&jobs, 2)
        },
    );
    let _ = std::fs::remove_dir_all(&dir);
    let beside: Vec<u32> = results
        .into_iter()
        .map(|result| result.expect("a job failed").parse().unwrap())
        .collect();
    let most = beside.iter().copied().max().unwrap_or(0);
    assert!(
        most < 2,
        "with workers = 2, a job saw {most} others running beside it (each job saw {beside:?})"
    );
    assert!(
        most == 1,
        "with workers = 2, no job ever saw another one running: they ran one at a time"
    );
}
