//! Lesson 05: being written.
fn main() -> std::process::ExitCode {
    let _recording = workbook::record::init();
    workbook::lesson::run_demos("05_advanced_concurrency", &[])
}
