"""How busy the machine was with OTHER work while a benchmark ran (Linux /proc; None elsewhere).

The load average cannot say: it counts the benchmark's own processes too, so a benchmark that keeps
one core busy shows a load near 1 on a machine that is otherwise idle. Here every process's CPU
time (/proc/<pid>/stat: user + system) is read at each sample, and the time spent between two
samples by processes that are not this one or its descendants (the browser of the explorer
benchmark is a descendant) is summed, in cores:

    others (cores) = sum over other processes of their CPU time between two samples / sample interval

A process that starts and ends between two samples is not seen, so the figure can only err low;
`OtherLoad` samples every half second to keep that small. `summary()` gives the mean and the largest
sample, `verdict()` the sentence stored with the results (the only source of "quiet"/"loaded").
"""

import os
import threading
import time

QUIET_CORES = 0.25          # other work using at most a quarter of a core on average counts as quiet


def process_times(proc="/proc"):
    """{pid: (ppid, start time, user + system jiffies)} of every process now."""
    out = {}
    for name in os.listdir(proc):
        if not name.isdigit():
            continue
        try:
            with open(os.path.join(proc, name, "stat")) as f:
                text = f.read()
        except OSError:
            continue                                      # it has just ended
        fields = text[text.rindex(")") + 2:].split()      # the command name may hold spaces and ')'
        out[int(name)] = (int(fields[1]), int(fields[19]), int(fields[11]) + int(fields[12]))
    return out


def descendants(times, root_pid):
    """The root and every process below it in `times`."""
    children = {}
    for pid, (ppid, _, _) in times.items():
        children.setdefault(ppid, []).append(pid)
    tree, pending = set(), [root_pid]
    while pending:
        pid = pending.pop()
        tree.add(pid)
        pending.extend(children.get(pid, []))
    return tree


def others_jiffies(before, after, root_pid):
    """CPU jiffies spent between two `process_times` by processes outside root_pid's tree (the same
    process in both: same pid and start time)."""
    ours = descendants(after, root_pid) | descendants(before, root_pid)
    return sum(t1 - before[pid][2] for pid, (_, start, t1) in after.items()
               if pid not in ours and pid in before and before[pid][1] == start)


def others_cores(before, after, seconds, root_pid=None, ticks=None):
    """Cores' worth of CPU used by other processes between two `process_times` taken `seconds` apart."""
    ticks = ticks or os.sysconf("SC_CLK_TCK")
    root_pid = os.getpid() if root_pid is None else root_pid
    return others_jiffies(before, after, root_pid) / ticks / seconds if seconds > 0 else 0.0


class OtherLoad:
    """Samples the other processes' CPU use every `interval` seconds until `stop()`."""

    def __init__(self, interval=0.5, proc="/proc"):
        self.interval, self.proc = interval, proc
        self.cores = os.cpu_count() or 1
        self.samples = []
        self._stop = threading.Event()
        self._thread = None

    def start(self):
        if not os.path.exists(os.path.join(self.proc, "self", "stat")):
            return self                                   # not Linux: summary() says unknown
        self._last = (time.perf_counter(), process_times(self.proc))
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.wait(self.interval):
            self._take()

    def _take(self):
        now = (time.perf_counter(), process_times(self.proc))
        self.samples.append(others_cores(self._last[1], now[1], now[0] - self._last[0]))
        self._last = now

    def stop(self):
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self._take()                                  # the last partial interval
            self._thread = None
        return self.summary()

    def summary(self):
        """{"mean_cores", "max_cores", "samples", "cores"}; means None where nothing was sampled."""
        if not self.samples:
            return {"mean_cores": None, "max_cores": None, "samples": 0, "cores": self.cores}
        return {"mean_cores": round(sum(self.samples) / len(self.samples), 3),
                "max_cores": round(max(self.samples), 3), "samples": len(self.samples), "cores": self.cores}


def verdict(summary, user_note=""):
    """(loaded, note): whether other work disturbed the run, and the note stored with the results.

    The measurement decides. A user's note that calls the machine quiet is kept only when the
    measurement agrees; otherwise it is replaced by what was measured, so a note never says both.
    """
    mean = summary.get("mean_cores")
    if mean is None:
        return None, user_note or "Other processes' CPU use was not measured (no /proc on this system)."
    measured = (f"Other processes used {mean:.2f} cores on average (at most {summary['max_cores']:.2f} "
                f"in a {summary['samples']}-sample run) of {summary['cores']}")
    if mean <= QUIET_CORES:
        return False, (f"{user_note.rstrip('. ')}. " if user_note else "") + f"Quiet machine: {measured}."
    return True, (f"Loaded machine: {measured}; times are inflated and noisy, rerun on a quiet machine."
                  + (f" (Note given with the run, withdrawn as contradicted: {user_note!r}.)"
                     if "quiet" in user_note.lower() else (f" {user_note}" if user_note else "")))
