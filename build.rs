//! Builds the browser search engine and hands it to the `accord` crate.
//!
//! accord-search is compiled a second time, for `wasm32-unknown-unknown`, and the resulting
//! `accord_search.wasm` is copied to `OUT_DIR`, where `src/search_assets.rs` embeds it. Every
//! site accord builds then ships the engine that matches the index it writes, and `cargo build`
//! is the only command a developer needs.
//!
//! The nested cargo uses its own target directory (`target/wasm`): the outer build holds the
//! lock on the main one for as long as this script runs.

use std::env;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{exit, Command};

const TARGET: &str = "wasm32-unknown-unknown";
const PROFILE: &str = "wasm-release";
const WASM: &str = "accord_search.wasm";

fn main() {
    let root =
        PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    for input in ["search/src", "search/Cargo.toml", ".cargo/config.toml"] {
        println!("cargo:rerun-if-changed={}", root.join(input).display());
    }
    println!("cargo:rerun-if-env-changed=ACCORD_SEARCH_WASM");

    // A prebuilt engine (e.g. from a CI cache) skips the nested build.
    if let Some(prebuilt) = env::var_os("ACCORD_SEARCH_WASM") {
        copy(Path::new(&prebuilt), &out_dir.join(WASM));
        return;
    }

    if !target_installed() {
        fail(&format!(
            "the {TARGET} target is not installed; accord needs it to build its browser search \
             engine.\n\n    fix: rustup target add {TARGET}\n"
        ));
    }

    let target_dir = env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
        .join("wasm");
    let cargo = env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let mut cmd = Command::new(cargo);
    cmd.current_dir(&root)
        .arg("rustc")
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"))
        .args(["-p", "accord-search", "--lib", "--crate-type", "cdylib"])
        .args(["--target", TARGET, "--profile", PROFILE])
        .arg("--target-dir")
        .arg(&target_dir);
    // The outer build's settings describe the native `accord` build and would leak into this one:
    // RUSTFLAGS would replace the wasm target's rustflags from .cargo/config.toml (the getrandom
    // backend), a wrapper such as clippy-driver would lint instead of build, and a target dir
    // override would point back at the locked directory.
    for (key, _) in env::vars_os() {
        let Some(key) = key.to_str() else { continue };
        if leaks_into_nested_build(key) {
            cmd.env_remove(key);
        }
    }
    let status = cmd
        .status()
        .unwrap_or_else(|e| fail(&format!("could not run cargo: {e}")));
    if !status.success() {
        fail("building the browser search engine (accord-search for wasm32) failed; see above");
    }
    copy(
        &target_dir.join(TARGET).join(PROFILE).join(WASM),
        &out_dir.join(WASM),
    );
}

fn leaks_into_nested_build(key: &str) -> bool {
    const EXACT: &[&str] = &[
        "RUSTFLAGS",
        "RUSTDOCFLAGS",
        "RUSTC_WRAPPER",
        "RUSTC_WORKSPACE_WRAPPER",
        "RUSTC_LINKER",
        "CARGO_MAKEFLAGS",
        "MAKEFLAGS",
        "MFLAGS",
        "CARGO_PRIMARY_PACKAGE",
        "CARGO_MANIFEST_DIR",
        "CARGO_MANIFEST_PATH",
        "CARGO_CRATE_NAME",
        "TARGET",
        "HOST",
        "OUT_DIR",
        "OPT_LEVEL",
        "PROFILE",
        "DEBUG",
        "NUM_JOBS",
    ];
    const PREFIXES: &[&str] = &[
        "CARGO_ENCODED_",
        "CARGO_BUILD_",
        "CARGO_TARGET_",
        "CARGO_PROFILE_",
        "CARGO_CFG_",
        "CARGO_FEATURE_",
        "CARGO_PKG_",
        "DEP_",
    ];
    EXACT.contains(&key) || PREFIXES.iter().any(|p| key.starts_with(p))
}

fn target_installed() -> bool {
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| OsString::from("rustc"));
    let Ok(out) = Command::new(rustc).args(["--print", "sysroot"]).output() else {
        // Let the nested build report whatever is wrong with the toolchain.
        return true;
    };
    let sysroot = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    sysroot
        .join("lib/rustlib")
        .join(TARGET)
        .join("lib")
        .is_dir()
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

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    for line in message.lines().filter(|l| !l.trim().is_empty()) {
        println!("cargo:warning={}", line.trim());
    }
    exit(1);
}
