//! The Benchmark view (key `b`): the CPU-bound job's speedup against the
//! number of workers, per concurrency model, measured on this machine by the
//! quick plan of `workbook bench models`, drawn as a chart.
//!
//! The measuring runs in a supervised child process (`workbook bench models
//! --quick --json`, see the `supervisor` crate), waited for by a background
//! thread, so the loop never waits for it. The process model of the
//! benchmark starts workers of its own; closing the view, or quitting, kills
//! the whole tree and reaps it, so no worker outlives the app (in-process,
//! they would be orphaned mid-job).
use super::inbox::Ticket;
use crate::bench::models::Figures;
use crate::bench::models::jobs::{MODELS, Model};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, LegendPosition, Paragraph, Widget, Wrap};
use serde::Deserialize;
use std::process::{Command, Stdio};
use std::sync::mpsc::Receiver;
use std::thread::JoinHandle;
use std::time::Instant;

/// What the benchmark printed (stdout, stderr) and how it ended: what its
/// waiting thread posts to the loop when it has been reaped.
pub type Printed = (String, String, supervisor::Outcome);

/// What the chart shows: the speedup sweep and the speedup at as many
/// workers as cores, per model, read from the benchmark's JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Speedups {
    pub cores: usize,
    pub build: String,
    /// `/proc/loadavg` when the measuring ended.
    pub load: Option<f64>,
    /// (workers, speedup) per model, in [`MODELS`] order: the medians.
    pub sweep: [Vec<(f64, f64)>; 4],
    /// (workers, lowest, highest) speedup of the runs, per model.
    pub ranges: [Vec<(f64, f64, f64)>; 4],
    /// The CPU-bound speedup with as many workers as cores, per model.
    pub at_cores: [f64; 4],
    /// Its lowest and highest run, per model.
    pub at_cores_range: [(f64, f64); 4],
    /// Runs behind each figure.
    pub runs: u64,
    /// Why the figures should not be trusted as they stand, if they should not.
    pub caution: Option<String>,
    /// The binary that measured, when it was not this one (the release build).
    pub measured_by: Option<String>,
}

impl Speedups {
    /// From figures measured in this process, through the same JSON the
    /// benchmark's child process prints.
    pub fn from_figures(figures: &Figures) -> Option<Speedups> {
        Speedups::from_json(&serde_json::to_string(figures).ok()?)
    }

    /// From `workbook bench models --json` (a speedup that could not be
    /// measured is `null` there and left out); `None` if it is not that.
    pub fn from_json(text: &str) -> Option<Speedups> {
        let read: Read = serde_json::from_str(text).ok()?;
        let sweep = MODELS.map(|model| {
            read.sweep
                .of(model)
                .iter()
                .filter_map(|p| Some((p.workers, p.speedup?)))
                .collect()
        });
        let ranges = MODELS.map(|model| {
            read.sweep
                .of(model)
                .iter()
                .filter_map(|p| {
                    let [low, high] = p.speedup_range?;
                    Some((p.workers, low?, high?))
                })
                .collect()
        });
        let at_cores = MODELS.map(|model| read.cpu_bound.of(model).speedup.unwrap_or(f64::NAN));
        let at_cores_range = MODELS.map(|model| {
            let [low, high] = read.cpu_bound.of(model).speedup_range;
            (low.unwrap_or(f64::NAN), high.unwrap_or(f64::NAN))
        });
        Some(Speedups {
            cores: read.machine.cores,
            build: read.machine.build,
            load: read.machine.load_average.map(|[_, after]| after),
            sweep,
            ranges,
            at_cores,
            at_cores_range,
            runs: read.machine.runs.unwrap_or(1),
            caution: read.machine.caution,
            measured_by: None,
        })
    }
}

/// What the view reads of the benchmark's JSON, typed: the field names of
/// [`Figures`] (which writes it); other fields are left unread. A figure
/// that could not be measured is `null` there (serde writes NaN so).
#[derive(Deserialize)]
struct Read {
    machine: ReadMachine,
    sweep: PerModel<Vec<ReadPoint>>,
    cpu_bound: PerModel<ReadRow>,
}

