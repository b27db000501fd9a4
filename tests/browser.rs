//! The bundled knowledge base in a real browser.
//!
//! Builds the site into a temporary folder with the real binary and runs the node scripts in
//! `tests/browser/` twice: over http from `accord serve` on loopback, and on the built folder
//! opened from `file://`. They drive Debian's Chromium (`/usr/bin/chromium`) through
//! playwright-core and check what a reader sees: search, glossary definitions, navigation on a
//! phone and a desktop, the print page, accessibility (axe-core, WCAG 2.1 AA), no console
//! errors and no request leaving the site. Screenshots land in `screenshots/` (not committed).
//!
//! Without Chromium, node (20 or later) or `npm ci`'s `node_modules/`, each test says `SKIPPED`
//! and passes, and the end of `cargo test` counts it (tests/skip/mod.rs, tests/zz_skipped.rs),
//! except when `CI` is set: there a missing browser is a failure.
//!
//! `ACCORD_BREAK_SEARCH=1` replaces the built site's `assets/search.js` with a script that
//! throws, and then expects the browser tests to fail: a check that they can see a broken
//! search at all.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

mod skip;

/// The longest the browser tests may take before they are stopped and counted as failed: longer
/// than e2e.mjs's own limit (25 minutes), so that it reports which checks had run.
const NODE_LIMIT: Duration = Duration::from_secs(30 * 60);

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Written straight to the process's stderr, so it shows even while the test harness
/// captures the test's output.
fn say(msg: &str) {
    let _ = writeln!(std::io::stderr(), "{msg}");
}

/// What is missing to run the browser tests, if anything, and how to get it.
fn missing_prerequisite() -> Option<(String, String)> {
    let chromium = std::env::var("ACCORD_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        return Some((
            format!("{chromium} not found"),
            "install Chromium (apt-get install -y chromium) and run npm ci".into(),
        ));
    }
    if let Some(missing) = skip::node_missing() {
        return Some(missing);
    }
    for pkg in ["playwright-core", "axe-core"] {
        if !root()
            .join("node_modules")
            .join(pkg)
            .join("package.json")
            .exists()
        {
            return Some((format!("node_modules/{pkg} not found"), "run npm ci".into()));
        }
    }
    None
}

/// One browser at a time: the machine may have only two cores.
static ONE_BROWSER: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// False (after recording the skip) when the browser tests must be skipped; panics under CI.
fn can_run(test: &str) -> bool {
    match missing_prerequisite() {
        None => true,
        Some((why, fix)) => {
            skip::skip(&format!("tests/browser.rs: {test}"), &why, &fix);
            false
        }
    }
}

/// Builds the project in `root` into `site`, failing the test with accord's message if it fails.
fn build_site(root: &Path, site: &Path) {
    let build = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(site)
        .output()
        .expect("run accord build");
    assert!(
        build.status.success(),
        "accord build failed:\n{}",
        String::from_utf8_lossy(&build.stderr)
    );
}

#[test]
fn the_built_site_works_in_headless_chromium_over_http_and_from_disk() {
    if !can_run("the built site works in headless chromium over http and from disk") {
        return;
    }
    let _one = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());

    let tmp = tempfile::tempdir().expect("temp dir");
    let project = snapshot_project(tmp.path());
    let site = tmp.path().join("site");
    build_site(&project, &site);

    let break_search = std::env::var("ACCORD_BREAK_SEARCH").is_ok_and(|v| v == "1");
    if break_search {
        let js = site.join("assets/search.js");
        assert!(
            js.exists(),
            "ACCORD_BREAK_SEARCH=1 needs a site with assets/search.js"
        );
        // Long enough to count as a search script, broken at its first statement.
        let mut broken = String::from("throw new Error('search.js deliberately broken');\n");
        broken.push_str(&"// padding\n".repeat(40));
        std::fs::write(&js, broken).expect("break search.js");
    }

    // Over http the site comes from `accord serve`, the preview editors use, which builds the
    // same project in memory. The broken-search check needs the files on disk, so it (and
    // ACCORD_BROWSER_SERVER=static) serves the built folder as a plain web server would.
    let static_server =
        break_search || std::env::var("ACCORD_BROWSER_SERVER").is_ok_and(|v| v == "static");
    let served = if static_server {
        None
    } else {
        AccordServe::start(&project)
    };
    let base = match &served {
        Some(s) => s.url.clone(),
        None => serve_folder(&site),
    };
    say(&format!(
        "browser tests: http at {base}, file at {}",
        site.display()
    ));
    let index = site.join("index.html");
    let file_url = format!("file://{}", index.display());
    let shots = root().join("screenshots");

    let mut cmd = Command::new("node");
    cmd.current_dir(root())
        .arg("tests/browser/e2e.mjs")
        .args(["--http", &base, "--file", &file_url, "--screenshots"])
        .arg(&shots)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // A subset while working on one part: ACCORD_BROWSER_ONLY=search,a11y (of e2e, search,
    // reading, a11y, shots).
    if let Ok(only) = std::env::var("ACCORD_BROWSER_ONLY") {
        cmd.args(["--only", &only]);
    }
    let (status, out) = run_with_limit(cmd, NODE_LIMIT);
    drop(served);
    report(&out);

    if break_search {
        assert!(
            status != Some(0),
            "with a broken search.js the browser tests still passed:\n{out}"
        );
        assert!(
            out.lines()
                .any(|l| l.starts_with("not ok") && l.contains("search")),
            "with a broken search.js no search test failed:\n{out}"
        );
        say("broken search.js: the browser tests failed, as they should");
        return;
    }
    assert_eq!(status, Some(0), "the browser tests failed:\n{out}");
}

