"""The translated editions: catalogues complete and current, translations faithful, pages in Korean.

`make test` extracts the English messages into _build/gettext/*.pot (tools/build_book.py --gettext)
after building the site; these tests compare them with locales/<lang>/LC_MESSAGES/*.po and read
the built pages. A changed English paragraph is a new msgid: it fails here until `make locales`
has merged it and its translation is written (locales/README.md). Skips when no extraction or
no build is found, except under CI=true, where that is a failure.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

from site_server import EDITIONS, ROOT, skip_or_fail, toc_pages

GETTEXT = Path(os.environ.get("SITE_GETTEXT", ROOT / "_build" / "gettext"))
SITE = Path(os.environ.get("SITE_HTML", ROOT / "_build" / "html"))
LOCALES = ROOT / "locales"
TRANSLATED = [lang for lang in EDITIONS if lang != "en"]
PAGES = toc_pages(ROOT / "_toc.yml")
# a catalogue per page, plus the configuration's strings and the theme's (tools/translation.py)
DOMAINS = PAGES + ["site", "sphinx"]
SHOWN = 30          # entries listed per failing catalogue

# What a translation keeps exactly as the English has it: math, inline code, a role's target (its
# explicit title, `text <target>`, is prose), link targets and URLs, %(name)s placeholders.
_ROLE = re.compile(r"\{([\w:.-]+)\}`([^`]*)`")
_PROTECTED = [
    re.compile(r"\$\$.*?\$\$|\$[^$]+\$", re.S),
    re.compile(r"(?<![}`])`[^`]+`(?!`)"),
    re.compile(r"\]\(([^)\s]+)\)"),
    re.compile(r"https?://[^\s)>\]]+"),
    re.compile(r"%\(\w+\)s"),
]


def require(path: Path, what: str) -> None:
    if not path.exists():
        skip_or_fail(f"no {what} at {path}: run `make test` (or tools/build_book.py{' --gettext' if 'gettext' in what else ''})")


def read_catalogue(path: Path):
    with open(path, "rb") as f:
        return read_po(f)


def protected(text: str) -> set[str]:
    """The parts of a message that a translation must keep unchanged (each may appear more than once)."""
    parts = set()
    for name, content in _ROLE.findall(text):
        target = re.search(r"<([^<>]+)>\s*$", content)
        parts.add(f"{{{name}}}`{target.group(1) if target else content}`")
    rest = _ROLE.sub(" ", text)
    for pattern in _PROTECTED:
        parts.update(pattern.findall(rest))
    return parts


def source_location(message) -> str:
    """`chapters/softmax.md:15` from a .pot entry's location (relative to _build/gettext)."""
    if not message.locations:
        return "?"
    path, line = message.locations[0]
    resolved = (GETTEXT / path).resolve()
    shown = resolved.relative_to(ROOT) if resolved.is_relative_to(ROOT) else resolved
    return f"{shown}:{line}"


def short(text: str, width: int = 90) -> str:
    return repr(text if len(text) <= width else text[: width - 1] + "…")


@pytest.mark.parametrize("lang", TRANSLATED)
@pytest.mark.parametrize("domain", DOMAINS)
def test_every_message_translated(lang, domain):
    """Every English message of the page has a translation that is neither empty nor fuzzy."""
    pot_path = GETTEXT / f"{domain}.pot"
    require(GETTEXT, "gettext extraction")
    assert pot_path.exists(), f"{pot_path} was not extracted: is {domain} still a page of _toc.yml?"
    po_path = LOCALES / lang / "LC_MESSAGES" / f"{domain}.po"
    po_shown = po_path.relative_to(ROOT)
    assert po_path.exists(), f"{po_shown} is missing: run `make locales`, then translate it"
    po = read_catalogue(po_path)
    problems = []
    for message in read_catalogue(pot_path):
        if not message.id:
            continue
        where = source_location(message)
        entry = po.get(message.id)
        if entry is None:
            problems.append(f"{where}: not in {po_shown} (run `make locales`): msgid {short(message.id)}")
        elif entry.fuzzy:
            problems.append(f"{where}: fuzzy in {po_shown}:{entry.lineno} (the English changed: update the "
                            f"translation, then delete the '#, fuzzy' line): msgid {short(message.id)}")
        elif not entry.string:
            problems.append(f"{where}: untranslated in {po_shown}:{entry.lineno}: msgid {short(message.id)}")
    listed = "\n  ".join(problems[:SHOWN]) + (f"\n  ... and {len(problems) - SHOWN} more" if len(problems) > SHOWN else "")
    assert not problems, f"{len(problems)} messages of {domain} lack a {lang} translation:\n  {listed}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_math_code_and_references(lang):
    """A translation keeps each $math$, `code`, role target ({eq}, {doc}, {glue:text}...), URL and placeholder."""
    problems = []
    for po_path in sorted((LOCALES / lang / "LC_MESSAGES").rglob("*.po")):
        for entry in read_catalogue(po_path):
            if not entry.id or not entry.string or not isinstance(entry.id, str):
                continue
            want, got = protected(entry.id), protected(entry.string)
            if want != got:
                problems.append(f"{po_path.relative_to(ROOT)}:{entry.lineno}: missing {sorted(want - got)}, "
                                f"added {sorted(got - want)} in msgstr {short(entry.string, 70)}")
    assert not problems, "translations that changed math, code or references:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_catalogues_are_pages_of_the_book(lang):
    """No catalogue is left over from a page that the book no longer has (it would go stale unseen)."""
    folder = LOCALES / lang / "LC_MESSAGES"
    found = {str(p.relative_to(folder).with_suffix("")) for p in folder.rglob("*.po")}
    assert found <= set(DOMAINS), f"catalogues of no page: {sorted(found - set(DOMAINS))}"


