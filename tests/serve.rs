//! `accord serve` end to end: the real binary on an ephemeral loopback port, a fixture project in
//! a temporary folder, plain HTTP/1.1 over `TcpStream` (so request paths reach the server exactly
//! as written, with no client normalising them), and the live-reload event stream read the way
//! a browser's EventSource reads it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

/// Generous: the tests share a small machine with compilers, and a debug build is slow.
const EVENT_TIMEOUT: Duration = Duration::from_secs(60);

const BOOK: &str = r#"[book]
title = "Serve fixture"
description = "A site for the serve tests"
authors = []
language = "en"
src = "content"

[build]
build-dir = "site"
"#;

const HOME: &str =
    "---\ntitle: Serve fixture\nsummary: Home.\n---\n\nStart with [page A](notes/a.md).\n";
const NOTES: &str = "---\ntitle: Notes\nsummary: Notes.\nweight: 1\n---\n\nThe notes.\n";
const PAGE_A: &str = "---\ntitle: Page A\nsummary: The first page.\n---\n\nOriginal text of A. See [page B](b.md).\n";
const PAGE_B: &str = "---\ntitle: Page B\nsummary: The second page.\n---\n\nText of B.\n";

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    for (rel, text) in [
        ("book.toml", BOOK),
        ("content/_index.md", HOME),
        ("content/notes/_index.md", NOTES),
        ("content/notes/a.md", PAGE_A),
        ("content/notes/b.md", PAGE_B),
        ("content/files/data.json", "{\"a\": 1}\n"),
        // Outside the content folder: must never be served.
        ("secret.txt", "TOP-SECRET-VALUE\n"),
    ] {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write fixture");
    }
    dir
}

/// Saves the way many editors do: write a temporary file beside the page, rename it over.
fn save(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    let tmp = path.with_file_name(format!(
        ".{}.swp",
        path.file_name().expect("name").to_string_lossy()
    ));
    std::fs::write(&tmp, text).expect("write");
    std::fs::rename(&tmp, &path).expect("rename");
}

struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_accord"))
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start accord serve");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("Serving on http://127.0.0.1:") {
                    let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
                    let _ = tx.send(port.parse::<u16>().expect("port number"));
                }
            }
        });
        let port = rx
            .recv_timeout(EVENT_TIMEOUT)
            .expect("accord serve printed no `Serving on` line");
        Server { child, port }
    }

    fn get(&self, path: &str) -> Response {
        request(
            self.port,
            &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
        )
    }

    /// Subscribes to the reload stream and waits for its greeting, after which no rebuild can
    /// be missed.
    fn events(&self) -> Events {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.write_all(b"GET /__accord/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
            .expect("subscribe");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(s);
            let mut line = String::new();
            while r.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
                if let Some(ev) = line.trim_end().strip_prefix("event:") {
                    if tx.send(ev.trim().to_string()).is_err() {
                        return;
                    }
                }
                line.clear();
            }
        });
        let events = Events(rx);
        assert_eq!(events.next(), "hello");
        events
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Events(Receiver<String>);

impl Events {
    fn next(&self) -> String {
        self.0
            .recv_timeout(EVENT_TIMEOUT)
            .expect("no event from accord serve in time")
    }

    /// Events that arrive within `d`.
    fn drain_for(&self, d: Duration) -> Vec<String> {
        let end = Instant::now() + d;
        let mut out = Vec::new();
        while let Some(left) = end.checked_duration_since(Instant::now()) {
            match self.0.recv_timeout(left) {
                Ok(e) => out.push(e),
                Err(_) => break,
            }
        }
        out
    }
}

#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn request(port: u16, raw: &str) -> Response {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(EVENT_TIMEOUT)).expect("timeout");
    s.write_all(raw.as_bytes()).expect("send");
    let mut bytes = Vec::new();
    s.read_to_end(&mut bytes).expect("read response");
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Response {
        status,
        headers,
        body: body.to_string(),
    }
}