/// Issue 5's promise to people without a connection: the zip from `accord bundle`, unzipped
/// anywhere and opened from disk with the network off, navigates, searches (with filters),
/// shows glossary definitions, prints, and asks for nothing outside its folder.
#[test]
fn the_unzipped_bundle_works_from_disk_with_the_network_off() {
    if !can_run("the unzipped bundle works from disk with the network off") {
        return;
    }
    let _one = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());

    let tmp = tempfile::tempdir().expect("temp dir");
    let zip_path = tmp.path().join("kb.zip");
    let out = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["bundle", "--root"])
        .arg(root())
        .arg("--out")
        .arg(&zip_path)
        .output()
        .expect("run accord bundle");
    assert!(
        out.status.success(),
        "accord bundle failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let unpacked = tmp.path().join("unzipped");
    let file = std::fs::File::open(&zip_path).expect("open the bundle");
    zip::ZipArchive::new(file)
        .expect("read the bundle")
        .extract(&unpacked)
        .expect("unzip the bundle");
    // The zip holds the site directly or in one folder.
    let index = std::iter::once(unpacked.join("index.html"))
        .chain(
            std::fs::read_dir(&unpacked)
                .expect("list the unzipped bundle")
                .flatten()
                .map(|e| e.path().join("index.html")),
        )
        .find(|p| p.is_file())
        .expect("the unzipped bundle has an index.html");

    let mut cmd = Command::new("node");
    cmd.current_dir(root())
        .arg("tests/browser/e2e.mjs")
        .arg("--bundle")
        .arg(format!("file://{}", index.display()))
        .args(["--only", "e2e,search"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let (status, out) = run_with_limit(cmd, NODE_LIMIT);
    report(&out);
    assert_eq!(
        status,
        Some(0),
        "the unzipped bundle failed in the browser:\n{out}"
    );
}

/// A search index damaged after the build (one byte of `search/index.bin`, one character of
/// the base64 in `search/index.js`): the search box and the search page say so, over http and
/// from disk, instead of trapping the engine or waiting forever.
#[test]
fn a_damaged_search_index_is_reported_in_the_search_box() {
    if !can_run("a damaged search index is reported in the search box") {
        return;
    }
    let _one = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let tmp = tempfile::tempdir().expect("temp dir");
    let project = tmp.path().join("kb");
    accord::project::init(&project).expect("init");
    let site = tmp.path().join("site");
    build_site(&project, &site);
    let bin = site.join("search/index.bin");
    let mut bytes = std::fs::read(&bin).expect("read index");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&bin, &bytes).expect("damage index.bin");
    // A base64 letter swapped for another: still a script, still base64, other bytes.
    let js = site.join("search/index.js");
    let mut script = std::fs::read(&js).expect("read index.js");
    let at = script.len() / 2;
    script[at] = if script[at] == b'A' { b'B' } else { b'A' };
    std::fs::write(&js, &script).expect("damage index.js");

    assert_reports_damage(&site, "the damaged index head");

    // A whole head and damaged chunks: the search that reads them says so. Every chunk is
    // damaged, as each search reads only some.
    let site = tmp.path().join("site-chunks");
    build_site(&project, &site);
    for entry in std::fs::read_dir(site.join("search/chunks")).expect("chunks") {
        let path = entry.expect("entry").path();
        let mut bytes = std::fs::read(&path).expect("read chunk");
        let at = bytes.len() / 2;
        bytes[at] = if path.extension().is_some_and(|x| x == "js") {
            if bytes[at] == b'A' {
                b'B'
            } else {
                b'A'
            }
        } else {
            bytes[at] ^ 0x01
        };
        std::fs::write(&path, &bytes).expect("damage chunk");
    }
    assert_reports_damage(&site, "damaged index chunks");
}

fn assert_reports_damage(site: &Path, what: &str) {
    let base = serve_folder(site);
    let mut cmd = Command::new("node");
    cmd.current_dir(root())
        .arg("tests/browser/damaged.mjs")
        .args(["--http", &base, "--file"])
        .arg(format!("file://{}", site.join("index.html").display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let (status, out) = run_with_limit(cmd, NODE_LIMIT);
    report(&out);
    assert_eq!(status, Some(0), "{what} was not reported:\n{out}");
}

/// The whole report when run with --nocapture or when the test fails; the verdict always.
fn report(out: &str) {
    println!("{out}");
    for line in out.lines() {
        if line.starts_with("not ok") || line.starts_with("browser: ") || line.contains("# KNOWN") {
            say(&format!("  {line}"));
        }
    }
}

/// A copy of the bundled knowledge base (book.toml, content/, themes/) in `dir`: the preview
/// server watches its project, and edits made in the working tree while the tests run must
/// not rebuild the site under them.
fn snapshot_project(dir: &Path) -> PathBuf {
    let project = dir.join("project");
    std::fs::create_dir_all(&project).expect("mkdir project");
    std::fs::copy(root().join("book.toml"), project.join("book.toml")).expect("copy book.toml");
    for sub in ["content", "themes"] {
        let from = root().join(sub);
        if !from.is_dir() {
            continue;
        }
        for e in walkdir::WalkDir::new(&from) {
            let e = e.expect("walk the project");
            let to = project
                .join(sub)
                .join(e.path().strip_prefix(&from).expect("prefix"));
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&to).expect("mkdir");
            } else if e.file_type().is_file() {
                std::fs::copy(e.path(), &to).expect("copy");
            }
        }
    }
    project
}

/// `accord serve --root <project> --port 0`, stopped when dropped.
struct AccordServe {
    child: std::process::Child,
    url: String,
}

impl AccordServe {
    /// Starts the preview server and waits for its address; None (with a note) if it
    /// does not come up within a minute.
    fn start(project: &Path) -> Option<AccordServe> {
        let mut child = Command::new(env!("CARGO_BIN_EXE_accord"))
            .args(["serve", "--port", "0", "--root"])
            .arg(project)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start accord serve");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        // Reads the address, then keeps draining so the server never blocks on a full pipe.
        thread::spawn(move || {
            let mut tx = Some(tx);
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(url) = line.strip_prefix("Serving on ") {
                    if let Some(tx) = tx.take() {
                        let _ = tx.send(url.trim().to_string());
                    }
                }
            }
        });
        let mut serve = AccordServe {
            child,
            url: String::new(),
        };
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(url) if url.starts_with("http://127.0.0.1:") => {
                serve.url = if url.ends_with('/') {
                    url
                } else {
                    format!("{url}/")
                };
                Some(serve)
            }
            other => {
                say(&format!(
                    "note: accord serve did not report a loopback address ({other:?}); serving the built folder instead"
                ));
                None
            }
        }
    }
}

