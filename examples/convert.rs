//! Converts a folder of text-format articles into another archive format, for the format benchmark
//! (`benches/formats.sh`) and for trying the readers by hand:
//!
//!     cargo run --release --example convert -- SRC DST jsonl|html|warc
//!
//! JSON Lines: `DST/archive.jsonl`; HTML: one page per article under DST; WARC: `DST/archive.warc.gz`.

#[allow(dead_code)] // BOILERPLATE_WORDS is for the tests
#[path = "../tests/cli/convert.rs"]
mod convert;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let target = match args.get(2).map(String::as_str) {
        Some("jsonl") => convert::Target::Jsonl,
        Some("html") => convert::Target::Html,
        Some("warc") => convert::Target::Warc,
        _ => {
            eprintln!("usage: convert SRC DST jsonl|html|warc");
            return ExitCode::from(2);
        }
    };
    let (src, dst) = (PathBuf::from(&args[0]), PathBuf::from(&args[1]));
    match convert::convert(&src, &dst, target) {
        Ok(n) => {
            eprintln!("{n} articles written to {}", dst.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