#[test]
fn an_edit_is_served_and_open_tabs_are_told_to_reload() {
    let dir = project();
    let server = Server::start(dir.path());
    let first = server.get("/notes/a.html");
    assert_eq!(first.status, 200);
    assert!(first.body.contains("Original text of A"));
    assert!(
        first.body.contains("/__accord/events"),
        "served HTML carries the reload script"
    );

    let events = server.events();
    save(
        dir.path(),
        "content/notes/a.md",
        &PAGE_A.replace("Original text of A", "Edited text of A"),
    );
    assert_eq!(events.next(), "reload");
    let after = server.get("/notes/a.html");
    assert_eq!(after.status, 200);
    assert!(after.body.contains("Edited text of A"), "{}", after.body);
    assert!(!after.body.contains("Original text of A"));

    // A new link shows up in the "referenced by" list of the page it points to, which is
    // rendered again although its own file did not change.
    let backlink = "notes/b.html\">Page B</a></li>";
    let referenced_by = |body: &str| {
        body.split("id=\"referenced-by\"")
            .nth(1)
            .map(|s| s.split("</section>").next().unwrap_or("").to_string())
            .unwrap_or_default()
    };
    assert!(
        !referenced_by(&after.body).contains(backlink),
        "{}",
        after.body
    );
    save(
        dir.path(),
        "content/notes/b.md",
        &format!("{PAGE_B}\nBack to [page A](a.md).\n"),
    );
    assert_eq!(events.next(), "reload");
    let linked = server.get("/notes/a.html").body;
    assert!(referenced_by(&linked).contains(backlink), "{linked}");
}

#[test]
fn the_reload_script_is_never_in_build_output() {
    let dir = project();
    let out = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["build", "--root"])
        .arg(dir.path())
        .output()
        .expect("run accord build");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for entry in walk(&dir.path().join("site")) {
        let text = String::from_utf8_lossy(&std::fs::read(&entry).expect("read")).into_owned();
        assert!(
            !text.contains("__accord") && !text.contains("accord-error-overlay"),
            "{} carries serve-only markup",
            entry.display()
        );
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir)
        .expect("read dir")
        .map_while(Result::ok)
    {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn a_broken_page_shows_the_overlay_over_the_last_good_site_until_fixed() {
    let dir = project();
    let server = Server::start(dir.path());
    let events = server.events();

    // Line 3 of the file: an unknown front-matter key.
    save(
        dir.path(),
        "content/notes/a.md",
        "---\ntitle: Page A\ntitel: <b>typo</b>\n---\n\nBroken text of A.\n",
    );
    assert_eq!(events.next(), "build-error");
    let page = server.get("/notes/a.html");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("accord-error-overlay"), "{}", page.body);
    assert!(
        page.body.contains("content/notes/a.md:3"),
        "overlay names the file and line: {}",
        page.body
    );
    assert!(page.body.contains("titel"));
    assert!(
        !page.body.contains("<b>typo</b>"),
        "messages are escaped in the overlay"
    );
    assert!(
        page.body.contains("Original text of A"),
        "the last good page is still served"
    );
    assert!(!page.body.contains("Broken text of A"));
    // Every page shows the overlay, not only the broken one.
    assert!(server.get("/").body.contains("accord-error-overlay"));

    save(
        dir.path(),
        "content/notes/a.md",
        &PAGE_A.replace("Original text of A", "Fixed text of A"),
    );
    assert_eq!(events.next(), "reload");
    let page = server.get("/notes/a.html");
    assert!(!page.body.contains("accord-error-overlay"));
    assert!(page.body.contains("Fixed text of A"));
}

#[test]
fn a_template_error_is_shown_and_cleared_the_same_way() {
    let dir = project();
    let server = Server::start(dir.path());
    let events = server.events();
    let tpl = dir.path().join("themes/default/templates/page.html");
    std::fs::create_dir_all(tpl.parent().expect("parent")).expect("mkdir");
    std::fs::write(&tpl, "{% extends \"base.html\" %}\n{% block content %}{{ content | safe }\n{% endblock content %}\n").expect("write");
    assert_eq!(events.next(), "build-error");
    let page = server.get("/notes/a.html");
    assert!(page.body.contains("accord-error-overlay"));
    assert!(page.body.contains("page.html"), "{}", page.body);
    assert!(page.body.contains("Original text of A"));

    std::fs::remove_file(&tpl).expect("remove");
    assert_eq!(events.next(), "reload");
    assert!(!server
        .get("/notes/a.html")
        .body
        .contains("accord-error-overlay"));
}

#[test]
fn a_deleted_page_breaks_the_links_to_it_and_then_disappears() {
    let dir = project();
    let server = Server::start(dir.path());
    let events = server.events();

    std::fs::remove_file(dir.path().join("content/notes/b.md")).expect("remove");
    assert_eq!(events.next(), "build-error");
    let page = server.get("/notes/a.html");
    assert!(
        page.body.contains("content/notes/a.md:6"),
        "the broken link is reported where it is: {}",
        page.body
    );

    save(
        dir.path(),
        "content/notes/a.md",
        &PAGE_A.replace(" See [page B](b.md).", ""),
    );
    assert_eq!(events.next(), "reload");
    let gone = server.get("/notes/b.html");
    assert_eq!(gone.status, 404);
    assert!(gone.body.contains("Page not found"), "the site's 404 page");
    assert_eq!(server.get("/notes/a.html").status, 200);

    // A rename is a deletion and a creation.
    std::fs::rename(
        dir.path().join("content/notes/a.md"),
        dir.path().join("content/notes/c.md"),
    )
    .expect("rename");
    assert_eq!(events.next(), "build-error", "the home page links to a.md");
}

