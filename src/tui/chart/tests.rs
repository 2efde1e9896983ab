//! The chart against whole buffers.
use super::*;
use crate::timeline::fixtures::{hello, model, thread};
use crate::wire::Record;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Position;

pub(crate) use crate::timeline::fixtures::span;

/// A process with two threads: main works then waits on worker-1, which
/// runs and leaves a mark. Times in ms.
pub(crate) fn two_threads() -> Timeline {
    model(two_threads_records())
}

fn two_threads_records() -> Vec<Record> {
    let ms = 1_000_000;
    vec![
        hello(7, 1, "demo"),
        thread(0, "main"),
        thread(1, "worker-1"),
        span(1, "setup", &[]),
        span(2, "join", &[("waiting_on", "worker-1")]),
        span(3, "sum", &[("id", "1")]),
        Record::Enter {
            span: 1,
            thread: 0,
            ts: 0,
        },
        Record::Exit {
            span: 1,
            thread: 0,
            ts: 10 * ms,
        },
        Record::Enter {
            span: 2,
            thread: 0,
            ts: 10 * ms,
        },
        Record::Enter {
            span: 3,
            thread: 1,
            ts: 10 * ms,
        },
        Record::Mark {
            thread: 1,
            ts: 25 * ms,
            span: 3,
            name: "half".into(),
            fields: vec![],
        },
        Record::Exit {
            span: 3,
            thread: 1,
            ts: 40 * ms,
        },
        Record::Exit {
            span: 2,
            thread: 0,
            ts: 40 * ms,
        },
        Record::End { ts: 40 * ms },
    ]
}

/// `two_threads` with the kernel sampled: worker-1 on a core, then queued.
/// With `task`, worker-1 also polls a task, so every glyph can show.
pub(crate) fn sampled(task: bool) -> Timeline {
    use crate::wire::{SAMPLER_CONN, Sample};
    let ms = 1_000_000;
    let mut records = two_threads_records();
    if task {
        // Between worker-1's start at 10 ms and its mark at 25 ms.
        let at = records
            .iter()
            .position(|r| matches!(r, Record::Mark { .. }))
            .expect("two_threads has a mark");
        let mut polls = vec![span(4, "fetch", &[("task", "fetch 1")])];
        for (enter, ts) in [(true, 12), (false, 14), (true, 20), (false, 22)] {
            let (span, thread, ts) = (4, 1, ts * ms);
            polls.push(if enter {
                Record::Enter { span, thread, ts }
            } else {
                Record::Exit { span, thread, ts }
            });
        }
        records.splice(at..at, polls);
    }
    let mut t = model(records);
    t.ingest(1, Record::ThreadId { thread: 1, tid: 8 });
    let sample = |ts, on_cpu, queued| {
        Record::Sample(Sample {
            pid: 7,
            tid: 8,
            ts,
            on_cpu,
            queued,
            state: b'R',
            comm: "worker-1".into(),
        })
    };
    for record in [
        Record::Sampler {
            interval: 5 * ms,
            cpus: 2,
            note: String::new(),
        },
        sample(10 * ms, 0, 0),
        sample(20 * ms, 10 * ms, 0),
        sample(40 * ms, 10 * ms, 20 * ms),
    ] {
        t.ingest(SAMPLER_CONN, record);
    }
    assert_eq!(t.errors().count, 0, "{:?}", t.errors().samples);
    t
}

fn render(timeline: &Timeline, view: &ChartView, width: u16, height: u16) -> Buffer {
    let mut buf = Buffer::empty(Rect::new(0, 0, width, height));
    let chart = Chart {
        timeline,
        view,
        edge: timeline.end(),
        focused: false,
        hang: None,
        empty: "none",
    };
    chart.render(buf.area, &mut buf);
    buf
}

/// The buffer's text with every style dropped, to compare with `with_lines`.
fn unstyled(mut buf: Buffer) -> Buffer {
    for cell in &mut buf.content {
        let symbol = cell.symbol().to_string();
        cell.reset();
        cell.set_symbol(&symbol);
    }
    buf
}

