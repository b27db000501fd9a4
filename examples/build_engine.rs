//! `cargo build-engine`: rebuilds the committed browser search engine from `search/`.
//!
//! Compiles accord-search for wasm32 with the reproducible recipe of build/engine.rs, copies
//! the result to `vendor/accord_search.wasm` and records what it was built from in
//! `vendor/accord_search.toml`. Run it after changing the search engine (or its dependencies,
//! the toolchain pin or the wasm profile), and commit both files: tests/engine.rs fails until
//! they match the sources. It needs the pinned toolchain and its wasm32-unknown-unknown target.

#[path = "../build/engine.rs"]
mod engine;

use std::env;
use std::ffi::OsString;
use std::fs;
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| OsString::from("rustc"));
    let pinned = engine::pinned_toolchain(root)?;
    let version = engine::rustc_version(&rustc).ok_or("cannot run rustc --version")?;
    if !version.starts_with(&format!("rustc {pinned} ")) {
        return Err(format!(
            "{version} is not the pinned toolchain {pinned} (rust-toolchain.toml); the committed \
             engine must be built with it so that anyone can rebuild the same bytes"
        ));
    }
    if !engine::target_installed(&rustc) {
        return Err(format!(
            "the {} target is not installed; fix: rustup target add {}",
            engine::TARGET,
            engine::TARGET
        ));
    }
    let inputs = engine::fingerprint(root)?;
    let cargo = env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    eprintln!("Building the browser search engine from search/ ({version})");
    let built = engine::build(
        root,
        &engine::wasm_target_dir(root),
        &cargo,
        &rustc,
        engine::Output::Inherit,
    )?;
    // The committed engine is always the optimised one, so that a fresh build can match it.
    let built = engine::optimised(root, &built)?;
    let bytes = fs::read(&built).map_err(|e| format!("{}: {e}", built.display()))?;
    let stamp = engine::Stamp {
        toolchain: pinned,
        inputs,
        wasm: engine::sha256_hex(&bytes),
    };
    let vendored = root.join(engine::VENDORED);
    let before = engine::Stamp::read(root);
    let same_bytes = before.as_ref().is_some_and(|b| b.wasm == stamp.wasm) && vendored.is_file();
    if let Some(dir) = vendored.parent() {
        fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    fs::write(&vendored, &bytes).map_err(|e| format!("{}: {e}", vendored.display()))?;
    let stamp_path = root.join(engine::STAMP);
    fs::write(&stamp_path, stamp.to_toml())
        .map_err(|e| format!("{}: {e}", stamp_path.display()))?;
    eprintln!(
        "{} {} ({} bytes, sha256 {}); {} {}",
        if same_bytes { "Unchanged:" } else { "Updated" },
        engine::VENDORED,
        bytes.len(),
        stamp.wasm,
        if before.as_ref() == Some(&stamp) {
            "unchanged:"
        } else {
            "updated"
        },
        engine::STAMP,
    );
    Ok(())
}