#[derive(Deserialize)]
struct ReadMachine {
    cores: usize,
    build: String,
    load_average: Option<[f64; 2]>,
    runs: Option<u64>,
    caution: Option<String>,
}

#[derive(Deserialize)]
struct PerModel<T> {
    threads: T,
    rayon: T,
    processes: T,
    tokio: T,
}

impl<T> PerModel<T> {
    fn of(&self, model: Model) -> &T {
        match model {
            Model::Threads => &self.threads,
            Model::Rayon => &self.rayon,
            Model::Processes => &self.processes,
            Model::Tokio => &self.tokio,
        }
    }
}

#[derive(Deserialize)]
struct ReadPoint {
    workers: f64,
    speedup: Option<f64>,
    speedup_range: Option<[Option<f64>; 2]>,
}

#[derive(Deserialize)]
struct ReadRow {
    speedup: Option<f64>,
    speedup_range: [Option<f64>; 2],
}

/// The state of the view: measuring, or what came of it.
pub struct BenchView {
    pub started: Instant,
    pub outcome: Option<Result<Speedups, String>>,
    /// Stops the benchmark's whole tree; `None` once it has ended.
    stopper: Option<supervisor::Stopper>,
    /// The thread that waits for it, reaps it and posts what it printed.
    waiter: Option<JoinHandle<()>>,
    /// Tells this measuring's result from a result of one called off.
    pub ticket: Ticket,
    /// The release build measuring for this debug build, if there is one.
    release: Option<std::path::PathBuf>,
}

/// From a debug build, the release build beside it (`target/release/`
/// next to `target/debug/`), when it has been built and is not older than
/// this one: its figures are the ones worth showing, since an unoptimized
/// build measures its own overhead, but a release build left from older
/// sources would measure older code.
fn release_binary(exe: &std::path::Path) -> Option<std::path::PathBuf> {
    if !cfg!(debug_assertions) {
        return None;
    }
    let exe = exe.canonicalize().ok()?;
    let dir = exe.parent()?;
    if dir.file_name()? != "debug" {
        return None;
    }
    let release = dir.parent()?.join("release").join(exe.file_name()?);
    let built = |path: &std::path::Path| path.metadata().and_then(|m| m.modified()).ok();
    (built(&release)? >= built(&exe)?).then_some(release)
}

impl BenchView {
    /// Starts measuring: this binary as `bench models --quick --json`,
    /// supervised. Python is left out (the chart does not show it, and it
    /// would take longer than the Rust figures).
    /// What it printed is posted to `post` (the loop's inbox, as
    /// [`Printed`], with this view's ticket id) once it has been reaped.
    pub fn start(post: impl FnOnce(u64, Printed) + Send + 'static) -> BenchView {
        let (ticket, stub) = Ticket::new();
        let started = Instant::now();
        let exe = match std::path::Path::new("/proc/self/exe") {
            proc if proc.exists() => Ok(proc.to_path_buf()),
            _ => std::env::current_exe(),
        };
        let release = exe.as_deref().ok().and_then(release_binary);
        let spawned = exe.and_then(|exe| {
            supervisor::spawn(
                Command::new(release.clone().unwrap_or(exe))
                    .args(["bench", "models", "--quick", "--json"])
                    .env("WORKBOOK_PYTHON", "off")
                    .env_remove("WORKBOOK_TRACE")
                    .stdin(Stdio::null())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped()),
            )
        });
        let mut child = match spawned {
            Ok(child) => child,
            Err(err) => {
                return BenchView::finished(Err(format!("cannot start the benchmark: {err}")));
            }
        };
        let stopper = child.stopper();
        let waiter = std::thread::Builder::new()
            .name("bench".into())
            .spawn(move || {
                // Both pipes read at once, so neither fills up.
                let out = supervisor::read_all(child.stdout.take());
                let errors = supervisor::read_all(child.stderr.take());
                let ended = child.run(None);
                let text = |rx: Receiver<Vec<u8>>| {
                    String::from_utf8_lossy(&rx.recv().unwrap_or_default()).into_owned()
                };
                post(stub.id, (text(out), text(errors), ended.outcome));
            });
        match waiter {
            Ok(waiter) => BenchView {
                started,
                outcome: None,
                stopper: Some(stopper),
                waiter: Some(waiter),
                ticket,
                release,
            },
            Err(err) => {
                stopper.stop();
                BenchView::finished(Err(format!("cannot wait for the benchmark: {err}")))
            }
        }
    }

    /// A view showing `outcome`, measuring nothing (for tests).
    pub fn finished(outcome: Result<Speedups, String>) -> BenchView {
        BenchView {
            started: Instant::now(),
            outcome: Some(outcome),
            stopper: None,
            waiter: None,
            ticket: Ticket::new().0,
            release: None,
        }
    }

    pub fn measuring(&self) -> bool {
        self.outcome.is_none()
    }

    /// Takes in what the benchmark printed, once it has ended and been
    /// reaped (its waiting thread posted it).
    pub fn finish(&mut self, (out, errors, outcome): Printed) {
        self.stopper = None;
        let failed = |why: String| {
            let last = errors.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("");
            Err(format!("{why} {last}").trim_end().to_string())
        };
        self.outcome = Some(if outcome.success() {
            Speedups::from_json(out.trim())
                .map(|mut s| {
                    s.measured_by = self.release.as_ref().map(|p| p.display().to_string());
                    s
                })
                .ok_or(())
                .or_else(|()| failed("unreadable figures from the benchmark:".into()))
        } else {
            failed(format!("the benchmark {outcome}:"))
        });
    }

    /// Kills the benchmark and every worker it started, and waits until it
    /// is reaped.
    fn stop(&mut self) {
        if let Some(stopper) = self.stopper.take() {
            stopper.stop();
        }
        if let Some(waiter) = self.waiter.take() {
            let _ = waiter.join();
        }
    }
}

