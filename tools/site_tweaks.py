"""Sphinx extension: small fixes so every page loads cleanly, offline and light.

- Jupyter Book always loads sphinx-thebe, whose set-up runs twice and writes
  `const THEBE_JS_URL = "https://unpkg.com/..."` into every page two times: the second one is a
  console error ("Identifier 'THEBE_JS_URL' has already been declared"). The book has no live-code
  (thebe) button, so its scripts and stylesheet are dropped from the pages.
- pydata-sphinx-theme logs "Got invalid theme mode" when no default mode is set (its
  html_context["default_mode"]): set it to "auto", i.e. follow the reader's system setting.
- No widget state in the built pages. nbclient saves the state of every widget a chapter creates
  into the executed notebook, and myst-nb embeds it in the page as a
  `<script type="application/vnd.jupyter.widget-state+json">` (and would load the scripts of
  `nb_ipywidgets_js`, the ipywidgets manager: 3.6 MB of blocking script) — for controls that cannot
  respond without a kernel. The website shows each widget's text/html instead
  (`nb_mime_priority_overrides` in _config.yml), `nb_ipywidgets_js` is empty, and the state script
  is dropped here.
- sphinx-design's stylesheet and script (60 kB) only on pages that use one of its components.
- Icons without Font Awesome's 1.5 MB script (assets/templates/static/webpack-macros.html leaves it
  out): the theme's CSS draws them from its icon fonts, which `subset_icon_fonts` cuts down to the
  glyphs the built pages and stylesheets use (a few kB instead of 300 kB); assets/static/site.css
  points the font families at the subsets, and `prune_icon_rules` drops the theme's CSS rules of
  the icon classes no page uses (85 kB on every page).
- Output figures (`_images/*.png`) are stored with a 256-colour palette when that is smaller
  (about a third of the bytes; their text chunks, e.g. layerwise's text-size record, are kept).
- myst-nb's "Show code cell source" toggle (a <summary>) is labelled aria-label="Toggle hidden
  content", which screen readers announce instead of the visible text (WCAG 2.5.3, label in name):
  the same element without that label, so its name is what it shows.
- Every image of a page is a link to itself, so that a multi-panel figure is one tap away from its
  full size on a phone; and an image in a captioned figure without alt text gets its caption's
  first sentence as alt text (docutils would use the file name, a hash).
- The live network explorer (`layerwise.explorer_web`, JavaScript in assets/static/lw-explorer/) is
  loaded only by the pages that contain one: its module script and stylesheet are added to a page
  whose body has a `lw-live-explorer`, by relative URLs (so a translation built under ko/ works too).
Enabled in _config.yml under sphinx.local_extensions; the templates under assets/templates.
"""
from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

from markupsafe import Markup
from sphinx.builders.html._assets import _CascadingStyleSheet, _JavaScript

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
ICON_DIR = "lw-icons"                       # under _static/, named in assets/static/site.css
# The theme's icon fonts (copied into _static/ by pydata-sphinx-theme), by the file the subset gets.
ICON_FONTS = {"fa-solid-900": "Font Awesome 6 Free", "fa-regular-400": "Font Awesome 6 Free",
              "fa-brands-400": "Font Awesome 6 Brands"}
FONTAWESOME_JS = re.compile(r"\s*<script\b[^>]*\bsrc=\"[^\"]*scripts/fontawesome\.js[^\"]*\"[^>]*></script>")
EXPLORER = "lw-explorer"          # folder under _static/ (from assets/static/)


def _is_thebe(asset) -> bool:
    name = str(getattr(asset, "filename", asset) or "")
    body = str(getattr(asset, "attributes", {}).get("body", ""))
    return "thebe" in name or "THEBE_JS_URL" in body


def _is_widget_state(asset) -> bool:
    return getattr(asset, "attributes", {}).get("type") == WIDGET_STATE


def _is_sphinx_design(asset) -> bool:
    name = str(getattr(asset, "filename", asset) or "")
    return "sphinx-design" in name or "design-tabs" in name


def _uses_sphinx_design(doctree) -> bool:
    from docutils import nodes

    return doctree is not None and any(
        cls.startswith("sd-") for node in doctree.findall(nodes.Element) for cls in node.get("classes", []))


