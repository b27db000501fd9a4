//! The ways of getting and publishing accord agree with each other and with the project: one
//! minimum Node.js version, one toolchain, the package name the README installs, deploy recipes
//! that build and publish the site, and a skip summary that really comes last.

mod skip;

use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn yaml(rel: &str) -> serde_yaml::Value {
    serde_yaml::from_str(&read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The toolchain rust-toolchain.toml pins, e.g. `1.95.0`.
fn pinned() -> String {
    let text = read("rust-toolchain.toml");
    let line = text
        .lines()
        .find(|l| l.starts_with("channel"))
        .expect("a channel");
    line.split('"').nth(1).expect("quoted").to_string()
}

#[test]
fn one_minimum_node_version_everywhere() {
    let min = skip::MIN_NODE;
    let package: serde_json::Value = serde_json::from_str(&read("package.json")).expect("json");
    assert_eq!(package["engines"]["node"], format!(">={min}"));
    let lock: serde_json::Value = serde_json::from_str(&read("package-lock.json")).expect("json");
    assert_eq!(lock["packages"][""]["engines"]["node"], format!(">={min}"));
    assert!(read(".ci/run").contains(&format!("\nmin_node={min}\n")));
    let readme = read("README.md");
    assert!(readme.contains(&format!("Node.js {min} or later")));
    // No other minimum anywhere it could be stated.
    for file in [
        "README.md",
        ".ci/run",
        "tests/browser.rs",
        "tests/skip/mod.rs",
    ] {
        let text = read(file);
        for (i, _) in text.match_indices("Node.js ") {
            let rest = &text[i + "Node.js ".len()..];
            let version: String = rest.chars().take_while(char::is_ascii_digit).collect();
            if !version.is_empty() {
                assert_eq!(version, min.to_string(), "{file} names Node.js {version}");
            }
        }
    }
}

/// Cargo runs integration tests in the order of their names; the summary of skipped tests
/// must come after every test that can skip.
#[test]
fn the_skip_summary_is_the_last_test_binary() {
    let mut names: Vec<String> = std::fs::read_dir(root().join("tests"))
        .expect("tests/")
        .filter_map(|e| {
            let name = e.ok()?.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".rs").map(str::to_string)
        })
        .collect();
    names.sort();
    assert_eq!(
        names.last().map(String::as_str),
        Some("zz_skipped"),
        "{names:?}"
    );
    let manifest = read("Cargo.toml");
    assert!(manifest.contains(
        "[[test]]\nname = \"zz_skipped\"\npath = \"tests/zz_skipped.rs\"\nharness = false\n"
    ));
    // Documentation tests would run after it; the libraries have none.
    for file in ["Cargo.toml", "search/Cargo.toml"] {
        assert!(read(file).contains("\ndoctest = false\n"), "{file}");
    }
}

#[test]
fn the_readme_installs_the_package_this_repository_publishes() {
    let manifest = read("Cargo.toml");
    assert!(manifest.contains("\n[package]\n") || manifest.starts_with("[package]\n"));
    assert!(manifest.contains("\nname = \"accord-ssg\"\n"));
    let readme = read("README.md");
    assert!(readme.contains("cargo install accord-ssg --locked"));
    assert!(readme.contains("cargo install --path . --locked"));
    for recipe in ["docs/deploy/github-pages.yml", "docs/deploy/gitlab-ci.yml"] {
        assert!(
            read(recipe)
                .contains("cargo install accord-ssg --version \"$ACCORD_VERSION\" --locked"),
            "{recipe}"
        );
    }
}

#[test]
fn every_recipe_builds_with_the_pinned_toolchain() {
    let pinned = pinned();
    let minor = pinned.rsplit_once('.').map(|(m, _)| m).unwrap_or(&pinned);
    assert!(read("README.md").contains(&format!("`rustup toolchain install {pinned}`")));
    let dockerfile = read("Dockerfile");
    assert!(dockerfile.contains(&format!("FROM rust:{minor}-slim-bookworm AS build\n")));
    assert!(dockerfile.contains(&format!("ENV RUSTUP_TOOLCHAIN={pinned}\n")));
    let gitlab = yaml("docs/deploy/gitlab-ci.yml");
    assert_eq!(
        gitlab["pages"]["image"],
        format!("rust:{minor}-slim").as_str()
    );
    for file in ["Cargo.toml", "search/Cargo.toml"] {
        assert!(
            read(file).contains(&format!("\nrust-version = \"{minor}\"\n")),
            "{file}"
        );
    }
}

#[test]
fn the_github_workflow_checks_builds_and_deploys_the_site() {
    let wf = yaml("docs/deploy/github-pages.yml");
    assert_eq!(wf["permissions"]["pages"], "write");
    assert_eq!(wf["permissions"]["id-token"], "write");
    let steps = wf["jobs"]["build"]["steps"].as_sequence().expect("steps");
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    let check = runs
        .iter()
        .position(|r| *r == "accord check")
        .expect("check");
    let build = runs
        .iter()
        .position(|r| *r == "accord build --out site")
        .expect("build");
    assert!(check < build, "the site is checked before it is built");
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-pages-artifact@"))
        })
        .expect("upload");
    assert_eq!(upload["with"]["path"], "site");
    assert_eq!(wf["jobs"]["deploy"]["needs"], "build");
    let deploy = &wf["jobs"]["deploy"]["steps"][0]["uses"];
    assert!(deploy
        .as_str()
        .is_some_and(|u| u.starts_with("actions/deploy-pages@")));
}

#[test]
fn the_gitlab_job_publishes_the_public_folder() {
    let ci = yaml("docs/deploy/gitlab-ci.yml");
    let job = &ci["pages"];
    let script: Vec<&str> = job["script"]
        .as_sequence()
        .expect("script")
        .iter()
        .filter_map(|s| s.as_str())
        .collect();
    assert_eq!(
        script[1..],
        [
            ".cargo/bin/accord check",
            ".cargo/bin/accord build --out public"
        ]
    );
    assert_eq!(job["artifacts"]["paths"][0], "public");
}

#[test]
fn the_docker_image_runs_accord_on_the_mounted_project() {
    let dockerfile = read("Dockerfile");
    let stages: Vec<&str> = dockerfile
        .lines()
        .filter(|l| l.starts_with("FROM "))
        .collect();
    assert_eq!(stages.len(), 2, "a build stage and a small final stage");
    assert!(dockerfile.contains("RUN cargo build --release --locked --bin accord"));
    let final_stage = &dockerfile[dockerfile.rfind("\nFROM ").expect("final stage")..];
    assert!(final_stage
        .contains("COPY --from=build /src/target/release/accord /usr/local/bin/accord\n"));
    assert!(final_stage.contains("WORKDIR /project\n"));
    assert!(final_stage.contains("ENTRYPOINT [\"/usr/local/bin/accord\"]\n"));
    // The build context leaves out what would make it large or stale.
    let ignore = read(".dockerignore");
    for line in ["target/", "site/", "node_modules/"] {
        assert!(
            ignore.lines().any(|l| l == line),
            ".dockerignore lacks {line}"
        );
    }
}
