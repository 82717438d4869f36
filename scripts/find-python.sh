#!/usr/bin/env bash
# find-python.sh: print the full path of a Python >= 3.12 interpreter.
# Order: $PYTHON if set; python3.13, python3.12, python3 on PATH; then pyenv
# builds under $(pyenv root)/versions (3.13+ first, newest first, then 3.12).
# Each candidate is actually run, so broken pyenv shims are skipped.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# ok PY: prints the real interpreter path if PY runs and is >= 3.12.
ok() {
    "$1" -c 'import sys; assert sys.version_info >= (3, 12); print(sys.executable)' \
        2>/dev/null </dev/null
}

if [ -n "${PYTHON:-}" ]; then
    ok "$PYTHON" && exit 0
    say "ignoring PYTHON=$PYTHON: not a working Python >= 3.12; searching"
fi

for cand in python3.13 python3.12 python3; do
    if command -v "$cand" >/dev/null 2>&1 && ok "$cand"; then
        exit 0
    fi
done

if command -v pyenv >/dev/null 2>&1; then
    pyenv_root=$(pyenv root 2>/dev/null || true)
fi
pyenv_root=${pyenv_root:-${PYENV_ROOT:-$HOME/.pyenv}}
if [ -d "$pyenv_root/versions" ]; then
    # 3.13..3.19 newest first, then 3.12; skip free-threaded (…t) and dev builds.
    for pattern in '3.1[3-9]*' '3.12*'; do
        while IFS= read -r dir; do
            [ -n "$dir" ] || continue
            for exe in "$dir/bin/python3" "$dir/bin/python"; do
                [ -x "$exe" ] && ok "$exe" && exit 0
            done
        done < <(cd "$pyenv_root/versions" && compgen -G "$pattern" |
                     grep -Ev 't$|dev' | sort -rV | sed "s|^|$pyenv_root/versions/|")
    done
fi

cat >&2 <<'EOF'
error: no Python 3.12 or newer found (Django 6.1 needs it).
Tried: $PYTHON, python3.13, python3.12, python3 on PATH, and pyenv builds
under $(pyenv root)/versions. To get one:
  - Ubuntu 24.04:  sudo apt-get install python3 python3-venv   (3.12)
  - Debian 12 (its apt has only 3.11): build one with pyenv,
        pyenv install 3.13
    or install uv with pip and run `uv python install 3.13`.
Then run make again, or point to it explicitly:
  make run PYTHON=/path/to/python3.13
EOF
exit 1
