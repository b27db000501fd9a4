#!/usr/bin/env bash
# Build benchmark: accord (release build, with its search index) against Zola without search,
# Zola without search highlighting code, Zola with search and mdBook, on the same synthetic
# knowledge base (benches/corpus/gen_corpus.py: about 600 words a page with headings, lists,
# tables, code blocks and cross-links, in a 10-ary tree; the same pages in each tool's layout).
#
# accord highlights fenced code when it builds (CSS classes, no script); Zola does so only when
# configured, and mdBook leaves it to a script in the reader's browser. "Zola highlighting code"
# is Zola without search, configured to highlight with classes as accord does: the peer doing
# the same Markdown work.
#
# Runs are paired and alternate (accord, Zola, Zola highlighting, Zola with search, mdBook,
# accord, …; RUNS=3 rounds) so that the noise of a shared machine falls on every tool alike. For
# each size it prints each tool's median build time, the ratio of accord's time to the tool's
# (the median of the ratios within each round) and the median peak memory (GNU time's maximum
# resident set).
#
#   bash benches/build.sh [PAGES...]      (default: 1000 10000; e.g. 1000 10000 100000)
#
# Peers: ZOLA and MDBOOK name the programs (`none` leaves one out); otherwise `zola`/`mdbook` on
# PATH, else /tmp/zola and /tmp/mdbook. A peer that is not installed is skipped, and the script
# says so. Corpora are kept in BENCH_DIR (default target/bench, one folder `cN` per size) and made
# only when missing: 100,000 pages take a few minutes to write.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000 10000)
runs=${RUNS:-3}
# Absolute: Zola resolves its content folder wrongly from a relative --root.
mkdir -p "${BENCH_DIR:-target/bench}"
bench=$(cd "${BENCH_DIR:-target/bench}" && pwd)
target=${CARGO_TARGET_DIR:-target}
mkdir -p "$bench"

if [ ! -x /usr/bin/time ]; then
  echo "benches/build.sh needs GNU time (/usr/bin/time; Debian: apt-get install time) for peak memory" >&2
  exit 1
fi

# ACCORD names another accord program to time (an earlier version, to compare).
accord=${ACCORD:-}
if [ -z "$accord" ]; then
  echo "building accord (release)..." >&2
  cargo build --quiet --release --bin accord
  accord=$target/release/accord
fi

# The program of a peer: $1 (an environment override), else $2 on PATH, else /tmp/$2.
find_peer() {
  if [ "$1" = none ]; then return
  elif [ -n "$1" ]; then echo "$1"
  elif command -v "$2" >/dev/null; then command -v "$2"
  elif [ -x "/tmp/$2" ]; then echo "/tmp/$2"
  fi
}
zola=$(find_peer "${ZOLA:-}" zola)
mdbook=$(find_peer "${MDBOOK:-}" mdbook)
[ -z "$zola" ] && echo "Zola is not installed: skipped (set ZOLA, or unpack a release to /tmp/zola)" >&2
[ -z "$mdbook" ] && echo "mdBook is not installed: skipped (set MDBOOK, or unpack a release to /tmp/mdbook)" >&2

# One build into a new folder, timed: prints "seconds peak-KiB". Outputs are only removed when
# the script ends: ext4 skips inodes freed in the last minutes when it allocates new ones, and
# after removing a 10,000-page site just before a build, that search took more system time than
# the build itself. No tool pays for deleting a previous build, nor for one deleted just before.
measure() {
  local out=$1 log="$bench/time.log"
  shift
  if ! /usr/bin/time -f '%e %M' -o "$log" "$@" >"$bench/run.log" 2>&1; then
    echo "failed: $* (see $bench/run.log)" >&2
    exit 1
  fi
  cat "$log"
}

median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.3f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
mib() { awk '{ printf "%.0f MiB", $1 / 1024 }'; }

runs_dir=$(mktemp -d "$bench/runs.XXXXXX")
kept=()
trap 'rm -rf "$runs_dir"' EXIT

printf '\n| pages | tool | build time (median of %s) | accord / this tool (median of rounds) | peak memory (median) |\n' "$runs"
printf '|---|---|---|---|---|\n'
for n in "${sizes[@]}"; do
  corpus="$bench/c$n"
  if [ ! -f "$corpus/.pages-$n" ]; then
    echo "writing $n pages to $corpus..." >&2
    rm -rf "$corpus"
    python3 benches/corpus/gen_corpus.py "$n" "$corpus" >&2
    touch "$corpus/.pages-$n"
  fi
  tools=(accord)
  [ -n "$zola" ] && tools+=(zola zola-highlight zola-search)
  # Zola's configuration without search, highlighting code with classes (Zola 0.22's keys).
  if [ -n "$zola" ]; then
    cat "$corpus/zola/config.nosearch.toml" - >"$corpus/zola/config.highlight.toml" <<'TOML'
[markdown.highlighting]
theme = "github-light"
style = "class"
TOML
  fi
  [ -n "$mdbook" ] && tools+=(mdbook)
  declare -A times=() mems=() ratios=()
  for r in $(seq "$runs"); do
    for tool in "${tools[@]}"; do
      out="$runs_dir/c$n-$tool-$r"
      case $tool in
        accord) res=$(measure "$out" "$accord" build --root "$corpus/mdbook" --out "$out") ;;
        zola) res=$(measure "$out" "$zola" --root "$corpus/zola" --config "$corpus/zola/config.nosearch.toml" build --output-dir "$out") ;;
        zola-highlight) res=$(measure "$out" "$zola" --root "$corpus/zola" --config "$corpus/zola/config.highlight.toml" build --output-dir "$out") ;;
        zola-search) res=$(measure "$out" "$zola" --root "$corpus/zola" --config "$corpus/zola/config.toml" build --output-dir "$out") ;;
        mdbook) res=$(measure "$out" "$mdbook" build "$corpus/mdbook" --dest-dir "$out") ;;
      esac
      read -r t m <<<"$res"
      echo "  $n pages, round $r: $tool $t s, $((m / 1024)) MiB" >&2
      times[$tool]+="$t "
      mems[$tool]+="$m "
      if [ "$tool" = accord ]; then
        last_accord=$t
        last_out=$out
      else
        ratios[$tool]+="$(awk -v a="$last_accord" -v z="$t" 'BEGIN { printf "%.3f", a / z }') "
      fi
    done
  done
  kept+=("$last_out:$corpus/out-accord")
  for tool in "${tools[@]}"; do
    t=$(printf '%s\n' ${times[$tool]} | median)
    m=$(printf '%s\n' ${mems[$tool]} | median | mib)
    ratio="–"
    if [ "$tool" != accord ]; then
      ratio="$(printf '%s\n' ${ratios[$tool]} | median | awk '{ printf "%.2f×", $1 }')"
    fi
    case $tool in
      accord) name="accord (with search)" ;;
      zola) name="Zola without search" ;;
      zola-highlight) name="Zola without search, highlighting code" ;;
      zola-search) name="Zola with search" ;;
      mdbook) name="mdBook (with search)" ;;
    esac
    printf '| %s | %s | %.2f s | %s | %s |\n' "$n" "$name" "$t" "$ratio" "$m"
  done
  unset times mems ratios
done
# Each size's last accord site is kept, for the other benchmarks.
for k in "${kept[@]}"; do
  rm -rf "${k#*:}"
  mv "${k%%:*}" "${k#*:}"
done
echo
echo "Each size's last accord site is in $bench/cN/out-accord. Search latency: bash benches/search.sh; rebuild latency: bash benches/rebuild.sh" >&2
