//! `workbook schedule`: a workshop plan from the minutes the lesson notes
//! give each demo, each lesson's exercises after its demos (with the minutes
//! the exercise catalog gives them), and breaks between lessons.
use crate::catalog::{self, Lesson};
use crate::exercises::ExerciseInfo;
use clap::Args;
use std::fmt::Write as _;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ScheduleArgs {
    /// Clock time the workshop starts, `HH:MM`; without it times count from 0:00.
    #[arg(long, value_parser = parse_clock)]
    pub start: Option<u32>,
    /// Take a break at the first lesson boundary after this many minutes
    /// (up to a day).
    #[arg(long, default_value_t = 90, value_parser = clap::value_parser!(u32).range(0..=1440))]
    pub break_every: u32,
    /// Minutes per break (up to a day).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(0..=1440))]
    pub break_minutes: u32,
    /// Place every exercise in the plan. Without it each lesson keeps the
    /// first exercises of its ladder that fit in two thirds of its demo time
    /// (so exercises take about 40% of the teaching), and lists the rest as
    /// self-paced work after the workshop.
    #[arg(long)]
    pub all_exercises: bool,
}

/// The exercises of a lesson placed in the workshop, and those left for
/// after it: the ladder in order until the exercises would pass two thirds
/// of the lesson's demo minutes (always at least one).
fn in_class<'a>(
    ladder: &[&'a ExerciseInfo],
    demo_minutes: u32,
    all: bool,
) -> (Vec<&'a ExerciseInfo>, Vec<&'a ExerciseInfo>) {
    if all {
        return (ladder.to_vec(), Vec::new());
    }
    let budget = demo_minutes * 2 / 3;
    let mut used = 0;
    let mut placed = Vec::new();
    let mut later = Vec::new();
    for &exercise in ladder {
        let minutes = u32::from(exercise.minutes);
        if later.is_empty() && (placed.is_empty() || used + minutes <= budget) {
            used += minutes;
            placed.push(exercise);
        } else {
            later.push(exercise);
        }
    }
    (placed, later)
}

fn parse_clock(text: &str) -> Result<u32, String> {
    let (h, m) = text
        .split_once(':')
        .ok_or("write the time as HH:MM, e.g. 09:30")?;
    let h: u32 = h
        .trim()
        .parse()
        .map_err(|_| format!("`{h}` is not an hour"))?;
    let m: u32 = m
        .trim()
        .parse()
        .map_err(|_| format!("`{m}` is not a minute"))?;
    if h > 23 || m > 59 {
        return Err(format!("{text} is not a time of day"));
    }
    Ok(h * 60 + m)
}

pub fn run(args: &ScheduleArgs) -> anyhow::Result<ExitCode> {
    print!(
        "{}",
        plan(catalog::lessons(), crate::exercises::catalog(), args)
    );
    Ok(ExitCode::SUCCESS)
}

fn clock(minutes: u32, start: Option<u32>) -> String {
    match start {
        Some(start) => {
            let t = (start + minutes) % (24 * 60);
            format!("{:02}:{:02}", t / 60, t % 60)
        }
        None => format!("{}:{:02}", minutes / 60, minutes % 60),
    }
}