#[test]
fn swap_and_backup_files_are_ignored_and_bursts_coalesce() {
    let dir = project();
    let server = Server::start(dir.path());
    let events = server.events();

    // Junk that would fail the build if it were read as content.
    for name in [".a.md.swp", "a.md~", ".#a.md", "#a.md#", "a.md.swx"] {
        std::fs::write(dir.path().join("content/notes").join(name), "---\nbad: [\n")
            .expect("write");
    }
    // Then a burst, as from `git checkout`: many files within a few milliseconds.
    for i in 0..40 {
        std::fs::write(
            dir.path().join(format!("content/notes/burst-{i}.md")),
            format!("---\ntitle: Burst {i}\n---\n\nBurst page {i}.\n"),
        )
        .expect("write");
    }
    assert_eq!(events.next(), "reload", "the editor files are not content");
    let more = events.drain_for(Duration::from_secs(2));
    assert!(
        more.len() <= 2,
        "40 files written at once rebuild once or twice, not {} times",
        more.len() + 1
    );
    assert!(more.iter().all(|e| e == "reload"), "{more:?}");
    for i in [0, 39] {
        let r = server.get(&format!("/notes/burst-{i}.html"));
        assert_eq!(r.status, 200);
        assert!(r.body.contains(&format!("Burst page {i}.")));
    }
    assert_eq!(server.get("/notes/a.md~").status, 404);
}

#[test]
fn only_the_built_site_is_served() {
    let dir = project();
    let server = Server::start(dir.path());
    for path in [
        "/../secret.txt",
        "/../../secret.txt",
        "/notes/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/notes/..%2F..%2Fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/notes\\..\\..\\secret.txt",
        "/%252e%252e/secret.txt",
        "/.%2e/secret.txt",
        "//secret.txt",
        "/secret.txt",
        "/book.toml",
        "/content/notes/a.md",
        "/notes/a.md",
        "/%00/secret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "/../../../../../../etc/passwd",
    ] {
        let r = server.get(path);
        assert!(
            r.status == 400 || r.status == 404,
            "{path}: status {}",
            r.status
        );
        assert!(
            !r.body.contains("TOP-SECRET-VALUE")
                && !r.body.contains("[book]")
                && !r.body.contains("root:x:0"),
            "{path} leaked a file"
        );
    }
    // Unknown paths get the site's own 404 page.
    let missing = server.get("/no/such/page.html");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("Page not found"));

    // Only requests addressed to this machine are answered while bound to loopback.
    let rebound = request(
        server.port,
        "GET / HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(rebound.status, 403);
    let post = request(
        server.port,
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(post.status, 405);
}

#[test]
fn files_have_their_content_types_and_folders_their_index() {
    let dir = project();
    let server = Server::start(dir.path());
    for (path, ty) in [
        ("/", "text/html"),
        ("/notes/", "text/html"),
        ("/notes/index.html", "text/html"),
        ("/assets/accord-search.wasm", "application/wasm"),
        ("/assets/search.js", "text/javascript"),
        ("/assets/style.css", "text/css"),
        ("/feed.xml", "application/xml"),
        ("/manifest.webmanifest", "application/manifest+json"),
        ("/files/data.json", "application/json"),
        ("/search/index.bin", "application/octet-stream"),
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 200, "{path}");
        let got = r.header("content-type").unwrap_or("");
        assert!(got.starts_with(ty), "{path}: {got}");
        assert_eq!(
            r.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
    }
    assert!(server.get("/notes/").body.contains("Page A"));
    let redirect = server.get("/notes");
    assert_eq!(redirect.status, 308);
    assert_eq!(redirect.header("location"), Some("/notes/"));
    assert!(
        !server.get("/assets/style.css").body.contains("__accord"),
        "only HTML gets the reload script"
    );
}

#[test]
fn a_hundred_concurrent_clients_are_all_answered() {
    let dir = project();
    let server = Server::start(dir.path());
    // Views are rendered on first request; do it once so the timing below is the server's.
    assert_eq!(server.get("/feed.xml").status, 200);
    let _listener = server.events();
    let port = server.port;
    let start = Instant::now();
    let clients: Vec<_> = (0..100)
        .map(|i| {
            std::thread::spawn(move || {
                let paths = ["/", "/notes/a.html", "/assets/style.css", "/nope.html"];
                let mut statuses = Vec::new();
                for k in 0..3 {
                    let path = paths[(i + k) % paths.len()];
                    let r = request(
                        port,
                        &format!(
                            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                        ),
                    );
                    statuses.push((path, r.status));
                }
                statuses
            })
        })
        .collect();
    let mut answered = 0;
    for c in clients {
        for (path, status) in c.join().expect("client thread") {
            let want = if path == "/nope.html" { 404 } else { 200 };
            assert_eq!(status, want, "{path}");
            answered += 1;
        }
    }
    assert_eq!(answered, 300);
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "300 requests took {:?}",
        start.elapsed()
    );
    // Still up afterwards.
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn a_page_nested_ten_thousand_deep_shows_the_overlay_and_the_preview_keeps_running() {
    let dir = project();
    let server = Server::start(dir.path());
    let events = server.events();
    save(
        dir.path(),
        "content/notes/a.md",
        &format!("---\ntitle: Page A\n---\n\n{} deep\n", ">".repeat(10_000)),
    );
    assert_eq!(events.next(), "build-error");
    let page = server.get("/notes/a.html");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("content/notes/a.md:5:101"),
        "overlay names the place: {}",
        page.body
    );
    assert!(page.body.contains("nest more than 100 levels deep"));
    save(
        dir.path(),
        "content/notes/a.md",
        &PAGE_A.replace("Original text of A", "Flat again"),
    );
    assert_eq!(events.next(), "reload");
    assert!(server.get("/notes/a.html").body.contains("Flat again"));
}

