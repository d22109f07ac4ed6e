#!/usr/bin/env bash
# Tail throughput: realistic Heroku log lines generated in memory, pushed through what `ENV tail`
# does per line (parse, filter, colour, print to a discarding stream); median lines/s of RUNS runs.
#   bench/tail.sh [LINES] [RUNS] [JAVA]      (defaults: 2000000 lines, 5 runs, java on PATH)
# Target: >= 200,000 lines/s. The raw output goes to bench/tail/last-run.txt, the table into
# bench/RESULTS.md (bench/record).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
lines=${1:-2000000}
runs=${2:-5}
java=${3:-java}
mvn -q -pl parity -am test-compile >&2
"$java" -Xmx2g -cp parity/target/classes:parity/target/test-classes dev.parity.logs.TailThroughputBench "$lines" "$runs" \
  | tee bench/tail/last-run.txt
# The bench prints a heading line, a column line, then "CONFIGURATION  LINES/S  PRINTED  MS/RUN" rows.
{
  echo "## Tail throughput (\`bench/tail.sh $lines $runs${3:+ $java}\`, $(date -u +%Y-%m-%d))"
  echo
  echo "$(head -1 bench/tail/last-run.txt). Each line goes through what \`tail\` does per line: parse, filter, colour, print to a discarding stream."
  echo
  echo "| configuration | lines/s | printed | ms/run |"
  echo "|---|---:|---:|---:|"
  awk 'NR > 2 && NF >= 4 { c = $1; for (i = 2; i <= NF - 3; i++) c = c " " $i; printf "| %s | %s | %s | %s |\n", c, $(NF-2), $(NF-1), $NF }' bench/tail/last-run.txt
  echo
  echo "Target >= 200,000 lines/s."
} > bench/tail/last-run.md
"$root/bench/record" "tail.sh" < bench/tail/last-run.md
rm -f bench/tail/last-run.md
