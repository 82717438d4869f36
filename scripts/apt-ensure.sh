#!/usr/bin/env bash
# apt-ensure.sh PKG...: install the Debian/Ubuntu packages that are missing.
# Does nothing (and needs no root) when all are installed; otherwise runs
# `apt-get update` once and installs only the missing ones, without
# recommends, non-interactively.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

missing=()
for pkg in "$@"; do
    status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)
    case "$status" in
        ii*) ;;
        *) missing+=("$pkg") ;;
    esac
done
[ "${#missing[@]}" -eq 0 ] && exit 0

command -v apt-get >/dev/null 2>&1 ||
    die "missing packages ${missing[*]}, and there is no apt-get to install them"

say "apt: installing ${missing[*]}"
apt_env=(env DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=a)
as_root "${apt_env[@]}" apt-get update -qq
as_root "${apt_env[@]}" apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "${missing[@]}" >/dev/null
