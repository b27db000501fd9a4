#!/usr/bin/env bash
# Search benchmark: for synthetic sites of 1,000 and 10,000 pages (about 600 words each, four
# sections a page), prints index build time, index size, engine size (raw and gzip), engine
# load time and query latency (p50/p95), natively and in node running the wasm engine.
#
#   bash benches/search.sh [PAGES...]      (default: 1000 10000)
#
# Needs cargo, node and gzip. Uses target/bench for its files.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000 10000)
out=target/bench
mkdir -p "$out"

echo "building the native benchmark (release)..." >&2
cargo build --quiet --release -p accord-search --example bench
# The engine accord ships (tests/engine.rs keeps it what the sources build).
wasm=vendor/accord_search.wasm
bench=target/release/examples/bench

json() { node -e 'const o=JSON.parse(process.argv[1]); console.log(o[process.argv[2]])' "$1" "$2"; }
kb() { awk -v b="$1" 'BEGIN { printf "%.0f KB", b / 1024 }'; }

engine_raw=$(wc -c < "$wasm")
engine_gz=$(gzip -9 -c "$wasm" | wc -c)
engine_b64_gz=$(base64 -w0 "$wasm" | gzip -9 -c | wc -c)

printf '\nengine: %s raw, %s gzip (%s gzip as the base64 script for file://)\n\n' \
  "$(kb "$engine_raw")" "$(kb "$engine_gz")" "$(kb "$engine_b64_gz")"
# Pagefind, where installed (npm install pagefind ships its binary), indexes the same pages.
pagefind=${PAGEFIND:-$(command -v pagefind || true)}
[ -z "$pagefind" ] && [ -x node_modules/.bin/pagefind ] && pagefind=node_modules/.bin/pagefind
pagefind_rows=()

# index: the head and the deflated chunks as a site carries them; first: what the wasm engine
# read for its first answer (head and chunks), the bytes a browser fetches for it.
printf '%-7s %-9s %-9s %-10s %-10s %-10s %-11s %-11s %-10s %-10s %-10s %-10s\n' \
  pages sections build index first load.nat p50.nat p95.nat load.wasm p50.wasm p95.wasm mem.wasm
for n in "${sizes[@]}"; do
  dir="$out/$n"
  rm -rf "$dir/html" "$dir/pagefind"
  if [ -n "$pagefind" ]; then
    native=$(ACCORD_BENCH_HTML="$dir/html" "$bench" "$n" "$dir")
    start=$(date +%s%N)
    "$pagefind" --site "$dir/html" --output-path "$dir/pagefind" > /dev/null
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    bytes=$(du -sb "$dir/pagefind" | cut -f1)
    files=$(find "$dir/pagefind" -type f | wc -l)
    pagefind_rows+=("$(printf '%-7s %-10s %-10s %s' "$n" "${ms}ms" "$(kb "$bytes")" "$files")")
  else
    native=$("$bench" "$n" "$dir")
  fi
  wasm_json=$(node tests/js/bench_wasm.js "$wasm" "$dir/index.bin" "$dir/queries.json")
  printf '%-7s %-9s %-9s %-10s %-10s %-10s %-11s %-11s %-10s %-10s %-10s %-10s\n' \
    "$n" "$(json "$native" sections)" \
    "$(json "$native" build_ms)ms" "$(kb "$(json "$native" index_bytes)")" \
    "$(kb "$(json "$wasm_json" first_answer_bytes)")" \
    "$(json "$native" load_ms)ms" "$(json "$native" p50_ms)ms" "$(json "$native" p95_ms)ms" \
    "$(json "$wasm_json" load_ms)ms" "$(json "$wasm_json" p50_ms)ms" "$(json "$wasm_json" p95_ms)ms" \
    "$(json "$wasm_json" wasm_memory_mb)MB"
done
if [ -n "$pagefind" ]; then
  printf '\npagefind (%s), same pages:\n%-7s %-10s %-10s %s\n' "$("$pagefind" --version 2>/dev/null || echo '?')" pages build output files
  printf '%s\n' "${pagefind_rows[@]}"
else
  printf '\npagefind: not installed (npm install pagefind, or set PAGEFIND) — skipped\n'
fi
echo
echo "latency: $(json "$native" queries) queries of 1-3 words (phrases, prefixes, typos, a kind filter), 10 hits with snippets"

# What a reader of the bundled knowledge base downloads before the first search over http (gzip
# -6, as static hosts serve it): the page's search script, the engine and the index's head; the
# chunks a query reads come on top (node benches/first-answer.mjs measures them).
echo
echo "building the bundled knowledge base (release)..." >&2
cargo build --quiet --release --bin accord
kb_site="$out/kb"
rm -rf "$kb_site"
target/release/accord build --out "$kb_site" > /dev/null
first=0
for f in assets/search.js assets/accord-search.wasm search/index.bin; do
  b=$(gzip -6 -c "$kb_site/$f" | wc -c)
  printf '%-28s %s gzip\n' "$f" "$(kb "$b")"
  first=$((first + b))
done
echo "first search, bundled knowledge base: $(kb "$first") gzip"

# Typing stability: the share of keystroke states of typed queries (tests/search_quality.rs)
# whose target page is in the top 3.
typing=$(cargo test --quiet --release --test search_quality typing_keeps_the_target_in_view \
  -- --nocapture 2>&1 || true)
echo "$typing" | grep 'typing stability' || echo "typing stability: test did not run"
