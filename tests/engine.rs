//! The committed browser search engine (`vendor/accord_search.wasm`) is what the sources build.
//!
//! Every build of accord embeds the committed engine unless search/ changed since it was built
//! (build.rs), and `cargo install` users always get it. These tests fail when it is stale, and
//! their messages name the one command that regenerates it: `cargo build-engine`.

#[path = "../build/engine.rs"]
mod engine;
mod skip;

use std::ffi::OsString;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn stale(what: &str) -> String {
    format!(
        "{what}\n  fix: run `{}` (needs the wasm32-unknown-unknown target and the toolchain of \
         rust-toolchain.toml) and commit {} and {}",
        engine::REGENERATE,
        engine::VENDORED,
        engine::STAMP
    )
}

#[test]
fn the_committed_engine_was_built_from_these_sources() {
    let stamp = engine::Stamp::read(root()).unwrap_or_else(|| {
        panic!(
            "{}",
            stale(&format!("{} is missing or unreadable", engine::STAMP))
        )
    });
    let bytes = std::fs::read(root().join(engine::VENDORED)).expect("read the vendored engine");
    assert_eq!(
        engine::sha256_hex(&bytes),
        stamp.wasm,
        "{}",
        stale(&format!(
            "{} is not the file {} describes",
            engine::VENDORED,
            engine::STAMP
        ))
    );
    assert_eq!(
        stamp.toolchain,
        engine::pinned_toolchain(root()).expect("rust-toolchain.toml"),
        "{}",
        stale("the engine was built with another toolchain than the pinned one")
    );
    assert_eq!(
        engine::fingerprint(root()).expect("fingerprint the sources"),
        stamp.inputs,
        "{}",
        stale(&format!(
            "the search engine's sources (search/, its locked dependencies, the wasm profile, \
             the toolchain pin) changed since {} was built",
            engine::VENDORED
        ))
    );
}

/// The full check, for CI: compiles the engine from source exactly as `cargo build-engine`
/// does and compares the bytes. It takes minutes the first time (tantivy for wasm32, with LTO);
/// later runs reuse the compilation in `target/wasm`.
#[test]
fn a_fresh_build_of_the_engine_is_byte_identical_to_the_committed_one() {
    const TEST: &str =
        "tests/engine.rs: a fresh build of the engine is byte-identical to the committed one";
    let rustc = OsString::from("rustc");
    let pinned = engine::pinned_toolchain(root()).expect("rust-toolchain.toml");
    let version = engine::rustc_version(&rustc).unwrap_or_default();
    if !version.starts_with(&format!("rustc {pinned} ")) {
        skip::skip(
            TEST,
            &format!("rustc is `{version}`, not the pinned {pinned}"),
            "run cargo test without a toolchain override",
        );
        return;
    }
    if !engine::target_installed(&rustc) {
        skip::skip(
            TEST,
            &format!("the {} target is not installed", engine::TARGET),
            &format!("rustup target add {}", engine::TARGET),
        );
        return;
    }
    if let Err(e) = engine::wasm_opt(root()) {
        skip::skip(TEST, &e, "npm ci");
        return;
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let built = engine::build(
        root(),
        &engine::wasm_target_dir(root()),
        &cargo,
        &rustc,
        engine::Output::Stderr,
    )
    .expect("build the engine from source");
    let built = engine::optimised(root(), &built).expect("optimise the fresh engine");
    let fresh = std::fs::read(&built).expect("read the fresh engine");
    let committed = std::fs::read(root().join(engine::VENDORED)).expect("read the vendored engine");
    assert!(
        fresh == committed,
        "{}",
        stale(&format!(
            "{} ({} bytes, sha256 {}) differs from a fresh build of search/ ({} bytes, sha256 {})",
            engine::VENDORED,
            committed.len(),
            engine::sha256_hex(&committed),
            fresh.len(),
            engine::sha256_hex(&fresh)
        ))
    );
}

/// engine/Cargo.toml compiles search/'s sources itself (see its comment), so it must ask for the
/// very dependencies search/Cargo.toml does.
#[test]
fn the_engine_workspace_has_the_search_crates_dependencies() {
    let manifest = |path: &str| -> toml::Table {
        let text = std::fs::read_to_string(root().join(path)).expect("read manifest");
        text.parse().expect("manifest parses")
    };
    let (search, engine) = (manifest("search/Cargo.toml"), manifest("engine/Cargo.toml"));
    for table in ["dependencies", "target"] {
        assert_eq!(
            search.get(table),
            engine.get(table),
            "[{table}] of engine/Cargo.toml differs from search/Cargo.toml's"
        );
    }
    let lib = engine["lib"].as_table().expect("[lib]");
    assert_eq!(lib["path"].as_str(), Some("../search/src/lib.rs"));
}
