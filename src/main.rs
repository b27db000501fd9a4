use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use accord::build::{build, BuildOptions};
use accord::content::Kind;
use accord::error::format_diagnostics;
use accord::Error;

/// accord: build knowledge bases of guiding principles and practices into static sites.
#[derive(Parser)]
#[command(name = "accord", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
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
    match cli.command {
        Command::Build { root, out } => run_build(root, out),
        Command::Init { dir } => {
            let files = accord::project::init(&dir)?;
            for f in files {
                eprintln!("created {}", f.display());
            }
            eprintln!("Build it with: accord build --root {}", dir.display());
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
            eprintln!("created {}", path.display());
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
            let engine = accord::search::open_site_index(&site)?;
            // A filter value that names nothing would silently give no results.
            for (facet, values) in req.filters() {
                for value in values {
                    if let Err(valid) = engine.resolve_facet(facet, value) {
                        eprintln!(
                            "error: no {facet} `{value}` in this site's index\n  hint: {facet} values: {}",
                            valid.join(", ")
                        );
                        std::process::exit(2);
                    }
                }
            }
            let resp = engine.search(&req);
            print_out(&search_text(&resp, &req.q, json));
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
                eprintln!("Wrote {}", path.display());
                Ok(())
            }
        },
    }
}

/// `accord search` output: JSON, or numbered results with their snippets for a terminal.
fn search_text(resp: &accord_search::SearchResponse, query: &str, json: bool) -> String {
    let mut out = String::new();
    if json {
        out = serde_json::to_string_pretty(&resp).unwrap_or_default();
        out.push('\n');
    } else {
        let bold = std::io::stdout().is_terminal();
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

/// `accord build`: warnings, a one-line summary, and the stage times with ACCORD_TIMINGS set.
fn run_build(root: PathBuf, out: Option<PathBuf>) -> accord::Result<()> {
    let progress = std::io::stderr().is_terminal();
    let report = build(&BuildOptions {
        root,
        out,
        progress,
    })?;
    if !report.warnings.is_empty() {
        eprintln!("{}", format_diagnostics(&report.warnings));
    }
    eprintln!(
        "Built {} pages ({} files) into {} in {:.2} s",
        report.pages,
        report.files,
        report.out.display(),
        report.total.as_secs_f64()
    );
    if std::env::var_os("ACCORD_TIMINGS").is_some() {
        for (stage, d) in &report.stages {
            eprintln!("  {stage:<10} {:>8.1} ms", d.as_secs_f64() * 1000.0);
        }
    }
    Ok(())
}