fn fixed_window() -> ChartView {
    // 50 columns of bars for 0..50 ms: one column a millisecond.
    ChartView {
        window: Some((0, 50_000_000)),
        follow: false,
        ..ChartView::default()
    }
}

#[test]
fn lanes_show_running_waiting_and_marks_on_a_time_axis() {
    let t = two_threads();
    let buf = render(&t, &fixed_window(), 63, 6);
    let expected = Buffer::with_lines([
        "             ╷0 ms               ╷20 ms              ╷40 ms    ",
        "▾ demo [7]  │────────────────────────────────────────          ",
        "  main      │██████████░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░          ",
        "  worker-1  │          ███████████████◆██████████████          ",
        " [ ] pick a span · +/- zoom · ←/→ pan · 0 whole run · f follow ",
        " 3 lanes · 4 spans · 0–50 ms █ running ░ waiting ? full legend ",
    ]);
    assert_eq!(unstyled(buf), expected);
}

#[test]
fn running_and_waiting_differ_in_colour_too() {
    let t = two_threads();
    let buf = render(&t, &fixed_window(), 63, 6);
    assert_eq!(buf[(13, 2)].fg, Color::Green);
    assert_eq!(buf[(23, 2)].fg, Color::LightRed);
    assert_eq!(buf[(38, 3)].fg, Color::Yellow);
}

#[test]
fn a_selected_span_is_described() {
    let t = two_threads();
    let mut view = fixed_window();
    view.row = 1;
    view.key(KeyEvent::from(KeyCode::Char(']')), &t, t.end());
    view.key(KeyEvent::from(KeyCode::Char(']')), &t, t.end());
    assert_eq!(view.selected.map(|s| s.start), Some(10_000_000));
    let buf = unstyled(render(&t, &view, 80, 6));
    let detail: String = (0..80).map(|x| buf[(x, 4)].symbol().to_string()).collect();
    assert_eq!(
        detail.trim_end(),
        " join ░ waiting on worker-1 · on main · at 10 ms · for 30 ms"
    );
}

#[test]
fn folding_a_process_hides_its_threads() {
    let t = two_threads();
    let mut view = fixed_window();
    view.key(KeyEvent::from(KeyCode::Enter), &t, t.end());
    let buf = unstyled(render(&t, &view, 63, 6));
    let row = |y: u16| {
        (0..12)
            .map(|x| buf[(x, y)].symbol().to_string())
            .collect::<String>()
    };
    assert_eq!(row(1), "▸ demo [7]  ");
    assert_eq!(row(2), "            ");
}

#[test]
fn a_replay_cursor_hides_what_came_later() {
    let t = two_threads();
    let mut view = fixed_window();
    view.cursor = Some(20_000_000);
    let buf = unstyled(render(&t, &view, 63, 6));
    let row = |y: u16| {
        (13..63)
            .map(|x| buf[(x, y)].symbol().to_string())
            .collect::<String>()
    };
    assert_eq!(
        row(0).trim_end(),
        "╷0 ms               ▼20 ms              ╷40 ms"
    );
    assert_eq!(row(2).trim_end(), "██████████░░░░░░░░░░┊");
    assert_eq!(row(3).trim_end(), "          ██████████┊");
}

#[test]
fn partial_cells_use_eighth_blocks() {
    let mut cells = vec![Cell::default(); 4];
    // From 1.5 to 3.25 columns.
    paint(&mut cells, Ink::Running, 0, 150, 325, 0, 100.0);
    let glyphs: String = cells
        .iter()
        .map(|c| c.resolve().map_or(' ', |(ink, part)| glyph(ink, part).0))
        .collect();
    assert_eq!(glyphs, " ▐█▎");
}

