//! `accord serve`: build, serve over HTTP on loopback, watch, rebuild and reload.
//!
//! The site is built in memory and served from memory; nothing is written to the build folder.
//! One thread watches the project and rebuilds ([`incremental`]); the HTTP server ([`http`])
//! answers from the last good build and pushes `reload` to open tabs over server-sent events.
//! A failed build never stops the preview: its errors go to the terminal and, as an overlay,
//! onto every page, while the last good site stays served underneath.

mod http;
mod incremental;
mod watch;

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::{format_diagnostics, Error, Result};

pub use http::{content_type, router, serve_connections, site_path, Limits, Shared};
pub use incremental::{Builder, Changes, Snapshot};

pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub open: bool,
}

/// How long the file system must stay quiet before a rebuild starts. Long enough to catch a
/// save by rename or a `git checkout` as one change, short enough not to be noticed.
const QUIET: Duration = Duration::from_millis(50);
/// A stream of events that never pauses still gets a rebuild this often.
const MAX_WAIT: Duration = Duration::from_secs(2);

pub fn serve(opts: &ServeOptions) -> Result<()> {
    if !opts.root.join("book.toml").is_file() {
        // Not a project at all: there is nothing to preview or to watch for.
        crate::config::Config::load(&opts.root)?;
    }
    let loopback = opts.bind.is_loopback();
    if !loopback {
        eprintln!(
            "warning: listening on {}: other machines on the network can read this preview; \
             leave out --bind to serve on 127.0.0.1 only",
            opts.bind
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Other(format!("cannot start the server: {e}")))?;
    let addr = SocketAddr::new(opts.bind, opts.port);
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(addr))
        .map_err(|e| Error::Other(format!("cannot listen on {addr}: {e}")))?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::Other(format!("cannot listen on {addr}: {e}")))?;

    let limits = http::Limits::default();
    let shared = Arc::new(http::Shared::new(loopback, &limits));
    // Event paths are absolute and resolved; so are the paths the builder compares them with.
    let root = std::fs::canonicalize(&opts.root).map_err(|e| Error::io(&opts.root, e))?;
    // Watching starts before the first build, so an edit made during it is not lost.
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watch = watch::Watch::new(&root, tx)?;
    let mut builder = Builder::new(&root);
    rebuild(&mut builder, &mut watch, &Changes::default(), &shared, true);

    let url = match addr.ip() {
        IpAddr::V6(ip) => format!("http://[{ip}]:{}/", addr.port()),
        IpAddr::V4(ip) => format!("http://{ip}:{}/", addr.port()),
    };
    println!("Serving on {url}");
    // Scripts and tests read the address from this line.
    let _ = std::io::stdout().flush();
    eprintln!("Watching for changes; press Ctrl-C to stop.");
    if opts.open {
        open_browser(&url);
    }

    let loop_shared = shared.clone();
    std::thread::Builder::new()
        .name("accord-rebuild".into())
        .spawn(move || rebuild_loop(builder, watch, rx, &loop_shared))
        .map_err(|e| Error::Other(format!("cannot start the watcher: {e}")))?;

    runtime.block_on(http::serve_connections(
        listener,
        http::router(shared),
        limits,
    ));
    Ok(())
}

fn rebuild_loop(
    mut builder: Builder,
    mut watch: watch::Watch,
    rx: Receiver<notify::Event>,
    shared: &http::Shared,
) {
    while let Ok(first) = rx.recv() {
        let mut changes = watch.classify(&first);
        let started = Instant::now();
        loop {
            match rx.recv_timeout(QUIET) {
                Ok(ev) => changes.merge(watch.classify(&ev)),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
            if started.elapsed() > MAX_WAIT {
                break;
            }
        }
        if changes.is_empty() {
            continue;
        }
        rebuild(&mut builder, &mut watch, &changes, shared, false);
    }
}

fn rebuild(
    builder: &mut Builder,
    watch: &mut watch::Watch,
    changes: &Changes,
    shared: &http::Shared,
    first: bool,
) {
    let result = builder.build(changes);
    // Watch a new or replaced folder before anyone hears of this build: a client that edits
    // right after the event must not edit where nobody watches.
    watch.refresh(
        builder.content_dir().as_deref(),
        builder.output_dir().as_deref(),
    );
    match result {
        Ok(out) => {
            let site = &out.snapshot.site;
            if first && !out.snapshot.warnings.is_empty() {
                eprintln!("{}", format_diagnostics(&out.snapshot.warnings));
            }
            eprintln!(
                "{} {} pages in {:.0} ms ({} rendered)",
                if first { "Built" } else { "Rebuilt" },
                site.pages.len(),
                out.total.as_secs_f64() * 1000.0,
                out.rendered,
            );
            if std::env::var_os("ACCORD_TIMINGS").is_some() {
                for (stage, d) in &out.stages {
                    eprintln!("  {stage:<10} {:>8.1} ms", d.as_secs_f64() * 1000.0);
                }
            }
            shared.publish(out.snapshot);
        }
        Err(e) => {
            let text = match &e {
                Error::Content(d) => format_diagnostics(d),
                other => other.to_string(),
            };
            eprintln!("{text}");
            eprintln!("Serving the last good version until this is fixed.");
            shared.fail(text);
        }
    }
    builder.prepare();
}

fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    if let Err(e) = cmd.arg(url).spawn() {
        eprintln!("warning: cannot open a browser ({e}); open {url} yourself");
    }
}
