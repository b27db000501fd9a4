#!/usr/bin/env bash
# What highlighting fenced code costs: builds the synthetic corpus as it is (it has no code) and
# a copy with one fenced code block on every page (Rust, YAML, TOML, Bash and JSON in turn), and
# prints the build time (median of RUNS) and the markdown stage, which renders the code.
#
#   bash benches/code.sh [PAGES]     (default: 10000; RUNS=3)
set -euo pipefail
cd "$(dirname "$0")/.."

n=${1:-10000}
runs=${RUNS:-3}
out=target/bench
mkdir -p "$out"

echo "building accord and the corpus generator (release)..." >&2
cargo build --quiet --release --bin accord --example corpus
accord=target/release/accord

plain="$out/code-$n-plain"
code="$out/code-$n-code"
target/release/examples/corpus "$plain" "$n" >/dev/null 2>&1
rm -rf "$code"
cp -r "$plain" "$code"
rm -rf "$code/site"
i=0
while IFS= read -r f; do
  case $((i % 5)) in
    0) printf '\n```rust\nfn main() {\n    let pages: Vec<&str> = vec!["a", "b"]; // two pages\n    for p in &pages {\n        println!("{p}");\n    }\n}\n```\n' >> "$f" ;;
    1) printf '\n```yaml\nkind: principle\ntitle: Building trust\ntags: [trust, police]\nsources:\n  - title: Guide\n    date: "2009"\n```\n' >> "$f" ;;
    2) printf '\n```toml\n[book]\ntitle = "Counter-Trafficking Cooperation"\nsrc = "content"\n\n[build]\nallow-html = false\n```\n' >> "$f" ;;
    3) printf '\n```bash\n#!/usr/bin/env bash\nset -e\nfor f in content/*.md; do\n  echo "checking $f" && grep -c "^#" "$f"\ndone\n```\n' >> "$f" ;;
    4) printf '\n```json\n{"path": "a.md", "url": "a.html", "kind": "page", "tags": ["x", "y"], "count": 12}\n```\n' >> "$f" ;;
  esac
  i=$((i + 1))
done < <(find "$code/content" -name '*.md' | sort)

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

printf '\n| corpus | pages | build (median of %s) | markdown stage (median) |\n|---|---|---|---|\n' "$runs"
for dir in "$plain" "$code"; do
  totals=(); stages=()
  for _ in $(seq "$runs"); do
    log=$(ACCORD_TIMINGS=1 "$accord" build --root "$dir" 2>&1)
    totals+=("$(sed -n 's/.* in \([0-9.]*\) s$/\1/p' <<<"$log" | head -1)")
    stages+=("$(awk '$1 == "markdown" { print $2 }' <<<"$log")")
  done
  printf '| %s | %s | %s s | %s ms |\n' "$(basename "$dir")" "$n" \
    "$(printf '%s\n' "${totals[@]}" | median)" "$(printf '%s\n' "${stages[@]}" | median)"
done
