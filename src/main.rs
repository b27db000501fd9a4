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
    }
}
