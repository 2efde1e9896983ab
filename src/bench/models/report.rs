//! The figures as text: tables, and a speedup-against-workers plot drawn with
//! characters so it shows in any terminal.
use super::jobs::{MODELS, Model};
use super::python::Job as PythonJob;
use super::{Figures, Job, Sweep};
use std::fmt::Write;

const ROWS: [&str; 5] = ["sequential", "threads", "rayon", "processes", "tokio"];

pub fn print(f: &Figures) {
    for line in render(f) {
        println!("{line}");
    }
}

pub fn render(f: &Figures) -> Vec<String> {
    let mut out = Vec::new();
    let m = &f.machine;
    out.push(format!(
        "workbook bench: concurrency models measured on this machine ({} cores, {} build{})",
        m.conditions.cores,
        m.build,
        if m.quick { ", --quick" } else { "" }
    ));
    if m.build == "debug" {
        out.push(
            "  Built without optimizations, except the CPU-bound job's kernel (optimized in every build):"
                .into(),
        );
        out.push(
            "  speedups compare fairly, start-up costs and tiny jobs do not (cargo run --release -- bench for those)."
                .into(),
        );
    }
    out.push(format!(
        "  Each figure is the median of {} runs, the jobs taking turns; speedups show their range (lowest–highest).",
        m.runs
    ));
    out.push(
        "  Each run's speedup is over the sequential job's fastest run: load only ever slows a run."
            .into(),
    );
    out.push(format!("  While measuring: {}.", m.conditions.describe()));
    if let Some(used) = &m.threads_cores_used {
        out.push(format!(
            "  The CPU-bound job on {} threads kept {} cores busy (its CPU time over its wall time).",
            m.conditions.cores,
            used.text(2)
        ));
    }
    if let Some(caution) = &m.caution {
        out.push(format!("  {caution}"));
    }
    let py = f.python.as_ref();
    match (py, &f.python_skipped) {
        (Some(p), _) => out.push(format!(
            "  Python {} ran the same kinds of job (multiprocessing start method: {}).",
            p.version, p.start_method
        )),
        (None, Some(reason)) => out.push(format!("  Python rows skipped: {reason}.")),
        (None, None) => {}
    }

    out.push(String::new());
    out.push(format!(
        "F1 · I/O-bound: {}, as many at once as the model allows",
        f.io_bound.what
    ));
    job_table(&mut out, &f.io_bound, py.map(|p| &p.io_bound));
    out.push(String::new());
    let py_items = py.and_then(|p| p.cpu_bound.items);
    out.push(format!(
        "F1 · CPU-bound: {}{}",
        f.cpu_bound.what,
        py_items.map_or(String::new(), |n| format!(
            " (Python: {n} items, same kernel)"
        ))
    ));
    job_table(&mut out, &f.cpu_bound, py.map(|p| &p.cpu_bound));
    if py.is_some() {
        out.push("  Rust/Py: Rust's speedup divided by Python's on the same kind of job; mp = multiprocessing.".into());
    }
    if let Some(same) = py.and_then(|p| p.cpu_bound.same_checksum_as_rust) {
        out.push(format!(
            "  Python's kernel gives the same sum as Rust's: {}",
            if same { "yes" } else { "NO" }
        ));
    }

    out.push(String::new());
    out.push("F2 · start-up: start one unit and wait for it to finish".into());
    out.push(format!(
        "  {:<12} {:>10}   {:<24} {:>10} {:>8}",
        "unit", "Rust", "Python", "", "Rust/Py"
    ));
    let s = &f.startup;
    for (label, cost, p) in [
        ("thread", &s.thread, py.map(|p| &p.startup.thread)),
        ("rayon job", &s.rayon_job, py.map(|p| &p.startup.rayon_job)),
        ("process", &s.process, py.map(|p| &p.startup.process)),
        (
            "tokio task",
            &s.tokio_task,
            py.map(|p| &p.startup.tokio_task),
        ),
    ] {
        let p = p.map(|p| (p.model.as_str(), p.micros, p.rust_over_python));
        let (model, micros, ratio) = python_cells(p, micros_text);
        out.push(format!(
            "  {label:<12} {:>10}   {model:<24} {micros:>10} {ratio:>8}",
            micros_text(cost.micros)
        ));
    }

    out.push(String::new());
    out.push("F3 · pool size: CPU-bound speedup against the number of workers".into());
    sweep_table(&mut out, &f.sweep);
    out.push(String::new());
    out.extend(plot(&f.sweep, m.conditions.cores));

    out.push(String::new());
    out.push("F4 · memory per idle unit (resident memory, from /proc)".into());
    let mem = &f.memory;
    let na = || "n/a (no /proc)".to_string();
    out.push(format!(
        "  thread             {}",
        mem.thread.map_or_else(na, |t| format!(
            "{:>8.1} KiB  ({} threads; each reserves 2 MiB of stack address space, touched pages only count)",
            t.kib, t.units
        ))
    ));
    out.push(format!(
        "  rayon pool thread  {}",
        mem.rayon_pool_thread.map_or_else(na, |t| format!(
            "{:>8.1} KiB  (a pool of {})",
            t.kib, t.units
        ))
    ));
    out.push(format!(
        "  process            {}",
        mem.process.map_or_else(na, |p| format!(
            "{:>8.1} KiB  RSS, {} PSS ({} idle processes of this binary)",
            p.rss_kib,
            p.pss_kib
                .map_or("n/a".to_string(), |k| format!("{k:.1} KiB")),
            p.units
        ))
    ));
    out.push(format!(
        "  tokio task         {}",
        mem.tokio_task.map_or_else(na, |t| format!(
            "{:>8.0} bytes ({} pending tasks)",
            t.bytes, t.units
        ))
    ));

    out.push(String::new());
    out.push(format!("F5 · tiny tasks: {}", f.tiny_tasks.what));
    job_table(&mut out, &f.tiny_tasks, None);
    out.push(
        "  Below 1.0× the overhead of starting units outweighs the work: batch tiny items.".into(),
    );
    out
}

