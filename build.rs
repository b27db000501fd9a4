//! Puts the browser search engine into `OUT_DIR`, where `src/search_assets.rs` embeds it.
//!
//! The engine (accord-search compiled to wasm32) is committed as `vendor/accord_search.wasm`,
//! with a fingerprint of the sources it was built from (`vendor/accord_search.toml`). This script
//! uses the committed engine whenever it matches the sources — a build from source would give the
//! same bytes, which tests/engine.rs checks — so a first build needs neither the wasm target nor a
//! second compilation of tantivy. When the sources have changed since the engine was vendored
//! (someone is working on search), it compiles the engine from source if the wasm target is
//! installed, and otherwise warns and uses the committed one. See build/engine.rs for how.
//!
//! It writes nothing outside `OUT_DIR` (the nested build's own folder aside).

#[path = "build/engine.rs"]
mod engine;

use std::env;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::exit;
use std::time::Instant;

fn main() {
    let root =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join(engine::WASM);
    println!(
        "cargo:rerun-if-changed={}",
        root.join(engine::VENDORED).display()
    );
    println!(
        "cargo:rerun-if-changed={}",
        root.join(engine::STAMP).display()
    );
    println!("cargo:rerun-if-env-changed=ACCORD_SEARCH_WASM");

    // A prebuilt engine (a CI cache, a benchmark) replaces everything else.
    if let Some(prebuilt) = env::var_os("ACCORD_SEARCH_WASM") {
        copy(Path::new(&prebuilt), &out);
        return;
    }
    let vendored = root.join(engine::VENDORED);
    if !engine::has_sources(&root) {
        // A packaged crate: the engine's sources are another crate; the vendored file is the one.
        copy(&vendored, &out);
        return;
    }
    for input in engine::input_paths(&root) {
        println!("cargo:rerun-if-changed={}", input.display());
    }
    let current = engine::fingerprint(&root).unwrap_or_else(|e| fail(&e));
    let stamp = engine::Stamp::read(&root);
    if stamp.as_ref().is_some_and(|s| s.inputs == current) {
        copy(&vendored, &out);
        return;
    }

    let rustc = env::var_os("RUSTC").unwrap_or_else(|| OsString::from("rustc"));
    if !engine::target_installed(&rustc) {
        warn(&format!(
            "the search engine's sources changed since {} was built, and the {} target is not \
             installed to rebuild it: the browser search uses the committed engine, which may not \
             read the index this build writes. Fix: rustup target add {}, then {}",
            engine::VENDORED,
            engine::TARGET,
            engine::TARGET,
            engine::REGENERATE
        ));
        copy(&vendored, &out);
        return;
    }

    let cargo = env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let started = Instant::now();
    // Cargo shows a build script's output only when it ends; on a terminal the nested build's
    // progress goes straight there, so minutes of compiling are never silent.
    let output = match terminal() {
        Some(file) => {
            use std::io::Write;
            let mut file = file;
            let _ = writeln!(
                file,
                "   Building the browser search engine from search/ (its sources changed since \
                 {} was built)",
                engine::VENDORED
            );
            engine::Output::To(file)
        }
        None => engine::Output::Stderr,
    };
    let built = engine::build(
        &root,
        &engine::wasm_target_dir(&root),
        &cargo,
        &rustc,
        output,
    )
    .unwrap_or_else(|e| fail(&e));
    let shipped = engine::optimised(&root, &built).unwrap_or_else(|e| {
        warn(&format!(
            "the browser search engine is not size-optimised: {e}"
        ));
        built.clone()
    });
    copy(&shipped, &out);
    warn(&format!(
        "built the browser search engine from source in {:.0} s, because search/ changed since {} \
         was built; `{}` updates the committed copy",
        started.elapsed().as_secs_f64(),
        engine::VENDORED,
        engine::REGENERATE
    ));
}

/// The controlling terminal, if there is one.
fn terminal() -> Option<fs::File> {
    if cfg!(unix) {
        fs::OpenOptions::new().write(true).open("/dev/tty").ok()
    } else {
        None
    }
}

fn copy(from: &Path, to: &Path) {
    if let Err(e) = fs::copy(from, to) {
        fail(&format!(
            "could not copy {} to {}: {e}",
            from.display(),
            to.display()
        ));
    }
}

fn warn(message: &str) {
    println!("cargo:warning={message}");
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    for line in message.lines().filter(|l| !l.trim().is_empty()) {
        println!("cargo:warning={}", line.trim());
    }
    exit(1);
}
