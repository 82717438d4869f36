#!/usr/bin/env bash
# venv.sh: make sure .venv exists with Python >= 3.12 and has the project
# installed (`pip install -e '.[test]'`). pip runs again only when
# pyproject.toml is newer than the stamp file .venv/.pip.stamp.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

VENV=.venv
STAMP=$VENV/.pip.stamp
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1

venv_ok() {
    "$VENV/bin/python" -c 'import sys; assert sys.version_info >= (3, 12)' \
        >/dev/null 2>&1 </dev/null
}

if ! venv_ok; then
    py=$(scripts/find-python.sh)
    # Debian/Ubuntu split venv/ensurepip out of the system Python.
    if ! "$py" -c 'import ensurepip, venv' >/dev/null 2>&1; then
        case "$py" in
            /usr/bin/*)
                ver=$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
                scripts/apt-ensure.sh "python$ver-venv" ;;
            *) die "$py has no venv/ensurepip module; install it or pick another Python" ;;
        esac
    fi
    say "creating $VENV with $py ($("$py" -V 2>&1))"
    rm -rf "$VENV"
    "$py" -m venv "$VENV"
fi

if [ ! -e "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ]; then
    say "pip install -e '.[test]'"
    "$VENV/bin/python" -m pip install -q -e '.[test]'
    touch "$STAMP"
fi