fn duration(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// The plan as text: a line per demo with its start and minutes, then a
/// line per exercise of that lesson, a break where one is due, totals and
/// the share of the time spent on exercises at the end.
pub fn plan(lessons: &[Lesson], exercises: &[ExerciseInfo], args: &ScheduleArgs) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Workshop plan (minutes per demo from the lesson notes; `workbook run NN --demo NAME`)"
    );
    let mut at = 0;
    let mut since_break = 0;
    let mut breaks = 0;
    let mut demo_minutes = 0;
    let mut exercise_minutes = 0;
    let mut self_paced = 0;
    let mut missing = Vec::new();
    for (i, lesson) in lessons.iter().enumerate() {
        let total: u32 = lesson.demos.iter().map(|d| d.minutes).sum();
        let ladder: Vec<&ExerciseInfo> = exercises
            .iter()
            .filter(|e| u32::from(e.lesson) == u32::from(lesson.number))
            .collect();
        let (practice, later) = in_class(&ladder, total, args.all_exercises);
        let practice_total: u32 = practice.iter().map(|e| u32::from(e.minutes)).sum();
        let _ = writeln!(
            out,
            "\n{}  {:02} · {}  ({} of demos, {} of exercises)",
            clock(at, args.start),
            lesson.number,
            lesson.title,
            duration(total),
            duration(practice_total)
        );
        for demo in &lesson.demos {
            if demo.minutes == 0 {
                missing.push(format!("{} {}", lesson.bin, demo.name));
            }
            let _ = writeln!(
                out,
                "{}    {:>3} min  {:<24} {}",
                clock(at, args.start),
                demo.minutes,
                demo.name,
                demo.covers
            );
            at += demo.minutes;
            since_break += demo.minutes;
        }
        for exercise in &practice {
            let _ = writeln!(
                out,
                "{}    {:>3} min  exercise {:<18} {} · {}",
                clock(at, args.start),
                exercise.minutes,
                exercise.name,
                exercise.kind.label(),
                exercise.title
            );
            at += u32::from(exercise.minutes);
            since_break += u32::from(exercise.minutes);
        }
        for exercise in &later {
            let _ = writeln!(
                out,
                "after    {:>3} min  exercise {:<18} {} · {}",
                exercise.minutes,
                exercise.name,
                exercise.kind.label(),
                exercise.title
            );
            self_paced += u32::from(exercise.minutes);
        }
        demo_minutes += total;
        exercise_minutes += practice_total;
        let more = i + 1 < lessons.len();
        if more && args.break_minutes > 0 && since_break >= args.break_every {
            let _ = writeln!(
                out,
                "\n{}  break ({} min)",
                clock(at, args.start),
                args.break_minutes
            );
            at += args.break_minutes;
            since_break = 0;
            breaks += 1;
        }
    }
    let teaching = demo_minutes + exercise_minutes;
    let _ = writeln!(
        out,
        "\n{}  end. {} of demos, {} of exercises{}: {} in all.",
        clock(at, args.start),
        duration(demo_minutes),
        duration(exercise_minutes),
        if breaks > 0 {
            format!(" and {breaks} break(s) of {} min", args.break_minutes)
        } else {
            String::new()
        },
        duration(at)
    );
    if let Some(share) = (exercise_minutes * 100 + teaching / 2).checked_div(teaching) {
        let _ = writeln!(
            out,
            "Exercises take {share}% of the time spent on demos and exercises (the aim is about 40%)."
        );
    }
    if self_paced > 0 {
        let _ = writeln!(
            out,
            "Lines marked `after` are self-paced work after the workshop: {} more \
             (`--all-exercises` places them in the plan).",
            duration(self_paced)
        );
    }
    if !missing.is_empty() {
        let _ = writeln!(out, "No minutes in the notes for: {}", missing.join(", "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_adds_up_minutes_and_puts_breaks_between_lessons() {
        let lessons = crate::tui::tests::fixture();
        let args = ScheduleArgs {
            start: Some(parse_clock("09:30").unwrap()),
            break_every: 10,
            break_minutes: 15,
            all_exercises: false,
        };
        let plan = plan(lessons, &[], &args);
        insta::assert_snapshot!(plan);
        assert!(plan.contains("09:40  break (15 min)"));
        assert!(plan.contains(
            "20 min of demos, 0 min of exercises and 1 break(s) of 15 min: 35 min in all."
        ));
    }

    #[test]
    fn every_lesson_lists_its_exercises_with_their_minutes() {
        let args = ScheduleArgs {
            start: None,
            break_every: 90,
            break_minutes: 10,
            all_exercises: true,
        };
        let exercises = crate::exercises::catalog();
        let plan = plan(catalog::lessons(), exercises, &args);
        for exercise in exercises {
            let line = format!(
                "{:>3} min  exercise {:<18}",
                exercise.minutes, exercise.name
            );
            assert!(
                plan.contains(&line),
                "{} is not in the plan:\n{plan}",
                exercise.name
            );
        }
        let exercise_minutes: u32 = exercises.iter().map(|e| u32::from(e.minutes)).sum();
        assert!(
            plan.contains(&format!("{} of exercises:", duration(exercise_minutes)))
                || plan.contains(&format!("{} of exercises and", duration(exercise_minutes))),
            "{plan}"
        );
        assert!(plan.contains("Exercises take "), "{plan}");
    }

    #[test]
    fn the_workshop_keeps_exercises_near_40_percent_and_lists_the_rest() {
        let args = ScheduleArgs {
            start: None,
            break_every: 90,
            break_minutes: 10,
            all_exercises: false,
        };
        let exercises = crate::exercises::catalog();
        let plan = plan(catalog::lessons(), exercises, &args);
        // Every exercise is still named, in the clock or after it.
        for exercise in exercises {
            let line = format!(
                "{:>3} min  exercise {:<18}",
                exercise.minutes, exercise.name
            );
            assert!(
                plan.contains(&line),
                "{} is missing:\n{plan}",
                exercise.name
            );
        }
        let share: u32 = plan
            .split("Exercises take ")
            .nth(1)
            .and_then(|rest| rest.split('%').next())
            .and_then(|n| n.parse().ok())
            .expect("the plan states the exercises' share");
        assert!(
            (30..=45).contains(&share),
            "exercises take {share}%:\n{plan}"
        );
        assert!(plan.contains("after the workshop"), "{plan}");
        for lesson in 1..=6u8 {
            let first = exercises.iter().find(|e| e.lesson == lesson).unwrap();
            assert!(
                !plan.contains(&format!(
                    "after  {:>3} min  exercise {:<18}",
                    first.minutes, first.name
                )),
                "lesson {lesson} has no exercise in the workshop"
            );
        }
    }

    #[test]
    fn clock_times_are_checked() {
        assert_eq!(parse_clock("9:05"), Ok(545));
        assert!(parse_clock("25:00").is_err());
        assert!(parse_clock("noon").is_err());
    }
}
