"""Watch processes and record each one's CPU time and peak memory from /proc until it exits:
the processes whose command line contains every given word, or (``--tree PID``) a process and
every process it starts (the MkDocs, Pagefind and worker processes of `factsheets build`, which
bench/run.py's ``os.wait4`` only sums up as one largest process).

    python bench/procwatch.py OUT.json WORD [WORD ...]     # runs until killed
    python bench/procwatch.py OUT.json --tree PID          # until PID and its children are gone

Peak memory is the kernel's own high-water mark of each process (``VmHWM`` in
/proc/PID/status, the figure ``ru_maxrss`` reports), so a peak between two samples is not
missed; a process is sampled once a second (or every ``PROCWATCH_TICK`` seconds) until it is gone.
"""

from __future__ import annotations

import json
import os
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")
INTERVAL = float(os.environ.get("PROCWATCH_TICK", "1"))


def _status(pid: str) -> dict[str, str]:
    out = {}
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            key, _, value = line.partition(":")
            out[key] = value.strip()
    return out


def _children(pids: set[int]) -> set[int]:
    """Every process whose parent is in ``pids`` (one pass over /proc)."""
    found = set()
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid in pids:
                found.add(int(pid))
    return found


def sample(pid: int, seen: dict[int, dict]) -> bool:
    """Update ``seen[pid]``; False once the process is gone (or a zombie)."""
    try:
        cmd = open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode(errors="replace").strip()
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        status = _status(str(pid))
    except (OSError, IndexError, ValueError):
        return False
    if fields[0] == "Z" or "VmHWM" not in status:
        return False
    cpu = (int(fields[11]) + int(fields[12])) / TICK  # utime + stime
    hwm = int(status["VmHWM"].split()[0]) / 1024
    rec = seen.setdefault(pid, {"cmd": cmd[:600], "ppid": int(fields[1]), "first_seen": time.time(),
                                "cpu_s": 0.0, "peak_rss_mb": 0.0})
    if cmd:
        rec["cmd"] = cmd[:600]  # a forked worker keeps its parent's command line
    rec["cpu_s"] = max(rec["cpu_s"], cpu)
    rec["peak_rss_mb"] = round(max(rec["peak_rss_mb"], hwm), 1)
    rec["last_seen"] = time.time()
    return True


def watch_tree(out: str, root: int) -> None:
    seen: dict[int, dict] = {}
    alive = {root}
    while alive:
        alive |= _children(alive)
        alive = {pid for pid in alive if sample(pid, seen)}
        _dump(out, seen)
        time.sleep(INTERVAL)


def watch_words(out: str, words: list[str]) -> None:
    seen: dict[int, dict] = {}
    while True:
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                cmd = open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if all(w in cmd for w in words) and "procwatch" not in cmd:
                sample(int(pid), seen)
        _dump(out, seen)
        time.sleep(INTERVAL)


def _dump(out: str, seen: dict[int, dict]) -> None:
    with open(out + ".tmp", "w") as fh:
        json.dump(seen, fh, indent=1)
    os.replace(out + ".tmp", out)


def main() -> None:
    out, rest = sys.argv[1], sys.argv[2:]
    if rest[:1] == ["--tree"]:
        watch_tree(out, int(rest[1]))
    else:
        watch_words(out, rest)


if __name__ == "__main__":
    main()
