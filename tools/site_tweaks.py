"""Sphinx extension: small fixes so every page loads cleanly and offline.

- Jupyter Book always loads sphinx-thebe, whose set-up runs twice and writes
  `const THEBE_JS_URL = "https://unpkg.com/..."` into every page two times: the second one is a
  console error ("Identifier 'THEBE_JS_URL' has already been declared"). The book has no live-code
  (thebe) button, so its scripts and stylesheet are dropped from the pages.
- pydata-sphinx-theme logs "Got invalid theme mode" when no default mode is set (its
  html_context["default_mode"]): set it to "auto", i.e. follow the reader's system setting.
- The ipywidgets HTML manager (served from _vendor/, see tools/fetch_vendor.py) finds its Font Awesome
  files relative to its RequireJS module path, which defaults to the page's folder: tell RequireJS
  where the module lives, so the fonts come from _vendor/ too.
- The widget controls typeset their labels with MathJax 2's `MathJax.Hub.Queue`, which MathJax 3 lacks
  (an uncaught TypeError on every widget page with math): give MathJax 3 a small `Hub.Queue` that
  calls its `typesetPromise`.
- The live network explorer (`layerwise.explorer_web`, JavaScript in assets/static/lw-explorer/) is
  loaded only by the pages that contain one: its module script and stylesheet are added to a page
  whose body has a `lw-live-explorer`, by relative URLs (so a translation built under ko/ works too).
Enabled in _config.yml under sphinx.local_extensions.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from sphinx.builders.html._assets import _CascadingStyleSheet, _JavaScript

WIDGETS_DIST = "_vendor/html-manager/dist"
EXPLORER = "lw-explorer"          # folder under _static/ (from assets/static/)

# Runs after the deferred MathJax script (which replaces window.MathJax) and before the widgets
# render on window load.
MATHJAX2_HUB_SHIM = """document.addEventListener("DOMContentLoaded", function () {
  if (window.MathJax && MathJax.startup && !MathJax.Hub) {
    MathJax.Hub = {Queue: function (job) {
      var el = job && job[2];
      MathJax.startup.promise.then(function () { return MathJax.typesetPromise(el ? [el] : undefined); });
    }};
  }
});"""


def _is_thebe(asset) -> bool:
    name = str(getattr(asset, "filename", asset) or "")
    body = str(getattr(asset, "attributes", {}).get("body", ""))
    return "thebe" in name or "THEBE_JS_URL" in body


def _add_explorer(context) -> None:
    """The live explorer's module and stylesheet, on pages that show an explorer only."""
    if "lw-live-explorer" not in context.get("body", ""):
        return
    context.setdefault("script_files", []).append(_JavaScript(f"_static/{EXPLORER}/explorer.js", type="module"))
    context.setdefault("css_files", []).append(_CascadingStyleSheet(f"_static/{EXPLORER}/explorer.css"))


def _page(app, pagename, templatename, context, doctree) -> None:
    context["default_mode"] = context.get("default_mode") or "auto"
    _add_explorer(context)
    for key in ("script_files", "css_files"):
        if key in context:
            context[key][:] = [a for a in context[key] if not _is_thebe(a)]
    scripts = context.get("script_files", [])
    for i, asset in enumerate(scripts):
        if f"{WIDGETS_DIST}/embed-amd.js" in str(getattr(asset, "filename", "") or ""):
            dist = context["pathto"](WIDGETS_DIST, resource=True)
            body = ('require.config({paths: {"@jupyter-widgets/html-manager/dist": "%s"}});\n' % dist
                    + MATHJAX2_HUB_SHIM)
            scripts.insert(i, _JavaScript("", priority=getattr(asset, "priority", 500), body=body))
            break


def setup(app):
    # a config value that changes with this file, so editing it makes Sphinx rewrite every page
    digest = hashlib.sha1(Path(__file__).read_bytes()).hexdigest()
    app.add_config_value("site_tweaks_digest", digest, "html")
    app.connect("html-page-context", _page, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
