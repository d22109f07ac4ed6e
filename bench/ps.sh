#!/usr/bin/env bash
# `production ps` (parity, through its launcher) against `heroku ps --app APP` (the pinned official
# CLI in tools/heroku-cli), side by side in one run on a sandbox this script starts itself, with an
# app of web=2,worker=1. RUNS whole-process runs of each, interleaved so drift hits both alike;
# medians of wall time and of peak memory (max RSS), and their ratios. Issue 4's targets:
# wall time <= 0.20x and peak memory <= 0.5x of the official CLI's.
#   bench/ps.sh [RUNS]     (default 15 runs; writes its table into bench/RESULTS.md: bench/record)
# Needs the jar (mvn -DskipTests package) and the official CLI (tools/install-heroku-cli).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
runs=15
for a in "$@"; do runs=$a; done
[ "$runs" -ge 10 ] || { echo "at least 10 runs, please" >&2; exit 2; }
jar=$root/dist/target/parity.jar
heroku=$root/tools/heroku-cli/bin/heroku # runs the CLI with a Node its engines accept
[ -f "$jar" ] || { echo "build first: mvn -DskipTests package" >&2; exit 1; }
[ -x "$root/tools/heroku-cli/node_modules/.bin/heroku" ] || { echo "install the official CLI first: tools/install-heroku-cli" >&2; exit 1; }

work=$(mktemp -d)
sandbox=$work/sandbox
cleanup() {
  "$root/bin/parity" sandbox stop --dir "$sandbox" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# The sandbox prints the export lines a shell needs (HEROKU_HOST, HEROKU_API_KEY, ...).
exports=$("$root/bin/parity" sandbox start --dir "$sandbox" 2>"$work/start.err") || { cat "$work/start.err" >&2; exit 1; }
eval "$exports"
# the official CLI on PATH too, for builds where `production ps` still passes through to it
export PATH=$root/tools/heroku-cli/bin:$PATH
export HOME=$work/home NO_COLOR=1 TZ=UTC HEROKU_SKIP_ANALYTICS=1 HEROKU_DISABLE_AUTOUPDATE=1
mkdir -p "$HOME"
app=bench-ps
"$root/bin/parity" sandbox create "$app" --dir "$sandbox" --postgres --formation web=2,worker=1 >/dev/null

repo=$work/repo
mkdir -p "$repo"
git -C "$repo" init -q -b main
git -C "$repo" remote add production "$HEROKU_HOST/$app.git"
sleep 2 # the dynos boot

if [ -x /usr/bin/time ] && /usr/bin/time -f %M true >/dev/null 2>&1; then memtool="/usr/bin/time -f %M"; else memtool="VmHWM from /proc/PID/status"; fi

# run NAME CMD...: one whole-process run in the repository; appends wall ms and peak KiB.
run() {
  local name=$1; shift
  local start end kib
  if [ "$memtool" != "${memtool#/usr/bin/time}" ]; then
    start=$(date +%s%N)
    (cd "$repo" && /usr/bin/time -f %M -o "$work/mem" "$@" >"$work/$name.out" 2>"$work/$name.err")
    end=$(date +%s%N)
    kib=$(tail -1 "$work/mem")
  else
    start=$(date +%s%N)
    (cd "$repo" && exec "$@" >"$work/$name.out" 2>"$work/$name.err") &
    local pid=$! hwm=0 v
    while kill -0 "$pid" 2>/dev/null; do
      v=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
      [ -n "$v" ] && [ "$v" -gt "$hwm" ] && hwm=$v
      sleep 0.005
    done
    wait "$pid"
    end=$(date +%s%N)
    kib=$hwm
  fi
  echo $(( (end - start) / 1000000 )) >> "$work/$name.ms"
  echo "$kib" >> "$work/$name.kib"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

parity_cmd=("$root/bin/production" ps)
heroku_cmd=("$heroku" ps --app "$app")
doctor_cmd=("$root/bin/production" doctor)
if (cd "$repo" && "$root/bin/production" --dry-run ps 2>/dev/null | grep -q 'heroku ps'); then
  mode="passes through to the official CLI (this build has no native ps)"
else
  mode="native (Platform API)"
fi
# warm-up (the launcher's CDS archive, node's module cache, the CLI's first-run notices), then
# one checked run of each whose output is kept as a sample
for name in parity heroku; do
  if [ $name = parity ]; then cmd=("${parity_cmd[@]}"); else cmd=("${heroku_cmd[@]}"); fi
  run warm "${cmd[@]}" || true
  if ! run warm "${cmd[@]}" || ! grep -q "web.1" "$work/warm.out"; then
    echo "${cmd[*]##*/} did not list the dynos:" >&2; cat "$work/warm.out" "$work/warm.err" >&2; exit 1
  fi
  cp "$work/warm.out" "$work/$name.sample"
done

# The floors ps stands on: the bare JVM with the launcher's flags (java -version), and parity's
# launcher + JVM + picocli doing nothing (--version). And ps without psql on PATH (every program of
# /usr/bin and /bin but psql, linked into one directory): what reading the migration history costs.
floor_jvm_cmd=(java -XX:TieredStopAtLevel=1 -Xmn16m -XX:+UseSerialGC -Xshare:auto -version)
floor_parity_cmd=("$root/bin/production" --version)
nopsql=$work/bin-without-psql
mkdir -p "$nopsql"
for f in /usr/bin/* /bin/*; do
  case ${f##*/} in psql|pg_*) continue ;; esac
  [ -e "$nopsql/${f##*/}" ] || ln -s "$f" "$nopsql/${f##*/}"
