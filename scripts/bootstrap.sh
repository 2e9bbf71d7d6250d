#!/usr/bin/env bash
# Prepare a machine for the portal: system packages (Debian, as root), a Python >= 3.12
# virtual environment in .venv with the pinned dependencies, and compiled translations.
# Idempotent: a second run changes nothing. Waits (up to APT_LOCK_TIMEOUT seconds, default
# 600) when another apt process holds apt's locks. Sourcing this file only defines its functions.

SYSTEM_PACKAGES="fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 gettext \
poppler-utils postgresql-client chromium wrk"

APT_LOCK_TIMEOUT="${APT_LOCK_TIMEOUT:-600}"
APT_RETRY_SECONDS="${APT_RETRY_SECONDS:-5}"

# apt-get waiting for the dpkg lock (an unattended upgrade, another bootstrap) instead of failing.
apt_get() {
    apt-get -o DPkg::Lock::Timeout="$APT_LOCK_TIMEOUT" "$@"
}

apt_install() {
    apt_get install -y -qq --no-install-recommends "$@" >/dev/null
}

# `apt-get update` also takes the lock of the package lists, which DPkg::Lock::Timeout does not
# cover: retry until it is free (extra arguments are apt-get options).
apt_update() {
    local waited=0
    until apt_get "$@" update -qq; do
        if [ "$waited" -ge "$APT_LOCK_TIMEOUT" ]; then
            echo "bootstrap: apt-get update still failing after ${waited}s; giving up" >&2
            return 1
        fi
        echo "bootstrap: apt-get update failed (another apt process may hold its lock);" \
            "retrying in ${APT_RETRY_SECONDS}s" >&2
        sleep "$APT_RETRY_SECONDS"
        waited=$((waited + APT_RETRY_SECONDS))
    done
}

install_system_packages() {
    if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
        return 0
    fi
    local missing=""
    for pkg in $SYSTEM_PACKAGES; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing="$missing $pkg"
    done
    if [ -n "$missing" ]; then
        echo "bootstrap: installing system packages:$missing"
        export DEBIAN_FRONTEND=noninteractive
        apt_update
        # shellcheck disable=SC2086
        apt_install $missing
    fi
}

python_ok() {
    "$1" -c 'import sys, venv, sqlite3; sys.exit(0 if sys.version_info >= (3, 12) else 1)' \
        >/dev/null 2>&1
}

find_python() {
    local candidates=()
    [ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
    for v in 3.14 3.13 3.12; do
        command -v "python$v" >/dev/null 2>&1 && candidates+=("$(command -v "python$v")")
    done
    # pyenv shims only answer for the selected version: ask pyenv for the real interpreters.
    if command -v pyenv >/dev/null 2>&1; then
        local root
        root=$(pyenv root)
        for dir in $(ls -d "$root"/versions/3.1[2-9]* 2>/dev/null | sort -rV); do
            candidates+=("$dir/bin/python")
        done
    fi
    for dir in /usr/local/bin /usr/bin "$HOME/.local/bin"; do
        for v in 3.14 3.13 3.12; do
            [ -x "$dir/python$v" ] && candidates+=("$dir/python$v")
        done
    done
    candidates+=(python3 python)
    for c in "${candidates[@]}"; do
        if python_ok "$c"; then
            echo "$c"
            return 0
        fi
    done
    return 1
}

main() {
    cd "$(dirname "$0")/.."
    install_system_packages

    if [ ! -x .venv/bin/python ] || ! python_ok .venv/bin/python; then
        if ! PY=$(find_python); then
            cat >&2 <<'MSG'
bootstrap: no Python >= 3.12 found.
Install one, then run this again, for example:
  Debian/Ubuntu:  sudo apt-get install python3.12 python3.12-venv
  pyenv:          pyenv install 3.12
  or set PYTHON=/path/to/python3.12
MSG
            exit 1
        fi
        echo "bootstrap: creating .venv with $PY ($("$PY" --version))"
        rm -rf .venv
        "$PY" -m venv .venv
    fi

    local stamp=.venv/.installed
    if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ constraints.txt -nt "$stamp" ]; then
        .venv/bin/python -m pip install -q --upgrade pip
        .venv/bin/python -m pip install -q -c constraints.txt -e ".[test]"
        touch "$stamp"
    fi

    DEBUG=1 .venv/bin/python manage.py compilemessages --ignore='.venv' -v 0
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    main "$@"
fi
