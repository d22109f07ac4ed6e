#!/bin/sh
# Installs parity from a release into PREFIX by copying (default PREFIX: ~/.local):
#   PREFIX/lib/parity/   the release (jars, launchers, completion scripts, its own Java if any)
#   PREFIX/bin/          links: parity, production, staging, development, pr_app
#
#   ./install.sh [PREFIX]                     from the release this script is in, or, in a clone of
#                                             the sources, from dist/target/parity-*.tar.gz (built
#                                             with Maven first when there is none)
#   ./install.sh --from parity-VERSION[-linux-x64].tar.gz [PREFIX]
#   ./install.sh --uninstall [PREFIX]         removes exactly what the install recorded
#
# Nothing installed refers back to where it came from: the clone or tarball can be deleted.
set -eu
names="parity production staging development pr_app"

usage() {
    echo "usage: install.sh [--from RELEASE.tar.gz] [PREFIX] | install.sh --uninstall [PREFIX]" >&2
    exit 2
}

uninstall=false
from=
while [ $# -gt 0 ]; do
    case $1 in
        --uninstall) uninstall=true; shift ;;
        --from) [ $# -ge 2 ] || usage; from=$2; shift 2 ;;
        --help|-h) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) usage ;;
        *) break ;;
    esac
done
[ $# -le 1 ] || usage
prefix=${1:-$HOME/.local}
prefix_existed=true
[ -d "$prefix" ] || prefix_existed=false
mkdir -p "$prefix" 2>/dev/null || { echo "install.sh: cannot create $prefix" >&2; exit 1; }
prefix=$(cd "$prefix" && pwd -P)
home=$prefix/lib/parity
manifest=$home/install-manifest

# Removes what the manifest lists: files and links first, then the directories it created, deepest
# first, each only when empty (something of yours inside keeps it, and is said).
# The manifest itself is among the files (read from a copy).
remove_installed() {
    [ -f "$manifest" ] || { echo "install.sh: nothing installed by install.sh in $prefix ($manifest is missing)" >&2; return 1; }
    list=$(mktemp)
    cp "$manifest" "$list"
    # the launchers' class-data archive is made beside the jar on first use: not copied, but ours
    rm -f "$home/lib/parity.jsa" "$home/lib/parity.jsa.jvm"
    while IFS= read -r line; do
        case $line in
            "f "*) rm -f "$prefix/${line#f }" ;;
        esac
    done < "$list"
    while IFS= read -r line; do
        case $line in
            "d .") rmdir "$prefix" 2>/dev/null || echo "install.sh: kept $prefix (not empty)" >&2 ;;
            "d "*) rmdir "$prefix/${line#d }" 2>/dev/null || echo "install.sh: kept $prefix/${line#d } (not empty)" >&2 ;;
        esac
    done < "$list"
    rm -f "$list"
}

if $uninstall; then
    remove_installed
    echo "Removed parity from $prefix"
    exit 0
fi

here=$(cd "$(dirname "$0")" && pwd -P)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

# The release to copy: an unpacked release directory.
if [ -n "$from" ]; then
    [ -f "$from" ] || { echo "install.sh: no such release: $from" >&2; exit 1; }
    tar -xzf "$from" -C "$work"
    release=$(find "$work" -mindepth 1 -maxdepth 1 -type d | head -n 1)
elif [ -f "$here/lib/parity.jar" ]; then
    release=$here
else
    tarball=$(ls -t "$here"/dist/target/parity-*.tar.gz 2>/dev/null | grep -v -- '-linux-x64\.tar\.gz$' | head -n 1 || true)
    if [ -z "$tarball" ]; then
        echo "install.sh: no release built yet: building one with Maven (once; takes about a minute)" >&2
        if ! (cd "$here" && mvn -q -B -DskipTests package) >"$work/build.log" 2>&1; then
            cat "$work/build.log" >&2
            echo "install.sh: the build failed; see above, or run: cd $here && mvn -DskipTests package" >&2
            exit 1
        fi
        tarball=$(ls -t "$here"/dist/target/parity-*.tar.gz | grep -v -- '-linux-x64\.tar\.gz$' | head -n 1)
    fi
    tar -xzf "$tarball" -C "$work"
    release=$(find "$work" -mindepth 1 -maxdepth 1 -type d | head -n 1)
fi
[ -n "$release" ] && [ -f "$release/lib/parity.jar" ] && [ -f "$release/bin/parity" ] \
    || { echo "install.sh: not a parity release: ${from:-$release}" >&2; exit 1; }

# Never overwrite what is not ours: a link or file of the same name from elsewhere stops the install.
# Links into a clone (what older versions of install.sh made) are replaced.
for name in $names; do
    target=$prefix/bin/$name
    if [ -h "$target" ]; then
        case $(readlink "$target") in
            */bin/"$name"|*/lib/parity/bin/"$name") continue ;;
        esac
    fi
    if [ -e "$target" ] || [ -h "$target" ]; then
        echo "install.sh: $target exists and is not parity's; remove it or choose another PREFIX" >&2
        exit 1
    fi
done
if [ -e "$home" ] && [ ! -f "$manifest" ]; then
    echo "install.sh: $home exists but was not installed by install.sh; remove it or choose another PREFIX" >&2
    exit 1
fi
if [ -f "$manifest" ]; then
    # an upgrade: what the first install created is still this install's to remove
    grep -qx 'd \.' "$manifest" && prefix_existed=false
    remove_installed
    rm -f "$manifest"
fi

# Directories this install creates, outermost first, so that uninstall removes only those.
created=
for dir in "$prefix/lib" "$prefix/bin"; do
    [ -d "$dir" ] || { mkdir -p "$dir"; created="$created ${dir#"$prefix"/}"; }
done
for name in $names; do
    [ -h "$prefix/bin/$name" ] && rm -f "$prefix/bin/$name"
done
mkdir "$home"
cp -R "$release/." "$home/"
for name in $names; do
    ln -s "../lib/parity/bin/$name" "$prefix/bin/$name"
done

{
    (cd "$home" && find . \( -type f -o -type l \)) | sed 's#^\./#f lib/parity/#'
    echo "f lib/parity/install-manifest"
    for name in $names; do echo "f bin/$name"; done
    (cd "$home" && find . -depth -mindepth 1 -type d) | sed 's#^\./#d lib/parity/#'
    echo "d lib/parity"
    for dir in $created; do echo "d $dir"; done
    $prefix_existed || echo "d ."
} > "$work/manifest"
mv "$work/manifest" "$manifest"

echo "Installed parity into $home; linked parity, production, staging, development and pr_app into $prefix/bin"
case ":$PATH:" in
    *":$prefix/bin:"*) ;;
    *) echo "Add $prefix/bin to your PATH, e.g.: export PATH=\"$prefix/bin:\$PATH\"" ;;
esac
echo "Shell completion: source $home/completion/parity.bash (bash) or add $home/completion to fpath (zsh)"
echo "Uninstall: $home/install.sh --uninstall $prefix"