def article(path: Path) -> BeautifulSoup:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return soup.select_one("article.bd-article") or soup.body


MESSAGE = "lbl-message"          # tools/translation.py marks each message of a translated page


def prose_letters(path: Path) -> tuple[int, int]:
    """(Hangul syllables, Latin letters) of a page's prose, its messages: not code, outputs, equations
    or cells that only quote, link or compute; and inside them, no math, no code, and no English
    term in brackets after its Korean one, as in 순전파(forward propagation)."""
    art = article(path)
    for element in art.select("pre, code, script, style, .math"):
        element.decompose()
    messages = [e for e in art.select("." + MESSAGE) if not e.find_parent(class_=MESSAGE)]
    text = re.sub(r"\([^()\uac00-\ud7a3]*\)", " ", " ".join(e.get_text(" ") for e in messages))
    return len(re.findall(r"[\uac00-\ud7a3]", text)), len(re.findall(r"[A-Za-z]", text))


@pytest.mark.parametrize("lang", TRANSLATED)
@pytest.mark.parametrize("page", PAGES)
def test_translated_page_is_in_its_language(lang, page):
    """The built page's prose is mostly Hangul (a page left in English is not a Korean page)."""
    html = SITE / EDITIONS[lang][1] / f"{page}.html"
    require(SITE, "built site")
    assert html.exists(), f"{html} was not built"
    hangul, latin = prose_letters(html)
    assert hangul + latin, f"{html.relative_to(SITE)}: no message marked {MESSAGE!r} in the page"
    assert hangul > latin, (f"{html.relative_to(SITE)}: {hangul} Hangul syllables, {latin} Latin letters in its "
                            f"prose: translate locales/{lang}/LC_MESSAGES/{page}.po")


def shared_parts(path: Path) -> dict[str, list[str]]:
    art = article(path)
    return {
        "code": [e.get_text() for e in art.select("div.highlight pre")],
        "display math": [e.get_text() for e in art.select("div.math")],
        # Korean word order differs; a formula the English wraps over two source lines is the same TeX
        "inline math": sorted({" ".join(e.get_text().split()) for e in art.select("span.math")}),
        "images": [Path(e.get("src", "")).name for e in art.select("img")],
        "equation labels": [e.get("id") for e in art.select("div.math")],
        "equation numbers": [e.get_text(strip=True) for e in art.select("span.eqno")],
    }


@pytest.mark.parametrize("lang", TRANSLATED)
@pytest.mark.parametrize("page", PAGES)
def test_code_math_and_figures_shared(lang, page):
    """The edition shows the English page's code, equations and figures, unchanged and in order."""
    require(SITE, "built site")
    english, translated = SITE / f"{page}.html", SITE / EDITIONS[lang][1] / f"{page}.html"
    assert english.exists() and translated.exists(), f"{page}: not built in both editions"
    want, got = shared_parts(english), shared_parts(translated)
    for kind in want:
        assert got[kind] == want[kind], (f"{page}: the {lang} page's {kind} differ from the English: "
                                         f"missing {[x for x in want[kind] if x not in got[kind]][:3]}, "
                                         f"extra {[x for x in got[kind] if x not in want[kind]][:3]}")
