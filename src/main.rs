use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use accord::build::{build, BuildOptions};
use accord::content::Kind;
use accord::error::format_diagnostics;
use accord::Error;

/// Building a large site allocates and frees many small strings on every core at once;
/// mimalloc does that with about a sixth less CPU time than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's options `mi_option_arena_eager_commit` and `mi_option_purge_delay`, by their
/// place in mimalloc.h's `mi_option_t` (the Rust bindings name neither).
const MI_OPTION_ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// A build's stages each free what the previous one made: memory freed is given back to the
/// system at once, arenas are committed as used, and transparent huge pages are off for the
/// process (a 2 MiB page is resident as soon as one byte of it is used, and mimalloc then
/// gives memory back only in whole huge pages). On a 10,000-page book that keeps peak memory
/// about 12 % lower at the same speed.
fn tune_allocator() {
    // SAFETY: mi_option_set only stores an option's value; these two are read when memory is
    // reserved or given back, and any value is valid for them.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0);
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0);
    }
    // Memory use only, never correctness: a kernel without the setting is no reason to stop.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

/// accord: build knowledge bases of guiding principles and practices into static sites.
#[derive(Parser)]
#[command(
    name = "accord",
    version,
    about,
    after_long_help = ENVIRONMENT,
    propagate_version = true
)]
struct Cli {
    /// Print only warnings and errors (no progress, no summary)
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Also print how long each build stage took
    #[arg(long, short, global = true)]
    verbose: bool,
    /// Colour and emphasis: auto (on a terminal, unless NO_COLOR is set), always or never
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    color: ColorWhen,
    #[command(subcommand)]
    command: Command,
}

/// The end of `accord --help`, and a section of the manual page.
const ENVIRONMENT: &str = "\
Exit status: 0 success; 1 content or configuration errors (or problems found by check and
bundle --verify); 2 usage errors.

