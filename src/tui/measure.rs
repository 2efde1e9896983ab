//! What `workbook bench tui` measures: frame time on a large timeline,
//! start-up to the first frame, and how fast a run's events are taken in.
use super::app::App;
use super::session::Session;
use crate::runner::RunEvent;
use crate::timeline::Timeline;
use crate::wire::Record;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::{Duration, Instant};

/// Records for one process with `threads` lanes and `spans` spans in all,
/// alternating running (1 ms) and waiting (0.6 ms), with a mark every 50
/// spans.
pub fn synthetic_records(threads: u32, spans: usize) -> Vec<Record> {
    let mut records = vec![Record::Hello {
        version: crate::wire::VERSION,
        token: [0; 16],
        pid: 4242,
        ppid: 1,
        name: "bench".into(),
    }];
    for thread in 0..threads {
        records.push(Record::Thread {
            thread,
            name: format!("worker-{thread}"),
        });
    }
    records.push(Record::Span {
        span: 1,
        parent: 0,
        name: "work".into(),
        target: "bench".into(),
        fields: vec![],
    });
    records.push(Record::Span {
        span: 2,
        parent: 0,
        name: "recv".into(),
        target: "bench".into(),
        fields: vec![("waiting_on".into(), "queue".into())],
    });
    let per_thread = spans / threads as usize;
    for i in 0..per_thread {
        for thread in 0..threads {
            let span = 1 + (i % 2) as u64;
            let ts = i as u64 * 800_000 + u64::from(thread) * 1_000;
            let len = if span == 1 { 1_000_000 } else { 600_000 };
            records.push(Record::Enter { span, thread, ts });
            if i % 50 == 0 {
                records.push(Record::Mark {
                    thread,
                    ts: ts + 1,
                    span,
                    name: "tick".into(),
                    fields: vec![],
                });
            }
            records.push(Record::Exit {
                span,
                thread,
                ts: ts + len.min(799_000),
            });
        }
    }
    records
}

pub fn synthetic_timeline(threads: u32, spans: usize) -> Timeline {
    let mut timeline = Timeline::new();
    for record in synthetic_records(threads, spans) {
        timeline.ingest(1, record);
    }
    timeline
}

