//! How the browser search engine is built, shared by `build.rs`, `cargo build-engine`
//! (examples/build_engine.rs) and the freshness check (tests/engine.rs).
//!
//! The engine is accord-search compiled to `wasm32-unknown-unknown`. A copy is committed as
//! `vendor/accord_search.wasm`, so accord builds, packages and installs without the wasm target
//! (as Pagefind ships its prebuilt engine). `vendor/accord_search.toml` records a fingerprint of
//! everything the engine is built from; when the checkout's sources no longer match it, the
//! build compiles the engine from source instead (if the target is installed).
//!
//! The build is reproducible: every path that ends up in the binary (the checkout, the cargo
//! home with its registry sources, the target folder, the toolchain) is remapped to a fixed name,
//! the profile has one codegen unit and strips symbols, and the toolchain is the pinned one. Two
//! checkouts in different folders give byte-identical engines, which is what lets a test compare
//! the committed file with a fresh build.

#![allow(dead_code)] // Each of the three users needs a different part.

use std::env;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use sha2::{Digest, Sha256};

pub const TARGET: &str = "wasm32-unknown-unknown";
/// The engine's own build workspace (see engine/Cargo.toml).
pub const MANIFEST: &str = "engine/Cargo.toml";
/// The file cargo writes for engine/Cargo.toml's cdylib (its library is named accord_search),
/// and the name `src/search_assets.rs` embeds from `OUT_DIR`.
pub const WASM: &str = "accord_search.wasm";
/// binaryen's wasm-opt, pinned (package.json), so that an optimised engine is the same bytes
/// on every machine. `npm ci` installs it; `ACCORD_WASM_OPT` may name another copy of this
/// version.
pub const BINARYEN_VERSION: &str = "132";
pub const VENDORED: &str = "vendor/accord_search.wasm";
pub const STAMP: &str = "vendor/accord_search.toml";
/// The one command that brings the vendored engine up to date; every message about a stale or
/// different engine names it.
pub const REGENERATE: &str = "cargo build-engine";

/// Files whose every byte goes into the engine or into how it is compiled. Cargo.toml and
/// Cargo.lock also do, but only in part (see `fingerprint`).
const INPUT_FILES: &[&str] = &[
    "rust-toolchain.toml",
    ".cargo/config.toml",
    "build/engine.rs",
    "search/Cargo.toml",
    "engine/Cargo.toml",
    "engine/Cargo.lock",
    "engine/regex-lite/Cargo.toml",
    "engine/regex-lite/src/lib.rs",
];
const INPUT_DIRS: &[&str] = &["search/src"];

/// What `vendor/accord_search.toml` records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// The pinned toolchain the engine was built with.
    pub toolchain: String,
    /// `fingerprint` of the sources.
    pub inputs: String,
    /// SHA-256 of `vendor/accord_search.wasm`.
    pub wasm: String,
}

impl Stamp {
    pub fn read(root: &Path) -> Option<Stamp> {
        let text = fs::read_to_string(root.join(STAMP)).ok()?;
        let field = |key: &str| {
            text.lines().find_map(|line| {
                let (k, v) = line.split_once('=')?;
                (k.trim() == key).then(|| v.trim().trim_matches('"').to_string())
            })
        };
        Some(Stamp {
            toolchain: field("toolchain")?,
            inputs: field("inputs")?,
            wasm: field("wasm")?,
        })
    }

