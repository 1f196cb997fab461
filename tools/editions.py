"""Sphinx extension: the book's editions side by side, English at the site root, Korean under ko/.

On every page:
- a language switch at the top of the article ("English" / "한국어"), a plain link to the same page
  in the other edition, so the reader stays on the page they are reading;
- `<link rel="alternate" hreflang=...>` to every edition (itself included) and `x-default` to the
  English one, as search engines expect;
- `<html lang>` is Sphinx's `language` (the theme writes it), set per build by tools/build_book.py.

It adds HTML through Sphinx's page context (the page body and `metatags`), not through a theme
template, so it does not depend on the theme's layout. tools/editions.css styles the switch and
sets Korean line breaking (between words, as Korean is typeset) and a Korean system font stack.
"""
from __future__ import annotations

import shutil
from html import escape
from pathlib import Path

# language -> (its name in itself, its folder in the built site)
EDITIONS = {"en": ("English", ""), "ko": ("한국어", "ko/")}
DEFAULT = "en"
CSS = Path(__file__).with_name("editions.css")


def edition_url(pagename: str, from_lang: str, to_lang: str) -> str:
    """Relative URL from page `pagename` of edition `from_lang` to the same page of `to_lang`."""
    depth = pagename.count("/") + EDITIONS[from_lang][1].count("/")
    return "../" * depth + EDITIONS[to_lang][1] + pagename + ".html"


def language_switch(pagename: str, lang: str) -> str:
    links = [f'<a class="lbl-edition" href="{escape(edition_url(pagename, lang, other))}" '
             f'hreflang="{other}" lang="{other}">{escape(name)}</a>'
             for other, (name, _) in EDITIONS.items() if other != lang]
    label = "Language" if lang == "en" else "언어"
    return f'<nav class="lbl-language-switch" aria-label="{label}">{"".join(links)}</nav>\n'


def alternate_links(pagename: str, lang: str, baseurl: str = "") -> str:
    def href(other):
        if baseurl:
            return baseurl.rstrip("/") + "/" + EDITIONS[other][1] + pagename + ".html"
        return edition_url(pagename, lang, other)

    links = [f'<link rel="alternate" hreflang="{other}" href="{escape(href(other))}" />'
             for other in EDITIONS]
    links.append(f'<link rel="alternate" hreflang="x-default" href="{escape(href(DEFAULT))}" />')
    return "\n".join(links) + "\n"


def _page(app, pagename, templatename, context, doctree) -> None:
    lang = app.config.language or DEFAULT
    if lang not in EDITIONS:
        return
    context["metatags"] = context.get("metatags", "") + alternate_links(pagename, lang, app.config.html_baseurl)
    if "body" in context:
        context["body"] = language_switch(pagename, lang) + context["body"]


def _copy_css(app, exception) -> None:
    if exception is None and app.builder.format == "html":
        shutil.copyfile(CSS, Path(app.outdir, "_static", CSS.name))


def setup(app):
    app.add_css_file(CSS.name)
    app.connect("html-page-context", _page)
    app.connect("build-finished", _copy_css)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
