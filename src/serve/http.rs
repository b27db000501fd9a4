//! The HTTP side of `accord serve`: the built site from memory, the live-reload event stream, and
//! the error overlay.
//!
//! Only paths of the built site are ever answered. A request path is decoded once and rejected
//! with 400 when it tries to climb (`..`), hides a separator (`%2f`, `\`, `%5c`) or is not UTF-8;
//! what is left is looked up in the in-memory site, never joined onto a folder. The one exception,
//! files copied from the content folder, is read only when the path is in the site's own list of
//! them.

use std::convert::Infallible;
use std::net::IpAddr;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::broadcast;

use super::incremental::{is_index_path, Snapshot};
use crate::html::escape_html;

/// The live-reload event stream. Under `/__accord/`, which no page of a site can use because
/// content paths are made from file names.
pub const EVENTS_PATH: &str = "/__accord/events";

/// Events pushed to open tabs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Push {
    /// A build succeeded: reload.
    Reload,
    /// A build failed: reload to show the overlay over the last good page.
    BuildError,
}

impl Push {
    fn name(self) -> &'static str {
        match self {
            Push::Reload => "reload",
            // Not `error`: EventSource fires its own `error` event when the connection drops.
            Push::BuildError => "build-error",
        }
    }
}

/// Limits that keep the preview answering whatever its clients do.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Connections open at once. Further ones wait in the system's queue of the listening
    /// socket until one closes: never refused by accord, never more file handles than this.
    pub max_connections: usize,
    /// A connection must deliver a request's headers within this time of being opened (or of
    /// its previous response), or it is closed: a client that sends them slowly, or not at all,
    /// gives its place back. It does not limit how long a response, such as the live-reload
    /// stream, lasts.
    pub header_timeout: Duration,
    /// Live-reload streams open at once; the next one gets 503. Each lasts as long as its tab,
    /// so without this they alone could take every connection.
    pub max_event_streams: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 1024,
            header_timeout: Duration::from_secs(10),
            max_event_streams: 512,
        }
    }
}

/// Serves `app` on `listener` for as long as the process runs, within `limits`.
///
/// `axum::serve` sets no header timeout and accepts without bound, so a few hundred clients that
/// open connections and send nothing (or a byte at a time) would hold the preview; this loop runs
/// the same hyper connections with both limits.
pub async fn serve_connections(listener: TcpListener, app: axum::Router, limits: Limits) {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    loop {
        // Wait for a free slot before accepting: the connections over the limit wait in the
        // listening socket's queue, as on any busy server, instead of being read.
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return; // the semaphore is never closed
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of file handles, or the like: give closing connections a moment. A
                // connection reset before it was accepted needs no pause.
                if !matches!(
                    e.kind(),
                    std::io::ErrorKind::ConnectionAborted | std::io::ErrorKind::ConnectionReset
                ) {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                continue;
            }
        };
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let _slot = slot;
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout);
            // A failed connection (timed out, reset, malformed) concerns only its client.
            let _ = http.serve_connection(TokioIo::new(stream), service).await;
        });
    }
}

/// Everything the request handlers read; the rebuild thread writes it.
pub struct Shared {
    /// The last good site, or none when no build has succeeded yet.
    pub site: RwLock<Option<Arc<Snapshot>>>,
    /// The last build's errors, as shown in the overlay; none after a good build.
    pub errors: RwLock<Option<String>>,
    pub events: broadcast::Sender<Push>,
    /// Bound to loopback: only requests addressed to a loopback name are answered, which keeps
    /// web pages on other sites from reading the preview through DNS rebinding.
    pub loopback: bool,
    /// One permit per open live-reload stream ([`Limits::max_event_streams`]).
    streams: Arc<Semaphore>,
}

impl Shared {
    pub fn new(loopback: bool, limits: &Limits) -> Shared {
        Shared {
            site: RwLock::new(None),
            errors: RwLock::new(None),
            events: broadcast::channel(64).0,
            loopback,
            streams: Arc::new(Semaphore::new(limits.max_event_streams)),
        }
    }

