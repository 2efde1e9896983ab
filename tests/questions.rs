//! Every predict-then-run question reads its answer from what its demo
//! really prints: each question's demo is run, and the rule in the notes
//! must find a measured value that falls in one of the choices.
mod support;

use std::time::Duration;
use support::run_with_timeout;
use workbook::questions::Question;

#[test]
fn every_question_reads_a_measured_answer_from_its_demo() {
    let mut asked = 0;
    for lesson in workbook::catalog::lessons() {
        for demo in &lesson.demos {
            let Some(question) = Question::parse(&demo.text).expect("the question parses") else {
                continue;
            };
            asked += 1;
            let output = run_with_timeout(
                support::lesson(lesson.bin),
                &["--demo", &demo.name],
                Duration::from_secs(60),
            );
            let stdout = String::from_utf8_lossy(&output.stdout);
            assert!(
                output.status.success(),
                "{} {}: {stdout}",
                lesson.bin,
                demo.name
            );
            let measured = question.measure(stdout.lines()).unwrap_or_else(|| {
                panic!(
                    "{} --demo {}: no line matches `{}`:\n{stdout}",
                    lesson.bin, demo.name, question.pattern
                )
            });
            assert!(
                measured.choice.is_some(),
                "{} --demo {}: measured {} falls in no choice",
                lesson.bin,
                demo.name,
                measured.value
            );
            eprintln!(
                "{} {}: measured {} → {}",
                lesson.bin,
                demo.name,
                measured.value,
                question.choices[measured.choice.unwrap()].label
            );
        }
    }
    assert!(asked >= 14, "{asked} questions");
}