/// Opens a connection and sends the start of a request, never its end: a slow-header client.
fn slow_client(port: u16) -> TcpStream {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        .expect("send");
    s
}

#[test]
fn slow_header_clients_neither_stop_the_preview_nor_stay_open() {
    let dir = project();
    let server = Server::start(dir.path());
    let slow: Vec<TcpStream> = (0..200).map(|_| slow_client(server.port)).collect();
    let start = Instant::now();
    let page = server.get("/notes/a.html");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Original text of A"));
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "answered after {:?}",
        start.elapsed()
    );
    // Each is closed once the header timeout (10 s) has passed: reading ends.
    let deadline = Instant::now() + Duration::from_secs(25);
    for mut s in slow {
        let left = deadline.saturating_duration_since(Instant::now());
        s.set_read_timeout(Some(left.max(Duration::from_millis(1))))
            .expect("timeout");
        let mut rest = Vec::new();
        assert!(
            s.read_to_end(&mut rest).is_ok(),
            "a slow-header connection was still open after 25 s"
        );
    }
    assert_eq!(server.get("/").status, 200);
}

/// Runs [`accord::serve::serve_connections`] on a port of its own with `limits`, answering
/// `ok` to every request, or the preview's own router when given one.
fn limited_server(limits: accord::serve::Limits, app: Option<axum::Router>) -> u16 {
    let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    std_listener.set_nonblocking(true).expect("nonblocking");
    let port = std_listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(std_listener).expect("listener");
            let app = app.unwrap_or_else(|| axum::Router::new().fallback(|| async { "ok" }));
            accord::serve::serve_connections(listener, app, limits).await;
        });
    });
    port
}

#[test]
fn connections_over_the_cap_wait_for_a_free_place_and_are_then_answered() {
    let limits = accord::serve::Limits {
        max_connections: 4,
        header_timeout: Duration::from_millis(800),
        max_event_streams: 2,
    };
    let port = limited_server(limits, None);
    let ask = || {
        request(
            port,
            "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        )
    };
    assert_eq!(ask().body, "ok");

    // Four silent connections take every place: a fifth waits until the header timeout frees
    // one, and is answered then.
    let silent: Vec<TcpStream> = (0..4)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).expect("connect"))
        .collect();
    std::thread::sleep(Duration::from_millis(100));
    let start = Instant::now();
    assert_eq!(ask().body, "ok");
    let waited = start.elapsed();
    assert!(
        waited >= Duration::from_millis(500) && waited < Duration::from_secs(10),
        "answered after {waited:?}"
    );
    drop(silent);

    // Far over the cap, slow and silent alike: the server is still there afterwards, and a
    // client that closes gives its place back at once.
    let crowd: Vec<TcpStream> = (0..100).map(|_| slow_client(port)).collect();
    drop(crowd);
    let start = Instant::now();
    assert_eq!(ask().body, "ok");
    assert!(start.elapsed() < Duration::from_secs(10));
    for _ in 0..20 {
        assert_eq!(ask().status, 200);
    }
}

