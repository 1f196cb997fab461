"""The website as readers get it: every page of _toc.yml in every edition, served locally, in a real Chromium.

Checks per page: no console errors, no failed requests, nothing fetched from another host; math
typeset by the site's own MathJax; images loaded, figures captioned; widget views rendered; no
unresolved references; internal links (and their #anchors) resolve; the phone layout does not scroll
sideways; figures keep an opaque background in the dark theme. Full-page screenshots (1280 px and
390 px, and dark mode) go to _build/screenshots/, load times to _build/screenshots/load_times.txt.
Every page test runs on each edition (English at the root, Korean under ko/: tools/editions.py);
the language switch of every page must land on its counterpart, and Korean search must find
its chapters.

Serves $SITE_HTML (default _build/html, built by `make test` before pytest) and reads the page
list from $SITE_TOC (default _toc.yml). Skips when no Chromium or no build is found, except
under CI=true, where either is a failure.
"""
from __future__ import annotations

import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest

from site_server import (CHROMIUM_ARGS, EDITIONS, ROOT, SiteServer, edition_pages, require_chromium,
                         split_edition, toc_pages)

SITE = Path(os.environ.get("SITE_HTML", ROOT / "_build" / "html"))
TOC = Path(os.environ.get("SITE_TOC", ROOT / "_toc.yml"))
SHOTS = Path(os.environ.get("SITE_SCREENSHOTS", ROOT / "_build" / "screenshots"))
PAGES = edition_pages(toc_pages(TOC))          # intro, chapters/..., ko/intro, ko/chapters/...
DESKTOP, PHONE = 1280, 390
EXPLORER = "chapters/explorer"
LOAD_TIMES: dict[str, float] = {}

# Everything measured on a page after MathJax, widgets, fonts and images have settled.
PAGE_FACTS_JS = r"""
() => {
  const art = document.querySelector('article.bd-article') || document.querySelector('main') || document.body;
  const clone = art.cloneNode(true);
  clone.querySelectorAll('pre, code, script, style, mjx-container, .highlight').forEach(e => e.remove());
  const imgs = [...document.images];
  return {
    math: art.querySelectorAll('.math').length,
    mathUntypeset: [...art.querySelectorAll('.math')].filter(e => !e.querySelector('mjx-container'))
                       .map(e => e.textContent.slice(0, 60)),
    mjx: art.querySelectorAll('mjx-container').length,
    wideMath: [...art.querySelectorAll('div.math')].filter(d => {
        const m = d.querySelector('mjx-container');
        return m && m.scrollWidth > m.clientWidth + 1;
      }).map(d => d.id || d.textContent.slice(0, 40)),
    text: clone.textContent,
    brokenImages: imgs.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.currentSrc || i.src),
    outputImages: [...art.querySelectorAll('.cell_output img')]
                     .filter(i => !i.closest('.widget-subarea, .lw-static-explorer'))
                     .map(i => ({src: i.src.slice(0, 80), captioned: !!(i.closest('figure') &&
                                 i.closest('figure').querySelector('figcaption') &&
                                 i.closest('figure').querySelector('figcaption').textContent.trim())})),
    figures: [...art.querySelectorAll('figure')].map(f => ({
        id: f.id || (f.querySelector('[id]') || {}).id || '',
        caption: ((f.querySelector('figcaption') || {}).textContent || '').trim()})),
    explorers: [...art.querySelectorAll('.lw-static-explorer')].map(e => ({
        id: e.id, caption: ((e.querySelector('.lw-caption') || {}).textContent || '').trim()})),
    exercises: art.querySelectorAll('div.exercise').length,
    solutions: [...art.querySelectorAll('div.solution')].map(d => ({
        id: d.id, dropdown: d.classList.contains('dropdown'),
        bodyShown: [...d.children].filter(c => !c.classList.contains('admonition-title'))
                                  .some(c => c.offsetHeight > 0)})),
    widgetViews: document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length,
    widgetsRendered: [...document.querySelectorAll('.widget-subarea')]
                       .filter(w => w.getBoundingClientRect().height > 0 && w.children.length > 0).length,
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    theme: document.documentElement.dataset.theme || '',
  };
}
"""

