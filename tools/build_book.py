"""Build the book's editions: English into _build/html, Korean into _build/html/ko (see tools/editions.py).

    python tools/build_book.py                  # every edition, as `make book` runs it
    python tools/build_book.py --langs en       # one edition alone (`make book LANGS=en`)
    python tools/build_book.py --gettext        # the English messages into _build/gettext/*.pot

Each edition is Jupyter Book's own Sphinx build (jupyter_book.sphinx.build_sphinx, what
`jupyter-book build . --builder html -W -n --keep-going` calls) with _config.yml and _toc.yml, plus
`language` and its own output and doctree folders, in a process of its own. Every build is
clean (-E).

The editions share code cells, so they share one execution. This script empties the execution
cache (_build/.jupyter_cache, jupyter-cache's, which myst-nb reads in "cache" mode), then executes
every chapter into it with jupyter-cache's parallel execution worker, one per core (a lone
`jupyter-book build` runs them one after the other: _config.yml's `execute_notebooks: force`).
Each edition's build then finds every notebook's outputs in the cache (same code cells, same
cache key), so the editions are built side by side, one per core. Every `make book` executes
every chapter once, a changed package or chapter can never leave stale outputs, and no edition
executes a chapter again.
The gettext build keeps the cache: it needs the outputs (captions of figures are messages) and
reuses the last html build's; a chapter changed since is executed by myst-nb as it is read.
"""
from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "_build"
CACHE = BUILD / ".jupyter_cache"
CONFIG = ROOT / "_config.yml"
MYST_NB_READER = {"type": "plugin", "name": "myst_nb_md"}    # how myst-nb reads a chapter into the cache
sys.path.insert(0, str(Path(__file__).resolve().parent))

from editions import DEFAULT, EDITIONS  # noqa: E402


def overrides(lang: str) -> dict:
    """Sphinx settings on top of _config.yml, for one edition's build."""
    return {
        "external_toc_path": (ROOT / "_toc.yml").as_posix(),
        "latex_individualpages": False,        # read by jupyter_book's config, as its CLI passes it
        "nitpicky": True,
        "language": lang,
        "project": yaml.safe_load(CONFIG.read_text(encoding="utf-8"))["title"],   # names the catalogues
        "nb_execution_mode": "cache",
        "nb_execution_cache_path": str(CACHE),
    }


def report(what: str, t0: float, before, status: int) -> None:
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(f"build_book: {what}: {time.perf_counter() - t0:.1f} s wall, {cpu:.1f} s CPU "
          f"(with the kernels), exit {status}", flush=True)


def build(lang: str, builder: str, outdir: Path, doctrees: Path, strict: bool) -> int:
    from jupyter_book.sphinx import build_sphinx

    print(f"build_book: {builder} {lang} -> {outdir.relative_to(ROOT)}", flush=True)
    result = build_sphinx(ROOT, outdir, noconfig=True, path_config=str(CONFIG),
                          confoverrides=overrides(lang), builder=builder, doctreedir=doctrees,
                          freshenv=True, warningiserror=strict, keep_going=strict, quiet=False)
    return result if isinstance(result, int) else 1


