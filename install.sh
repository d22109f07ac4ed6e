#!/bin/sh
# Links parity's launchers into PREFIX/bin (default ~/.local/bin): ./install.sh [PREFIX]
set -e
here=$(cd "$(dirname "$0")" && pwd -P)
prefix=${1:-$HOME/.local}
mkdir -p "$prefix/bin"
for name in parity production staging development pr_app; do
    ln -sfn "$here/bin/$name" "$prefix/bin/$name"
done
echo "Linked parity, production, staging, development and pr_app into $prefix/bin"
case ":$PATH:" in
    *":$prefix/bin:"*) ;;
    *) echo "Add $prefix/bin to your PATH, e.g.: export PATH=\"$prefix/bin:\$PATH\"" ;;
esac
