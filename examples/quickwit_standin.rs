//! The stand-in Quickwit node of the tests, as a program: for trying `dateline push` and
//! `--engine quickwit://` by hand where no Quickwit runs. Not Quickwit: no BM25, no splits, every
//! query a scan of every document.
//!
//! `cargo run --release --example quickwit_standin -- [ADDR]` (default 127.0.0.1:7280).

#[allow(dead_code)]
#[path = "../tests/cli/standin.rs"]
mod standin;

fn main() {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:7280".to_string());
    let node = standin::StandIn::start_on(&addr);
    println!("stand-in Quickwit node at {} (Ctrl-C stops)", node.url);
    loop {
        std::thread::park();
    }
}