# Alpha at the corners of each output image (drawn on a canvas: same origin, so readable).
IMAGE_ALPHA_JS = r"""
() => [...document.querySelectorAll('article .cell_output img, article figure img')].map(img => {
  const c = document.createElement('canvas');
  c.width = img.naturalWidth; c.height = img.naturalHeight;
  const g = c.getContext('2d'); g.drawImage(img, 0, 0);
  const w = c.width - 1, h = c.height - 1;
  const corners = [[0, 0], [w, 0], [0, h], [w, h]].map(([x, y]) => g.getImageData(x, y, 1, 1).data[3]);
  return {src: img.src.slice(-60), minCornerAlpha: Math.min(...corners)};
})
"""


@pytest.fixture(scope="module")
def browser():
    """One headless Debian Chromium for the module."""
    path = require_chromium()
    if not (SITE / "index.html").exists():
        msg = f"no built site at {SITE}: run `make book` (or `make test`) first"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def site():
    with SiteServer(SITE) as server:
        yield server


class PageVisit:
    """What happened while a page loaded: errors, failed and outside requests, and its facts."""

    def __init__(self, server_url: str):
        self.host = urlsplit(server_url).netloc
        self.console: list[str] = []
        self.failed: list[str] = []
        self.outside: list[str] = []

    def attach(self, context, page) -> None:
        def on_route(route):
            if urlsplit(route.request.url).netloc != self.host and not route.request.url.startswith("data:"):
                self.outside.append(route.request.url)
                route.abort()
            else:
                route.continue_()

        context.route("**/*", on_route)
        page.on("console", lambda m: m.type == "error" and self.console.append(m.text))
        page.on("pageerror", lambda e: self.console.append(f"uncaught: {e}"))
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.url} (HTTP {r.status})"))


