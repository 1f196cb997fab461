"""The environment `make setup` builds (Makefile): what it must leave out for the book to build fast."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_venv_leaves_out_the_slow_optional_uri_checker():
    """rfc3987-syntax, pulled in only by an extra of a dependency, compiles grammars for 1.3 s when
    jsonschema imports it, in every chapter's kernel; the Makefile installs requirements.txt, a full
    lock, with --no-deps and without it."""
    assert importlib.util.find_spec("rfc3987_syntax") is None
    assert "rfc3987" not in (ROOT / "requirements.txt").read_text(encoding="utf-8")
