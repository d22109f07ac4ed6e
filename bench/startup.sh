#!/usr/bin/env bash
# Start-up of the parity launcher's JVM, side by side in one run: each JVM flag set runs the same
# command N times (interleaved, so drift hits all alike); prints medians and ratios to the baseline.
#   bench/startup.sh [RUNS] [JAVA]      (defaults: 21 runs, java on PATH)
# Needs the jar (mvn -DskipTests package). Writes its table into bench/RESULTS.md (bench/record),
# one block per JVM version.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
runs=${1:-21}
java=${2:-java}
jar=$PWD/dist/target/parity.jar
[ -f "$jar" ] || { echo "build first: mvn -DskipTests package" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A repository like a user's: two Heroku remotes and a Rails database.yml, so `--dry-run` plans are real.
repo=$work/repo
mkdir -p "$repo/config"
git -C "$repo" init -q -b main
git -C "$repo" remote add production https://git.heroku.com/bench-production.git
git -C "$repo" remote add staging https://git.heroku.com/bench-staging.git
printf 'development:\n  database: bench_development\n' > "$repo/config/database.yml"
printf "gem 'rails'\n" > "$repo/Gemfile"

jsa=$work/parity.jsa
"$java" -XX:ArchiveClassesAtExit="$jsa" -Xlog:cds=off -Xlog:cds+dynamic=off -cp "$jar" dev.parity.cli.Training >/dev/null 2>&1

declare -A flags=(
  [a_default]=""
  [b_c1]="-XX:TieredStopAtLevel=1"
  [c_c1_serial]="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
  [d_cds]="-XX:SharedArchiveFile=$jsa -Xlog:cds=off -Xlog:cds+dynamic=off"
  [e_cds_c1_serial]="-XX:SharedArchiveFile=$jsa -Xlog:cds=off -Xlog:cds+dynamic=off -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
  [f_noshare]="-Xshare:off"
)
commands=("--version" "production migrate --dry-run")

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

java_v=$("$java" -version 2>&1 | head -1)
java_major=$("$java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')
for cmd in "${commands[@]}"; do
  mkdir -p "$work/$cmd"
  for name in "${!flags[@]}"; do : > "$work/$cmd/$name.times"; done
  for ((i = 0; i < runs; i++)); do
    for name in $(printf '%s\n' "${!flags[@]}" | sort); do
      # shellcheck disable=SC2086
      start=$(now); (cd "$repo" && "$java" ${flags[$name]} -jar "$jar" $cmd >/dev/null 2>&1) ; end=$(now)
      echo $(( (end - start) / 1000000 )) >> "$work/$cmd/$name.times"
    done
  done
done

label() {
  case $1 in
    a_default) echo "default" ;;
    b_c1) echo "\`-XX:TieredStopAtLevel=1\`" ;;
    c_c1_serial) echo "C1 + \`-XX:+UseSerialGC\`" ;;
    d_cds) echo "CDS archive" ;;
    e_cds_c1_serial) echo "**CDS + C1 + SerialGC (the launcher)**" ;;
    f_noshare) echo "\`-Xshare:off\` (no CDS at all)" ;;
  esac
}
ratio() { awk -v m="$1" -v b="$2" 'BEGIN {printf "%.2f", m / b}'; }
report=$work/report.md
{
  echo "## Launcher start-up, $java_v (\`bench/startup.sh $runs${2:+ $java}\`, $(date -u +%Y-%m-%d))"
  echo
  echo "$(nproc) cores; each row runs \`java FLAGS -jar dist/target/parity.jar COMMAND\` $runs times, interleaved, medians; ratios to \`default\`."
  echo
  echo "| flags | \`--version\` ms | ratio | \`production migrate --dry-run\` ms | ratio |"
  echo "|---|---:|---:|---:|---:|"
  for name in $(printf '%s\n' "${!flags[@]}" | sort); do
    row="| $(label "$name")"
    for cmd in "${commands[@]}"; do
      m=$(median < "$work/$cmd/$name.times"); b=$(median < "$work/$cmd/a_default.times")
      row+=" | $m | $(ratio "$m" "$b")"
    done
    echo "$row |"
  done
} > "$report"
cat "$report"
"$root/bench/record" "startup.sh java-$java_major" < "$report"
