"""scripts/bootstrap.sh waits for apt's locks instead of failing when another apt process
(an unattended upgrade, a second bootstrap) holds them.

These tests take the real locks (as root on Debian) for a few seconds and run the bootstrap's
own apt functions against the real apt-get: an install of a package that is already installed
and an update with no package sources, so nothing is downloaded or changed.
"""

import fcntl
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FRONTEND_LOCK = Path("/var/lib/dpkg/lock-frontend")
LISTS_LOCK = Path("/var/lib/apt/lists/lock")
HOLD_SECONDS = 2.5

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("apt-get") is None or not FRONTEND_LOCK.exists(),
    reason="needs root and Debian's apt",
)


def hold(lock: Path, seconds: float) -> threading.Event:
    """Take ``lock`` as apt does (a POSIX record lock) and release it after ``seconds``."""
    taken = threading.Event()

    def run():
        fd = os.open(lock, os.O_RDWR)
        try:
            for _attempt in range(600):
                try:
                    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError:  # someone else's apt is running: wait for it
                    time.sleep(0.1)
            taken.set()
            time.sleep(seconds)
        finally:
            os.close(fd)  # closing releases the lock

    threading.Thread(target=run, daemon=True).start()
    assert taken.wait(70), f"could not take {lock}"
    return taken


def bootstrap_function(call: str):
    """Run one function of scripts/bootstrap.sh (sourcing it runs nothing else)."""
    env = {**os.environ, "APT_LOCK_TIMEOUT": "30", "APT_RETRY_SECONDS": "1"}
    return subprocess.run(
        ["bash", "-c", f"set -euo pipefail; source scripts/bootstrap.sh; {call}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def installed_package():
    """A package of the bootstrap's list that is installed (installing it again is a no-op)."""
    for package in ("gettext", "poppler-utils", "fonts-noto-cjk"):
        status = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True
        ).stdout
        if "install ok installed" in status:
            return package
    pytest.skip("none of the bootstrap's packages is installed")


def test_install_waits_for_the_dpkg_lock():
    package = installed_package()
    hold(FRONTEND_LOCK, HOLD_SECONDS)
    started = time.monotonic()
    result = bootstrap_function(f"apt_install {package}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert time.monotonic() - started >= HOLD_SECONDS - 0.5  # it waited for the lock


def test_update_waits_for_the_lists_lock():
    hold(LISTS_LOCK, HOLD_SECONDS)
    started = time.monotonic()
    # No sources: apt-get update only takes its locks and reads nothing from the network.
    result = bootstrap_function(
        "apt_update -o Dir::Etc::sourcelist=/dev/null -o Dir::Etc::sourceparts=/nonexistent"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert time.monotonic() - started >= HOLD_SECONDS - 0.5
    assert "retrying" in result.stderr


def test_sourcing_the_script_runs_nothing():
    result = bootstrap_function("type apt_install >/dev/null && echo sourced")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "sourced"