    pub fn to_toml(&self) -> String {
        format!(
            "# The browser search engine in vendor/accord_search.wasm: what it was built from.\n\
             # Written by `{REGENERATE}`; build.rs and tests/engine.rs compare it with the sources.\n\
             toolchain = \"{}\"\ninputs = \"{}\"\nwasm = \"{}\"\n",
            self.toolchain, self.inputs, self.wasm
        )
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(64);
    for b in Sha256::digest(bytes) {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// True when the checkout has the engine's sources; a packaged `accord-ssg` crate does not (its
/// engine comes from the registry's accord-search), and then only the vendored file exists.
pub fn has_sources(root: &Path) -> bool {
    root.join("search/Cargo.toml").is_file() && root.join("search/src").is_dir()
}

/// The files that `fingerprint` reads, for `cargo:rerun-if-changed`.
pub fn input_paths(root: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = INPUT_FILES.iter().map(|f| root.join(f)).collect();
    paths.extend(INPUT_DIRS.iter().map(|d| root.join(d)));
    paths
}

/// A SHA-256 over everything the engine is built from: the toolchain pin, the wasm target's
/// flags, this recipe (with the pinned wasm-opt version), the search crate's manifest and
/// sources, and the engine workspace with its lock file. Line endings are normalised so a
/// checkout with CRLF files fingerprints the same.
pub fn fingerprint(root: &Path) -> Result<String, String> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for f in INPUT_FILES {
        files.push((f.to_string(), read(&root.join(f))?));
    }
    for d in INPUT_DIRS {
        let mut found = Vec::new();
        walk(&root.join(d), &mut found)?;
        for path in found {
            let rel = path
                .strip_prefix(root)
                .map_err(|e| e.to_string())?
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            files.push((rel, read(&path)?));
        }
    }
    files.sort();

    let mut hasher = Sha256::new();
    for (name, bytes) in &files {
        let text = normalise_newlines(bytes);
        hasher.update(name.as_bytes());
        hasher.update([0]);
        hasher.update((text.len() as u64).to_le_bytes());
        hasher.update(&text);
    }
    let mut out = String::with_capacity(64);
    for b in hasher.finalize() {
        let _ = write!(out, "{b:02x}");
    }
    Ok(out)
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn normalise_newlines(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            continue;
        }
        out.push(b);
    }
    out
}

/// The toolchain rust-toolchain.toml pins, e.g. `1.95.0`.
pub fn pinned_toolchain(root: &Path) -> Result<String, String> {
    let text = String::from_utf8_lossy(&read(&root.join("rust-toolchain.toml"))?).into_owned();
    text.lines()
        .find_map(|line| {
            let (k, v) = line.split_once('=')?;
            (k.trim() == "channel").then(|| v.trim().trim_matches('"').to_string())
        })
        .ok_or_else(|| "rust-toolchain.toml names no channel".to_string())
}

/// `rustc --version` of the compiler a nested cargo would use, e.g. `rustc 1.95.0 (… 2026-…)`.
pub fn rustc_version(rustc: &OsString) -> Option<String> {
    let out = Command::new(rustc).arg("--version").output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn sysroot(rustc: &OsString) -> Option<PathBuf> {
    let out = Command::new(rustc)
        .args(["--print", "sysroot"])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}

/// True when the standard library for wasm32 is installed for `rustc`'s toolchain.
pub fn target_installed(rustc: &OsString) -> bool {
    sysroot(rustc).is_some_and(|s| s.join("lib/rustlib").join(TARGET).join("lib").is_dir())
}

/// `$CARGO_HOME`, or `~/.cargo` as cargo itself defaults.
fn cargo_home() -> Option<PathBuf> {
    env::var_os("CARGO_HOME").map(PathBuf::from).or_else(|| {
        env::var_os("HOME")
            .or_else(|| env::var_os("USERPROFILE"))
            .map(|h| PathBuf::from(h).join(".cargo"))
    })
}

/// Where a build writes the engine's compilation: beside accord's own, in a folder of its
/// own, because the outer cargo holds the lock on the main one while build.rs runs.
pub fn wasm_target_dir(root: &Path) -> PathBuf {
    env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|d| if d.is_absolute() { d } else { root.join(d) })
        .unwrap_or_else(|| root.join("target"))
        .join("wasm")
}

/// How a nested build shows what it is doing.
pub enum Output {
    /// Inherit the caller's stdout and stderr (`cargo build-engine`, tests).
    Inherit,
    /// Both to the caller's stderr (build.rs off a terminal: its stdout is for cargo).
    Stderr,
    /// Send cargo's progress to this writer (build.rs sends it to the terminal, because cargo
    /// keeps a build script's own output until the script ends).
    To(fs::File),
}

/// Compiles the engine from the sources under `root` and returns the path of the `.wasm`.
///
/// `cargo` and `rustc` are the programs to use (build.rs passes the ones cargo gave it, so the
/// nested build uses the same toolchain).
pub fn build(
    root: &Path,
    target_dir: &Path,
    cargo: &OsString,
    rustc: &OsString,
    output: Output,
) -> Result<PathBuf, String> {
    let root = fs::canonicalize(root).map_err(|e| format!("{}: {e}", root.display()))?;
    fs::create_dir_all(target_dir).map_err(|e| format!("{}: {e}", target_dir.display()))?;
    let target_dir =
        fs::canonicalize(target_dir).map_err(|e| format!("{}: {e}", target_dir.display()))?;

    // Every folder whose name could reach the binary (panic locations, file!()), mapped to a
    // fixed name. rustc applies the last matching prefix, so the longest goes last.
    let mut remaps: Vec<(PathBuf, &str)> =
        vec![(root.clone(), "/accord"), (target_dir.clone(), "/target")];
    // The cargo home may not exist yet (cargo creates it when it downloads the sources), and
    // cargo names it as given, which may be through a symbolic link: both spellings are mapped.
    if let Some(home) = cargo_home() {
        if let Ok(real) = fs::canonicalize(&home) {
            remaps.push((real, "/cargo"));
        }
        remaps.push((home, "/cargo"));
    }
    if let Some(sysroot) = sysroot(rustc) {
        remaps.push((
            fs::canonicalize(&sysroot).unwrap_or(sysroot),
            "/rustc-sysroot",
        ));
    }
    remaps.sort_by_key(|(from, _)| from.as_os_str().len());
    remaps.dedup();
    let flags: Vec<String> = remaps
        .iter()
        .map(|(from, to)| format!("\"--remap-path-prefix={}={to}\"", toml_escape(from)))
        .collect();

    let mut cmd = Command::new(cargo);
    // Run from the checkout's root, so that .cargo/config.toml (the wasm target's getrandom
    // backend) applies.
    cmd.current_dir(&root)
        .arg("build")
        .arg("--manifest-path")
        .arg(root.join(MANIFEST))
        .args(["--locked", "--lib", "--release", "--target", TARGET])
        .arg("--target-dir")
        .arg(&target_dir)
        // Added to (not replacing) the getrandom flag of .cargo/config.toml: config arrays merge.
        .arg("--config")
        .arg(format!(
            "target.{TARGET}.rustflags = [{}]",
            flags.join(", ")
        ));
    // Settings of whatever ran us (an outer cargo, a test) describe another build: RUSTFLAGS
    // would replace the wasm target's rustflags (the getrandom backend), a wrapper such as
    // clippy-driver would lint instead of build, a target dir override would point back at a
    // locked directory.
    for (key, _) in env::vars_os() {
        let Some(key) = key.to_str() else { continue };
        if leaks_into_nested_build(key) {
            cmd.env_remove(key);
        }
    }
    cmd.env("RUSTC", rustc);
    match output {
        Output::Inherit => {}
        Output::Stderr => {
            cmd.stdout(std::io::stderr()).stderr(std::io::stderr());
        }
        Output::To(file) => {
            let err = file.try_clone().map_err(|e| e.to_string())?;
            cmd.stdout(Stdio::from(file)).stderr(Stdio::from(err));
        }
    }
    let status = cmd
        .status()
        .map_err(|e| format!("could not run cargo: {e}"))?;
    if !status.success() {
        return Err(format!(
            "building the browser search engine (accord-search for {TARGET}) failed; see above"
        ));
    }
    Ok(target_dir.join(TARGET).join("release").join(WASM))
}

/// Runs wasm-opt over a built engine: the file to ship, or why it could not be optimised.
pub fn optimised(root: &Path, built: &Path) -> Result<PathBuf, String> {
    let wasm_opt = wasm_opt(root)?;
    // Beside cargo's file, never over it: cargo would take an optimised file for its own.
    let to = built.with_file_name("accord_search.opt.wasm");
    optimise(&wasm_opt, built, &to)?;
    Ok(to)
}

/// The pinned wasm-opt, if this machine has it: `ACCORD_WASM_OPT`, else the copy `npm ci`
/// installs under node_modules, else one on the PATH; only of [`BINARYEN_VERSION`].
pub fn wasm_opt(root: &Path) -> Result<OsString, String> {
    let candidates: Vec<OsString> = env::var_os("ACCORD_WASM_OPT")
        .into_iter()
        .chain([
            root.join("node_modules/.bin/wasm-opt").into_os_string(),
            OsString::from("wasm-opt"),
        ])
        .collect();
    let mut seen = Vec::new();
    for program in candidates {
        let Ok(out) = Command::new(&program).arg("--version").output() else {
            continue;
        };
        let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if out.status.success() && version.contains(&format!("version {BINARYEN_VERSION}")) {
            return Ok(program);
        }
        seen.push(format!("{} ({version})", program.to_string_lossy()));
    }
    Err(format!(
        "wasm-opt version {BINARYEN_VERSION} not found{}; `npm ci` installs it (binaryen)",
        if seen.is_empty() {
            String::new()
        } else {
            format!(" (found {})", seen.join(", "))
        }
    ))
}

/// Shrinks a built engine with wasm-opt -Oz (about 7% fewer bytes to download, gzipped, on top
/// of what the compiler's own size optimisation gives), writing `to`.
pub fn optimise(wasm_opt: &OsString, from: &Path, to: &Path) -> Result<(), String> {
    let status = Command::new(wasm_opt)
        .arg("-Oz")
        // The features rustc's wasm32 target emits by default.
        .args([
            "--enable-bulk-memory",
            "--enable-sign-ext",
            "--enable-mutable-globals",
            "--enable-nontrapping-float-to-int",
            "--enable-multivalue",
            "--enable-reference-types",
        ])
        .args(["--strip-debug", "--strip-producers"])
        .arg(from)
        .arg("-o")
        .arg(to)
        .status()
        .map_err(|e| format!("could not run wasm-opt: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("wasm-opt failed on {}", from.display()))
    }
}

fn toml_escape(path: &Path) -> String {
    path.to_string_lossy()
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
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
        "CARGO_TARGET_DIR",
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
        "CARGO_BIN_",
        "DEP_",
    ];
    EXACT.contains(&key) || PREFIXES.iter().any(|p| key.starts_with(p))
}