def _add_explorer(context) -> None:
    """The live explorer's module and stylesheet, on pages that show an explorer only."""
    if "lw-live-explorer" not in context.get("body", ""):
        return
    context.setdefault("script_files", []).append(_JavaScript(f"_static/{EXPLORER}/explorer.js", type="module"))
    context.setdefault("css_files", []).append(_CascadingStyleSheet(f"_static/{EXPLORER}/explorer.css"))


def _page(app, pagename, templatename, context, doctree) -> None:
    context["default_mode"] = context.get("default_mode") or "auto"
    design = _uses_sphinx_design(doctree)
    _add_explorer(context)
    for key in ("script_files", "css_files"):
        if key in context:
            context[key][:] = [a for a in context[key] if not (
                _is_thebe(a) or _is_widget_state(a) or (_is_sphinx_design(a) and not design))]


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    end = re.search(r"(?<=[.:;])\s", text)
    return text[:end.start()] if end else text


def _link_images(app, doctree, docname) -> None:
    """Wrap each image in a link to its own file; give figure images their caption as alt text."""
    from docutils import nodes
    from sphinx.util.osutil import relative_uri

    if app.builder.format != "html":
        return
    images_dir = relative_uri(app.builder.get_target_uri(docname), "_images")
    for image in list(doctree.findall(nodes.image)):
        figure = image.parent
        while figure is not None and not isinstance(figure, nodes.figure):
            figure = figure.parent
        caption = next(iter(figure.findall(nodes.caption)), None) if figure is not None else None
        if caption is not None and (not image.get("alt") or image["alt"] == image["uri"]):
            image["alt"] = _first_sentence(caption.astext())
        if isinstance(image.parent, nodes.reference) or image["uri"] not in app.env.images:
            continue
        target = f"{images_dir}/{app.env.images[image['uri']][1]}"
        link = nodes.reference("", "", refuri=target, classes=["lw-image-link"])
        image.replace_self(link)
        link.append(image)


def _visit_hidden_cell(self, node) -> None:
    """myst-nb's visitor for a folded code cell, without the aria-label that hides its visible text."""
    from html import escape

    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n<summary>\n')
    self.body.append(f'<p class="collapsed admonition-title">{escape(node["prompt_show"])}</p>\n')
    self.body.append(f'<p class="expanded admonition-title">{escape(node["prompt_hide"])}</p>\n')
    self.body.append("</summary>\n")


def _relabel_hidden_cells(app) -> None:
    from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput

    app.add_node(HideCodeCellNode, override=True, html=(_visit_hidden_cell, depart_HideCellInput))


def without_fontawesome_js(html) -> Markup:
    """Template filter: the HTML without its <script> of Font Awesome's fontawesome.js."""
    return Markup(FONTAWESOME_JS.sub("", str(html)))


def _templates(app) -> None:
    templates = getattr(app.builder, "templates", None)
    if templates is not None and hasattr(templates, "environment"):
        templates.environment.filters["without_fontawesome_js"] = without_fontawesome_js


def _icons_in(css_body: str) -> set[int]:
    """Private-use codepoints (where icon fonts put their glyphs) in CSS: escaped (\\f0c9) or literal."""
    found = {int(code, 16) for code in re.findall(r"\\([ef][0-9a-f]{3})\b", css_body)}
    return found | {ord(ch) for ch in css_body if 0xE000 <= ord(ch) <= 0xF8FF}


ICON_CLASS_RULE = re.compile(r"(\s*\.fa-[a-z0-9-]+:(?:before|after),?)+\s*")   # .fa-x:before, .fa-y:before
CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")


def used_icon_classes(outdir: Path) -> set[str]:
    """Names x of the `fa-x` classes that the built pages use."""
    used: set[str] = set()
    for page in outdir.rglob("*.html"):
        if "_vendor" not in page.parts:
            used.update(re.findall(r"\bfa-([a-z0-9-]+)", page.read_text(encoding="utf-8", errors="replace")))
    return used


