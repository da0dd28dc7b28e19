//! `dateline serve`: checks the index and the address, binds, prints the URL, and runs the library's
//! server until Ctrl-C.

use std::net::{SocketAddr, ToSocketAddrs};
use std::process::ExitCode;
use std::sync::Arc;

use crate::server::state::Shared;

use crate::cli::ServeArgs;

fn fail(message: &str, hint: &str) -> anyhow::Result<ExitCode> {
    eprintln!("dateline: {message} (hint: {hint})");
    Ok(ExitCode::from(2))
}

pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let addr: SocketAddr = match args.bind.to_socket_addrs().ok().and_then(|mut a| a.next()) {
        Some(a) => a,
        None => {
            return fail(
                &format!("'{}' is not an address and port", args.bind),
                "write it as 127.0.0.1:8080 or [::1]:8080",
            )
        }
    };
    let token = args.token.filter(|t| !t.is_empty());
    if !addr.ip().is_loopback() && token.is_none() {
        return fail(
            &format!("{addr} can be reached from other machines, so it needs a token"),
            "add --token TOKEN (or set DATELINE_TOKEN), or bind 127.0.0.1",
        );
    }
    if let Some(t) = &token {
        if !t
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b';' && b != b',' && b != b'"')
        {
            return fail(
                "the token holds spaces, quotes, commas, semicolons or non-ASCII characters",
                "use letters, digits and -_.~ (for example the output of `openssl rand -hex 16`)",
            );
        }
    }
    // The index (or the Quickwit index) must open now: an error here is one line, not a page of 503s.
    let engine = match args.engine.engine.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(spec) => Some(dateline::quickwit::EngineSpec::parse(spec)?),
    };
    let (dir, source) = match &engine {
        Some(spec) => {
            let cluster = dateline::quickwit::Cluster::open(spec)?;
            (args.location.resolve().0, cluster.name())
        }
        None => {
            let reader = super::open_reader(&args.location)?;
            let dir = reader.handle.path.clone();
            let source = format!("index '{}'", dir.display());
            (dir, source)
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(addr).await {
            Ok(l) => l,
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                return fail(
                    &format!("{addr} is in use"),
                    &format!(
                        "stop what listens there, or choose another port with --bind {}:{}",
                        addr.ip(),
                        addr.port().wrapping_add(1)
                    ),
                );
            }
            Err(e) => {
                return fail(
                    &format!("cannot listen on {addr}: {e}"),
                    "choose another address with --bind",
                )
            }
        };
        let bound = listener.local_addr()?;
        let url = format!("http://{bound}/");
        println!("dateline: serving {url} ({source}; Ctrl-C stops)");
        if args.open {
            open_browser(&url);
        }
        let shared = Arc::new(Shared::new(dir, token, engine));
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        crate::server::serve(listener, shared, shutdown).await?;
        Ok(ExitCode::SUCCESS)
    })
}

/// Opens `url` with the desktop's opener; says so when there is none.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(target_os = "windows") {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_err()
    {
        eprintln!("dateline: note: cannot start a browser ({opener}); open {url} yourself");
    }
}