fn job_table(out: &mut Vec<String>, job: &Job, python: Option<&PythonJob>) {
    let with_python = python.is_some();
    let mut header = format!(
        "  {:<11} {:<21} {:>8} {:>8} {:>13}",
        "model", "units", "time", "speedup", "range"
    );
    if with_python {
        let _ = write!(
            header,
            " │ {:<24} {:>8} {:>8} {:>13} {:>8}",
            "Python", "time", "speedup", "range", "Rust/Py"
        );
    }
    out.push(header);
    for key in ROWS {
        let row = job.row(key);
        let mut line = format!(
            "  {key:<11} {:<21} {:>8} {:>8} {:>13}",
            row.units,
            crate::views::duration::human_secs(row.seconds),
            speedup_text(row.speedup),
            range_text(row.speedup_range)
        );
        if let Some(p) = python.map(|p| p.row(key)) {
            let (model, time, ratio) = python_cells(
                Some((&p.model, p.seconds, p.rust_over_python)),
                crate::views::duration::human_secs,
            );
            let _ = write!(
                line,
                " │ {model:<24} {time:>8} {:>8} {:>13} {ratio:>8}",
                speedup_text(p.speedup),
                range_text(p.speedup_range)
            );
        }
        out.push(line);
    }
}

/// The Python model's name, its figure and the Rust/Python ratio (`-` when
/// it could not be had: Python's figure was zero), as text.
fn python_cells(
    p: Option<(&str, f64, Option<f64>)>,
    show: fn(f64) -> String,
) -> (String, String, String) {
    let Some((model, figure, ratio)) = p else {
        return ("-".into(), "-".into(), "-".into());
    };
    (
        model.to_string(),
        show(figure),
        ratio
            .filter(|r| r.is_finite())
            .map_or("-".into(), |r| format!("{r:.2}")),
    )
}

fn sweep_table(out: &mut Vec<String>, sweep: &Sweep) {
    let mut header = format!("  {:<9}", "workers");
    for model in MODELS {
        let _ = write!(header, " {:>10}", model.key());
    }
    out.push(header);
    for (i, point) in sweep.threads.iter().enumerate() {
        let mut line = format!("  {:<9}", point.workers);
        let mut ranges = format!("  {:<9}", "");
        for model in MODELS {
            let p = sweep.points(model).get(i);
            let speedup = p.map_or(f64::NAN, |p| p.speedup);
            let _ = write!(line, " {:>10}", speedup_text(speedup));
            let range = p.map_or([f64::NAN; 2], |p| p.speedup_range);
            let _ = write!(ranges, " {:>10}", range_text(range));
        }
        out.push(line);
        out.push(ranges);
    }
}

fn marker(model: Model) -> char {
    match model {
        Model::Threads => 'T',
        Model::Rayon => 'R',
        Model::Processes => 'P',
        Model::Tokio => 'K',
    }
}

