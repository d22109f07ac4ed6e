#!/usr/bin/env bash
# Every benchmark, one after the other (each compares its variants side by side in its own run,
# and writes its dated report into bench/RESULTS.md).
# Needs the jar (mvn -DskipTests package) and the official CLI (tools/install-heroku-cli).
set -euo pipefail
cd "$(dirname "$0")"
echo "### start-up";        ./startup.sh 21
echo "### ps";              ./ps.sh 15
echo "### migrate";         ./migrate.sh 10 200
echo "### tail throughput"; ./tail.sh
echo "### restore";         ./restore.sh 250 1000
echo "### restore, realistic data"; ./restore-realistic.sh