    pub fn publish(&self, snapshot: Arc<Snapshot>) {
        if let Ok(mut s) = self.site.write() {
            *s = Some(snapshot);
        }
        if let Ok(mut e) = self.errors.write() {
            *e = None;
        }
        // No receiver (no tab open) is not an error.
        let _ = self.events.send(Push::Reload);
    }

    pub fn fail(&self, message: String) {
        if let Ok(mut e) = self.errors.write() {
            *e = Some(message);
        }
        let _ = self.events.send(Push::BuildError);
    }

    fn snapshot(&self) -> Option<Arc<Snapshot>> {
        self.site.read().ok().and_then(|s| s.clone())
    }

    fn errors(&self) -> Option<String> {
        self.errors.read().ok().and_then(|e| e.clone())
    }
}

pub fn router(shared: Arc<Shared>) -> axum::Router {
    axum::Router::new().fallback(handle).with_state(shared)
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if shared.loopback && !loopback_host(&headers) {
        return plain(
            StatusCode::FORBIDDEN,
            "accord serve answers only requests addressed to localhost\n",
        );
    }
    if method != Method::GET && method != Method::HEAD {
        let mut r = plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n");
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    if uri.path() == EVENTS_PATH {
        return match shared.streams.clone().try_acquire_owned() {
            Ok(permit) => events(&shared, permit).into_response(),
            Err(_) => plain(
                StatusCode::SERVICE_UNAVAILABLE,
                "too many live-reload connections; close some tabs of the preview\n",
            ),
        };
    }
    let path = match site_path(uri.path()) {
        Ok(p) => p,
        Err(status) => return plain(status, "bad request path\n"),
    };
    let Some(site) = shared.snapshot() else {
        // No build has succeeded yet: every page is the error overlay.
        return html(
            StatusCode::SERVICE_UNAVAILABLE,
            Bytes::from_static(b"<!doctype html><title>Build failed</title><body></body>"),
            &shared,
        );
    };
    // Views and the index are rendered on first request, which can take a while on a large
    // site: off the async workers.
    let lookup_site = site.clone();
    let lookup_path = path.clone();
    let found = tokio::task::spawn_blocking(move || lookup(&lookup_site, &lookup_path)).await;
    match found {
        Ok(Found::File(bytes)) => respond(StatusCode::OK, &path, bytes, &shared),
        Ok(Found::Directory) => {
            let mut r = StatusCode::PERMANENT_REDIRECT.into_response();
            if let Ok(v) = HeaderValue::from_str(&format!("{}/", uri.path())) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        Ok(Found::Missing(page)) => match page {
            Some(bytes) => respond(StatusCode::NOT_FOUND, "404.html", at_root(&bytes), &shared),
            None => plain(StatusCode::NOT_FOUND, "not found\n"),
        },
        Ok(Found::Failed(message)) => {
            eprintln!("error: {message}");
            let overlay = overlay(&message);
            let body = format!("<!doctype html><title>Render failed</title><body>{overlay}</body>");
            html(
                StatusCode::INTERNAL_SERVER_ERROR,
                Bytes::from(body),
                &shared,
            )
        }
        Err(_) => plain(StatusCode::INTERNAL_SERVER_ERROR, "internal error\n"),
    }
}

enum Found {
    File(Bytes),
    /// A folder requested without its trailing slash: relative links need the slash.
    Directory,
    /// With the site's 404 page when it has one.
    Missing(Option<Bytes>),
    Failed(String),
}

fn lookup(site: &Snapshot, path: &str) -> Found {
    if let Some(b) = site.pages.get(path).or_else(|| site.statics.get(path)) {
        return Found::File(b.clone());
    }
    if site.in_translation(path) {
        return match site.translations() {
            Ok(files) => match files
                .get(path)
                .or_else(|| files.get(&format!("{path}/index.html")))
            {
                Some(b) if files.contains_key(path) => Found::File(b.clone()),
                Some(_) => Found::Directory,
                None => Found::Missing(site.views().ok().and_then(|v| v.get("404.html").cloned())),
            },
            Err(e) => Found::Failed(e.to_string()),
        };
    }
    if site.assets.contains(path) {
        return match std::fs::read(site.content_dir.join(path)) {
            Ok(b) => Found::File(Bytes::from(b)),
            // Deleted since the last build: the watcher will rebuild.
            Err(_) => Found::Missing(None),
        };
    }
    if is_index_path(path) {
        return match site.index() {
            Ok(files) => files
                .get(path)
                .map_or(Found::Missing(None), |b| Found::File(b.clone())),
            Err(e) => Found::Failed(format!("search index: {e}")),
        };
    }
    if site.has_page(&format!("{path}/index.html")) {
        return Found::Directory;
    }
    match site.views() {
        Ok(views) => match views.get(path) {
            Some(b) => Found::File(b.clone()),
            None => Found::Missing(views.get("404.html").cloned()),
        },
        Err(e) => Found::Failed(e.to_string()),
    }
}

/// Maps a request path onto a path of the built site, or the status to refuse it with.
pub fn site_path(raw: &str) -> Result<String, StatusCode> {
    let lower = raw.to_ascii_lowercase();
    // Encoded separators and NUL would let one segment act as several; backslashes are
    // separators on Windows.
    if raw.contains('\\') || ["%2f", "%5c", "%00"].iter().any(|s| lower.contains(s)) {
        return Err(StatusCode::BAD_REQUEST);
    }
    let decoded = percent_decode(raw).ok_or(StatusCode::BAD_REQUEST)?;
    if decoded.contains('\0') {
        return Err(StatusCode::BAD_REQUEST);
    }
    let mut segments = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" => {}
            "." | ".." => return Err(StatusCode::BAD_REQUEST),
            s => segments.push(s),
        }
    }
    let mut path = segments.join("/");
    if path.is_empty() {
        path = "index.html".into();
    } else if decoded.ends_with('/') {
        path.push_str("/index.html");
    }
    Ok(path)
}