Environment:
  NO_COLOR        when set and not empty, no emphasis in search results (--color always wins)
  BROWSER         the program `serve --open` starts
  ACCORD_TIMINGS  when set, the stage times of --verbose
  ACCORD_CHROMIUM the browser `print` writes PDFs with (default: chromium, chromium-browser,
                  google-chrome or google-chrome-stable on PATH)";

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum PaperArg {
    A4,
    Letter,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// How much the command says, decided once from the global flags and the environment.
#[derive(Clone, Copy)]
struct Ui {
    quiet: bool,
    /// Stage timings: `--verbose`, or ACCORD_TIMINGS set (the benchmarks use it).
    timings: bool,
    color: ColorWhen,
}

impl Ui {
    fn new(cli: &Cli) -> Ui {
        Ui {
            quiet: cli.quiet,
            timings: !cli.quiet && (cli.verbose || std::env::var_os("ACCORD_TIMINGS").is_some()),
            color: cli.color,
        }
    }

    /// Whether to emphasise on a stream: `--color`, else a terminal without NO_COLOR
    /// (https://no-color.org: set and not empty).
    fn emphasis(self, is_terminal: bool) -> bool {
        match self.color {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => is_terminal && !no_color(),
        }
    }

    /// A line of progress or a summary, which --quiet leaves out.
    fn status(self, line: &str) {
        if !self.quiet {
            eprintln!("{line}");
        }
    }
}

fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// clap's own colours (help, usage errors) follow `--color` too; clap reads NO_COLOR itself.
/// The flag is looked up before parsing because parsing is what prints them.
fn clap_color(args: &[std::ffi::OsString]) -> clap::ColorChoice {
    let mut value = None;
    let mut iter = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(arg) = iter.next() {
        if arg == "--" {
            break;
        } else if arg == "--color" {
            value = iter.next().map(|v| v.into_owned());
        } else if let Some(v) = arg.strip_prefix("--color=") {
            value = Some(v.to_string());
        }
    }
    match value.as_deref() {
        Some("always") => clap::ColorChoice::Always,
        Some("never") => clap::ColorChoice::Never,
        _ => clap::ColorChoice::Auto,
    }
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (default: the `build-dir` of book.toml)
    Build {
        /// The project folder, holding book.toml
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site
        #[arg(long)]
        out: Option<PathBuf>,
        /// Also write the offline zip into the site and link it (as `[bundle] publish = true`)
        #[arg(long)]
        bundle: bool,
    },
    /// Create a minimal project that builds
    Init {
        /// A new or empty folder
        dir: PathBuf,
    },
    /// Create a page of a kind, with its front matter ready to fill in
    New {
        /// principle, instrument, agreement, initiative, organisation, event, practice, term or page
        kind: String,
        /// The page title
        title: String,
        /// The project folder, holding book.toml
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Build, serve on loopback, and rebuild and reload the browser on every change
    Serve {
        /// The project folder, holding book.toml
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port to listen on (0 picks a free one)
        #[arg(long, default_value_t = 3000)]
        port: u16,
        /// Address to listen on; anything but loopback exposes the preview to the network
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser
        #[arg(long)]
        open: bool,
    },
    /// Search a built site or an unpacked bundle with its prebuilt index
    Search {
        /// Words, "exact phrases", -excluded words
        query: String,
        /// Only this kind (principle, instrument, agreement, …); repeat for several
        #[arg(long)]
        kind: Vec<String>,
        /// Only this region; repeat for several
        #[arg(long)]
        region: Vec<String>,
        /// Only this country: ISO code, English name or adjective (IT, Italy, Italian), any case
        #[arg(long)]
        country: Vec<String>,
        /// Only this stakeholder group, as front matter spells it or as displayed (ngo, NGOs)
        #[arg(long)]
        stakeholder: Vec<String>,
        /// Only this tag
        #[arg(long)]
        tag: Vec<String>,
        /// Maximum number of results
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Print the full response as JSON
        #[arg(long)]
        json: bool,
        /// The built site or unpacked bundle (default: ./site)
        #[arg(long, default_value = "site")]
        site: PathBuf,
        /// Search this language's pages (`de`, `pl`, …; default: the book's own language)
        #[arg(long, value_name = "CODE", conflicts_with = "all_languages")]
        lang: Option<String>,
        /// Search the pages of every language of the site
        #[arg(long)]
        all_languages: bool,
    },
    /// Record that translations match their originals as they are now (after translating or
    /// checking them), so `accord check` reports them as outdated when an original changes
    Translated {
        /// Translations to mark (`content/principles/trust.de.md`)
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The project folder, holding book.toml
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Print the front matter's JSON Schema (draft 2020-12), or its reference as Markdown
    Schema {
        /// `json` (for editors, with yaml-language-server) or `markdown` (the reference table)
        #[arg(long, default_value = "json", value_parser = ["json", "markdown"])]
        format: String,
    },
    /// Run every audit of the site without writing it
    Check {
        /// The project folder, holding book.toml
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// `text` (one line per finding) or `json`
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
    },
    /// Build the site into one zip that works opened from disk, or verify such a zip
    Bundle {
        /// The project folder, holding book.toml
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The zip to write (default: <title>-<date>.zip)
        #[arg(long)]
        out: Option<PathBuf>,
        /// Check a bundle against its manifest instead of building one
        #[arg(long, value_name = "FILE", conflicts_with = "out")]
        verify: Option<PathBuf>,
    },
    /// Write the printable document of the site, or of one section, as a PDF (needs Chromium
    /// or Google Chrome)
    Print {
        /// The project folder, holding book.toml
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Only this top-level section: its folder, such as `principles`
        #[arg(long, value_name = "FOLDER")]
        section: Option<String>,
        /// The PDF to write (default: <title>.pdf, or <title>-<section>.pdf, in the project folder)
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// The sheet size
        #[arg(long, value_enum, default_value_t = PaperArg::A4)]
        paper: PaperArg,
    },
    /// Print a completion script for a shell (bash, zsh, fish, powershell, elvish)
    #[command(after_help = COMPLETIONS_HELP)]
    Completions {
        /// The shell to complete accord in
        shell: clap_complete::Shell,
    },
    /// Print accord's manual page (roff), or write one page per command into a folder
    Man {
        /// Write accord.1, accord-build.1, … into this folder instead
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

const COMPLETIONS_HELP: &str = "\
Install them where your shell looks:
  bash        accord completions bash > ~/.local/share/bash-completion/completions/accord
  zsh         accord completions zsh > ~/.zfunc/_accord   (with fpath+=~/.zfunc before compinit)
  fish        accord completions fish > ~/.config/fish/completions/accord.fish
  powershell  accord completions powershell >> $PROFILE";

fn main() -> ExitCode {
    tune_allocator();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let matches = Cli::command()
        .color(clap_color(&args))
        .get_matches_from(&args);
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    // The Markdown parser recurses on nested markup. Content is refused beyond a nesting that
    // fits in a few megabytes of stack; the larger stack of the worker threads, reserved but
    // only touched as used, leaves a wide margin for pages within the limits.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(64 << 20)
        .build_global();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            match e {
                Error::Content(_) | Error::Io { .. } | Error::Other(_) => ExitCode::from(1),
            }
        }
    }
}

/// Writes to stdout, ignoring a closed pipe (`accord search … | head` is normal use).
fn print_out(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

fn run(cli: Cli) -> accord::Result<()> {
    let ui = Ui::new(&cli);
    match cli.command {
        Command::Build { root, out, bundle } => run_build(root, out, bundle, ui),
        Command::Init { dir } => {
            let files = accord::project::init(&dir)?;
            for f in files {
                ui.status(&format!("created {}", f.display()));
            }
            ui.status(&format!(
                "Build it with: accord build --root {}",
                dir.display()
            ));
            Ok(())
        }
        Command::New { kind, title, root } => {
            let Some(k) = Kind::parse(&kind) else {
                let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
                eprintln!(
                    "error: unknown kind `{kind}`\n  hint: kinds: {}",
                    kinds.join(", ")
                );
                std::process::exit(2);
            };
            let path = accord::project::new_page(&root, k, &title)?;
            ui.status(&format!("created {}", path.display()));
            Ok(())
        }
        Command::Search {
            query,
            kind,
            region,
            country,
            stakeholder,
            tag,
            limit,
            json,
            site,
            lang,
            all_languages,
        } => {
            let req = accord_search::SearchRequest {
                q: query,
                kind,
                region,
                country,
                stakeholder,
                tag,
                limit,
            };
            let indexes = if all_languages {
                accord::search::open_all_languages(&site)?
            } else {
                vec![accord::search::open_language(&site, lang.as_deref())?]
            };
            // A filter value that names nothing would silently give no results.
            for (facet, values) in req.filters() {
                for value in values {
                    let valid = indexes.iter().map(|(_, e)| e.resolve_facet(facet, value));
                    let mut all: Vec<String> = Vec::new();
                    let mut found = false;
                    for v in valid {
                        match v {
                            Ok(_) => found = true,
                            Err(values) => all.extend(values),
                        }
                    }
                    if !found {
                        all.sort();
                        all.dedup();
                        eprintln!(
                            "error: no {facet} `{value}` in this site's index\n  hint: {facet} values: {}",
                            all.join(", ")
                        );
                        std::process::exit(2);
                    }
                }
            }
            let resp = accord::search::search_languages(&indexes, &req)?;
            print_out(&search_text(
                &resp,
                &req.q,
                json,
                ui.emphasis(std::io::stdout().is_terminal()),
            ));
            Ok(())
        }
        Command::Translated { paths, root } => {
            for line in accord::translated::mark_files(&root, &paths)? {
                ui.status(&line);
            }
            Ok(())
        }
        Command::Serve {
            root,
            port,
            bind,
            open,
        } => accord::serve::serve(&accord::serve::ServeOptions {
            root,
            bind,
            port,
            open,
            quiet: ui.quiet,
            timings: ui.timings,
        }),
        Command::Schema { format } => {
            if format == "markdown" {
                print!("{}", accord::model::reference_markdown());
            } else {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&accord::schema::json_schema())
                        .unwrap_or_default()
                );
            }
            Ok(())
        }
        Command::Check { root, format } => {
            let report = accord::check::check(&root)?;
            if format == "json" {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&report.findings).unwrap_or_default()
                );
            } else {
                println!("{}", report.to_text());
            }
            if report.findings.iter().any(|d| d.is_error()) {
                std::process::exit(1);
            }
            Ok(())
        }
        Command::Bundle { root, out, verify } => match verify {
            Some(zip) => {
                let problems = accord::bundle::verify(&zip)?;
                if problems.is_empty() {
                    println!("{}: every file matches the manifest", zip.display());
                    Ok(())
                } else {
                    for p in &problems {
                        println!("{p}");
                    }
                    Err(Error::Other(format!(
                        "{}: {} problem(s) found",
                        zip.display(),
                        problems.len()
                    )))
                }
            }
            None => {
                let path = accord::bundle::bundle(&root, out.as_deref())?;
                ui.status(&format!("Wrote {}", path.display()));
                Ok(())
            }
        },
        Command::Print {
            root,
            section,
            out,
            paper,
        } => {
            let report = accord::pdf::print(&accord::pdf::PrintOptions {
                root,
                section,
                out,
                paper: match paper {
                    PaperArg::A4 => accord::pdf::Paper::A4,
                    PaperArg::Letter => accord::pdf::Paper::Letter,
                },
            })?;
            ui.status(&format!(
                "Wrote {} ({} pages) with {}",
                report.out.display(),
                report.pages,
                report.browser.display()
            ));
            Ok(())
        }
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "accord", &mut script);
            print_out(&String::from_utf8_lossy(&script));
            Ok(())
        }
        Command::Man { out } => match out {
            Some(dir) => {
                std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
                clap_mangen::generate_to(Cli::command(), &dir).map_err(|e| Error::io(&dir, e))?;
                ui.status(&format!("Wrote the manual pages into {}", dir.display()));
                Ok(())
            }
            None => {
                let mut page = Vec::new();
                clap_mangen::Man::new(Cli::command())
                    .render(&mut page)
                    .map_err(|e| Error::Other(format!("cannot render the manual page: {e}")))?;
                print_out(&String::from_utf8_lossy(&page));
                Ok(())
            }
        },
    }
}

