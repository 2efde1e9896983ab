//! Lesson 01: being written.
fn main() -> std::process::ExitCode {
    let _recording = workbook::record::init();
    workbook::lesson::run_demos("01_threading_basics", &[])
}
