//! What the command line offers besides the pipeline: shell completions and the manual page
//! from the same definitions as `--help`, `--quiet`, `--verbose`, `--color`/`NO_COLOR`, and
//! `serve --open`.

mod skip;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const SUBCOMMANDS: &[&str] = &[
    "build",
    "init",
    "new",
    "serve",
    "search",
    "schema",
    "check",
    "bundle",
    "print",
    "translated",
    "completions",
    "man",
];

fn accord(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_accord"));
    cmd.args(args).env_remove("NO_COLOR");
    cmd
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("run accord");
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A project made by `accord init` in a temporary folder.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    run(accord(&["--quiet", "init"]).arg(dir.path().join("kb")));
    dir
}

#[test]
fn completions_offer_every_subcommand_and_the_global_flags_in_each_shell() {
    // How each generator spells "the subcommand NAME" and "the flag --quiet".
    type Spelling = fn(&str) -> String;
    let shells: &[(&str, Spelling, &str)] = &[
        ("bash", |s| format!("accord,{s})"), "--quiet"),
        ("zsh", |s| format!("'{s}:"), "--quiet["),
        ("fish", |s| format!("-f -a \"{s}\""), "-l quiet"),
        (
            "powershell",
            |s| format!("[CompletionResult]::new('{s}', '{s}'"),
            "'--quiet'",
        ),
    ];
    for (shell, subcommand, quiet) in shells {
        let script = text(&run(&mut accord(&["completions", shell])).stdout);
        for s in SUBCOMMANDS {
            assert!(
                script.contains(&subcommand(s)),
                "{shell} completions lack the subcommand {s} ({:?})",
                subcommand(s)
            );
        }
        assert!(script.contains(quiet), "{shell} completions lack --quiet");
    }
    let out = accord(&["completions", "tcsh"]).output().expect("run");
    assert_eq!(
        out.status.code(),
        Some(2),
        "an unknown shell is a usage error"
    );
    assert!(
        text(&out.stderr).contains("[possible values: bash, elvish, fish, powershell, zsh]"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn the_manual_page_comes_from_the_same_definitions_as_help() {
    let page = text(&run(&mut accord(&["man"])).stdout);
    assert!(page.contains(".TH accord 1"), "{page}");
    assert!(page.contains(".SH SUBCOMMANDS"), "{page}");
    for s in SUBCOMMANDS {
        assert!(
            page.contains(&format!("accord\\-{s}(1)")),
            "the manual page does not list {s}"
        );
    }
    assert!(page.contains("\\fB\\-\\-quiet\\fR"), "{page}");
    assert!(page.contains("NO_COLOR"), "the environment is documented");

    let dir = tempfile::tempdir().expect("temp dir");
    let out = run(accord(&["man", "--out"]).arg(dir.path()));
    assert_eq!(
        text(&out.stderr),
        format!("Wrote the manual pages into {}\n", dir.path().display())
    );
    let mut written: Vec<String> = std::fs::read_dir(dir.path())
        .expect("read")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    let mut expected: Vec<String> = SUBCOMMANDS
        .iter()
        .map(|s| format!("accord-{s}.1"))
        .chain(["accord.1".to_string()])
        .collect();
    expected.sort();
    assert_eq!(written, expected);
    let build = std::fs::read_to_string(dir.path().join("accord-build.1")).expect("page");
    assert!(build.contains("\\fB\\-\\-root\\fR"), "{build}");
}

#[test]
fn quiet_prints_nothing_but_problems_and_verbose_adds_the_stage_times() {
    let dir = project();
    let kb = dir.path().join("kb");

    let plain = run(accord(&["build", "--root"]).arg(&kb));
    let err = text(&plain.stderr);
    assert!(
        err.starts_with("Built 5 pages (") && err.lines().count() == 1,
        "{err}"
    );

    let quiet = run(accord(&["--quiet", "build", "--root"]).arg(&kb));
    assert_eq!(text(&quiet.stderr), "");
    assert!(kb.join("site/index.html").is_file());

    let verbose = run(accord(&["build", "-v", "--root"]).arg(&kb));
    let err = text(&verbose.stderr);
    let mut lines = err.lines();
    assert!(lines
        .next()
        .is_some_and(|l| l.starts_with("Built 5 pages (")));
    let stages: Vec<&str> = lines
        .map(|l| {
            let mut words = l.split_whitespace();
            let stage = words.next().expect("stage name");
            let ms: f64 = words.next().expect("time").parse().expect("a number");
            assert!(ms >= 0.0);
            assert_eq!(words.next(), Some("ms"), "{l}");
            stage
        })
        .collect();
    assert_eq!(
        stages,
        [
            "config", "load", "resolve", "audit", "theme", "markdown", "pages", "views", "index",
            "write"
        ]
    );

    let page = run(accord(&["-q", "new", "principle", "Second", "--root"]).arg(&kb));
    assert_eq!(text(&page.stderr), "");
    assert!(kb.join("content/principles/second.md").is_file());

    let both = accord(&["-q", "-v", "build"]).output().expect("run");
    assert_eq!(both.status.code(), Some(2));
    assert!(text(&both.stderr)
        .starts_with("error: the argument '--quiet' cannot be used with '--verbose'"));
}

/// Search results emphasise the matched words on a terminal: bold, unless NO_COLOR is set
/// (or --color says otherwise), and `*word*` where there is no terminal.
#[test]
fn search_emphasis_follows_the_terminal_no_color_and_the_color_flag() {
    let dir = project();
    let kb = dir.path().join("kb");
    run(accord(&["-q", "build", "--root"]).arg(&kb));
    let site = kb.join("site");
    let site = site.to_str().expect("utf-8 path");
    let search = ["search", "principle", "--limit", "1", "--site", site];
    const BOLD: &str = "\x1b[1m";

    let piped = text(&run(&mut accord(&search)).stdout);
    assert!(
        piped.contains("*principle") && !piped.contains(BOLD),
        "{piped}"
    );
    let always = text(&run(accord(&search).arg("--color=always").env("NO_COLOR", "1")).stdout);
    assert!(
        always.contains(BOLD),
        "--color=always wins over NO_COLOR: {always}"
    );

    // On a terminal: `script` runs the command on a pseudo-terminal.
    let script = Path::new("/usr/bin/script");
    if !script.exists() {
        skip::skip(
            "tests/cli.rs: search emphasis on a terminal",
            "/usr/bin/script not found",
            "install util-linux (apt-get install -y util-linux)",
        );
        return;
    }
    let line = format!(
        "{} search principle --limit 1 --site {site}",
        env!("CARGO_BIN_EXE_accord")
    );
    let on_tty = |no_color: Option<&str>| {
        let mut cmd = Command::new(script);
        cmd.args(["-qec", &line, "/dev/null"])
            .env_remove("NO_COLOR");
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        text(&run(&mut cmd).stdout)
    };
    let bold = on_tty(None);
    assert!(bold.contains(&format!("{BOLD}principle")), "{bold:?}");
    let plain = on_tty(Some("1"));
    assert!(
        plain.contains("*principle") && !plain.contains(BOLD),
        "{plain:?}"
    );
    // NO_COLOR counts only when it is not empty (no-color.org).
    assert!(on_tty(Some("")).contains(BOLD));
}

/// `accord serve --open` on a free port, stopped when dropped.
struct Serve {
    child: std::process::Child,
    url: String,
    stderr: mpsc::Receiver<String>,
}

impl Serve {
    fn start(kb: &Path, env: &[(&str, &str)]) -> Serve {
        let mut cmd = accord(&["serve", "--open", "--port", "0", "--root"]);
        cmd.arg(kb)
            .env_remove("BROWSER")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start accord serve");
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let line = BufReader::new(stdout).lines().next();
            let _ = tx.send(line.and_then(Result::ok).unwrap_or_default());
        });
        let url = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("accord serve printed its address")
            .trim_start_matches("Serving on ")
            .to_string();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        Serve {
            child,
            url,
            stderr: lines,
        }
    }

    /// The first stderr line that contains `part`.
    fn line_with(&self, part: &str) -> String {
        loop {
            let line = self
                .stderr
                .recv_timeout(Duration::from_secs(60))
                .unwrap_or_else(|_| panic!("accord serve never printed {part:?}"));
            if line.contains(part) {
                return line;
            }
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn serve_open_uses_browser_and_says_when_there_is_none() {
    let dir = project();
    let kb = dir.path().join("kb");

    let serve = Serve::start(&kb, &[]);
    assert_eq!(
        serve.line_with("cannot open a browser"),
        format!(
            "warning: cannot open a browser: no graphical session (DISPLAY and WAYLAND_DISPLAY \
             are unset) and BROWSER is not set; open {} yourself",
            serve.url
        )
    );
    drop(serve);

    // BROWSER names the program; here one that writes down what it was asked to open.
    let opened = dir.path().join("opened.txt");
    let browser = dir.path().join("browser.sh");
    std::fs::write(
        &browser,
        format!("#!/bin/sh\necho \"$1\" > '{}'\n", opened.display()),
    )
    .expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let browser = browser.to_str().expect("utf-8").to_string();
    let serve = Serve::start(&kb, &[("BROWSER", &browser)]);
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while std::fs::read_to_string(&opened).map_or(true, |t| !t.ends_with('\n'))
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        std::fs::read_to_string(&opened).expect("the browser ran"),
        format!("{}\n", serve.url)
    );
    drop(serve);

    // A launcher that fails is reported, not ignored.
    let serve = Serve::start(&kb, &[("BROWSER", "false")]);
    assert_eq!(
        serve.line_with("cannot open a browser"),
        format!(
            "warning: cannot open a browser: \"false\" exited with exit status: 1; open {} \
             yourself",
            serve.url
        )
    );
}

/// clap's help is styled on a terminal; NO_COLOR and `--color never` turn that off too.
#[test]
fn help_styling_follows_no_color_and_the_color_flag() {
    let script = Path::new("/usr/bin/script");
    if !script.exists() {
        skip::skip(
            "tests/cli.rs: help styling on a terminal",
            "/usr/bin/script not found",
            "install util-linux (apt-get install -y util-linux)",
        );
        return;
    }
    let help = |args: &str, no_color: bool| {
        let mut cmd = Command::new(script);
        let line = format!("{} {args} --help", env!("CARGO_BIN_EXE_accord"));
        cmd.args(["-qec", &line, "/dev/null"])
            .env_remove("NO_COLOR");
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        text(&run(&mut cmd).stdout)
    };
    assert!(help("", false).contains("\x1b["), "styled on a terminal");
    assert!(!help("", true).contains("\x1b["), "NO_COLOR");
    assert!(
        !help("--color never", false).contains("\x1b["),
        "--color never"
    );
    assert!(!help("--color=never build", false).contains("\x1b["));
}
