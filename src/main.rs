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
    /// Run every audit of the site without writing it
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// `text` (one line per finding) or `json`
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
    },
    /// Build the site into one zip that works opened from disk, or verify such a zip
    Bundle {
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

fn run(cli: Cli) -> accord::Result<()> {
    match cli.command {
        Command::Build { root, out } => {
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
