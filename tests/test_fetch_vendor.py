"""The JavaScript that _config.yml points at is what tools/fetch_vendor.py unpacks (no CDN URL left)."""
import json
import posixpath
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["config"]
SITE_EXTRA = ROOT / "_assets" / "site"          # copied into the site by html_extra_path


def site_paths():
    """mathjax_path and the ipywidgets scripts, as paths in the built site (Sphinx puts them under _static/)."""
    paths = [CONFIG["mathjax_path"], *CONFIG["nb_ipywidgets_js"]]
    return [posixpath.normpath(posixpath.join("_static", p)) for p in paths]


def test_config_points_inside_the_site():
    assert "_assets/site" in CONFIG["html_extra_path"]
    for path in [CONFIG["mathjax_path"], *CONFIG["nb_ipywidgets_js"]]:
        assert "://" not in path, f"{path} would load from another host"
    for attrs in CONFIG["nb_ipywidgets_js"].values():
        assert "://" not in str(attrs.get("data-jupyter-widgets-cdn", "")), "the widget manager may not use a CDN"


def test_fetched_files_are_the_configured_ones():
    stamp = SITE_EXTRA / "_vendor" / ".stamp.json"
    if not stamp.exists():
        pytest.skip("assets not fetched yet: `make book` or `python3 tools/fetch_vendor.py`")
    pins = json.loads(stamp.read_text())
    assert {"mathjax", "requirejs", "@jupyter-widgets/html-manager"} <= set(pins)
    for path in site_paths():
        assert (SITE_EXTRA / path).is_file(), f"{path} is configured but not fetched into {SITE_EXTRA}"
    fonts = list((SITE_EXTRA / "_vendor" / "mathjax" / "es5" / "output" / "chtml" / "fonts" / "woff-v2").glob("*.woff"))
    assert fonts, "MathJax's fonts did not come along"
