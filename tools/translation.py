"""Sphinx extension: the prose of the book goes through gettext, and only the prose.

The translated editions are Sphinx's own i18n: `locales/<lang>/LC_MESSAGES/*.po`, one catalogue
per page (gettext_compact = False), a message per paragraph, heading, list item, table cell,
caption or admonition title. This extension fixes what Jupyter Book 1 / myst-nb / sphinx-exercise
would otherwise get wrong (each found by building a translated test page, see locales/README.md):

- Code, equations and structure stay shared. Sphinx extracts display math as a message (and would
  paste a translated copy), and every table cell that holds only `$x$`, `code`, a reference such as
  {doc}`notation`, a dash, or a Korean term quoted from the note is a message too; so is every
  paragraph a code cell prints as Markdown (the Performance appendix prints its tables from the
  benchmark results, which change on every run). All of them are made untranslatable here: they
  are not in the catalogues, and every edition shows what the source and its code make. Code
  cells and {literalinclude} are never messages (Sphinx ignores literal blocks). A figure's
  caption from `mystnb: figure: caption:` sits inside its cell's output but is prose: a message.
- A table written inside a {table} directive (the reference tables of the notation and glossary
  pages, styled by their class) is parsed by MyST without a source on its cells' paragraphs, and
  Sphinx skips a paragraph without a source: each gets its page and the table's line here.
- The part captions of _toc.yml are extracted into the root page's catalogue, but
  sphinx-external-toc inserts the toctrees after Sphinx's Locale transform has run, so they
  were never translated: they are translated here, once inserted.
- A {glue:text} (or {glue}, {glue:md}) role inside a translated paragraph lost its value:
  myst-nb looks the key up in the notebook being parsed, and a translated message is parsed on
  its own. Here it becomes the cross-document form (`/page::key`), which myst-nb resolves from
  the glue data it saved for the page.
- sphinx-exercise gives an exercise's optional title no source, and flattens it into the
  "Exercise 2 (title)" heading before the gettext builder looks: the title gets its source (so
  Sphinx translates it), is added to the page's catalogue here, and the copy of the exercise
  that titles its solution gets the translation.
- The "site" catalogue: strings the configuration, not a page, puts on every page: the site
  title, the author, the search box text, myst-nb's "Show code cell source" buttons and
  sphinx-copybutton's tooltips (its copybutton.js knows no Korean). And
  pydata-sphinx-theme's own strings (the theme ships no Korean): its sphinx.pot is copied into
  the "sphinx" catalogue, which Sphinx compiles and prefers to its own.

The gettext builder writes site.pot and sphinx.pot beside the pages' catalogues, so `make locales`
and the completeness test treat them like any page.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po
from docutils import nodes
from sphinx import addnodes
from sphinx.builders.gettext import MsgOrigin
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.i18n import docname_to_domain

SITE_DOMAIN = "site"
TITLE_SOURCE = "lbl_title_source"   # an exercise's title as written, kept for the gettext builder
MESSAGE_CLASS, UNTRANSLATED_CLASS = "lbl-message", "lbl-untranslated"   # in a translated page's HTML
THEME_DOMAIN = "sphinx"        # Sphinx merges a project's sphinx.po over its own and the theme's

# Inline markup that carries no prose of its own: $math$, `code`, and {role}`target` without an
# explicit title ({doc}`text <target>` has prose: "text").
_NO_PROSE = re.compile(r"\$\$.*?\$\$|\$[^$]*\$|\{[\w:.-]+\}`[^`<]*`|`[^`]*`", re.S)
_ENGLISH = re.compile(r"[A-Za-z]")
_CODE_PROMPT_KINDS = ("source", "outputs", "output", "content")
# sphinx-copybutton's tooltips, which its copybutton.js keeps per language with no Korean among them
COPYBUTTON = {"copy": "Copy", "copy_to_clipboard": "Copy to clipboard", "copy_success": "Copied!",
              "copy_failure": "Failed to copy"}


def has_prose(source: str) -> bool:
    """True when the Markdown source has English words outside math, code and bare references.

    A paragraph without any, such as a table cell that quotes the note's Korean term, is the same
    in every edition.
    """
    return bool(_ENGLISH.search(_NO_PROSE.sub(" ", source)))


@lru_cache(maxsize=64)
def _read_catalogue(path: str, mtime: float) -> dict[str, str]:
    with open(path, "rb") as f:
        catalogue = read_po(f)
    return {m.id: m.string for m in catalogue
            if m.id and isinstance(m.id, str) and m.string and not m.fuzzy}


def catalogue(app, domain: str) -> dict[str, str]:
    """{msgid: msgstr} of a domain in the build's language (fuzzy and empty entries left out)."""
    language = app.config.language or "en"
    for locale_dir in app.config.locale_dirs:
        path = Path(app.srcdir, locale_dir, language, "LC_MESSAGES", f"{domain}.po")
        if path.exists():
            return _read_catalogue(str(path), path.stat().st_mtime)
    return {}


def translating(app) -> bool:
    return (app.config.language or "en") != "en" and app.builder.name != "gettext"