def build_edition(lang: str) -> int:
    """One edition's html build. The default one builds into _build/html; another one into
    _build/<lang>/html, moved to _build/html/<lang>/ once built: myst-nb writes a build's executed
    notebooks beside its output folder, which must not be inside the English site."""
    if lang == DEFAULT:
        return build(lang, "html", BUILD / "html", BUILD / ".doctrees", strict=True)
    status = build(lang, "html", BUILD / lang / "html", BUILD / lang / ".doctrees", strict=True)
    if status == 0:
        target = BUILD / "html" / EDITIONS[lang][1]
        shutil.rmtree(target, ignore_errors=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(BUILD / lang / "html", target)
    return status


def execute_chapters() -> int:
    """Execute every notebook of _toc.yml into the empty execution cache, as many at once as the
    machine has cores (jupyter-cache's own parallel executor; myst-nb then finds each in the cache)."""
    import logging
    import multiprocessing
    import os

    from jupyter_cache import get_cache
    from jupyter_cache.executors.basic import ExecutionWorkerLocalMProc, ProcessData
    from myst_nb.core.read import is_myst_markdown_notebook
    from sphinx_external_toc.parsing import parse_toc_yaml

    execute = yaml.safe_load(CONFIG.read_text(encoding="utf-8")).get("execute", {})
    cache = get_cache(str(CACHE))
    paths = [ROOT / f"{docname}.md" for docname in parse_toc_yaml(str(ROOT / "_toc.yml"))]
    paths = [p for p in paths if p.exists() and is_myst_markdown_notebook(p.read_text(encoding="utf-8"))]
    # the longest chapters first (by size), one per task: no core waits while the other runs two
    records = [cache.add_nb_to_project(str(p), read_data=MYST_NB_READER)
               for p in sorted(paths, key=lambda p: -p.stat().st_size)]
    logging.basicConfig(level=logging.WARNING, format="build_book: %(message)s")
    tasks = [ProcessData(r.pk, r.uri, cache, execute.get("timeout", 30), execute.get("allow_errors", False))
             for r in records]
    t0 = time.perf_counter()
    with multiprocessing.Pool(os.cpu_count()) as pool:
        results = list(pool.imap_unordered(ExecutionWorkerLocalMProc(), tasks, chunksize=1))
    for record in cache.list_cache_records():
        seconds = record.data.get("execution_seconds", 0)
        print(f"build_book: executed {Path(record.uri).relative_to(ROOT)} in {seconds:.1f} s", flush=True)
    failed = [uri for status, uri in results if status != 0]
    for uri in failed:
        print(f"build_book: {uri} failed:\n{cache.get_project_record(uri).traceback}", file=sys.stderr)
    print(f"build_book: {len(results) - len(failed)} notebooks executed in {time.perf_counter() - t0:.1f} s "
          f"on {os.cpu_count()} processes, {len(failed)} failed", flush=True)
    return 1 if failed else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--langs", nargs="+", default=list(EDITIONS), choices=list(EDITIONS),
                        help="editions to build (default: all)")
    parser.add_argument("--gettext", action="store_true",
                        help="extract the English messages into _build/gettext instead")
    parser.add_argument("--edition", choices=list(EDITIONS), help=argparse.SUPPRESS)
    parser.add_argument("--execute", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.execute:
        return execute_chapters()
    if args.gettext:
        if not CACHE.exists():        # a fresh clone: execute the chapters in parallel first
            status = subprocess.run([sys.executable, __file__, "--execute"]).returncode
            if status:
                return status
        return build(DEFAULT, "gettext", BUILD / "gettext", BUILD / ".doctrees-gettext", strict=False)
    if args.edition:           # one edition, in a process of its own (Sphinx keeps global state)
        return build_edition(args.edition)

    shutil.rmtree(CACHE, ignore_errors=True)
    t0, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    status = subprocess.run([sys.executable, __file__, "--execute"]).returncode
    report("chapters", t0, before, status)
    if status:
        return status
    # The editions only read the cache now: build them side by side, one per core, each logging
    # to its own file (shown when it fails).
    t0, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    logs = {lang: BUILD / f"build-{lang}.log" for lang in args.langs}
    running = {lang: subprocess.Popen([sys.executable, __file__, "--edition", lang],
                                      stdout=logs[lang].open("w"), stderr=subprocess.STDOUT)
               for lang in args.langs}
    failed = [lang for lang, process in running.items() if process.wait()]
    for lang in args.langs:
        text = logs[lang].read_text(encoding="utf-8", errors="replace")
        if lang in failed:
            print(text, file=sys.stderr)
        print(f"build_book: {lang} edition -> {EDITIONS[lang][1] or '.'} of _build/html: "
              f"{'FAILED' if lang in failed else 'built'} (log: {logs[lang].relative_to(ROOT)})", flush=True)
    report(" and ".join(args.langs) + " editions", t0, before, len(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