/// `accord search` output: JSON, or numbered results with their snippets for a terminal.
fn search_text(
    resp: &accord_search::SearchResponse,
    query: &str,
    json: bool,
    bold: bool,
) -> String {
    let mut out = String::new();
    if json {
        out = serde_json::to_string_pretty(&resp).unwrap_or_default();
        out.push('\n');
    } else {
        if let Some(d) = &resp.definition {
            out.push_str(&format!("{}: {}\n\n", d.term, d.text));
        }
        if resp.hits.is_empty() {
            out.push_str(&format!("No results for “{query}”.\n"));
            if !resp.suggestions.is_empty() {
                out.push_str("Did you mean:\n");
                for s in &resp.suggestions {
                    out.push_str(&format!("   {}  ({})\n", s.title, s.url));
                }
            }
            return out;
        }
        for (n, h) in resp.hits.iter().enumerate() {
            let section = if h.section.is_empty() {
                String::new()
            } else {
                format!(" › {}", h.section)
            };
            out.push_str(&format!(
                "{}. {}{} [{}]\n   {}\n   {}\n",
                n + 1,
                h.title,
                section,
                h.kind,
                h.url,
                accord::search::snippet_text(&h.snippet, bold)
            ));
            for s in &h.sections {
                out.push_str(&format!("   also: {} ({})\n", s.section, s.url));
            }
            out.push('\n');
        }
        out.push_str(&format!(
            "{} matching page{}{}\n",
            resp.total,
            if resp.total == 1 { "" } else { "s" },
            if resp.fuzzy {
                " (including similar spellings)"
            } else {
                ""
            }
        ));
    }
    out
}

/// `accord build`: warnings, a one-line summary, and the stage times with --verbose.
fn run_build(root: PathBuf, out: Option<PathBuf>, bundle: bool, ui: Ui) -> accord::Result<()> {
    let progress = !ui.quiet && std::io::stderr().is_terminal();
    let report = build(&BuildOptions {
        root,
        out,
        progress,
        bundle,
    })?;
    if !report.warnings.is_empty() {
        eprintln!("{}", format_diagnostics(&report.warnings));
    }
    ui.status(&format!(
        "Built {} pages ({} files) into {} in {:.2} s",
        report.pages,
        report.files,
        report.out.display(),
        report.total.as_secs_f64()
    ));
    if let Some(zip) = &report.bundle {
        ui.status(&format!(
            "Offline zip: {} ({} bytes, SHA-256 {})",
            zip.file, zip.bytes, zip.sha256
        ));
    }
    if ui.timings {
        for (stage, d) in &report.stages {
            eprintln!("  {stage:<10} {:>8.1} ms", d.as_secs_f64() * 1000.0);
        }
    }
    Ok(())
}
