#!/usr/bin/env bash
# The release artifacts: their sizes, and start-up of the installed launchers against the clone's
# bin/production (the launcher as before the release layout: dist/target/parity.jar, its archive),
# side by side in one run: each variant runs the same command RUNS times, interleaved, so drift
# hits all alike. Prints medians and ratios to the clone, and writes them into bench/RESULTS.md
# (between the install-startup markers).
#   bench/install-startup.sh [RUNS]      (default 21)
# Needs the releases: mvn -DskipTests package (dist/target/parity-*.tar.gz, parity_*_all.deb).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-21}
version=$(sed -n 's/^ *<revision>\(.*\)<\/revision>.*/\1/p' pom.xml | head -n 1)
target=$PWD/dist/target
plain=$target/parity-$version.tar.gz
linux=$target/parity-$version-linux-x64.tar.gz
deb=$target/parity_${version}_all.deb
for f in "$plain" "$linux" "$deb"; do
    [ -f "$f" ] || { echo "build first: mvn -DskipTests package (missing $f)" >&2; exit 1; }
done
# under dist/target: the same file system as the clone, so no variant reads from a faster one
work=$(mktemp -d -p "$target" install-startup.XXXXXX)
trap 'rm -rf "$work"' EXIT

# A repository like a user's: a production remote, so `ps --dry-run` plans for a real app name.
repo=$work/repo
git -C "$work" init -q -b main repo
git -C "$repo" remote add production https://git.heroku.com/bench-production.git

mkdir -p "$work/plain" "$work/linux"
tar -xzf "$plain" -C "$work/plain"
tar -xzf "$linux" -C "$work/linux"
# No java on PATH for the linux-x64 release: only its own runtime can start it.
mkdir -p "$work/nojava"
for p in /usr/bin/* /bin/*; do
    name=${p##*/}
    case $name in java|javac|jar|jshell|mvn*) continue ;; esac
    [ -e "$work/nojava/$name" ] || ln -s "$p" "$work/nojava/$name"
done

declare -A launcher=(
  [a_clone]="$PWD/bin/production"
  [b_tarball]="$work/plain/parity-$version/bin/production"
  [c_linux_x64]="$work/linux/parity-$version-linux-x64/bin/production"
)
declare -A what=(
  [a_clone]="bin/production in the clone (system Java 17, archive in dist/target)"
  [b_tarball]="parity-$version.tar.gz unpacked (system Java 17, archive beside the jar)"
  [c_linux_x64]="parity-$version-linux-x64.tar.gz unpacked (its jlink runtime, no java on PATH)"
)
run() { # variant, args...
    local v=$1; shift
    if [ "$v" = c_linux_x64 ]; then
        (cd "$repo" && env -u JAVA_HOME PATH="$work/nojava" HOME="$work/home" "${launcher[$v]}" "$@" >/dev/null 2>&1)
    else
        (cd "$repo" && HOME="$work/home" "${launcher[$v]}" "$@" >/dev/null 2>&1)
    fi
}
now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
variants=$(printf '%s\n' "${!launcher[@]}" | sort)

size() { du -k "$1" | cut -f 1 | awk '{printf "%.1f MB", $1 / 1024}'; }
unpacked() { du -sk "$1" | cut -f 1 | awk '{printf "%.1f MB", $1 / 1024}'; }
# Sizes as unpacked, before first use adds the class-data archive.
table=$work/table.md
{
  echo "## Release artifacts and installed start-up (\`bench/install-startup.sh $runs\`, $(date -u +%Y-%m-%d))"
  echo
  echo "Written by the script. $(java -version 2>&1 | head -n 1); $runs runs per variant, interleaved; $(nproc) cores; load $(cut -d ' ' -f 1-3 /proc/loadavg)."
  echo
  echo "| artifact | download | unpacked |"
  echo "|---|---|---|"
  echo "| parity-$version.tar.gz | $(size "$plain") | $(unpacked "$work/plain") |"
  echo "| parity-$version-linux-x64.tar.gz | $(size "$linux") | $(unpacked "$work/linux") |"
  echo "| parity_${version}_all.deb | $(size "$deb") | $(dpkg-deb -f "$deb" Installed-Size | awk '{printf "%.1f MB", $1 / 1024}') |"
} > "$table"

# First use makes each launcher's class-data archive; measured apart (once), it is not start-up.
rm -f "$target/parity.jsa" "$target/parity.jsa.jvm"   # the clone's, so that it too is made anew
{
  echo
  echo "First use (\`parity --version\`, makes the class-data archive), once each:"
  for v in $variants; do
      start=$(now); run "$v" --version; end=$(now)
      echo "${what[$v]%% (*}: $(( (end - start) / 1000000 )) ms;"
  done | paste -sd ' ' - | sed 's/;$/./'
} >> "$table"

for cmd in "ps --dry-run" "--help"; do
  for v in $variants; do : > "$work/$v.times"; done
  for ((i = 0; i < runs; i++)); do
    for v in $variants; do
      # shellcheck disable=SC2086
      start=$(now); run "$v" $cmd; end=$(now)
      echo $(( (end - start) / 1000000 )) >> "$work/$v.times"
    done
  done
  base=$(median < "$work/a_clone.times")
  {
    echo
    echo "\`production $cmd\`:"
    echo
    echo "| launcher | median ms | ratio to the clone |"
    echo "|---|---|---|"
    for v in $variants; do
      m=$(median < "$work/$v.times")
      echo "| ${what[$v]} | $m | $(awk -v m="$m" -v b="$base" 'BEGIN {printf "%.2f", m / b}') |"
    done
  } >> "$table"
done
cat "$table"

# Into RESULTS.md, replacing the previous run's section.
results=bench/RESULTS.md
begin='<!-- install-startup:begin -->'
end='<!-- install-startup:end -->'
if ! grep -qF "$begin" "$results"; then
    printf '\n%s\n%s\n' "$begin" "$end" >> "$results"
fi
awk -v begin="$begin" -v end="$end" -v table="$table" '
    $0 == begin { print; while ((getline line < table) > 0) print line; skip = 1; next }
    $0 == end { skip = 0 }
    !skip { print }
' "$results" > "$work/results.md"
cp "$work/results.md" "$results"
echo "written to $results"
