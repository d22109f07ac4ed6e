#!/usr/bin/env bash
# Tail throughput: realistic Heroku log lines generated in memory, pushed through what `ENV tail`
# does per line (parse, filter, colour, print to a discarding stream); median lines/s of RUNS runs.
#   bench/tail.sh [LINES] [RUNS] [JAVA]      (defaults: 2000000 lines, 5 runs, java on PATH)
# Target (issue 4): >= 200,000 lines/s. Results are recorded by hand in bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${1:-2000000}
runs=${2:-5}
java=${3:-java}
mvn -q -pl parity test-compile >&2
"$java" -Xmx2g -cp parity/target/classes:parity/target/test-classes dev.parity.logs.TailThroughputBench "$lines" "$runs" \
  | tee bench/tail/last-run.txt
