"""The JavaScript _config.yml points at is what tools/fetch_vendor.py unpacks (no CDN URL left), and
the site loads only the MathJax components it needs (no widget manager, no context menu)."""
import json
import posixpath
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["config"]
ASSETS = ROOT / "_assets"
SITE_EXTRA = ASSETS / "site"          # copied into the site by html_extra_path
sys.path.insert(0, str(ROOT / "tools"))

import fetch_vendor  # noqa: E402


def mathjax_dir() -> str:
    """The MathJax folder as a path in the built site (Sphinx puts mathjax_path under _static/)."""
    return posixpath.dirname(posixpath.normpath(posixpath.join("_static", CONFIG["mathjax_path"])))


def test_config_points_inside_the_site():
    assert "_assets/site" in CONFIG["html_extra_path"]
    assert "://" not in CONFIG["mathjax_path"], "MathJax would load from another host"
    assert CONFIG["mathjax_path"].endswith("es5/startup.js"), "the components are listed in mathjax3_config"
    assert not CONFIG.get("nb_ipywidgets_js"), "the site loads no widget manager"


def test_mathjax_loads_a_small_set_of_components():
    loads = CONFIG["mathjax3_config"]["loader"]["load"]
    assert "ui/menu" not in loads and not any("mml-chtml" in c for c in loads)
    assert {"input/tex-base", "output/chtml", "[tex]/ams", "a11y/assistive-mml"} <= set(loads)
    assert "ams" in CONFIG["mathjax3_config"]["tex"]["packages"]["[+]"]


def test_pins_are_exact_with_sha512():
    for name, (version, integrity, folder, keep) in fetch_vendor.PINS.items():
        assert version.count(".") == 2 and version.replace(".", "").isdigit(), f"{name}: pin an exact version"
        assert integrity.startswith("sha512-"), f"{name}: pin its sha512"
    assert fetch_vendor.PINS["axe-core"][2].startswith("test/"), "axe-core is for the tests, not the site"


def test_fetched_files_are_the_configured_ones():
    stamp = ASSETS / ".vendor-stamp.json"
    if not stamp.exists():
        pytest.fail("assets not fetched: `make setup` or `python3 tools/fetch_vendor.py`")
    pins = json.loads(stamp.read_text())
    assert {"mathjax", "axe-core"} <= set(pins)
    es5 = SITE_EXTRA / mathjax_dir()
    assert (es5 / "startup.js").is_file(), f"{es5}/startup.js is configured but not fetched"
    for component in CONFIG["mathjax3_config"]["loader"]["load"]:
        path = component.replace("[tex]", "input/tex/extensions") + ".js"
        assert (es5 / path).is_file(), f"MathJax component {component} is not fetched ({es5 / path})"
    fonts = list((es5 / "output" / "chtml" / "fonts" / "woff-v2").glob("*.woff"))
    assert fonts, "MathJax's fonts did not come along"
    assert (ASSETS / "test" / "axe-core" / "axe.min.js").is_file()
    assert not (SITE_EXTRA / "_vendor" / "axe-core").exists(), "axe-core must not be shipped with the site"
