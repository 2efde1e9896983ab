//! `workbook`: see `workbook --help`, or run it with no arguments for the TUI.
fn main() -> std::process::ExitCode {
    workbook::cli::main()
}
