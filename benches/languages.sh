#!/usr/bin/env bash
# Languages benchmark: the bundled knowledge base built in its own language only (its
# translations and [languages] tables removed) and in all its languages, in paired runs; the
# output's size; and what a reader downloads to search in each language (engine and index,
# raw and gzip -9).
#
#   bash benches/languages.sh [RUNS]      (default: 5)
#
# Needs cargo and gzip. Uses target/bench/languages for its files.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
out=target/bench/languages
rm -rf "$out"
mkdir -p "$out"

echo "building accord (release)..." >&2
cargo build --quiet --release --bin accord
accord=$PWD/target/release/accord

# The same project without its translations.
one="$out/one-language"
mkdir -p "$one"
cp -r content "$one/content"
find "$one/content" -name '*.*.md' -delete
awk '/^\[languages\./ { skip = 1; next } /^\[/ { skip = 0 } !skip' book.toml > "$one/book.toml"
[ -d themes ] && cp -r themes "$one/themes"

ms() { python3 -c 'import sys,time,subprocess
t=time.perf_counter(); subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(round((time.perf_counter()-t)*1000))' "$@"; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

a=()
b=()
for _ in $(seq "$runs"); do
  a+=("$(ms "$accord" -q build --root "$one" --out "$out/site-one")")
  b+=("$(ms "$accord" -q build --root . --out "$out/site-all")")
done
ma=$(printf '%s\n' "${a[@]}" | median)
mb=$(printf '%s\n' "${b[@]}" | median)
size() { du -sb "$1" | cut -f1; }
files() { find "$1" -type f | wc -l; }
gz() { gzip -9 -c "$1" | wc -c; }
# An index as a site carries it: its head and its (deflated) chunks.
index_bytes() { cat "$1/search/index.bin" "$1"/search/chunks/*.bin | wc -c; }

printf '\n%-22s %8s %8s %7s %12s %12s\n' site "build ms" pages files "output B" "index B"
printf '%-22s %8s %8s %7s %12s %12s\n' "one language (en)" "$ma" \
  "$(find "$out/site-one" -name '*.html' | wc -l)" "$(files "$out/site-one")" \
  "$(size "$out/site-one")" "$(index_bytes "$out/site-one")"
printf '%-22s %8s %8s %7s %12s %12s\n' "all languages" "$mb" \
  "$(find "$out/site-all" -name '*.html' | wc -l)" "$(files "$out/site-all")" \
  "$(size "$out/site-all")" "$(( $(index_bytes "$out/site-all") + $(for d in "$out"/site-all/*/; do [ -f "$d/search/index.bin" ] && index_bytes "$d"; done | awk '{ s += $1 } END { print s + 0 }') ))"
awk -v a="$ma" -v b="$mb" 'BEGIN { printf "build time, all languages / one language: %.2f\n", b / a }'

wasm="$out/site-all/assets/accord-search.wasm"
printf '\nwhat a reader downloads before searching (bytes; over http the engine and the index head of the page'"'"'s language; the chunks a query reads come on top)\n'
printf '%-9s %12s %12s %12s %12s\n' language "engine" "engine gz" "head" "head gz"
for dir in "$out/site-all" "$out"/site-all/*/; do
  idx="$dir/search/index.bin"
  [ -f "$idx" ] || continue
  lang=$(basename "$dir")
  [ "$dir" = "$out/site-all" ] && lang=en
  printf '%-9s %12s %12s %12s %12s\n' "$lang" "$(wc -c < "$wasm")" "$(gz "$wasm")" "$(wc -c < "$idx")" "$(gz "$idx")"
done
