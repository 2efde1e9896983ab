//! Lesson 02: being written.
fn main() -> std::process::ExitCode {
    let _recording = workbook::record::init();
    workbook::lesson::run_demos("02_multiprocessing_basics", &[])
}
