"""How soon `plan solve` ends after Ctrl-C (SIGINT), with its best plan so far written.

    python benchmarks/interrupt.py benchmarks/instances/all_n1300_y3_s1_t1.2.yaml --after 2,3,4 --time-limit 30

Starts `plan solve INSTANCE --time-limit T` once per delay, sends SIGINT that many seconds after
the start, and prints how long the process took to exit after the signal, its exit code and its
last line (the plan written is verified before it is). With `--time-limit 30` a 1,300-office
fund takes the county split's way (docs/solver.md, A first plan by county), so the signal comes
during its LP or its counties' searches.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import tempfile
import time


def interrupt_after(instance: str, delay: float, time_limit: float) -> tuple[float, int, str]:
    """Seconds from the signal to the exit, the exit code and the last line printed."""
    with tempfile.TemporaryDirectory() as out:
        cmd = [sys.executable, "-m", "cli.main", "solve", instance, "-o", out, "--time-limit", str(time_limit),
               "--lang", "en"]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        time.sleep(delay)
        signalled = time.monotonic()
        proc.send_signal(signal.SIGINT)
        output, _ = proc.communicate()
        lines = [line for line in output.splitlines() if line.strip()]
        return time.monotonic() - signalled, proc.returncode, lines[-1] if lines else ""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("instance")
    ap.add_argument("--after", default="2,3,4", help="seconds after the start to send SIGINT, comma-separated")
    ap.add_argument("--time-limit", type=float, default=30.0)
    args = ap.parse_args()
    for delay in (float(x) for x in args.after.split(",")):
        seconds, code, last = interrupt_after(args.instance, delay, args.time_limit)
        print(f"SIGINT at {delay:g} s: exit {code} {seconds:.1f} s later; {last}")


if __name__ == "__main__":
    main()
