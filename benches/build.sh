#!/usr/bin/env bash
# Build benchmark: generates synthetic knowledge bases (about 600 words a page, with headings,
# lists, tables and cross-links, three folders deep) and prints, for each size, the build time
# (median of RUNS), peak memory, the search index and engine sizes, and the same for mdBook on
# the same pages when `mdbook` is installed.
#
#   bash benches/build.sh [PAGES...]     (default: 1000 10000; RUNS=3)
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000 10000)
runs=${RUNS:-3}
out=target/bench
mkdir -p "$out"

echo "building accord and the corpus generator (release)..." >&2
cargo build --quiet --release --bin accord --example corpus
accord=target/release/accord
gen=target/release/examples/corpus

# Peak resident memory in MB and wall time in seconds of one command, via /proc polling-free
# GNU time when present, else bash's time and no memory figure.
measure() {
  local log="$out/time.log"
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%e %M' -o "$log" "$@" >/dev/null 2>&1
    awk '{ printf "%s %.0f\n", $1, $2 / 1024 }' "$log"
  else
    local s e
    s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N)
    awk -v s="$s" -v e="$e" 'BEGIN { printf "%.2f -\n", e - s }'
  fi
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

printf '\n| tool | pages | build (median of %s) | peak memory | site size | search index | engine (raw / gzip) |\n' "$runs"
printf '|---|---|---|---|---|---|---|\n'
for n in "${sizes[@]}"; do
  dir="$out/corpus-$n"
  mdflag=""
  command -v mdbook >/dev/null && mdflag="--mdbook"
  "$gen" "$dir" "$n" $mdflag 2>/dev/null
  times=(); mem=0
  for _ in $(seq "$runs"); do
    read -r t m < <(measure "$accord" build --root "$dir")
    times+=("$t"); [ "$m" != "-" ] && [ "$m" -gt "$mem" ] && mem=$m
  done
  t=$(printf '%s\n' "${times[@]}" | median)
  site_kb=$(du -sk "$dir/site" | cut -f1)
  idx=$(cat "$dir/site/search/index.bin" "$dir"/site/search/chunks/*.bin | wc -c)
  eng=$(wc -c < "$dir/site/assets/accord-search.wasm")
  engz=$(gzip -9 -c "$dir/site/assets/accord-search.wasm" | wc -c)
  printf '| accord | %s | %s s | %s MB | %s MB | %s KB | %s KB / %s KB |\n' "$n" "$t" "$mem" "$((site_kb / 1024))" "$((idx / 1024))" "$((eng / 1024))" "$((engz / 1024))"
  if [ -n "$mdflag" ]; then
    read -r t m < <(measure mdbook build "$dir-mdbook")
    js=$(find "$dir-mdbook/book" -name 'searchindex.js' -printf '%s' 2>/dev/null || echo 0)
    printf '| mdBook | %s | %s s | %s MB | %s MB | %s KB (searchindex.js) | – |\n' "$n" "$t" "$m" "$(( $(du -sk "$dir-mdbook/book" | cut -f1) / 1024 ))" "$((js / 1024))"
  fi
done
echo
echo "Search latency: bash benches/search.sh; rebuild latency: bash benches/rebuild.sh" >&2