def _has_title_source(node) -> bool:
    return isinstance(node, nodes.Element) and TITLE_SOURCE in node.attributes


def _is_cell_output(node) -> bool:
    return isinstance(node, nodes.container) and node.get("nb_element") == "cell_code_output"


class GiveTableCellsASource(SphinxTransform):
    """Table cells parsed without a source get the page and the table's line (before KeepCodeAndMathShared)."""

    default_priority = 4

    def apply(self, **kwargs) -> None:
        for table in self.document.findall(nodes.table):
            holder = table
            while holder is not None and not holder.line:
                holder = holder.parent
            line = holder.line if holder is not None else None
            source = table.source or self.document["source"]
            for node in table.findall(nodes.TextElement):
                if not node.source:
                    node.source, node.line = source, node.line or line


class KeepCodeAndMathShared(SphinxTransform):
    """Equations, cell outputs (but not their figures' captions) and prose-free paragraphs are not
    messages (before Sphinx's Locale, at 20)."""

    default_priority = 5

    def apply(self, **kwargs) -> None:
        for node in self.document.findall(nodes.math_block):
            node["translatable"] = False
        for output in self.document.findall(_is_cell_output):
            captions = {id(t) for c in output.findall(nodes.caption) for t in c.findall(nodes.TextElement)}
            for node in output.findall(nodes.TextElement):
                if id(node) not in captions:        # a figure's caption (mystnb: figure: caption:) is prose
                    node["translatable"] = False
        for node in self.document.findall(nodes.paragraph):
            if not has_prose(node.rawsource or node.astext()):
                node["translatable"] = False


class TranslateToctreeCaptions(SphinxTransform):
    """Translate _toc.yml's part captions once sphinx-external-toc has inserted them (priority 100)."""

    default_priority = 101

    def apply(self, **kwargs) -> None:
        if not translating(self.app):
            return
        messages = catalogue(self.app, docname_to_domain(self.env.docname, self.config.gettext_compact))
        for toctree in self.document.findall(addnodes.toctree):
            caption = toctree.get("rawcaption")
            if caption and messages.get(caption):
                toctree.apply_translated_message(caption, messages[caption])


class TranslateSolutionTitles(SphinxTransform):
    """sphinx-exercise titles a solution from a copy of its exercise made before translation: give
    that copy the translated title (right after Sphinx's Locale transform, priority 20)."""

    default_priority = 21

    def apply(self, **kwargs) -> None:
        if not translating(self.app):
            return
        registry = getattr(self.env, "sphinx_exercise_registry", {})
        for node in self.document.findall(_has_title_source):
            entry = registry.get(node.get("label"), {})
            translated = next(node.findall(nodes.subtitle), None)
            kept = next(entry["node"].findall(nodes.subtitle), None) if "node" in entry else None
            if translated is not None and kept is not None:
                kept.children = []
                kept.extend(child.deepcopy() for child in translated.children)


class MarkMessages(SphinxTransform):
    """Give every message of a translated page the class `lbl-message` (and `lbl-untranslated` when
    it has no translation), so tests/test_locales.py can tell the page's prose from what it shares.
    (Sphinx's translation_progress_classes would do it, but its basic.css tints them for readers.)"""

    default_priority = 951

    def apply(self, **kwargs) -> None:
        if not translating(self.app):
            return
        for node in self.document.findall(lambda n: isinstance(n, nodes.Element) and "translated" in n):
            node["classes"].append(MESSAGE_CLASS)
            if not node["translated"]:
                node["classes"].append(UNTRANSLATED_CLASS)


class TranslateCodePrompts(SphinxPostTransform):
    """myst-nb's "Show code cell source" buttons, after HideInputCells (priority 199) made them."""

    default_priority = 200
    formats = ("html",)

    def run(self, **kwargs) -> None:
        if not translating(self.app):
            return
        messages = catalogue(self.app, SITE_DOMAIN)
        for node in self.document.findall(nodes.Element):
            for key in ("prompt_show", "prompt_hide"):
                if isinstance(node.get(key), str) and messages.get(node[key]):
                    node[key] = messages[node[key]]


def _glue_role_in_translations(role_class, *, formatted: bool):
    """A myst-nb glue role that also works inside a translated message (see the module docstring)."""

    class Role(role_class):
        def run(self):
            key = self.text
            if "nb_renderer" not in self.document and "::" not in key:
                env = self.document.settings.env
                page = "/" + str(env.doc2path(env.docname, False))
                if formatted:
                    key, _, fmt = key.partition(":")
                    self.text = f"{page}::{key}:{fmt or 's'}"
                else:
                    self.text = f"{page}::{key}"
            return super().run()

    Role.__name__ = role_class.__name__
    return Role()