impl Drop for BenchView {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Colour and marker per model: the markers tell the lines apart without
/// colour (`NO_COLOR`).
fn look(model: Model) -> (Color, Marker, &'static str) {
    match model {
        Model::Threads => (Color::Green, Marker::Dot, "•"),
        Model::Rayon => (Color::Cyan, Marker::Block, "█"),
        Model::Processes => (Color::Magenta, Marker::Bar, "▄"),
        Model::Tokio => (Color::Yellow, Marker::Quadrant, "▖"),
    }
}

fn speedup_text(speedup: f64) -> String {
    if speedup.is_finite() {
        format!("{speedup:.2}×")
    } else {
        "-".into()
    }
}

impl Widget for &BenchView {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let inner = super::frame::popup(
            area,
            area.width.saturating_sub(4),
            area.height.saturating_sub(2),
            "Benchmark: CPU-bound speedup against workers",
            &super::keymap::overlays::BENCH.footer(),
            buf,
        );
        let lines = match &self.outcome {
            Some(Ok(speedups)) => return draw_chart(speedups, inner, buf),
            None => vec![
                Line::default(),
                Line::from(format!(
                    " measuring… {}",
                    crate::views::duration::human_duration(self.started.elapsed())
                ))
                .bold(),
                Line::from(
                    " workbook bench models --quick: the same CPU-bound job on threads, \
                     rayon, processes and tokio, with 1 to 2× as many workers as cores",
                ),
            ],
            Some(Err(why)) => vec![Line::default(), Line::from(format!(" {why}")).red()],
        };
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(inner, buf);
    }
}