#[test]
fn zoom_and_pan_move_the_window() {
    let t = two_threads();
    let mut view = ChartView {
        columns: 50,
        ..ChartView::default()
    };
    assert_eq!(view.range(40_000_000), (0, 40_800_000));
    view.key(KeyEvent::from(KeyCode::Char('+')), &t, 40_000_000);
    assert_eq!(view.range(40_000_000), (10_200_000, 30_600_000));
    view.key(KeyEvent::from(KeyCode::Char('l')), &t, 40_000_000);
    assert_eq!(view.range(40_000_000), (12_750_000, 33_150_000));
    view.key(KeyEvent::from(KeyCode::Char('0')), &t, 40_000_000);
    assert_eq!(view.window, None);
}

#[test]
fn axis_labels_use_the_unit_of_their_size() {
    use crate::views::duration::tick;
    assert_eq!(tick(0, 20_000_000), "0 ms");
    assert_eq!(tick(1_500_000_000, 500_000_000), "1.5 s");
    assert_eq!(tick(2_000_000_000, 500_000_000), "2.0 s");
    assert_eq!(tick(3_000_000_000, 1_000_000_000), "3 s");
    assert_eq!(tick(40_000, 20_000), "40 µs");
    assert_eq!(tick_step(12.0e6), 20_000_000);
}

#[test]
fn long_process_labels_keep_their_pid() {
    assert_eq!(
        fit_label("▾ 02_multiprocessing_basics [12345]", 20),
        "▾ 02_multip… [12345]"
    );
    assert_eq!(fit_label("  worker-with-a-long-name", 10), "  worker-…");
    assert_eq!(fit_label("main", 10), "main");
}

#[test]
fn a_hang_hint_names_the_waiting_lanes() {
    let t = two_threads();
    let view = fixed_window();
    let hang = vec![
        ("main".to_string(), "worker-1".to_string()),
        ("worker-1".to_string(), "lock A".to_string()),
    ];
    let mut buf = Buffer::empty(Rect::new(0, 0, 90, 6));
    Chart {
        timeline: &t,
        view: &view,
        edge: t.end(),
        focused: false,
        hang: Some(&hang),
        empty: "",
    }
    .render(buf.area, &mut buf);
    let status: String = (0..90).map(|x| buf[(x, 5)].symbol().to_string()).collect();
    assert_eq!(
        status.trim_end(),
        " ⚠ no progress for 2 s; waiting: main waits on worker-1 · worker-1 waits on lock A"
    );
}

#[test]
fn a_click_selects_the_lane_and_span_under_the_mouse() {
    let t = two_threads();
    let mut view = fixed_window();
    // The pane is the block around a 63x6 inner area at (1, 1): the
    // worker-1 row is inner row 3, and its bars start at inner column 13.
    let pane = Rect::new(0, 0, 65, 8);
    view.click(pane, Position::new(1 + 13 + 30, 1 + 3), &t, t.end());
    assert_eq!(view.row, 2);
    assert_eq!(
        view.selected.map(|s| (s.start, s.depth)),
        Some((10_000_000, 0))
    );
    // A click on the label picks the lane only.
    view.click(pane, Position::new(3, 1 + 2), &t, t.end());
    assert_eq!((view.row, view.selected), (1, None));
}

#[test]
fn a_cell_shows_what_covers_most_of_its_time() {
    let glyphs = |spans: &[(Ink, u16, u64, u64)]| -> String {
        let mut cells = vec![Cell::default(); 3];
        for &(ink, depth, start, end) in spans {
            paint(&mut cells, ink, depth, start, end, 0, 100.0);
        }
        cells
            .iter()
            .map(|c| c.resolve().map_or(' ', |(ink, part)| glyph(ink, part).0))
            .collect()
    };
    // Many short spans in a cell: the state with the most time wins, not the last one.
    let mostly_waiting = [
        (Ink::Waiting, 0, 100, 180),
        (Ink::Running, 0, 180, 190),
        (Ink::Waiting, 0, 190, 195),
    ];
    assert_eq!(glyphs(&mostly_waiting), " ░ ");
    // A running span with a short wait inside still runs; a long wait inside waits.
    assert_eq!(
        glyphs(&[(Ink::Running, 0, 0, 300), (Ink::Waiting, 1, 110, 130)]),
        "███"
    );
    assert_eq!(
        glyphs(&[(Ink::Running, 0, 0, 300), (Ink::Waiting, 1, 105, 195)]),
        "█░█"
    );
}

