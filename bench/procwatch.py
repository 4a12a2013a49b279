"""Watch processes whose command line contains every given word; record each one's CPU time
and peak RSS from /proc until it exits (for the MkDocs and Pagefind processes that
`factsheets build` starts, which bench/run.py cannot wait for itself).

    python bench/procwatch.py OUT.json WORD [WORD ...]     # runs until killed
"""

from __future__ import annotations

import json
import os
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def main() -> None:
    out, words = sys.argv[1], sys.argv[2:]
    seen: dict[int, dict] = {}
    while True:
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                cmd = open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode(errors="replace")
                if not all(w in cmd for w in words) or "procwatch" in cmd:
                    continue
                fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
                cpu = (int(fields[11]) + int(fields[12])) / TICK  # utime + stime
                rss = int(fields[21]) * PAGE / 2**20
            except (OSError, IndexError, ValueError):
                continue
            rec = seen.setdefault(int(pid), {"cmd": cmd[-160:], "first_seen": time.time(), "cpu_s": 0.0, "peak_rss_mb": 0.0})
            rec["cpu_s"] = max(rec["cpu_s"], cpu)
            rec["peak_rss_mb"] = round(max(rec["peak_rss_mb"], rss), 1)
            rec["last_seen"] = time.time()
        with open(out + ".tmp", "w") as fh:
            json.dump(seen, fh, indent=1)
        os.replace(out + ".tmp", out)
        time.sleep(1)


if __name__ == "__main__":
    main()
