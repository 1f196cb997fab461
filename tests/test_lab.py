"""A live session, as a reader runs it: JupyterLab opens a chapter's .md as a notebook (jupytext),
runs all cells, and the network explorer redraws when its depth slider is moved with the keyboard.

The server runs on 127.0.0.1, a free port, with a token, on a temporary copy of the chapters,
with temporary JupyterLab settings (jupytext's notebook view is the default for .md, as
`make lab` sets it) and is stopped, kernels included, at the end. Target: the forward-propagation
chapter, which shows the explorer (LAB_NOTEBOOK=chapters/x.md picks another). Bounded: about a
minute, at most two.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from site_server import ROOT, chromium, free_port, require_chromium

CHAPTER = ROOT / "chapters" / "forward_propagation.md"
SLIDER = "depth (hidden layers)"            # the description of NetworkExplorer's depth slider


def target(workdir: Path) -> str:
    """The .md to open, relative to workdir: $LAB_NOTEBOOK if set (e.g. chapters/explorer.md),
    else the forward-propagation chapter, which must show the explorer."""
    if os.environ.get("LAB_NOTEBOOK"):
        return os.environ["LAB_NOTEBOOK"]
    assert "show_explorer" in CHAPTER.read_text(), "the forward-propagation chapter must show the explorer"
    return "chapters/forward_propagation.md"


@pytest.fixture
def lab(tmp_path):
    """A JupyterLab server on a temporary copy of the chapters; yields (base url, token, file)."""
    require_chromium()
    work = tmp_path / "book"
    shutil.copytree(ROOT / "chapters", work / "chapters", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    name = target(work)
    settings = tmp_path / "lab-settings" / "@jupyterlab" / "docmanager-extension"
    settings.mkdir(parents=True)
    overrides = json.loads((ROOT / "tools" / "jupyterlab-overrides.json").read_text())
    (settings / "plugin.jupyterlab-settings").write_text(
        json.dumps(overrides["@jupyterlab/docmanager-extension:plugin"]))
    news = tmp_path / "lab-settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "lab-settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "lab-workspaces"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"), MPLBACKEND="Agg")
    port, token = free_port(), secrets.token_hex(16)
    log = open(tmp_path / "lab.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.open_browser=False", "--allow-root",
         "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}api/status?token={token}", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not start: {(tmp_path / 'lab.log').read_text()[-2000:]}")
            time.sleep(0.5)
        yield base, token, name
    finally:
        proc.terminate()                       # SIGTERM: the server shuts its kernels down
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)   # the group of the server we started (its kernels)
            proc.wait(timeout=5)
        log.close()


def test_explorer_redraws_when_its_slider_moves(lab):
    base, token, name = lab
    with chromium() as browser:
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{base}lab/tree/{name}?token={token}", timeout=60_000)
            # jupytext's notebook view, not the Markdown editor
            page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-CodeCell", timeout=60_000)
            # a .md has no kernel session yet: JupyterLab asks which kernel; the reader takes Python 3
            try:
                page.locator(".jp-Dialog button.jp-mod-accept").click(timeout=15_000)
            except Exception:
                pass                           # the kernel started without asking
            page.wait_for_selector(".jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator[data-status='idle']",
                                   timeout=60_000)
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
            # the output that holds the live explorer: its depth slider and its picture
            output = page.locator(".jp-OutputArea-output").filter(
                has=page.locator(".widget-slider", has_text=SLIDER)).first
            output.wait_for(timeout=90_000)
            slider = output.locator(".widget-slider", has_text=SLIDER).first
            picture = output.locator("img").first
            picture.wait_for(timeout=30_000)
            page.wait_for_function("el => el.src && el.naturalWidth > 0", arg=picture.element_handle(),
                                   timeout=30_000)
            before = picture.get_attribute("src")
            value_before = slider.locator(".widget-readout").inner_text()
            handle = slider.locator(".noUi-handle").first
            handle.focus()
            # towards the other end when the chapter opens the slider at its largest value
            at_max = handle.get_attribute("aria-valuenow") == handle.get_attribute("aria-valuemax")
            page.keyboard.press("ArrowLeft" if at_max else "ArrowRight")
            page.wait_for_function("([el, s]) => el.src !== s && el.naturalWidth > 0",
                                   arg=[picture.element_handle(), before], timeout=30_000)
            value_after = slider.locator(".widget-readout").inner_text()
            # every queued cell has run (no "[*]" prompt left) before outputs are judged
            page.wait_for_function(
                "() => ![...document.querySelectorAll('.jp-InputPrompt')].some(p => p.textContent.includes('*'))",
                timeout=90_000)
            page.screenshot(path=str(ROOT / "_build" / "screenshots" / "lab-explorer.png")
                            if (ROOT / "_build").exists() else None)
            failed = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count()
        except Exception:
            shots = ROOT / "_build" / "screenshots"
            shots.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(shots / "lab-failure.png"))   # what the reader would have seen
            raise
    assert value_after != value_before, f"the depth slider did not move ({value_before} -> {value_after})"
    assert failed == 0, "a cell wrote to stderr or raised"
    assert not errors, f"JupyterLab page errors: {errors}"