/// `%XX` decoding; `None` for a malformed escape or a result that is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    // The decoder keeps a malformed escape as it is; a request path with one is refused instead.
    let malformed = s.match_indices('%').any(|(i, _)| {
        !s.get(i + 1..i + 3)
            .is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
    });
    if malformed {
        return None;
    }
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(|c| c.into_owned())
}

/// The `Host` header names this machine: `localhost`, a `*.localhost` name or a loopback
/// address, with or without a port. Requests without one (HTTP/1.0) are let through.
fn loopback_host(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST) else {
        return true;
    };
    let Ok(host) = host.to_str() else {
        return false;
    };
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    let name = name.to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "wasm" => "application/wasm",
        "zip" => "application/zip",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        _ => "application/octet-stream",
    }
}

fn respond(status: StatusCode, path: &str, bytes: Bytes, shared: &Shared) -> Response {
    let ty = content_type(path);
    if ty.starts_with("text/html") {
        return html(status, bytes, shared);
    }
    with_headers(status, ty, Body::from(bytes))
}

fn with_headers(status: StatusCode, ty: &'static str, body: Body) -> Response {
    let mut r = Response::new(body);
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ty));
    // A preview must show the file as it is now, never a cached copy.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    with_headers(status, "text/plain; charset=utf-8", Body::from(text))
}

/// Served HTML gets the reload script and, while the last build failed, the error overlay.
/// Only here: `accord build` output never contains either.
fn html(status: StatusCode, bytes: Bytes, shared: &Shared) -> Response {
    let mut extra = String::new();
    if let Some(errors) = shared.errors() {
        extra.push_str(&overlay(&errors));
    }
    extra.push_str(RELOAD_SCRIPT);
    let mut out = Vec::with_capacity(bytes.len() + extra.len());
    match find_last_ci(&bytes, b"</body>") {
        Some(at) => {
            out.extend_from_slice(&bytes[..at]);
            out.extend_from_slice(extra.as_bytes());
            out.extend_from_slice(&bytes[at..]);
        }
        None => {
            out.extend_from_slice(&bytes);
            out.extend_from_slice(extra.as_bytes());
        }
    }
    with_headers(status, "text/html; charset=utf-8", Body::from(out))
}

/// The 404 page links relative to the site root, but is served at whatever path was asked for.
fn at_root(page: &[u8]) -> Bytes {
    let Some(at) = find_first_ci(page, b"<head>") else {
        return Bytes::copy_from_slice(page);
    };
    let at = at + b"<head>".len();
    let mut out = Vec::with_capacity(page.len() + 24);
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(b"<base href=\"/\">");
    out.extend_from_slice(&page[at..]);
    Bytes::from(out)
}

