#!/usr/bin/env bash
# What `production migrate` costs beyond the migration itself: on a sandbox this script starts
# (boot delay BOOT ms), an app with web=2,worker=1 and `migrate: true`; RUNS whole-process runs
# through the launcher; overhead = wall time - BOOT (the migration `true` takes ~0 ms).
# Target: overhead <= 0.5 s.   bench/migrate.sh [RUNS] [BOOT_MS]   (defaults 10, 200)
# Writes its report into bench/RESULTS.md (bench/record).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
runs=${1:-10}
boot=${2:-200}
[ -f dist/target/parity.jar ] || { echo "build first: mvn -DskipTests package" >&2; exit 1; }
work=$(mktemp -d)
sandbox=$work/sandbox
trap '"$root/bin/parity" sandbox stop --dir "$sandbox" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
eval "$("$root/bin/parity" sandbox start --dir "$sandbox" --boot-delay "$boot")"
export HOME=$work/home NO_COLOR=1
mkdir -p "$HOME"
app=bench-migrate
"$root/bin/parity" sandbox create "$app" --dir "$sandbox" --formation web=2,worker=1 >/dev/null
repo=$work/repo
mkdir -p "$repo"
git -C "$repo" init -q -b main
git -C "$repo" remote add production "$HEROKU_HOST/$app.git"
printf 'migrate: "true"\n' > "$repo/.parity.yml"
sleep 1
(cd "$repo" && "$root/bin/production" migrate >/dev/null 2>&1) || { echo "warm-up migrate failed" >&2; exit 1; }

: > "$work/ms"
for ((i = 0; i < runs; i++)); do
  start=$(date +%s%N)
  (cd "$repo" && "$root/bin/production" migrate >/dev/null 2>&1)
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 )) >> "$work/ms"
done
median=$(sort -n "$work/ms" | awk '{a[NR]=$1} END {printf "%d", (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
overhead=$((median - boot))
{
  echo "## \`production migrate\` overhead (\`bench/migrate.sh $runs $boot\`, $(date -u +%Y-%m-%d))"
  echo
  echo "Sandbox app web=2,worker=1, boot delay $boot ms, \`migrate: true\`, $runs runs through the launcher ($(java -version 2>&1 | head -1), $(nproc) cores):"
  echo "median wall $median ms, so **$overhead ms** beyond the migration and the boot delay (target <= 500 ms)."
  echo "All runs, ms: $(tr '\n' ' ' < "$work/ms")"
} > "$work/report.md"
cat "$work/report.md"
"$root/bench/record" "migrate.sh" < "$work/report.md"
