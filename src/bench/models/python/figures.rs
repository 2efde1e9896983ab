//! What the Python script prints, typed: the structs mirror `main` in
//! `src/bench/python/models.py` field for field, so a script that renames,
//! drops or retypes a field fails to parse with a message naming it
//! (`cpu_bound.threads.speedup: …`) instead of leaving a `-` in the table.
//! Rust adds what it learns by comparing (`rust_over_python`,
//! `same_checksum_as_rust`); the script's own output has neither.
use super::super::{Figures, Job as RustJob};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PythonFigures {
    /// `sys.version`'s first word.
    pub version: String,
    /// How multiprocessing started its children: `fork` or `spawn`.
    pub start_method: String,
    pub io_bound: Job,
    pub cpu_bound: Job,
    pub startup: Startup,
}

/// A job's rows, keyed as the Rust side's; the CPU-bound job also has the
/// kernel's size and sum, which the I/O-bound one has not.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Job {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checksum: Option<u64>,
    /// Whether Rust's kernel summed the same `items` to `checksum`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_checksum_as_rust: Option<bool>,
    pub sequential: Row,
    pub threads: Row,
    pub rayon: Row,
    pub processes: Row,
    pub tokio: Row,
}

/// One model on one job, as `row` in the script writes it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    /// What ran, in Python's words (`mp.Pool(2).map`).
    pub model: String,
    /// The median run.
    pub seconds: f64,
    /// The median of the run-by-run speedups over the plain loop.
    pub speedup: f64,
    /// Their lowest and highest.
    pub speedup_range: [f64; 2],
    pub runs: u64,
    /// Rust's speedup divided by this one, on the same kind of job.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_over_python: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Startup {
    pub thread: Cost,
    pub rayon_job: Cost,
    pub process: Cost,
    pub tokio_task: Cost,
}

/// Starting one unit and waiting for it, as `cost` in the script writes it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cost {
    pub model: String,
    /// The median batch's cost per unit.
    pub micros: f64,
    /// The cheapest and dearest batch.
    pub micros_range: [f64; 2],
    pub samples: u64,
    /// Rust's cost divided by this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_over_python: Option<f64>,
}

/// Reads the script's output: `Err` names the field that is missing, of
/// another type, or unknown, with its path.
pub fn parse(json: &str) -> Result<PythonFigures, String> {
    let mut reader = serde_json::Deserializer::from_str(json);
    let figures: PythonFigures = serde_path_to_error::deserialize(&mut reader)
        .map_err(|e| format!("{}: {}", e.path(), e.inner()))?;
    reader.end().map_err(|e| e.to_string())?;
    // The one shape serde cannot say: the CPU-bound job's kernel figures.
    for (field, value) in [
        ("items", figures.cpu_bound.items),
        ("checksum", figures.cpu_bound.checksum),
    ] {
        if value.is_none() {
            return Err(format!("cpu_bound: missing field `{field}`"));
        }
    }
    Ok(figures)
}

impl Job {
    /// The row of `key`, as [`RustJob::row`] (`sequential` for any other).
    pub fn row(&self, key: &str) -> &Row {
        let (sequential, threads, rayon) = (&self.sequential, &self.threads, &self.rayon);
        super::super::by_key(
            key,
            [sequential, threads, rayon, &self.processes, &self.tokio],
        )
    }

    fn add_ratios(&mut self, rust: &RustJob) {
        for (key, row) in [
            ("sequential", &mut self.sequential),
            ("threads", &mut self.threads),
            ("rayon", &mut self.rayon),
            ("processes", &mut self.processes),
            ("tokio", &mut self.tokio),
        ] {
            row.rust_over_python = Some(rust.row(key).speedup / row.speedup);
        }
    }
}