/// Speedup (up) against workers (across), one letter per model, `·` for the
/// ideal `min(workers, cores)`, `*` where models overlap.
pub fn plot(sweep: &Sweep, cores: usize) -> Vec<String> {
    const HEIGHT: usize = 12;
    const STEP: usize = 6;
    let workers: Vec<usize> = sweep.threads.iter().map(|p| p.workers).collect();
    let top = MODELS
        .iter()
        .flat_map(|&m| sweep.points(m).iter().map(|p| p.speedup))
        .filter(|s| s.is_finite())
        .fold(cores as f64, f64::max)
        .ceil()
        .max(1.0);
    let width = workers.len() * STEP;
    let mut grid = vec![vec![' '; width]; HEIGHT + 1];
    let row_of = |speedup: f64| {
        HEIGHT
            - ((speedup / top) * HEIGHT as f64)
                .round()
                .clamp(0.0, HEIGHT as f64) as usize
    };
    for (i, &w) in workers.iter().enumerate() {
        grid[row_of(w.min(cores) as f64)][i * STEP + 2] = '·';
        for model in MODELS {
            let Some(p) = sweep.points(model).get(i).filter(|p| p.speedup.is_finite()) else {
                continue;
            };
            let cell = &mut grid[row_of(p.speedup)][i * STEP + 2];
            *cell = if cell.is_ascii_uppercase() || *cell == '*' {
                '*'
            } else {
                marker(model)
            };
        }
    }
    let mut out = vec!["  speedup".to_string()];
    for (r, cells) in grid.iter().enumerate() {
        let value = top * (HEIGHT - r) as f64 / HEIGHT as f64;
        let label = if r % 3 == 0 {
            format!("{value:>5.1} ┤")
        } else {
            "      │".to_string()
        };
        out.push(format!(
            "  {label}{}",
            cells.iter().collect::<String>().trim_end()
        ));
    }
    let axis: String = (0..width)
        .map(|c| if c % STEP == 2 { '┬' } else { '─' })
        .collect();
    out.push(format!("        └{axis}"));
    let labels = workers.iter().fold(String::new(), |mut text, w| {
        let _ = write!(text, "{w:^5} ");
        text
    });
    out.push(format!("         {labels} workers"));
    out.push(format!(
        "  T threads  R rayon  P processes  K tokio  * several  · ideal (min(workers, {cores} cores))"
    ));
    out
}

/// `1.85–1.98`, the lowest and highest speedup of the runs.
fn range_text([low, high]: [f64; 2]) -> String {
    if low.is_finite() && high.is_finite() {
        format!("{low:.2}–{high:.2}")
    } else {
        "-".into()
    }
}

fn micros_text(micros: f64) -> String {
    crate::views::duration::human_secs(micros / 1e6)
}

fn speedup_text(speedup: f64) -> String {
    if speedup.is_finite() {
        format!("{speedup:.2}×")
    } else {
        "-".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::models::Point;

    fn points(speedups: &[f64]) -> Vec<Point> {
        speedups
            .iter()
            .enumerate()
            .map(|(i, &speedup)| Point {
                workers: i + 1,
                seconds: 1.0 / speedup,
                speedup,
                speedup_range: [speedup, speedup],
                runs: 5,
            })
            .collect()
    }

    #[test]
    fn the_plot_puts_each_model_at_its_speedup() {
        let sweep = Sweep {
            threads: points(&[1.0, 2.0, 2.0, 2.0]),
            rayon: points(&[1.0, 2.0, 2.0, 2.0]),
            processes: points(&[1.0, 1.5, 1.5, 1.5]),
            tokio: points(&[0.5, 1.0, 1.0, 1.0]),
        };
        let lines = plot(&sweep, 2);
        let text = lines.join("\n");
        // Top row is 2.0: threads and rayon overlap there from 2 workers on.
        assert!(
            lines[1].starts_with("    2.0 ┤        *     *     *"),
            "{text}"
        );
        // 1 worker: three models at 1.0 overlap, tokio is alone at 0.5.
        assert!(
            lines[7].starts_with("    1.0 ┤  *     K     K     K"),
            "{text}"
        );
        assert!(lines[10].starts_with("    0.5 ┤  K"), "{text}");
        assert!(lines.iter().any(|l| l.contains("P     P     P")), "{text}");
        assert!(text.contains("1     2     3     4    workers"), "{text}");
    }
}