/// Times `frames` draws of the whole app, the chart showing `timeline`, on
/// a `width`x`height` test backend. `zoomed` looks at the last tenth.
pub fn frame_times(
    timeline: Timeline,
    width: u16,
    height: u16,
    frames: usize,
    zoomed: bool,
) -> Vec<Duration> {
    let mut app = App::new(crate::catalog::lessons());
    let mut session = Session::from_timeline("bench", timeline);
    if zoomed {
        let end = session.timeline.end();
        session.view.window = Some((end - end / 10, end / 10));
        session.view.follow = true;
    }
    app.session = Some(session);
    app.focus = super::Pane::Timeline;
    app.handle(super::Event::Resize(width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("a test backend");
    (0..frames)
        .map(|_| {
            let started = Instant::now();
            terminal
                .draw(|frame| frame.render_widget(&app, frame.area()))
                .expect("drawing");
            started.elapsed()
        })
        .collect()
}

/// From nothing to the first frame drawn: the lesson list read, lesson 01
/// highlighted, the screen drawn. Meaningful once per process (later calls
/// find syntect loaded).
pub fn startup(width: u16, height: u16) -> Duration {
    let started = Instant::now();
    let mut app = App::new(crate::catalog::lessons());
    app.handle(super::Event::Resize(width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("a test backend");
    terminal
        .draw(|frame| frame.render_widget(&app, frame.area()))
        .expect("drawing");
    started.elapsed()
}

/// Loading syntect and highlighting lesson 01, which the app does on a
/// background thread after its first frame.
pub fn highlight_lesson_01() -> Duration {
    let started = Instant::now();
    let lines = super::source::highlight(crate::catalog::lessons()[0].source);
    assert!(!lines.is_empty());
    started.elapsed()
}

/// What the TUI's intake made of a live run ([`take_in`]).
pub struct IntakeRun {
    pub spans_kept: usize,
    pub not_kept: u64,
    /// Records the lesson's recorder could not send.
    pub dropped: u64,
    /// The worst lag of the model behind the lesson's clock while the lesson
    /// was producing, seconds, as drawn (sampled right after each frame).
    pub worst_behind_s: f64,
    /// Time spent taking events in and drawing, per frame while the lesson
    /// produced: the median and the worst, milliseconds.
    pub pump_ms: (f64, f64),
    pub draw_ms: (f64, f64),
    pub output: Vec<String>,
    pub outcome: String,
}

/// Takes `run` in as the app's loop does (a session pumped for up to 20 ms,
/// then the whole app drawn at 120x40 on a test backend, every 30 ms frame)
/// until it ends, watching how far the drawn model falls behind the lesson
/// in its first `producing` seconds.
pub fn take_in(run: crate::runner::Run, producing: f64) -> IntakeRun {
    use super::session::Phase;
    const FRAME: Duration = Duration::from_millis(30);
    use super::session::PUMP_BUDGET;
    let mut app = App::new(crate::catalog::lessons());
    app.session = Some(Session::from_run("flood", run));
    app.focus = super::Pane::Timeline;
    app.handle(super::Event::Resize(120, 40));
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("a test backend");
    let mut worst_behind = 0.0f64;
    let mut started: Option<Instant> = None;
    let (mut pumps, mut draws) = (Vec::new(), Vec::new());
    loop {
        let frame = Instant::now();
        let session = app.session.as_mut().expect("the session");
        if matches!(session.phase, Phase::Ended { .. }) {
            break;
        }
        session.pump(PUMP_BUDGET);
        let pumped = frame.elapsed();
        if started.is_none() && session.phase == Phase::Running {
            started = Some(Instant::now());
        }
        let drawing = Instant::now();
        terminal
            .draw(|f| f.render_widget(&app, f.area()))
            .expect("drawing");
        let session = app.session.as_ref().expect("the session");
        // The lesson's clock now against the newest time on screen.
        if let Some(at) = started
            && at.elapsed().as_secs_f64() < producing
            && session.timeline.traced_end() > 0
        {
            // The lesson's records, not the sampler's (always fresh).
            let behind = at.elapsed().as_secs_f64() - session.timeline.traced_end() as f64 / 1e9;
            worst_behind = worst_behind.max(behind);
            pumps.push(pumped.as_secs_f64() * 1e3);
            draws.push(drawing.elapsed().as_secs_f64() * 1e3);
        }
        std::thread::sleep(FRAME.saturating_sub(frame.elapsed()));
    }
    let session = app.session.as_ref().expect("the session");
    IntakeRun {
        spans_kept: session.timeline.span_count(),
        not_kept: session.timeline.not_kept(),
        dropped: session.timeline.dropped(),
        worst_behind_s: worst_behind,
        pump_ms: median_and_worst(&mut pumps),
        draw_ms: median_and_worst(&mut draws),
        output: session
            .output
            .window(usize::MAX, None)
            .map(|l| l.text.clone())
            .collect(),
        outcome: session.phase_text(),
    }
}

fn median_and_worst(values: &mut [f64]) -> (f64, f64) {
    values.sort_by(f64::total_cmp);
    match values {
        [] => (f64::NAN, f64::NAN),
        _ => (values[values.len() / 2], values[values.len() - 1]),
    }
}

/// Records a second the session takes in (model and recording off disk).
pub fn ingest_rate(spans: usize) -> (usize, Duration) {
    let records = synthetic_records(16, spans);
    let n = records.len();
    let batches: Vec<RunEvent> = records
        .chunks(1024)
        .map(|chunk| RunEvent::Trace {
            conn: 1,
            records: chunk.to_vec(),
        })
        .collect();
    let mut session = Session::from_timeline("bench", Timeline::new());
    let started = Instant::now();
    for (i, batch) in batches.into_iter().enumerate() {
        session.apply(i as u64, batch);
    }
    (n, started.elapsed())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_synthetic_timeline_has_the_spans_asked_for() {
        let t = super::synthetic_timeline(16, 1_600);
        assert_eq!(t.errors().count, 0, "{:?}", t.errors().samples);
        assert_eq!(t.span_count(), 1_600 + 1);
        assert_eq!(t.lanes().len(), 17);
    }
}

#[cfg(test)]
mod probe {
    #[test]
    #[ignore = "a timing probe, run by hand"]
    fn where_frame_time_goes() {
        let t = super::synthetic_timeline(16, 100_000);
        let end = t.end();
        let started = std::time::Instant::now();
        let mut n = 0u64;
        for _ in 0..20 {
            for lane in t.lanes() {
                for span in t.spans_in(lane.id, 0, end + 1) {
                    n += span.start & 1;
                }
            }
        }
        eprintln!(
            "iterating all spans: {:?} per frame ({n})",
            started.elapsed() / 20
        );
        let frames = super::frame_times(t, 200, 50, 20, false);
        eprintln!(
            "whole frame: {:?}",
            frames.iter().sum::<std::time::Duration>() / 20
        );
    }
}