fn draw_chart(s: &Speedups, area: Rect, buf: &mut Buffer) {
    let lines = summary_lines(s);
    // As many rows as the wrapped lines take (a row more for words that
    // wrap early), so a long caution is not cut off; the chart keeps 6.
    let width = usize::from(area.width.max(1));
    let rows: usize = lines.iter().map(|l| l.width().max(1).div_ceil(width)).sum();
    let [chart_area, summary_area] =
        Layout::vertical([Constraint::Min(6), Constraint::Length(rows as u16 + 1)]).areas(area);
    let cores = s.cores as f64;
    let points = s.sweep.iter().flatten();
    let max_workers = points.clone().map(|p| p.0).fold(cores, f64::max).ceil();
    // Headroom above the highest point or bar, in whole speedups.
    let highs = s.ranges.iter().flatten().map(|r| r.2);
    let top = (points
        .map(|p| p.1)
        .chain(highs)
        .filter(|v| v.is_finite())
        .fold(cores, f64::max)
        * 1.15)
        .ceil()
        .max(1.0);
    // The ideal: as fast as the cores allow, min(workers, cores).
    let ideal: Vec<(f64, f64)> = if max_workers > cores {
        vec![(1.0, 1.0), (cores, cores), (max_workers, cores)]
    } else {
        vec![(1.0, 1.0), (max_workers, max_workers)]
    };
    let mut datasets = vec![
        Dataset::default()
            .name(format!("⣀ ideal: min(workers, {} cores)", s.cores))
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(Style::new().dark_gray())
            .data(&ideal),
    ];
    // A thin line through each model's points, then (on top of every
    // line) the points in the model's own marker, the one in the legend.
    for (model, data) in MODELS.into_iter().zip(&s.sweep) {
        datasets.push(
            Dataset::default()
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(Style::new().fg(look(model).0))
                .data(data),
        );
    }
    // Error bars: a vertical line from the lowest to the highest run at
    // each point, nudged sideways per model so overlapping bars stay apart.
    let bars: Vec<(Model, [(f64, f64); 2])> = MODELS
        .into_iter()
        .zip(&s.ranges)
        .enumerate()
        .flat_map(|(k, (model, ranges))| {
            let nudge = (k as f64 - 1.5) * 0.12;
            ranges
                .iter()
                .filter(|(_, low, high)| low.is_finite() && high.is_finite())
                .map(move |&(w, low, high)| (model, [(w + nudge, low), (w + nudge, high)]))
        })
        .collect();
    for (model, bar) in &bars {
        datasets.push(
            Dataset::default()
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(Style::new().fg(look(*model).0))
                .data(bar),
        );
    }
    for (model, data) in MODELS.into_iter().zip(&s.sweep) {
        let (colour, marker, symbol) = look(model);
        datasets.push(
            Dataset::default()
                .name(format!("{symbol} {}", model.key()))
                .marker(marker)
                .graph_type(GraphType::Scatter)
                .style(Style::new().fg(colour).bold())
                .data(data),
        );
    }
    // ratatui centres the middle x labels in equal slots, and leaves the
    // first and last at the edges: with one slot per worker count and a
    // blank slot at each end, each label sits under its workers.
    let measured: Vec<usize> = s.sweep[0].iter().map(|p| p.0 as usize).collect();
    let x_labels: Vec<Line> = (0..=max_workers as usize + 1)
        .map(|w| {
            if measured.contains(&w) {
                Line::from(w.to_string())
            } else {
                Line::default()
            }
        })
        .collect();
    let y_labels: Vec<Line> = if top <= 8.0 {
        (0..=top as usize)
            .map(|v| Line::from(v.to_string()))
            .collect()
    } else {
        (0..5)
            .map(|i| Line::from(format!("{:.1}", top * f64::from(i) / 4.0)))
            .collect()
    };
    Chart::new(datasets)
        .x_axis(
            Axis::default()
                .title("workers")
                .bounds([-0.5, max_workers + 1.5])
                .labels(x_labels),
        )
        .y_axis(
            Axis::default()
                .title("speedup")
                .bounds([0.0, top])
                .labels(y_labels),
        )
        .legend_position(Some(LegendPosition::BottomRight))
        .hidden_legend_constraints((Constraint::Percentage(60), Constraint::Percentage(60)))
        .render(chart_area, buf);
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(summary_area, buf);
}