#[test]
fn a_task_between_its_polls_shows_as_awaiting() {
    let ms = 1_000_000;
    let mut records = vec![
        hello(7, 1, "demo"),
        thread(0, "worker"),
        span(1, "fetch", &[("task", "fetch 1")]),
    ];
    for (start, end) in [(0, 5), (20, 25)] {
        records.push(Record::Enter {
            span: 1,
            thread: 0,
            ts: start * ms,
        });
        records.push(Record::Exit {
            span: 1,
            thread: 0,
            ts: end * ms,
        });
    }
    let t = model(records);
    let buf = unstyled(render(&t, &fixed_window(), 63, 6));
    let row: String = (0..63).map(|x| buf[(x, 3)].symbol().to_string()).collect();
    assert!(
        row.starts_with("  ↻ fetch 1 │█████···············█████"),
        "{row:?}"
    );
}

#[test]
fn a_sampled_thread_shows_the_kernels_view_under_its_spans() {
    use crate::wire::{SAMPLER_CONN, Sample};
    let ms = 1_000_000;
    let mut t = two_threads();
    t.ingest(1, Record::ThreadId { thread: 1, tid: 8 });
    let sample = |tid, ts, on_cpu, queued| {
        Record::Sample(Sample {
            pid: 7,
            tid,
            ts,
            on_cpu,
            queued,
            state: b'R',
            comm: "spinner".into(),
        })
    };
    for record in [
        Record::Sampler {
            interval: 5 * ms,
            cpus: 2,
            note: String::new(),
        },
        sample(8, 10 * ms, 0, 0),
        sample(8, 20 * ms, 10 * ms, 0),
        sample(8, 40 * ms, 10 * ms, 20 * ms),
        sample(9, 0, 0, 0),
        sample(9, 10 * ms, 0, 0),
    ] {
        t.ingest(SAMPLER_CONN, record);
    }
    let buf = unstyled(render(&t, &fixed_window(), 63, 8));
    let line = |y: u16| -> String { (0..63).map(|x| buf[(x, y)].symbol().to_string()).collect() };
    assert_eq!(
        line(3),
        "  worker-1  │          ███████████████◆██████████████          "
    );
    assert_eq!(
        line(4),
        "   ⤷ kernel │          ━━━━━━━━━━╳╳╳╳╳╳╳╳╳╳╳╳╳╳╳╳╳╳╳╳          "
    );
    // A thread only the kernel saw: one row, named by the kernel, blocked.
    assert_eq!(
        line(5),
        "  spinner   │╌╌╌╌╌╌╌╌╌╌                                        "
    );
}

#[test]
fn a_frozen_stretch_is_marked_over_the_axis() {
    use crate::wire::SAMPLER_CONN;
    let ms = 1_000_000;
    let mut t = two_threads();
    t.ingest(
        SAMPLER_CONN,
        Record::Freeze {
            ts: 20 * ms,
            frozen: true,
        },
    );
    t.ingest(
        SAMPLER_CONN,
        Record::Freeze {
            ts: 35 * ms,
            frozen: false,
        },
    );
    let buf = unstyled(render(&t, &fixed_window(), 63, 6));
    let axis: String = (13..63).map(|x| buf[(x, 0)].symbol().to_string()).collect();
    // Columns 20 to 35 (one a millisecond), the word inside.
    assert_eq!(
        &axis[..].chars().skip(20).take(16).collect::<String>(),
        "‖ frozen ‖‖‖‖‖‖‖"
    );
    assert!(!axis.chars().take(20).any(|c| c == '‖'), "{axis:?}");
    assert!(!axis.chars().skip(36).any(|c| c == '‖'), "{axis:?}");
}
