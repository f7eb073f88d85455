"""A command started through `newsprism.tether` dies with the process that started it, even one killed
with SIGKILL (Linux: PR_SET_PDEATHSIG)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

# a parent that starts `sleep` through the tether, prints the sleeper's pid, and waits to be killed
PARENT = """
import os, subprocess, sys, time
child = subprocess.Popen([sys.executable, "-m", "newsprism.tether", str(os.getpid()), "sleep", "60"])
print(child.pid, flush=True)
time.sleep(60)
"""


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_tethered_command_dies_when_its_parent_is_killed():
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    sleeper = int(parent.stdout.readline())
    deadline = time.monotonic() + 30
    while Path(f"/proc/{sleeper}/cmdline").read_bytes().split(b"\0")[0] != b"sleep":  # exec'd: tethered
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert alive(sleeper)
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    while alive(sleeper) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(sleeper)


def test_the_tether_refuses_a_command_line_without_a_parent_pid():
    done = subprocess.run([sys.executable, "-m", "newsprism.tether", "sleep"], capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.strip() == "usage: python -m newsprism.tether PARENT_PID COMMAND [ARG...]"


def test_the_tether_runs_nothing_when_its_parent_is_already_gone():
    done = subprocess.run(
        [sys.executable, "-m", "newsprism.tether", "1", "echo", "ran"], capture_output=True, text=True
    )
    assert (done.returncode, done.stdout) == (0, "")  # this test is not pid 1's child
