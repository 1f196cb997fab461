"""How busy the machine was with OTHER work while a benchmark ran (Linux /proc; None elsewhere).

The load average cannot say: it counts the benchmark's own processes too, so a benchmark that keeps
one core busy shows a load near 1 on a machine that is otherwise idle. Here the CPU time of every
core (/proc/stat) is split into the benchmark's own (this process and all its descendants, e.g. the
browser of the explorer benchmark: /proc/<pid>/stat, with the time of children that have exited)
and everything else, sampled while the benchmark runs:

    others (cores) = (busy jiffies of the machine - jiffies of our process tree) / (jiffies per core)

`OtherLoad` samples it in a background thread; `summary()` gives the mean and the largest sample in
cores, and `verdict()` the sentence stored with the results (the only source of "quiet"/"loaded").
"""

import os
import threading
import time

QUIET_CORES = 0.25          # other work using at most a quarter of a core on average counts as quiet


def machine_jiffies(proc="/proc"):
    """(busy, total) jiffies summed over all cores since boot, from the first line of /proc/stat."""
    with open(os.path.join(proc, "stat")) as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)            # idle + iowait
    total = sum(fields[:8])                                               # guest time is inside user
    return total - idle, total


def _process_stat(pid, proc):
    """(ppid, utime + stime + cutime + cstime) of a process, or None if it has gone."""
    try:
        with open(os.path.join(proc, str(pid), "stat")) as f:
            text = f.read()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()         # the command name may hold spaces
    return int(fields[1]), sum(int(x) for x in fields[11:15])


def tree_jiffies(root_pid=None, proc="/proc"):
    """CPU jiffies of a process and all its living descendants (each with its exited children)."""
    root_pid = os.getpid() if root_pid is None else root_pid
    stats = {}
    for name in os.listdir(proc):
        if name.isdigit():
            stat = _process_stat(int(name), proc)
            if stat is not None:
                stats[int(name)] = stat
    children = {}
    for pid, (ppid, _) in stats.items():
        children.setdefault(ppid, []).append(pid)
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        if pid in stats:
            total += stats[pid][1]
        todo.extend(children.get(pid, []))
    return total


def others_cores(before, after, cores):
    """Cores' worth of CPU used by other processes between two samples (busy, total, ours)."""
    busy = after[0] - before[0]
    total = after[1] - before[1]
    ours = after[2] - before[2]
    if total <= 0:
        return 0.0
    return max(0.0, (busy - ours) / (total / cores))


def sample(proc="/proc"):
    """(busy, total, ours) jiffies now."""
    return (*machine_jiffies(proc), tree_jiffies(proc=proc))


class OtherLoad:
    """Samples the other processes' CPU use every `interval` seconds until `stop()`."""

    def __init__(self, interval=2.0, proc="/proc"):
        self.interval, self.proc = interval, proc
        self.cores = os.cpu_count() or 1
        self.samples = []
        self._stop = threading.Event()
        self._thread = None

    def start(self):
        if not os.path.exists(os.path.join(self.proc, "stat")):
            return self                                   # not Linux: summary() says unknown
        self._last = sample(self.proc)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.wait(self.interval):
            self._take()

    def _take(self):
        now = sample(self.proc)
        self.samples.append(others_cores(self._last, now, self.cores))
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
        return False, (user_note + " " if user_note else "") + f"Quiet machine: {measured}."
    return True, (f"Loaded machine: {measured}; times are inflated and noisy, rerun on a quiet machine."
                  + (f" (Note given with the run, withdrawn as contradicted: {user_note!r}.)"
                     if "quiet" in user_note.lower() else (f" {user_note}" if user_note else "")))