done
[ -e "$nopsql/java" ] || ln -s "$(command -v java)" "$nopsql/java" # a JDK outside /usr/bin and /bin
nopsql_cmd=(env PATH="$nopsql" "$root/bin/production" ps)
run warm "${nopsql_cmd[@]}" || true
for ((i = 0; i < runs; i++)); do
  run parity "${parity_cmd[@]}"
  run heroku "${heroku_cmd[@]}"
  run doctor "${doctor_cmd[@]}" || true # exit 1 = findings; timed all the same
  run nopsql "${nopsql_cmd[@]}"
  run floorjvm "${floor_jvm_cmd[@]}"
  run floorparity "${floor_parity_cmd[@]}"
done

pm=$(median < "$work/parity.ms"); hm=$(median < "$work/heroku.ms")
pk=$(median < "$work/parity.kib"); hk=$(median < "$work/heroku.kib")
dm=$(median < "$work/doctor.ms"); dk=$(median < "$work/doctor.kib")
nm=$(median < "$work/nopsql.ms"); nk=$(median < "$work/nopsql.kib")
jm=$(median < "$work/floorjvm.ms"); jk=$(median < "$work/floorjvm.kib")
fm=$(median < "$work/floorparity.ms"); fk=$(median < "$work/floorparity.kib")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
mib() { awk -v k="$1" 'BEGIN {printf "%.0f", k / 1024}'; }
java_v=$(java -version 2>&1 | head -1)
cli_v=$("$heroku" --version 2>/dev/null | head -1 | awk '{print $1}')
node_v=$("$heroku" --version 2>/dev/null | head -1 | awk '{sub(/^node-/, "", $3); print $3}')
machine="$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME"), $(uname -m), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"

report=$work/report.md
{
  echo
  echo "## \`production ps\` vs \`heroku ps\` (\`bench/ps.sh $runs\`, $(date -u +%Y-%m-%d))"
  echo
  echo "Machine: $machine. parity: $java_v, launcher flags (CDS, C1, SerialGC). Official CLI: $cli_v on node $node_v."
  echo "Sandbox app with web=2,worker=1; $runs whole-process runs each, interleaved; medians. Peak memory: $memtool."
  echo
  echo "| command | wall ms | ratio | peak MiB | ratio |"
  echo "|---|---:|---:|---:|---:|"
  echo "| \`heroku ps --app $app\` | $hm | 1.00 | $(mib "$hk") | 1.00 |"
  echo "| \`production ps\` | $pm | $(ratio "$pm" "$hm") | $(mib "$pk") | $(ratio "$pk" "$hk") |"
  echo "| \`production ps\`, psql not on PATH (no migration history read) | $nm | $(ratio "$nm" "$hm") | $(mib "$nk") | $(ratio "$nk" "$hk") |"
  echo "| \`production doctor\` (dynos, releases, config vars, read-only psql; for reference) | $dm | $(ratio "$dm" "$hm") | $(mib "$dk") | $(ratio "$dk" "$hk") |"
  echo "| floor: \`production --version\` (launcher, JVM with its archive, picocli; no API call) | $fm | $(ratio "$fm" "$hm") | $(mib "$fk") | $(ratio "$fk" "$hk") |"
  echo "| floor: \`java -version\` with the launcher's JIT and GC flags | $jm | $(ratio "$jm" "$hm") | $(mib "$jk") | $(ratio "$jk" "$hk") |"
  echo
  echo "\`production ps\` in this build: $mode. Targets (issue 13): wall <= 0.15x, memory <= 0.5x. ps over the --version floor: $((pm - fm)) ms."
}> "$report"
cat "$report"
echo >&2
echo "--- production ps printed:" >&2; cat "$work/parity.sample" >&2
echo "--- heroku ps printed:" >&2; cat "$work/heroku.sample" >&2
echo "--- production doctor printed:" >&2; cat "$work/doctor.out" "$work/doctor.err" >&2
(cd "$repo" && "$root/bin/production" doctor --dry-run) >&2
"$root/bench/record" "ps.sh" < "$report"