fn find_first_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

fn find_last_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=hay.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

const RELOAD_SCRIPT: &str = r#"<script id="accord-live-reload">
(function () {
  // accord serve: reload when the site is rebuilt. Reconnecting after the server restarted
  // reloads too, so the page never shows an old build.
  var connected = false;
  var es = new EventSource("/__accord/events");
  es.addEventListener("hello", function () { if (connected) location.reload(); connected = true; });
  es.addEventListener("reload", function () { location.reload(); });
  es.addEventListener("build-error", function () { location.reload(); });
})();
</script>
"#;

/// The build errors over the page, one `path:line:col: error: message` per line.
pub fn overlay(errors: &str) -> String {
    format!(
        r#"<div id="accord-error-overlay" role="alert" style="position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.94);color:#f6f6f6;font:15px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:2rem">
<button type="button" onclick="this.parentNode.remove()" style="float:right;font:inherit;padding:.25rem .75rem">Close</button>
<p style="margin:0 0 1rem;font-weight:bold;color:#ff8a80">The site could not be rebuilt. The last good version is shown underneath; fix the file and save to reload.</p>
<pre style="white-space:pre-wrap;margin:0">{}</pre>
</div>
"#,
        escape_html(errors)
    )
}

fn events(
    shared: &Shared,
    permit: OwnedSemaphorePermit,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = shared.events.subscribe();
    // `hello` tells a client its subscription is in place, so no rebuild can be missed after it.
    let hello = stream::once(async { Ok(Event::default().event("hello").data("accord")) });
    let pushes = stream::unfold(rx, |mut rx| async move {
        let push = match rx.recv().await {
            Ok(p) => p,
            // Too far behind to tell what happened: reloading is always right.
            Err(broadcast::error::RecvError::Lagged(_)) => Push::Reload,
            Err(broadcast::error::RecvError::Closed) => return None,
        };
        Some((
            Ok(Event::default().event(push.name()).data(push.name())),
            rx,
        ))
    });
    // The permit lives as long as the stream: dropped with it when the tab goes away.
    let stream = hello.chain(pushes).map(move |event| {
        let _held = &permit;
        event
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_into_the_site() {
        assert_eq!(site_path("/").as_deref(), Ok("index.html"));
        assert_eq!(site_path("/a/b.html").as_deref(), Ok("a/b.html"));
        assert_eq!(site_path("/a/").as_deref(), Ok("a/index.html"));
        assert_eq!(site_path("/a%20b.html").as_deref(), Ok("a b.html"));
        assert_eq!(site_path("//a.html").as_deref(), Ok("a.html"));
    }

    #[test]
    fn traversal_is_refused() {
        for p in [
            "/../book.toml",
            "/a/../../book.toml",
            "/%2e%2e/book.toml",
            "/%2E%2E/book.toml",
            "/a/%2e%2e%2fbook.toml",
            "/..%5cbook.toml",
            "/..\\book.toml",
            "/a/./b.html",
            "/%ff.html",
            "/%zz",
            "/a%00.html",
        ] {
            assert_eq!(site_path(p), Err(StatusCode::BAD_REQUEST), "{p}");
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(
            content_type("assets/accord-search.wasm"),
            "application/wasm"
        );
        assert_eq!(content_type("a.JS"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("feed.xml"), "application/xml; charset=utf-8");
        assert_eq!(content_type("x.svg"), "image/svg+xml");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }

    #[test]
    fn overlay_escapes_messages() {
        let o = overlay("content/a.md:3:1: error: <script>alert(1)</script>");
        assert!(o.contains("content/a.md:3:1"));
        assert!(!o.contains("<script>alert"));
    }

    #[test]
    fn host_check() {
        let mut h = HeaderMap::new();
        for (host, ok) in [
            ("localhost:3000", true),
            ("127.0.0.1:3000", true),
            ("[::1]:3000", true),
            ("docs.localhost", true),
            ("evil.example:3000", false),
            ("10.0.0.1", false),
        ] {
            h.insert(header::HOST, HeaderValue::from_static(host));
            assert_eq!(loopback_host(&h), ok, "{host}");
        }
    }
}