impl PythonFigures {
    /// Puts `rust_over_python` beside each row: for jobs, Rust's speedup
    /// over Python's; for start-up, Rust's cost over Python's. And whether
    /// the same kernel gave the same sum in both languages.
    pub fn add_ratios(&mut self, rust: &Figures) {
        self.io_bound.add_ratios(&rust.io_bound);
        self.cpu_bound.add_ratios(&rust.cpu_bound);
        let s = &rust.startup;
        let py = &mut self.startup;
        for (cost, rust) in [
            (&mut py.thread, &s.thread),
            (&mut py.rayon_job, &s.rayon_job),
            (&mut py.process, &s.process),
            (&mut py.tokio_task, &s.tokio_task),
        ] {
            cost.rust_over_python = Some(rust.micros / cost.micros);
        }
        if let (Some(items), Some(sum)) = (self.cpu_bound.items, self.cpu_bound.checksum) {
            self.cpu_bound.same_checksum_as_rust =
                Some(sum == super::super::jobs::kernel(0..items));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    /// What `python3 src/bench/python/models.py` printed with `{"io_waits": 4,
    /// "io_ms": 1, "cpu_seconds": 0.02, "workers": 2, "runs": 2,
    /// "startup_samples": 1}` (Python 3.11.7, fork).
    const SAMPLE: &str = include_str!("../testdata/python_output.json");

    fn sample() -> Value {
        serde_json::from_str(SAMPLE).expect("the sample is JSON")
    }

    #[test]
    fn the_scripts_output_reads_and_writes_back_unchanged() {
        let figures = parse(SAMPLE).expect("the script's own output");
        assert_eq!(figures.start_method, "fork");
        assert_eq!(figures.cpu_bound.items, Some(50_176));
        assert_eq!(figures.io_bound.row("threads").model, "a Thread per wait");
        assert_eq!(figures.startup.process.model, "mp.Process start+join");
        // Nothing the script printed is lost or renamed on the way out.
        assert_eq!(serde_json::to_value(&figures).unwrap(), sample());
    }

    #[test]
    fn the_ratios_go_beside_each_row_and_the_checksums_agree() {
        let rust = crate::tui::bench_view::tests::figures();
        let mut figures = parse(SAMPLE).unwrap();
        figures.add_ratios(&rust);
        // The same kernel in both languages: the script's sum is Rust's.
        assert_eq!(figures.cpu_bound.same_checksum_as_rust, Some(true));
        let threads = &figures.cpu_bound.threads;
        assert_eq!(
            threads.rust_over_python,
            Some(rust.cpu_bound.threads.speedup / threads.speedup)
        );
        let written = serde_json::to_value(&figures).unwrap();
        let mut expected = sample();
        for job in ["io_bound", "cpu_bound"] {
            for model in ["sequential", "threads", "rayon", "processes", "tokio"] {
                let row = written[job][model].as_object().unwrap();
                assert!(row["rust_over_python"].as_f64().is_some(), "{job}.{model}");
                expected[job][model]["rust_over_python"] = row["rust_over_python"].clone();
            }
        }
        for unit in ["thread", "rayon_job", "process", "tokio_task"] {
            let ratio = written["startup"][unit]["rust_over_python"].clone();
            assert!(ratio.as_f64().is_some(), "startup.{unit}");
            expected["startup"][unit]["rust_over_python"] = ratio;
        }
        expected["cpu_bound"]["same_checksum_as_rust"] = true.into();
        assert_eq!(
            written, expected,
            "only the ratios and the checksum check added"
        );
    }

    /// A script changed without the Rust side: the message names the field.
    #[test]
    fn a_changed_script_is_refused_naming_the_field() {
        let broken = |change: fn(&mut Value)| {
            let mut value = sample();
            change(&mut value);
            parse(&value.to_string()).expect_err("a broken output must not read")
        };
        let error = broken(|v| v["cpu_bound"]["threads"]["speedup"] = "fast".into());
        assert!(
            error.starts_with("cpu_bound.threads.speedup: invalid type"),
            "{error}"
        );
        let error = broken(|v| {
            v["startup"]["process"]
                .as_object_mut()
                .unwrap()
                .remove("micros");
        });
        assert!(
            error.starts_with("startup.process: missing field `micros`"),
            "{error}"
        );
        let error = broken(|v| {
            let row = v["io_bound"]["rayon"].as_object_mut().unwrap();
            let runs = row.remove("runs").unwrap();
            row.insert("repeats".into(), runs);
        });
        assert!(
            error.starts_with("io_bound.rayon.repeats: unknown field `repeats`"),
            "{error}"
        );
        let error = broken(|v| {
            v["cpu_bound"].as_object_mut().unwrap().remove("checksum");
        });
        assert_eq!(error, "cpu_bound: missing field `checksum`");
    }

    #[test]
    fn the_report_shows_the_python_rows() {
        let mut rust = crate::tui::bench_view::tests::figures();
        let mut python = parse(SAMPLE).unwrap();
        python.add_ratios(&rust);
        let ratio = python.cpu_bound.threads.rust_over_python.unwrap();
        rust.python = Some(python);
        let text = super::super::super::report::render(&rust);
        let has = |part: &str| text.iter().any(|line| line.contains(part));
        assert!(has(
            "Python 3.11.7 ran the same kinds of job (multiprocessing start method: fork)"
        ));
        assert!(has("(Python: 50176 items, same kernel)"));
        assert!(has("Python's kernel gives the same sum as Rust's: yes"));
        assert!(
            text.iter().any(|line| line.starts_with("  threads")
                && line.contains("2 threads (one GIL)")
                && line.ends_with(&format!("{ratio:.2}"))),
            "{text:#?}"
        );
        assert!(has("mp.Process start+join"), "{text:#?}");
    }
}
