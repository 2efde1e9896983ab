//! `workbook run NN --demo NAME --ask`: the demo's question on the command
//! line, asked before the run, answered by what the run measured after it.
use crate::catalog;
use crate::cli_args::LessonArgs;
use crate::questions::{self, Measured, Question};
use crate::tui::learner::{Answer, Learner};
use std::io::{BufRead, Write};

pub struct Asked {
    pub question: Question,
    pub key: String,
    pub picked: Option<usize>,
}

/// Prints the question and reads the answer from stdin: a number, or an
/// empty line (or end of input) to skip.
pub fn ask(args: &LessonArgs) -> anyhow::Result<Asked> {
    let lesson = catalog::find(&args.lesson)?;
    let with_questions: Vec<&str> = lesson
        .demos
        .iter()
        .filter(|d| matches!(Question::parse(&d.text), Ok(Some(_))))
        .map(|d| d.name.as_str())
        .collect();
    let Some(demo) = &args.demo else {
        anyhow::bail!(
            "--ask needs --demo NAME; the demos of {} with a question: {}",
            lesson.bin,
            with_questions.join(", ")
        );
    };
    let Some(found) = lesson.demos.iter().find(|d| &d.name == demo) else {
        // The run itself says which demos there are.
        anyhow::bail!("lesson {} has no demo `{demo}`", lesson.bin);
    };
    let question = Question::parse(&found.text)
        .map_err(|e| anyhow::anyhow!("the question of {demo} is malformed: {e}"))?
        .ok_or_else(|| {
            anyhow::anyhow!(
                "{demo} has no question; the demos of {} with one: {}",
                lesson.bin,
                with_questions.join(", ")
            )
        })?;
    println!("Predict, then run {demo}:\n  {}", question.text);
    for (i, choice) in question.choices.iter().enumerate() {
        println!("  {}) {}", i + 1, choice.label);
    }
    let n = question.choices.len();
    let picked = loop {
        print!("Your answer (1-{n}, Enter to skip): ");
        std::io::stdout().flush()?;
        let mut line = String::new();
        if std::io::stdin().lock().read_line(&mut line)? == 0 {
            println!();
            break None;
        }
        let line = line.trim();
        if line.is_empty() {
            break None;
        }
        match line.parse::<usize>() {
            Ok(k) if (1..=n).contains(&k) => break Some(k - 1),
            _ => println!("  {line:?} is not one of 1-{n}"),
        }
    };
    Ok(Asked {
        question,
        key: questions::key(lesson.bin, demo),
        picked,
    })
}

/// Prints the measured answer beside the pick, and keeps both with the
/// learner's path (as the TUI does).
pub fn answer(asked: &Asked, measured: Option<&Measured>) {
    let q = &asked.question;
    println!("\n── predicted and measured ──\n  {}", q.text);
    let measured_choice = measured.and_then(|m| m.choice);
    for (i, choice) in q.choices.iter().enumerate() {
        let mut line = format!("  {}) {}", i + 1, choice.label);
        if asked.picked == Some(i) {
            line.push_str("  ← your prediction");
        }
        if measured_choice == Some(i) {
            line.push_str("  ← measured: ");
            line.push_str(measured.map_or("", |m| m.value.as_str()));
        }
        println!("{line}");
    }
    match measured {
        None => println!("  The run printed no line that `{}` reads.", q.pattern),
        Some(m) if m.choice.is_none() => {
            println!("  Measured {}, which none of the choices covers.", m.value);
        }
        Some(_) => {}
    }
    println!(
        "  (read from the line matching `{}` {})",
        q.pattern, q.read_from
    );
    println!("  {}", q.explain);
    let (mut learner, notice) = Learner::load();
    if let Some(notice) = notice {
        eprintln!("note: {notice}");
    }
    learner.seen.insert(asked.key.clone());
    learner.answers.insert(
        asked.key.clone(),
        Answer {
            picked: asked.picked.map(|i| q.choices[i].label.clone()),
            measured: measured.map(|m| m.value.clone()),
            measured_choice: measured_choice.map(|c| q.choices[c].label.clone()),
        },
    );
    if let Err(err) = learner.save() {
        eprintln!("warning: your answer is not saved: {err:#}");
    }
}
