//! Lesson 06: being written.
fn main() -> std::process::ExitCode {
    let _recording = workbook::record::init();
    workbook::lesson::run_demos("06_practical_examples", &[])
}
