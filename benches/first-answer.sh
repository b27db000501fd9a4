#!/usr/bin/env bash
# First search answer at several sizes: builds the synthetic corpus (benches/corpus, mdBook
# layout; kept in BENCH_DIR like benches/build.sh's) with accord, then measures in headless Chromium the first answer over a throttled
# local http server and from file:// (benches/first-answer.mjs), with the bytes fetched. For a
# peer, the size of Zola's search index for the same pages, which a Zola site's search
# downloads whole before its first answer, when Zola is at /tmp/zola or on the PATH.
#
#   bash benches/first-answer.sh [PAGES...]     (default: 1000 10000; KBPS=200 RTT=150 RUNS=3)
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000 10000)
gen=benches/corpus/gen_corpus.py
mkdir -p "${BENCH_DIR:-target/bench}"
out=$(cd "${BENCH_DIR:-target/bench}" && pwd)
mkdir -p "$out"
zola=$(command -v zola || true)
[ -z "$zola" ] && [ -x /tmp/zola ] && zola=/tmp/zola

echo "building accord (release)..." >&2
cargo build --quiet --release --bin accord
accord=target/release/accord

for n in "${sizes[@]}"; do
  corpus="$out/c$n"
  [ -d "$corpus/mdbook" ] || python3 "$gen" "$n" "$corpus" >/dev/null
  "$accord" build --quiet --root "$corpus/mdbook" --out "$corpus/site-first-answer"
  head=$(wc -c < "$corpus/site-first-answer/search/index.bin")
  chunks=$(find "$corpus/site-first-answer/search/chunks" -name '*.bin' | wc -l)
  whole=$(find "$corpus/site-first-answer/search/chunks" -name '*.bin' -printf '%s\n' | awk '{ s += $1 } END { print s }')
  echo
  echo "## $n pages: index head $head bytes, $chunks chunks, $whole bytes of chunks in all"
  if [ -n "$zola" ]; then
    "$zola" --root "$corpus/zola" build --output-dir "$corpus/zola-site" --force >/dev/null 2>&1 || true
    zidx=$(find "$corpus/zola-site" -name 'search_index.*.js' -printf '%s\n' 2>/dev/null | head -1)
    zgz=$(find "$corpus/zola-site" -name 'search_index.*.js' -exec gzip -6 -c {} \; 2>/dev/null | wc -c)
    echo "Zola's search index for the same pages: ${zidx:-?} bytes (${zgz} gzipped), fetched whole before its first answer"
  fi
  echo
  node benches/first-answer.mjs "$corpus/site-first-answer" --kbps "${KBPS:-200}" --rtt "${RTT:-150}" --runs "${RUNS:-3}" \
    "referral police" "victim"
done