def _exercise_with_translatable_title(directive_class):
    """sphinx-exercise's directive, with the source Sphinx needs to extract the optional title."""

    class Directive(directive_class):
        def run(self):
            result = super().run()
            if self.arguments:
                source, line = self.state_machine.get_source_and_line(self.lineno)
                for node in result:
                    node[TITLE_SOURCE] = [self.arguments[0], source, line]
                    for subtitle in node.findall(nodes.subtitle):
                        subtitle.rawsource = self.arguments[0]
                        subtitle.source, subtitle.line = source, line
            return result

    Directive.__name__ = directive_class.__name__
    return Directive


def _extract_exercise_titles(app, doctree, docname) -> None:
    """gettext builder: sphinx-exercise's post-transforms flatten the title before Sphinx extracts
    messages, so the titles recorded by the directive are added to the page's catalogue here."""
    if app.builder.name != "gettext":
        return
    domain = docname_to_domain(docname, app.config.gettext_compact)
    for node in doctree.findall(_has_title_source):
        msgid, source, line = node[TITLE_SOURCE]
        app.builder.catalogs[domain].add(msgid, MsgOrigin(source, line))


def site_messages(config) -> list[str]:
    """The strings the configuration puts on every page, in the order site.pot lists them."""
    messages = [config.html_title, config.author,
                config.html_theme_options.get("search_bar_text", "")]
    for prompt in (config.nb_code_prompt_show, config.nb_code_prompt_hide):
        messages += [prompt.replace("{type}", kind) for kind in _CODE_PROMPT_KINDS]
    messages += list(COPYBUTTON.values())
    return [m for m in messages if m]


def theme_pot() -> Path:
    import pydata_sphinx_theme

    return Path(pydata_sphinx_theme.__file__).parent / "locale" / "sphinx.pot"


def _add_non_page_messages(app) -> None:
    """gettext builder: site.pot from the configuration, sphinx.pot from the theme's own pot."""
    if app.builder.name != "gettext":
        return
    config_file = str(Path(app.srcdir, "_config.yml"))
    for msgid in site_messages(app.config):
        app.builder.catalogs[SITE_DOMAIN].add(msgid, MsgOrigin(config_file, 1))
    with open(theme_pot(), "rb") as f:
        for message in read_po(f):
            if message.id and isinstance(message.id, str):
                line = message.locations[0][1] if message.locations else 0
                app.builder.catalogs[THEME_DOMAIN].add(message.id, MsgOrigin(str(theme_pot()), line))


def _translate_config(app, config) -> None:
    if (config.language or "en") == "en":
        return
    messages = catalogue(app, SITE_DOMAIN)
    config.html_title = messages.get(config.html_title, config.html_title)
    config.author = messages.get(config.author, config.author)
    options = dict(config.html_theme_options)
    if options.get("search_bar_text") in messages:
        options["search_bar_text"] = messages[options["search_bar_text"]]
    config.html_theme_options = options
    # copybutton.js (a classic script, priority 500) picks its language when it loads: add ours
    # to its `messages` and choose it, right after it.
    tooltips = {key: messages.get(text, text) for key, text in COPYBUTTON.items()}
    lang = json.dumps(config.language)
    app.add_js_file(None, priority=501, body=(
        "if (typeof messages !== 'undefined' && !(%s in messages)) { messages[%s] = %s; locale = %s; }"
        % (lang, lang, json.dumps(tooltips, ensure_ascii=False), lang)))


def _forget_message_documents(app, doctree) -> None:
    """Point translated nodes back at their page's document.

    Sphinx parses every translation into a small document of its own and moves its nodes into the
    page; each moved node keeps a reference to that small document, settings and all, so a Korean
    page's pickled doctree was 5-10 times the English one's and slow to load whenever Sphinx reads
    it again (numbered references, the toctree, writing). A node without its own `_document` finds
    the page's through its parent.
    """
    for node in doctree.findall():
        if node.__dict__.get("_document") not in (None, doctree):
            node._document = None


def setup(app):
    app.setup_extension("myst_nb")
    app.setup_extension("sphinx_exercise")
    from myst_nb.ext.glue.roles import PasteMarkdownRole, PasteRoleAny, PasteTextRole
    from sphinx_exercise.directive import ExerciseDirective, ExerciseStartDirective

    for name, role_class, formatted in [("", PasteRoleAny, False), ("any", PasteRoleAny, False),
                                        ("text", PasteTextRole, True), ("md", PasteMarkdownRole, False)]:
        app.add_role_to_domain("glue", name, _glue_role_in_translations(role_class, formatted=formatted),
                               override=True)
    app.add_directive("exercise", _exercise_with_translatable_title(ExerciseDirective), override=True)
    app.add_directive("exercise-start", _exercise_with_translatable_title(ExerciseStartDirective),
                      override=True)
    app.add_transform(GiveTableCellsASource)
    app.add_transform(KeepCodeAndMathShared)
    app.add_transform(TranslateToctreeCaptions)
    app.add_transform(TranslateSolutionTitles)
    app.add_transform(MarkMessages)
    app.add_post_transform(TranslateCodePrompts)
    app.connect("config-inited", _translate_config, priority=950)
    app.connect("builder-inited", _add_non_page_messages)
    app.connect("doctree-resolved", _extract_exercise_titles)
    app.connect("doctree-read", _forget_message_documents)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