def icon_codepoints(outdir: Path) -> set[int]:
    """Every icon codepoint the built site can draw: `fa-*` classes used in its HTML, mapped through
    the theme's CSS, and every icon a stylesheet draws by itself (in `content:` or a variable)."""
    css = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in (outdir / "_static").rglob("*.css"))
    by_class: dict[str, set[int]] = {}
    used: set[int] = set()
    for selectors, body in CSS_RULE.findall(css):
        if ICON_CLASS_RULE.fullmatch(selectors):       # an icon class: counted only where a page uses it
            for name in re.findall(r"\.fa-([a-z0-9-]+):", selectors):
                by_class.setdefault(name, set()).update(_icons_in(body))
        else:
            used |= _icons_in(body)
    for name in used_icon_classes(outdir):
        used |= by_class.get(name, set())
    return used


def prune_icon_rules(outdir: Path) -> int:
    """Drop from the site's stylesheets the `.fa-x:before{content:...}` rules of icon classes no page
    uses (about 1,900 of them, 85 kB of the theme's CSS on every page): their glyphs are not in the
    subset fonts either. Returns the bytes saved."""
    used = used_icon_classes(outdir)

    def keep(match):
        selectors, body = match.group(1), match.group(2)
        if not ICON_CLASS_RULE.fullmatch(selectors):
            return match.group(0)
        kept = [sel for sel in selectors.split(",")
                if re.search(r"\.fa-([a-z0-9-]+):", sel).group(1) in used]
        lead = selectors[:len(selectors) - len(selectors.lstrip())]
        return f"{lead}{','.join(k.strip() for k in kept)}{{{body}}}" if kept else lead

    saved = 0
    for css in (outdir / "_static").rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        pruned = CSS_RULE.sub(keep, text)
        if pruned != text:
            css.write_text(pruned, encoding="utf-8")
            saved += len(text.encode()) - len(pruned.encode())
    return saved


def subset_icon_fonts(outdir: Path) -> dict[str, int]:
    """Write _static/lw-icons/<font>.woff with only the glyphs the site uses; returns glyphs per font."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    source = outdir / "_static" / "vendor" / "fontawesome" / "webfonts"
    if not source.is_dir():                             # not pydata-sphinx-theme: nothing to subset
        return {}
    codepoints = icon_codepoints(outdir)
    target = outdir / "_static" / ICON_DIR
    target.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name in ICON_FONTS:
        font = TTFont(source / f"{name}.ttf")
        keep = sorted(codepoints & set(font.getBestCmap()))
        options = subset.Options()
        options.flavor = "woff"                         # zlib: needs no brotli module
        options.layout_features = []
        options.name_IDs = ["*"]
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=keep or [0x20])
        subsetter.subset(font)
        buf = io.BytesIO()
        font.flavor = "woff"
        font.save(buf)
        (target / f"{name}.woff").write_bytes(buf.getvalue())
        counts[name] = len(keep)
    return counts


def palette_pngs(images: Path) -> None:
    """Store each opaque RGB(A) PNG in `images` as a 256-colour palette PNG when that is smaller."""
    from PIL import Image, PngImagePlugin

    for path in images.glob("*.png"):
        with Image.open(path) as im:
            im.load()
            if im.mode not in ("RGB", "RGBA"):
                continue
            if im.mode == "RGBA" and im.getchannel("A").getextrema()[0] < 255:
                continue                               # see-through pixels: leave it as it is
            info = PngImagePlugin.PngInfo()
            for key, value in getattr(im, "text", {}).items():
                info.add_text(key, value)
            small = im.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
            buf = io.BytesIO()
            small.save(buf, format="png", optimize=True, pnginfo=info)
        if len(buf.getvalue()) < path.stat().st_size:
            path.write_bytes(buf.getvalue())


def _finished(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    subset_icon_fonts(outdir)
    prune_icon_rules(outdir)
    if (outdir / "_images").is_dir():
        palette_pngs(outdir / "_images")


def setup(app):
    # a config value that changes with this file, so editing it makes Sphinx rewrite every page
    digest = hashlib.sha1(Path(__file__).read_bytes()).hexdigest()
    app.add_config_value("site_tweaks_digest", digest, "html")
    app.connect("builder-inited", _templates)
    _relabel_hidden_cells(app)
    app.connect("doctree-resolved", _link_images)
    app.connect("html-page-context", _page, priority=900)
    app.connect("build-finished", _finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
