//! `workbook bench models`: being written.
use super::BenchArgs;
use std::process::ExitCode;

pub fn run(_args: &BenchArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("the models benchmark is not written yet")
}