impl Drop for AccordServe {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs the command, gathering stdout and stderr; kills it when it outlives `limit`.
fn run_with_limit(mut cmd: Command, limit: Duration) -> (Option<i32>, String) {
    let mut child = cmd.spawn().expect("start node");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out_t = thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err_t = thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait().expect("wait for node") {
            Some(st) => break st.code(),
            None if start.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            None => thread::sleep(Duration::from_millis(200)),
        }
    };
    let mut out = out_t.join().unwrap_or_default();
    let err = err_t.join().unwrap_or_default();
    if !err.trim().is_empty() {
        out.push_str("\n--- stderr ---\n");
        out.push_str(&err);
    }
    if status.is_none() {
        out.push_str(&format!("\nstopped after {} s\n", limit.as_secs()));
    }
    (status, out)
}

/// Serves `dir` over http on 127.0.0.1 at a free port, from a background thread, and
/// returns its base URL (ending in `/`). Enough of HTTP/1.1 for a browser: GET and HEAD,
/// one request per connection, the file's type from its extension, 404.html for what is
/// missing.
fn serve_folder(dir: &Path) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let port = listener.local_addr().expect("local addr").port();
    let dir = dir.to_path_buf();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            thread::spawn(move || {
                let _ = answer(stream, &dir);
            });
        }
    });
    format!("http://127.0.0.1:{port}/")
}

