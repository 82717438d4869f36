# shellcheck shell=bash
# Shared helpers for scripts/*.sh. Source it, do not run it.

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# as_root CMD...: run CMD as root: directly when we are root, else through
# sudo (non-interactively when there is no terminal to ask for a password).
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        if [ -t 0 ]; then sudo "$@"; else sudo -n "$@"; fi
    else
        die "need root for: $*  (run as root, or install sudo)"
    fi
}

# os_id: prints ID from /etc/os-release (debian, ubuntu, ...).
os_id() {
    ( . /etc/os-release 2>/dev/null && printf '%s\n' "${ID:-unknown}" ) || echo unknown
}
