//! The `dateline` binary: parse the command line, run the command, turn errors into exit codes
//! (0 found or done, 1 nothing found, 2 error; a closed stdout is not an error).

mod cli;
mod commands;
mod server;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::queries_may_start_with_a_dash(std::env::args_os().collect());
    let cli = cli::Cli::parse_from(args);
    match commands::run(cli) {
        Ok(code) => code,
        Err(err) if commands::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("dateline: {}", commands::describe(&err));
            ExitCode::from(commands::exit_status(&err))
        }
    }
}