def open_page(browser, site, name: str, width: int, *, dark: bool = False):
    """Load a page at a viewport width and wait until math, widgets, fonts and images settle.

    Returns (context, page, visit, seconds); the caller closes the context.
    """
    context = browser.new_context(viewport={"width": width, "height": 900},
                                  color_scheme="dark" if dark else "light")
    if dark:  # pydata-sphinx-theme reads the reader's choice from localStorage
        context.add_init_script("localStorage.setItem('theme', 'dark'); localStorage.setItem('mode', 'dark');")
    page = context.new_page()
    visit = PageVisit(site.url)
    visit.attach(context, page)
    start = time.perf_counter()
    page.goto(site.url + name + ".html", wait_until="load", timeout=30_000)
    page.evaluate("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
    n_views = page.evaluate(
        "() => document.querySelectorAll('script[type=\"application/vnd.jupyter.widget-view+json\"]').length")
    if n_views:
        try:
            page.wait_for_function(
                "n => [...document.querySelectorAll('.widget-subarea')].filter(w => w.children.length).length >= n",
                arg=n_views, timeout=20_000)
        except Exception:  # reported by test_widgets_rendered with the counts
            pass
    page.evaluate("""() => Promise.all([document.fonts.ready, ...[...document.images].filter(i => !i.complete)
                      .map(i => new Promise(r => { i.onload = i.onerror = r; }))])""")
    seconds = time.perf_counter() - start
    return context, page, visit, seconds


def shot_name(name: str, kind: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS / f"{name.replace('/', '-')}-{kind}.png"


_DESKTOP: dict[str, tuple[PageVisit, dict]] = {}


@pytest.fixture
def desktop(browser, site, request):
    """The desktop visit of the test's page, loaded once and shared by the tests that need it."""
    name = request.node.callspec.params["name"]
    if name not in _DESKTOP:
        context, page, visit, seconds = open_page(browser, site, name, DESKTOP)
        try:
            LOAD_TIMES[name] = seconds
            facts = page.evaluate(PAGE_FACTS_JS)
            page.screenshot(path=shot_name(name, "desktop"), full_page=True)
        finally:
            context.close()
        _DESKTOP[name] = (visit, facts)
    return _DESKTOP[name]


def test_toc_pages_built():
    missing = [p for p in PAGES if not (SITE / f"{p}.html").exists()] if SITE.exists() else PAGES
    assert not missing, f"pages in {TOC.name} with no HTML in {SITE}: {missing}"


def test_no_outside_requests_in_html():
    """No script, stylesheet, image or font is referenced from another host (links are fine)."""
    src = re.compile(r"<(?:script|img|iframe|source|video|audio|embed)\b[^>]*\bsrc=\"(?:https?:)?//[^\"]*\"")
    link = re.compile(r"<link\b[^>]*>")
    external_href = re.compile(r"\bhref=\"(?:https?:)?//")
    not_fetched = re.compile(r"\brel=\"(?:canonical|alternate|author|license|me)\"")
    bad = {}
    for html in SITE.rglob("*.html"):
        if "_vendor" in html.parts:
            continue
        text = html.read_text(encoding="utf-8")
        hits = [m.group(0)[:120] for m in src.finditer(text)]
        hits += [t[:120] for t in link.findall(text) if external_href.search(t) and not not_fetched.search(t)]
        if hits:
            bad[str(html.relative_to(SITE))] = hits
    css_url = re.compile(r"url\(\s*['\"]?(?:https?:)?//|@import\s+['\"](?:https?:)?//")
    for css in SITE.rglob("*.css"):
        if css_url.search(css.read_text(encoding="utf-8", errors="replace")):
            bad[str(css.relative_to(SITE))] = ["url() or @import from another host"]
    assert not bad, f"pages that would fetch from another host: {bad}"


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_clean(name, desktop):
    visit, _ = desktop
    assert not visit.outside, f"{name}: requests to other hosts: {visit.outside}"
    assert not visit.failed, f"{name}: failed requests: {visit.failed}"
    assert not visit.console, f"{name}: console errors: {visit.console}"


@pytest.mark.parametrize("name", PAGES)
def test_math_rendered(name, desktop):
    _, facts = desktop
    assert not facts["mathUntypeset"], f"{name}: math left untypeset: {facts['mathUntypeset'][:5]}"
    assert facts["mjx"] >= facts["math"], f"{name}: {facts['math']} math elements, {facts['mjx']} typeset"
    for raw in ("$$", r"\begin{", r"\(", r"\["):
        assert raw not in facts["text"], f"{name}: raw TeX {raw!r} in the page text"


@pytest.mark.parametrize("name", PAGES)
def test_equations_fit_the_column(name, desktop):
    """At 1280 px every display equation fits its column (else it hides under its number or scrolls).

    Fix a long one by breaking it over lines (aligned, \\\\) or splitting it into two equations.
    """
    _, facts = desktop
    assert not facts["wideMath"], f"{name}: display equations wider than the column: {facts['wideMath']}"


@pytest.mark.parametrize("name", PAGES)
def test_images_loaded_and_figures_captioned(name, desktop):
    _, facts = desktop
    assert not facts["brokenImages"], f"{name}: images that did not load: {facts['brokenImages']}"
    uncaptioned = [f["id"] for f in facts["figures"] if not f["caption"]]
    assert not uncaptioned, f"{name}: figures without a caption: {uncaptioned}"
    loose = [i["src"] for i in facts["outputImages"] if not i["captioned"]]
    # the kernel-free explorer (layerwise.explorer_static) captions each frame with its summary line
    loose += [f"explorer #{e['id']}" for e in facts["explorers"] if not e["caption"]]
    assert not loose, f"{name}: output images outside a captioned figure (use mystnb: figure: caption:): {loose}"


@pytest.mark.parametrize("name", PAGES)
def test_exercises_styled_and_solutions_folded(name, desktop):
    """Every exercise of the source is rendered by sphinx-exercise; solutions start folded."""
    _, facts = desktop
    folder, page = split_edition(name)
    source = SITE / folder / "_sources" / f"{page}.md"
    text = source.read_text(encoding="utf-8") if source.exists() else ""
    expected = len(re.findall(r"^\s*(?:`{3,}|:{3,})\{exercise(?:-start)?\}", text, flags=re.M))
    assert facts["exercises"] == expected, f"{name}: {expected} exercises in the source, {facts['exercises']} rendered"
    open_ = [s["id"] for s in facts["solutions"] if not s["dropdown"] or s["bodyShown"]]
    assert not open_, f"{name}: solutions shown unfolded (give them :class: dropdown): {open_}"


@pytest.mark.parametrize("name", PAGES)
def test_widgets_rendered(name, desktop):
    _, facts = desktop
    assert facts["widgetsRendered"] >= facts["widgetViews"], (
        f"{name}: {facts['widgetViews']} widget views saved, {facts['widgetsRendered']} rendered")


@pytest.mark.parametrize("name", PAGES)
def test_references_resolved(name, desktop):
    _, facts = desktop
    for bad in ("undefined label", "unknown document", "Unknown target", "Error in"):
        assert bad.lower() not in facts["text"].lower(), f"{name}: {bad!r} in the page text"


@pytest.mark.parametrize("name", PAGES)
def test_internal_links_resolve(name, desktop, site):
    """Every same-site link returns 200, and its #anchor (if any) exists in the target page."""
    _, facts = desktop
    bodies: dict[str, str] = {}
    broken = []
    for href in sorted(set(facts["links"])):
        if not href.startswith(site.url):
            continue
        url, fragment = urldefrag(href)
        if url not in bodies:
            try:
                with urllib.request.urlopen(url, timeout=10) as r:
                    bodies[url] = r.read().decode("utf-8", "replace") if r.status == 200 else ""
            except urllib.error.URLError as e:
                broken.append(f"{href} ({e})")
                continue
        if fragment and url.endswith(".html") and f'id="{fragment}"' not in bodies[url]:
            broken.append(f"{href} (no element with id={fragment!r})")
    assert not broken, f"{name}: broken internal links: {broken}"


@pytest.mark.parametrize("name", PAGES)
def test_phone_layout(name, browser, site):
    """At 390 px the page does not scroll sideways (wide math and tables scroll in their own box)."""
    context, page, visit, _ = open_page(browser, site, name, PHONE)
    try:
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        culprits = page.evaluate("""() => [...document.querySelectorAll('article *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .filter(e => !e.parentElement.closest('[style*=overflow], .highlight, .math, .cell_output, table, mjx-container'))
            .slice(0, 5).map(e => e.tagName + '.' + e.className)""") if overflow > 1 else []
        page.screenshot(path=shot_name(name, "phone"), full_page=True)
    finally:
        context.close()
    assert overflow <= 1, f"{name}: phone layout scrolls sideways by {overflow} px; widest: {culprits}"
    assert not visit.console and not visit.failed and not visit.outside


@pytest.mark.parametrize("name", PAGES)
def test_dark_mode_figures_readable(name, browser, site):
    """In the dark theme every figure keeps an opaque background: no black-on-transparent plots."""
    context, page, visit, _ = open_page(browser, site, name, DESKTOP, dark=True)
    try:
        theme = page.evaluate("() => document.documentElement.dataset.theme")
        alphas = page.evaluate(IMAGE_ALPHA_JS)
        first_figure = page.locator("article figure, article .cell_output img").first
        if first_figure.count():                  # show a figure on the dark background
            first_figure.scroll_into_view_if_needed()
        page.screenshot(path=shot_name(name, "dark"), full_page=False)
    finally:
        context.close()
    assert theme == "dark", f"{name}: the theme did not switch to dark (data-theme={theme!r})"
    see_through = [a["src"] for a in alphas if a["minCornerAlpha"] < 255]
    assert not see_through, (f"{name}: figures with a transparent background, unreadable in dark mode "
                             f"(save them with an opaque facecolor): {see_through}")


def test_search_works_offline(browser, site):
    """The built-in search finds the notation page from the local index, no server needed."""
    context = browser.new_context()
    page = context.new_page()
    visit = PageVisit(site.url)
    visit.attach(context, page)
    try:
        page.goto(site.url + "search.html?q=notation", wait_until="load")
        page.wait_for_selector("#search-results ul.search li", timeout=15_000)
        hits = page.eval_on_selector_all("#search-results ul.search li a", "as => as.map(a => a.href)")
    finally:
        context.close()
    assert any("notation" in h for h in hits), f"search for 'notation' found {hits}"
    assert not visit.outside and not visit.failed and not visit.console


# A Korean term and the chapter it must find: plain, and with a particle (조사) that the Korean
# search language (tools/korean_search.py) strips from the query as it does in the index.
KOREAN_SEARCHES = [("역전파", "chapters/backpropagation"), ("소프트맥스", "chapters/softmax"),
                   ("표기법", "chapters/notation"), ("기호를", "chapters/notation"), ("용어집", "chapters/glossary")]


def search(browser, site, folder: str, query: str) -> list[str]:
    """The result links of the edition's built-in search for `query`, once the search has finished."""
    context = browser.new_context()
    page = context.new_page()
    visit = PageVisit(site.url)
    visit.attach(context, page)
    try:
        page.goto(site.url + folder + "search.html?q=" + urllib.parse.quote(query), wait_until="load")
        page.wait_for_function("() => (document.querySelector('#search-results p.search-summary') || {})"
                               ".innerText", timeout=15_000)
        hits = page.eval_on_selector_all("#search-results ul.search li a", "as => as.map(a => a.href)")
    finally:
        context.close()
    assert not visit.outside and not visit.failed and not visit.console, (visit.outside, visit.failed, visit.console)
    return hits


@pytest.mark.parametrize("query,expected", KOREAN_SEARCHES)
def test_korean_search_finds_the_chapter(browser, site, query, expected):
    hits = search(browser, site, EDITIONS["ko"][1], query)
    wanted = site.url + EDITIONS["ko"][1] + expected + ".html"
    assert any(h.split("#")[0].split("?")[0] == wanted for h in hits), f"searching {query!r} found {hits}"


@pytest.mark.parametrize("name", PAGES)
def test_language_switch_lands_on_the_counterpart(browser, site, name):
    """Each edition's switch on every page opens the same page of the other edition, in its language."""
    folder, page_name = split_edition(name)
    lang = next(code for code, (_, f) in EDITIONS.items() if f == folder)
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(site.url + name + ".html", wait_until="domcontentloaded")
        assert page.evaluate("() => document.documentElement.lang") == lang
        links = page.locator("nav.lbl-language-switch a")
        targets = links.evaluate_all("as => as.map(a => a.hreflang)")
        assert sorted(targets) == sorted(set(EDITIONS) - {lang}), f"{name}: switch offers {targets}"
        for i, other in enumerate(targets):
            page.goto(site.url + name + ".html", wait_until="domcontentloaded")
            with page.expect_navigation(wait_until="domcontentloaded"):
                page.locator("nav.lbl-language-switch a").nth(i).click()
            landed = page.url.split("#")[0]
            assert landed == site.url + EDITIONS[other][1] + page_name + ".html", f"{name}: switch to {other} opened {landed}"
            assert page.evaluate("() => document.documentElement.lang") == other
    finally:
        context.close()


def test_alternate_links_resolve():
    """Every page names each edition's counterpart with <link rel=alternate hreflang>, and each exists."""
    problems = []
    for name in PAGES:
        html_file = SITE / f"{name}.html"
        text = html_file.read_text(encoding="utf-8")
        found = dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)"', text))
        _, page_name = split_edition(name)
        for lang, (_, folder) in EDITIONS.items():
            href = found.get(lang)
            target = (html_file.parent / href).resolve() if href else None
            if target != (SITE / f"{folder}{page_name}.html").resolve() or not target.exists():
                problems.append(f"{name}: hreflang={lang} -> {href}")
        if found.get("x-default") != found.get("en"):
            problems.append(f"{name}: x-default {found.get('x-default')} is not the English page")
    assert not problems, problems


def test_chapter_buttons_are_links():
    """Download (.ipynb and source) and launch buttons are plain links; the notebook download exists.

    Pages that are notebooks (jupytext front matter with a kernelspec) offer the .ipynb and Binder;
    plain Markdown pages (e.g. the glossary) offer their source.
    """
    pages = [p for p in PAGES if split_edition(p)[1].startswith("chapters/")]
    assert pages, "no chapter in the toc"
    for name in pages:
        folder, page = split_edition(name)
        html = (SITE / f"{name}.html").read_text(encoding="utf-8")
        source = SITE / folder / "_sources" / f"{page}.md"
        assert re.search(rf'href="[^"]*_sources/{re.escape(page)}\.md"', html), f"{name}: no source download link"
        if not (source.exists() and "kernelspec:" in source.read_text(encoding="utf-8")):
            continue
        stem = page.split("/")[-1]
        assert re.search(rf'href="[^"]*_sources/{re.escape(page)}\.ipynb"', html), f"{name}: no .ipynb download link"
        assert (SITE / folder / "_sources" / f"{page}.ipynb").exists(), f"{name}: the .ipynb download is missing"
        assert re.search(rf'href="https://mybinder\.org/[^"]*{re.escape(stem)}\.md"', html), \
            f"{name}: no Binder launch link"


@pytest.mark.parametrize("explorer", [folder + EXPLORER for _, folder in EDITIONS.values()])
def test_explorer_responds_to_its_controls(browser, site, explorer):
    """The kernel-free explorer shows another picture after each control is used.

    Selectors are documented in code/layerwise/explorer_static.py: ROOT div.lw-static-explorer,
    controls .lw-control[data-axis] (range inputs moved with the keyboard, selects changed),
    the picture img.lw-frame (its data-key and src change).
    """
    assert explorer in PAGES, f"{EXPLORER} must be in _toc.yml"
    context, page, visit, _ = open_page(browser, site, explorer, DESKTOP)
    changed, unchanged = [], []
    try:
        root = page.locator("div.lw-static-explorer").first
        root.scroll_into_view_if_needed()
        frame = root.locator("img.lw-frame")
        controls = root.locator(".lw-control")
        assert controls.count() > 0, "the explorer has no controls"
        for i in range(controls.count()):
            control = controls.nth(i)
            axis = control.get_attribute("data-axis")
            before = (frame.get_attribute("data-key"), frame.get_attribute("src"))
            if control.evaluate("e => e.tagName") == "SELECT":
                options = control.locator("option").evaluate_all("os => os.map(o => o.value)")
                current = control.input_value()
                control.select_option(next(o for o in options if o != current))
            else:
                control.focus()
                key = "ArrowLeft" if control.input_value() == control.get_attribute("max") else "ArrowRight"
                page.keyboard.press(key)
            after = (frame.get_attribute("data-key"), frame.get_attribute("src"))
            (changed if after[0] != before[0] and after[1] != before[1] else unchanged).append(axis)
        loaded = frame.evaluate("img => img.complete && img.naturalWidth > 0")
        page.evaluate("() => document.activeElement && document.activeElement.blur()")  # no focus ring
        root.screenshot(path=shot_name(explorer, "explorer"))
    finally:
        context.close()
    assert not unchanged, f"controls that did not change the picture: {unchanged} (changed: {changed})"
    assert loaded, "the explorer's picture did not load"
    assert not visit.console and not visit.failed and not visit.outside


def test_zz_load_times():
    """Every page is ready (math, widgets, images) within 10 s; times written for the report."""
    assert LOAD_TIMES, "no page was loaded (run the whole module: the page tests record the times)"
    SHOTS.mkdir(parents=True, exist_ok=True)
    lines = [f"{s:6.2f} s  {n}" for n, s in sorted(LOAD_TIMES.items(), key=lambda kv: -kv[1])]
    (SHOTS / "load_times.txt").write_text("\n".join(lines) + "\n")
    slow = {n: s for n, s in LOAD_TIMES.items() if s > 10}
    assert not slow, f"pages slower than 10 s: {slow}"
