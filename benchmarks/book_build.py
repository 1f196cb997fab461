"""Book build: wall time of a clean build and each chapter's execution time from myst-nb's own report.

The book is built into a fresh temporary directory (`jupyter-book build --path-output`), so the
build is clean and the repository's own `_build/` is not touched. myst-nb records every executed
notebook's run time in the Sphinx environment (`env.nb_metadata[docname]["exec_data"]["runtime"]`,
the numbers its `nb-exec-table` directive shows), which Sphinx pickles to
`_build/.doctrees/environment.pickle`; this script reads them from there.
Run `python benchmarks/book_build.py` for a table.
"""

import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def execution_report(doctrees):
    """{docname: {"runtime": seconds or None, "method", "succeeded"}} from a build's environment.pickle.

    doctrees: the build's `.doctrees` directory. Unpickling needs Sphinx and myst-nb importable.
    """
    with open(Path(doctrees) / "environment.pickle", "rb") as f:
        env = pickle.load(f)
    report = {}
    for docname, data in sorted(getattr(env, "nb_metadata", {}).items()):
        exec_data = data.get("exec_data")
        if exec_data:
            report[docname] = {"runtime": exec_data.get("runtime"), "method": exec_data.get("method"),
                               "succeeded": exec_data.get("succeeded")}
    return report


def build_book(root=ROOT, toc=None, strict=True, timeout=900):
    """Build the book cleanly into a temporary directory; {"seconds", "returncode", "chapters", "command"}.

    toc: another _toc.yml to build (default: the book's own). strict adds -W -n --keep-going as
    `make book` does; a failed build is reported (returncode, the end of its log), not raised.
    """
    import time

    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    with tempfile.TemporaryDirectory(prefix="bench-book-") as out:
        cmd = [str(jupyter_book), "build", str(root), "--builder", "html", "--path-output", out]
        if toc is not None:
            cmd += ["--toc", str(toc)]
        if strict:
            cmd += ["-W", "-n", "--keep-going"]
        t0 = time.perf_counter()
        env = dict(os.environ, NO_COLOR="1")              # plain text in the log tail
        proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=timeout, env=env)
        seconds = time.perf_counter() - t0
        doctrees = Path(out) / "_build" / ".doctrees"
        chapters = execution_report(doctrees) if (doctrees / "environment.pickle").exists() else {}
    shown = [c if not c.startswith(out) else "<tmpdir>" for c in cmd]
    shown[0] = os.path.relpath(cmd[0], root) if cmd[0].startswith(str(root)) else cmd[0]
    shown[2] = "."
    return {"seconds": seconds, "returncode": proc.returncode, "chapters": chapters,
            "command": " ".join(shown), "log_tail": "" if proc.returncode == 0 else (proc.stdout + proc.stderr)[-2000:]}


def format_build(result):
    """A plain-text table of build_book's result."""
    lines = [f"clean build: {result['seconds']:.1f} s, exit code {result['returncode']}",
             f"  {'chapter':<32}{'executed in s':>14}"]
    for doc, r in result["chapters"].items():
        runtime = "-" if r["runtime"] is None else f"{r['runtime']:.2f}"
        lines.append(f"  {doc:<32}{runtime:>14}{'' if r['succeeded'] else '  FAILED'}")
    return "\n".join(lines)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--toc", help="build this table of contents instead of _toc.yml")
    args = parser.parse_args()
    print(format_build(build_book(toc=args.toc)))
