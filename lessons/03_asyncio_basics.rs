//! Lesson 03: being written.
fn main() -> std::process::ExitCode {
    let _recording = workbook::record::init();
    workbook::lesson::run_demos("03_asyncio_basics", &[])
}