/// The lines under the chart: the speedups at one worker per core with
/// their spread, how they were measured, and the caution when there is one.
fn summary_lines(s: &Speedups) -> Vec<Line<'static>> {
    let mut spans = vec![Span::raw(format!(" at {} workers:", s.cores))];
    for ((model, speedup), (low, high)) in MODELS.into_iter().zip(s.at_cores).zip(s.at_cores_range)
    {
        let (colour, _, symbol) = look(model);
        let range = if low.is_finite() && high.is_finite() {
            format!(" ({low:.2}–{high:.2})")
        } else {
            String::new()
        };
        spans.push(Span::styled(
            format!(
                "  {symbol} {} {}{range}",
                model.key(),
                speedup_text(speedup)
            ),
            Style::new().fg(colour),
        ));
    }
    spans.push(Span::raw(format!("  (ideal {}×)", s.cores)));
    let load = s
        .load
        .map_or_else(String::new, |l| format!(", load average {l:.1}"));
    let build = match (&s.measured_by, s.build.as_str()) {
        (Some(path), _) => format!("release build ({path})"),
        (None, "debug") => {
            "debug build (unoptimized: `cargo build --release` for release figures)".to_string()
        }
        (None, build) => format!("{build} build"),
    };
    let note = format!(
        " {} cores, {build}{load} · medians of {} runs, bars from lowest to highest · \
         no GIL: Rust threads share CPU-bound work across cores · all figures: workbook bench models",
        s.cores, s.runs
    );
    let mut lines = vec![Line::from(spans), Line::from(note).dark_gray()];
    if let Some(caution) = &s.caution {
        lines.push(Line::from(format!(" {caution}")).yellow());
    }
    lines
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::bench::models::{Cost, Job, Machine, Point, Row, Startup, Sweep};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    fn row(speedup: f64) -> Row {
        Row {
            seconds: 0.1 / speedup,
            speedup,
            speedup_range: [speedup * 0.95, speedup * 1.02],
            runs: 5,
            units: "2".into(),
        }
    }

    fn job(speedups: [f64; 4]) -> Job {
        let [threads, rayon, processes, tokio] = speedups.map(row);
        Job {
            what: "fixture".into(),
            sequential: row(1.0),
            threads,
            rayon,
            processes,
            tokio,
        }
    }

    fn sweep(speedups: [f64; 4]) -> Vec<Point> {
        (1..=4)
            .zip(speedups)
            .map(|(workers, speedup)| Point {
                workers,
                seconds: 0.1 / speedup,
                speedup,
                speedup_range: [speedup * 0.95, speedup * 1.02],
                runs: 5,
            })
            .collect()
    }

    /// Figures as a 2-core machine gives them: threads, rayon and tokio near
    /// 2× from two workers on, processes a little lower, one point missing.
    pub(crate) fn figures() -> Figures {
        let cost = |micros| Cost {
            micros,
            micros_range: [micros, micros],
            samples: 10,
        };
        Figures {
            machine: Machine {
                build: "release",
                quick: true,
                conditions: crate::measuring::Conditions {
                    cores: 2,
                    load_average: Some([0.5, 0.7]),
                    other_programs_cores: Some(0.05),
                    steal_fraction: Some(0.0),
                    seconds: 20.0,
                    optimized: true,
                },
                runs: 5,
                threads_cores_used: None,
                caution: None,
            },
            io_bound: job([8.0, 2.0, 6.0, 8.0]),
            cpu_bound: job([1.96, 1.9, 1.7, 1.93]),
            startup: Startup {
                thread: cost(20.0),
                rayon_job: cost(2.0),
                process: cost(900.0),
                tokio_task: cost(1.0),
            },
            sweep: Sweep {
                threads: sweep([1.0, 1.96, 1.95, 1.97]),
                rayon: sweep([0.98, 1.9, 1.92, 1.9]),
                processes: sweep([0.9, 1.7, 1.6, f64::NAN]),
                tokio: sweep([0.99, 1.93, 1.9, 1.94]),
            },
            memory: crate::bench::models::memory::Memory::default(),
            tiny_tasks: job([0.1, 1.5, 0.01, 0.9]),
            python: None,
            python_skipped: Some("WORKBOOK_PYTHON=off".into()),
        }
    }

    #[test]
    fn speedups_come_from_the_figures_and_a_missing_point_is_left_out() {
        let s = Speedups::from_figures(&figures()).unwrap();
        assert_eq!(s.cores, 2);
        assert_eq!(s.build, "release");
        assert_eq!(
            s.sweep[0],
            vec![(1.0, 1.0), (2.0, 1.96), (3.0, 1.95), (4.0, 1.97)]
        );
        assert_eq!(s.sweep[2].len(), 3, "the NaN point is left out");
        assert_eq!(
            s.at_cores.map(|v| (v * 100.0).round() as i64),
            [196, 190, 170, 193]
        );
    }

    fn drawn(view: &BenchView) -> String {
        let mut terminal = Terminal::new(TestBackend::new(100, 30)).unwrap();
        terminal
            .draw(|frame| frame.render_widget(view, frame.area()))
            .unwrap();
        let buffer = terminal.backend().buffer();
        (0..buffer.area.height)
            .map(|y| {
                (0..buffer.area.width)
                    .map(|x| buffer[(x, y)].symbol())
                    .collect::<String>()
                    + "\n"
            })
            .collect()
    }

    #[test]
    fn the_chart_has_axes_a_legend_and_the_speedups() {
        let view = BenchView::finished(Ok(Speedups::from_figures(&figures()).unwrap()));
        let screen = drawn(&view);
        for text in [
            "Benchmark: CPU-bound speedup against workers",
            "workers",
            "speedup",
            "• threads",
            "█ rayon",
            "▄ processes",
            "▖ tokio",
            "ideal: min(workers, 2 cores)",
            "threads 1.96×",
            "processes 1.70×",
            "tokio 1.93×",
            "(ideal 2×)",
            " at 2 workers:  • threads 1.96× (1.86–2.00)",
            "medians of 5 runs, bars from lowest to highest",
            "2 cores, release build",
        ] {
            assert!(screen.contains(text), "{text:?} missing from\n{screen}");
        }
        insta::assert_snapshot!(screen);
    }

    #[test]
    fn a_noisy_run_and_a_debug_build_are_named() {
        let mut speedups = Speedups::from_figures(&figures()).unwrap();
        speedups.build = "debug".into();
        speedups.caution = Some("Noisy: other programs kept 1.2 of the 2 cores busy.".into());
        let screen = drawn(&BenchView::finished(Ok(speedups.clone()))).replace('\n', "");
        assert!(
            screen.contains("Noisy: other programs kept 1.2"),
            "{screen}"
        );
        assert!(screen.contains("debug build (unoptimized"), "{screen}");
        speedups.measured_by = Some("target/release/workbook".into());
        let screen = drawn(&BenchView::finished(Ok(speedups.clone()))).replace('\n', "");
        assert!(screen.contains("(target/release/workbook)"), "{screen}");
        // A caution of three wrapped rows is drawn to its last word (a real
        // one was cut after its second row at 120x40).
        let long = "Noisy: other programs kept 1.0 of the 2 cores busy; runs spread from 0.65 to \
                    2.01 around a median of 0.84. These figures are not this machine's best; run \
                    again when it is quieter. With 2 threads the CPU-bound job got only 0.84 \
                    cores, so the speedup is low because the cores were busy: LAST-WORD";
        speedups.caution = Some(long.into());
        let screen = drawn(&BenchView::finished(Ok(speedups)));
        assert!(screen.contains("LAST-WORD"), "{screen}");
    }

    #[test]
    fn measuring_and_failing_say_so() {
        let mut view = BenchView::finished(Err("the benchmark failed: no cores".into()));
        assert!(drawn(&view).contains("the benchmark failed: no cores"));
        view.outcome = None;
        assert!(view.measuring());
        assert!(drawn(&view).contains("measuring… "));
    }

    #[test]
    fn a_release_build_older_than_this_one_is_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let (debug, release) = (dir.path().join("debug"), dir.path().join("release"));
        std::fs::create_dir_all(&debug).unwrap();
        let exe = debug.join("workbook");
        std::fs::write(&exe, "").unwrap();
        assert_eq!(release_binary(&exe), None, "no release build");
        std::fs::create_dir_all(&release).unwrap();
        let built_at = |path: &std::path::Path, secs: u64| {
            let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs);
            std::fs::File::options()
                .write(true)
                .open(path)
                .unwrap()
                .set_modified(at)
                .unwrap();
        };
        let optimized = release.join("workbook");
        std::fs::write(&optimized, "").unwrap();
        built_at(&exe, 2_000_000_000);
        built_at(&optimized, 1_000_000_000);
        assert_eq!(
            release_binary(&exe),
            None,
            "an older release build measures older code"
        );
        built_at(&optimized, 2_000_000_100);
        let chosen = release_binary(&exe).expect("a fresh release build is used");
        assert_eq!(chosen, optimized.canonicalize().unwrap());
    }
}
