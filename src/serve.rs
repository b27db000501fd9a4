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
    /// Only warnings and errors on the terminal.
    pub quiet: bool,
    /// Each rebuild's stage times too.
    pub timings: bool,
}

/// What the rebuild loop prints besides errors.
#[derive(Clone, Copy)]
struct Chatter {
    quiet: bool,
    timings: bool,
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
    let chatter = Chatter {
        quiet: opts.quiet,
        timings: opts.timings,
    };
    rebuild(
        &mut builder,
        &mut watch,
        &Changes::default(),
        &shared,
        true,
        chatter,
    );

    let url = match addr.ip() {
        IpAddr::V6(ip) => format!("http://[{ip}]:{}/", addr.port()),
        IpAddr::V4(ip) => format!("http://{ip}:{}/", addr.port()),
    };
    println!("Serving on {url}");
    // Scripts and tests read the address from this line.
    let _ = std::io::stdout().flush();
    if !opts.quiet {
        eprintln!("Watching for changes; press Ctrl-C to stop.");
    }
    if opts.open {
        open_browser(&url);
    }

    let loop_shared = shared.clone();
    std::thread::Builder::new()
        .name("accord-rebuild".into())
        .spawn(move || rebuild_loop(builder, watch, rx, &loop_shared, chatter))
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
    chatter: Chatter,
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
        rebuild(&mut builder, &mut watch, &changes, shared, false, chatter);
    }
}

fn rebuild(
    builder: &mut Builder,
    watch: &mut watch::Watch,
    changes: &Changes,
    shared: &http::Shared,
    first: bool,
    chatter: Chatter,
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
            if !chatter.quiet {
                eprintln!(
                    "{} {} pages in {:.0} ms ({} rendered)",
                    if first { "Built" } else { "Rebuilt" },
                    site.pages.len(),
                    out.total.as_secs_f64() * 1000.0,
                    out.rendered,
                );
            }
            if chatter.timings {
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

/// Opens `url` in the user's browser, or says why it cannot and leaves it to the user.
fn open_browser(url: &str) {
    let mut cmd = match browser_command() {
        Ok(cmd) => cmd,
        Err(why) => {
            eprintln!("warning: cannot open a browser: {why}; open {url} yourself");
            return;
        }
    };
    let shown = format!("{cmd:?}");
    cmd.arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null());
    match cmd.spawn() {
        // Waited for on a thread of its own, so a launcher that fails (no browser configured)
        // is reported without holding up the server.
        Ok(mut child) => {
            let url = url.to_string();
            let _ = std::thread::Builder::new()
                .name("accord-open".into())
                .spawn(move || match child.wait() {
                    Ok(status) if !status.success() => eprintln!(
                        "warning: cannot open a browser: {shown} exited with {status}; open {url} \
                         yourself"
                    ),
                    _ => {}
                });
        }
        Err(e) => eprintln!("warning: cannot open a browser: {shown}: {e}; open {url} yourself"),
    }
}

/// The program that opens a URL here: `$BROWSER` where set (the convention of xdg-open and
/// Python's webbrowser), else the system's launcher; on Linux and the BSDs only in a graphical
/// session, since xdg-open would otherwise start a text browser inside the terminal the
/// server is printing to.
fn browser_command() -> std::result::Result<std::process::Command, String> {
    if let Some(browser) = std::env::var_os("BROWSER").filter(|b| !b.is_empty()) {
        let browser = browser.to_string_lossy().into_owned();
        // A list of commands separated by `:`; the first is the one to try.
        let first = browser
            .split(':')
            .next()
            .unwrap_or_default()
            .trim()
            .to_string();
        return Ok(std::process::Command::new(first));
    }
    if cfg!(target_os = "macos") {
        return Ok(std::process::Command::new("open"));
    }
    if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        return Ok(c);
    }
    let graphical = ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|v| std::env::var_os(v).is_some_and(|x| !x.is_empty()));
    if !graphical {
        return Err(
            "no graphical session (DISPLAY and WAYLAND_DISPLAY are unset) and BROWSER is not set"
                .into(),
        );
    }
    Ok(std::process::Command::new("xdg-open"))
}
