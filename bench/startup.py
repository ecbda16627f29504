"""Time from launching `mock-interview` to its home screen being on the terminal.

    .venv/bin/python bench/startup.py [--runs N] [--json]

Starts the real app in a pseudo-terminal N times (default 5) and waits for the home
screen to report that it has been drawn (the app touches the file named by
MOCK_INTERVIEW_READY_FILE after its first refresh). The speech model loads in the
background and is not waited for. Prints the median and every run.
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def one_run(folder: Path) -> float:
    ready = folder / "ready"
    ready.unlink(missing_ok=True)
    env = dict(os.environ, MOCK_INTERVIEW_READY_FILE=str(ready), MOCK_INTERVIEW_HOME=str(folder / "home"),
               TERM="xterm-256color", COLUMNS="120", LINES="40")
    master, slave = pty.openpty()
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "mock_interview"], stdin=slave, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    try:
        while not ready.exists():
            if proc.poll() is not None:
                raise SystemExit("the app exited before its home screen was ready")
            try:
                os.read(master, 65536)  # keep the terminal drained
            except OSError:
                pass
            if time.perf_counter() - t0 > 60:
                raise SystemExit("the home screen did not appear within 60 s")
            time.sleep(0.005)
        elapsed = time.perf_counter() - t0
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        os.close(master)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mock-interview-startup-") as tmp:
        times = [one_run(Path(tmp)) for _ in range(args.runs)]
    result = {"startup_s": round(statistics.median(times), 3), "runs_s": [round(t, 3) for t in times]}
    print(json.dumps(result) if args.json else f"startup_s {result['startup_s']}  (runs: {result['runs_s']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