fn answer(mut stream: TcpStream, dir: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
    }
    let mut parts = request.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let (status, file) = match resolve(dir, path) {
        Some(f) => ("200 OK", f),
        None => ("404 Not Found", dir.join("404.html")),
    };
    let body = std::fs::read(&file).unwrap_or_default();
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        content_type(&file),
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()
}

/// The file a URL path names inside `dir`, if it exists; never a path outside it.
fn resolve(dir: &Path, url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path.trim_start_matches('/'))?;
    let rel = Path::new(&decoded);
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let mut p = dir.join(rel);
    if p.is_dir() {
        p = p.join("index.html");
    }
    p.is_file().then_some(p)
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(p: &Path) -> &'static str {
    match p.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "xml" => "application/xml",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Callouts, highlighted code and formulas (the fixture `tests/fixtures/markup`) read well and
/// pass axe-core in the light and the dark colour scheme.
#[test]
fn callouts_code_and_math_pass_axe_in_light_and_dark() {
    if !can_run("callouts code and math pass axe in light and dark") {
        return;
    }
    let _one = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("site");
    build_site(&root().join("tests/fixtures/markup"), &site);
    let base = serve_folder(&site);
    let mut cmd = Command::new("node");
    cmd.current_dir(root())
        .arg("tests/browser/markup.mjs")
        .arg("--http")
        .arg(format!("{base}markup.html"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let (status, out) = run_with_limit(cmd, NODE_LIMIT);
    report(&out);
    assert_eq!(
        status,
        Some(0),
        "the markup fixture failed in the browser:\n{out}"
    );
}

/// Saving for offline reading over http on 127.0.0.1, under a base path: "Save for offline
/// reading" saves every file the build lists, then "Available offline"; with the server stopped
/// and the browser offline, a reload, a second page and a search work; a rebuilt site is saved
/// anew and the old copy deleted; from disk nothing of this shows. The node script serves the
/// folders itself, so that it can stop the server and start it again on the same port.
#[test]
fn the_site_saved_for_offline_reading_reloads_and_searches_offline() {
    if !can_run("the site saved for offline reading reloads and searches offline") {
        return;
    }
    let _one = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let tmp = tempfile::tempdir().expect("temp dir");
    let project = snapshot_project(tmp.path());
    let site = tmp.path().join("site");
    build_site(&project, &site);
    // The same project with one page changed: a new version of the site.
    let about = project.join("content/about.md");
    let mut text = std::fs::read_to_string(&about).expect("read about.md");
    text.push_str("\nRebuilt for the offline test.\n");
    std::fs::write(&about, text).expect("change about.md");
    let rebuilt = tmp.path().join("rebuilt");
    build_site(&project, &rebuilt);

    let mut cmd = Command::new("node");
    cmd.current_dir(root())
        .arg("tests/browser/offline.mjs")
        .arg("--dir")
        .arg(&site)
        .arg("--rebuilt")
        .arg(&rebuilt)
        .arg("--file")
        .arg(format!("file://{}", site.join("index.html").display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let (status, out) = run_with_limit(cmd, NODE_LIMIT);
    report(&out);
    assert_eq!(
        status,
        Some(0),
        "saving for offline reading failed in the browser:\n{out}"
    );
}

/// Tables and the MoU comparison matrix at 320, 390, 768, 1024, 1280 and 1920 px: no word
/// broken inside a table cell on any page of the bundled knowledge base or of the fixture
/// `tests/fixtures/tables`, tables that scroll inside named regions, every matrix column in
/// view on a desktop, targets of 24×24 px, the filters, one card per agreement on a phone and
/// a matrix printed on landscape A4.
#[test]
fn tables_and_the_matrix_read_well_at_every_width() {
    if !can_run("tables and the matrix read well at every width") {
        return;
    }
    let _one = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("site");
    build_site(root(), &site);
    let fixture = tmp.path().join("fixture");
    build_site(&root().join("tests/fixtures/tables"), &fixture);
    let mut cmd = Command::new("node");
    cmd.current_dir(root())
        .arg("tests/browser/tables.mjs")
        .args(["--http", &serve_folder(&site), "--dir"])
        .arg(&site)
        .args(["--fixture", &serve_folder(&fixture), "--fixture-dir"])
        .arg(&fixture)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let (status, out) = run_with_limit(cmd, NODE_LIMIT);
    report(&out);
    assert_eq!(
        status,
        Some(0),
        "tables or the matrix failed in the browser:\n{out}"
    );
}

/// A site in three languages (`tests/fixtures/languages`), over http and from disk: the language
/// switcher by keyboard on a phone and without JavaScript, an untranslated page reached from it
/// with its note, and search reading only the page's language's index until the reader asks
/// for every language.
#[test]
fn the_languages_switch_and_search_over_http_and_from_disk() {
    if !can_run("the languages switch and search over http and from disk") {
        return;
    }
    let _one = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("site");
    build_site(&root().join("tests/fixtures/languages"), &site);
    let mut cmd = Command::new("node");
    cmd.current_dir(root())
        .arg("tests/browser/languages.mjs")
        .args(["--http", &serve_folder(&site), "--file"])
        .arg(format!("file://{}", site.join("index.html").display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let (status, out) = run_with_limit(cmd, NODE_LIMIT);
    report(&out);
    assert_eq!(
        status,
        Some(0),
        "the language tests failed in the browser:\n{out}"
    );
}

/// The browser reads the search index chunk by chunk and answers as `accord search` does over
/// the whole index: the bundled knowledge base, over http from a plain static server (chunks
/// fetched as binary files) and from disk (chunks loaded as scripts), for queries of every kind
/// (common and rare words, phrases, a glossary abbreviation, a misspelling, a word being typed,
/// nothing found); and no query loads half the index.
#[test]
fn the_lazily_read_index_answers_as_accord_search_over_http_and_from_disk() {
    if !can_run("the lazily read index answers as accord search over http and from disk") {
        return;
    }
    let _one = ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("site");
    build_site(root(), &site);
    let queries = [
        "police",
        "labour inspection",
        "\"national referral mechanism\"",
        "NRM",
        "traffiking",
        "confidentialit",
        "Europol joint investigation team",
        "victims' rights -compensation",
        "Länder",
        "I-24/7",
        "zzyzxq",
    ];
    let mut expected = Vec::new();
    for q in queries {
        let out = Command::new(env!("CARGO_BIN_EXE_accord"))
            .args(["search", "--json", "--limit", "50", "--site"])
            .arg(&site)
            .arg(q)
            .output()
            .expect("run accord search");
        assert!(
            out.status.success(),
            "{q}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut response: serde_json::Value =
            serde_json::from_slice(&out.stdout).expect("accord search --json");
        response["q"] = q.into();
        expected.push(response);
    }
    assert!(
        expected
            .iter()
            .filter(|r| r["total"].as_u64() > Some(0))
            .count()
            >= 8,
        "the queries should find something"
    );
    let chunks = std::fs::read_dir(site.join("search/chunks"))
        .expect("chunks")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "bin"))
        })
        .count();
    let spec = tmp.path().join("expected.json");
    std::fs::write(
        &spec,
        serde_json::to_vec(&serde_json::json!({ "chunks": chunks, "queries": expected }))
            .expect("json"),
    )
    .expect("write expected");
    let mut cmd = Command::new("node");
    cmd.current_dir(root())
        .arg("tests/browser/parity.mjs")
        .args(["--http", &serve_folder(&site), "--file"])
        .arg(format!("file://{}", site.join("index.html").display()))
        .arg("--expect")
        .arg(&spec)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let (status, out) = run_with_limit(cmd, NODE_LIMIT);
    report(&out);
    assert_eq!(
        status,
        Some(0),
        "lazy search differs in the browser:\n{out}"
    );
}
