use super::*;

const NOTES: &str = "Four threads count.\n\n\
**Predict:** How many of the 8,000,000 increments will be lost?\n\
- none · `= 0`\n\
- fewer than 80,000 · `< 80000`\n\
- 80,000 or more · `>= 80000`\n\
\n\
**Measured:** `load then store: expected \\d+, got +\\d+, lost (\\d+)` on the first\n\
run. A load and a store are two steps.\n\
\n\
**On the timeline:** four lanes.\n";

#[test]
fn a_question_is_read_from_the_notes() {
    let q = Question::parse(NOTES).unwrap().unwrap();
    assert_eq!(q.text, "How many of the 8,000,000 increments will be lost?");
    assert_eq!(q.choices.len(), 3);
    assert_eq!(q.choices[1].label, "fewer than 80,000");
    assert_eq!(q.choices[2].when, Condition::AtLeast(80000.0));
    assert_eq!(q.read_from, "on the first\nrun".replace('\n', " "));
    assert_eq!(q.explain, "A load and a store are two steps.");
    assert!(Question::parse("no question here").unwrap().is_none());
}

#[test]
fn the_first_matching_line_gives_the_measured_choice() {
    let q = Question::parse(NOTES).unwrap().unwrap();
    let out = [
        "── lost_update · S5 ──",
        "load then store: expected 8000000, got 5123456, lost 2876544",
        "load then store: expected 8000000, got 7999999, lost 1",
        "fetch_add     : expected 8000000, got 8000000, lost 0",
    ];
    let measured = q.measure(out).unwrap();
    assert_eq!(measured.value, "2876544");
    assert_eq!(measured.choice, Some(2));
    let none = ["load then store: expected 8000000, got 8000000, lost 0"];
    assert_eq!(q.measure(none).unwrap().choice, Some(0));
    assert_eq!(q.measure(["nothing printed"]), None);
}

#[test]
fn conditions_compare_numbers_and_words() {
    let c = |t: &str| Condition::parse(t).unwrap();
    assert!(c("= stock").holds("Stock"));
    assert!(!c("= stock").holds("users"));
    assert!(c("= 1000000").holds("1,000,000"));
    assert!(c("1.3..2").holds("1.3") && !c("1.3..2").holds("2.0"));
    assert!(c("<= 5").holds("5") && !c("< 5").holds("5"));
    assert!(c("> 0.5").holds("0.51") && !c("> 0.5").holds("abc"));
    assert!(Condition::parse("~ 3").is_err());
}

#[test]
fn malformed_questions_say_what_is_wrong() {
    let no_rule = "**Predict:** Which?\n- a · `= a`\n- b · `= b`\n";
    assert!(Question::parse(no_rule).unwrap_err().contains("Measured"));
    let one = "**Predict:** Which?\n- a · `= a`\n**Measured:** `(a)`\n";
    assert!(Question::parse(one).unwrap_err().contains("two choices"));
    let no_group = "**Predict:** Which?\n- a · `= a`\n- b · `= b`\n**Measured:** `a`\n";
    assert!(Question::parse(no_group).unwrap_err().contains("capture"));
}

/// The issue asks for at least two questions a lesson and fourteen in all.
#[test]
fn every_lesson_asks_at_least_two_questions_and_all_parse() {
    let mut total = 0;
    for lesson in crate::catalog::lessons() {
        let mut asked = 0;
        for demo in &lesson.demos {
            match Question::parse(&demo.text) {
                Ok(Some(q)) => {
                    asked += 1;
                    assert!(
                        !q.explain.is_empty(),
                        "{} {}: explain it",
                        lesson.bin,
                        demo.name
                    );
                }
                Ok(None) => {}
                Err(e) => panic!("{} {}: {e}", lesson.bin, demo.name),
            }
        }
        assert!(asked >= 2, "{} has {asked} questions", lesson.bin);
        total += asked;
    }
    assert!(total >= 14, "{total} questions in all");
}