#[test]
fn live_reload_streams_beyond_their_cap_get_503() {
    let limits = accord::serve::Limits {
        max_connections: 16,
        header_timeout: Duration::from_secs(5),
        max_event_streams: 2,
    };
    let shared = std::sync::Arc::new(accord::serve::Shared::new(true, &limits));
    let port = limited_server(limits, Some(accord::serve::router(shared)));
    let stream = || {
        let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        s.write_all(b"GET /__accord/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .expect("subscribe");
        let mut r = BufReader::new(s);
        let mut status = String::new();
        r.read_line(&mut status).expect("status line");
        (status, r)
    };
    let (first, a) = stream();
    let (second, _b) = stream();
    let (third, _) = stream();
    assert_eq!(first, "HTTP/1.1 200 OK\r\n");
    assert_eq!(second, "HTTP/1.1 200 OK\r\n");
    assert_eq!(third, "HTTP/1.1 503 Service Unavailable\r\n");
    // A closed tab gives its stream back.
    drop(a);
    let start = Instant::now();
    loop {
        let (status, _) = stream();
        if status == "HTTP/1.1 200 OK\r\n" {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "{status}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_symlinked_folder_and_the_output_folder_cause_no_rebuilds() {
    let dir = project();
    // A folder outside the project, written to all the time (a log, a build), linked into the
    // content folder; the build does not follow the link, so the preview must not either.
    let busy = tempfile::tempdir().expect("temporary folder");
    std::fs::create_dir_all(busy.path().join("sub")).expect("mkdir");
    #[cfg(unix)]
    std::os::unix::fs::symlink(busy.path(), dir.path().join("content/notes/linked"))
        .expect("symlink");
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path(), dir.path().join("content/up")).expect("symlink");
    let server = Server::start(dir.path());
    let events = server.events();

    let end = Instant::now() + Duration::from_secs(3);
    let mut i = 0;
    while Instant::now() < end {
        i += 1;
        std::fs::write(busy.path().join("log.md"), format!("line {i}\n")).expect("write");
        std::fs::write(busy.path().join("sub/x.md"), format!("line {i}\n")).expect("write");
        // What `accord build` writes: the output folder, its lock and its temporary folder.
        for rel in [
            "site/index.html",
            ".site.accord-new-1/index.html",
            ".site.accord-lock",
        ] {
            let p = dir.path().join(rel);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(p, format!("{i}")).expect("write");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let seen = events.drain_for(Duration::from_millis(500));
    assert!(i > 20, "only {i} writes");
    assert_eq!(
        seen,
        Vec::<String>::new(),
        "rebuilds with no edit to the content"
    );

    // The watcher still sees the content itself.
    save(
        dir.path(),
        "content/notes/a.md",
        &PAGE_A.replace("Original text of A", "Edited text of A"),
    );
    assert_eq!(events.next(), "reload");
}

/// The preview serves every language: the book's own rebuilt on each save, the others built on
/// their first request after it, and a translation's edit shows there too.
#[test]
fn the_preview_serves_every_language_and_their_edits() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/languages");
    for entry in walk(&fixture) {
        let rel = entry.strip_prefix(&fixture).expect("inside the fixture");
        let to = dir.path().join(rel);
        std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&entry, &to).expect("copy the fixture");
    }
    let server = Server::start(dir.path());
    let de = server.get("/de/principles/trust.html");
    assert_eq!(de.status, 200);
    assert!(
        de.body.contains("<h1>Vertrauen aufbauen</h1>"),
        "{}",
        de.body
    );
    assert_eq!(server.get("/pl/search/index.bin").status, 200);
    assert_eq!(server.get("/de/nothing.html").status, 404);
    assert_eq!(server.get("/de").status, 308);

    let events = server.events();
    let text = std::fs::read_to_string(dir.path().join("content/principles/trust.de.md"))
        .expect("read the translation");
    save(
        dir.path(),
        "content/principles/trust.de.md",
        &text.replace("Vertrauen aufbauen", "Vertrauen schaffen"),
    );
    assert_eq!(events.next(), "reload");
    let after = server.get("/de/principles/trust.html");
    assert!(
        after.body.contains("<h1>Vertrauen schaffen</h1>"),
        "{}",
        after.body
    );
}
