#!/usr/bin/env bash
# Save-to-reload latency of `accord serve`: generates a synthetic 1,000-page knowledge base
# (sections, glossary terms, cross-links, tags), starts `accord serve` on it, listens on the
# live-reload event stream like a browser tab, and saves one page EDITS times the way editors do
# (temporary file renamed over the page). Prints each latency from the rename to the `reload`
# event, then p50 and p95. The figure includes the 50 ms quiet period the watcher waits for.
#
#   bash benches/rebuild.sh [PAGES] [EDITS]      (default: 1000 20)
#   ACCORD_TIMINGS=1 bash benches/rebuild.sh     also prints each rebuild's stages
set -euo pipefail
cd "$(dirname "$0")/.."

pages=${1:-1000}
edits=${2:-20}

echo "building accord and the benchmark client (release)..." >&2
cargo build --quiet --release --bin accord --example rebuild_bench
exec target/release/examples/rebuild_bench --pages "$pages" --edits "$edits" \
  --accord target/release/accord
