"""How large a figure's text is, written into the PNG a notebook shows (book: every chapter's figures).

The website's figures must stay legible: tests/test_site.py reads, from each figure's PNG, the
smallest font size drawn and the dpi it was saved at, and with the width the browser gives the
image computes the smallest text in CSS pixels (font size in pt × dpi / 72 × displayed width /
the PNG's width). The record is a PNG text chunk named `KEY`, holding `text_record(fig)` as JSON.

`install()` makes IPython's PNG display of matplotlib figures (the inline backend's formatter)
write that chunk. chapters/matplotlibrc names it as a matplotlib figure hook (`HOOK`), so every
pyplot figure a chapter shows carries the record. Figures drawn without pyplot (the explorer) add
it themselves (`png_text(fig)`).
"""

import binascii
import contextlib
import json
import struct
import zlib

KEY = "layerwise:text"
HOOK = "layerwise.plots.legibility:install"


@contextlib.contextmanager
def noting_text_sizes(sizes):
    """While open, every non-blank text that Agg draws appends its size (pt) to the list `sizes`.

    Lets the one drawing that saves a figure also measure its text, instead of a second drawing.
    """
    from matplotlib.backends.backend_agg import RendererAgg

    draw_text = RendererAgg.draw_text

    def noting_draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if str(s).strip():
            sizes.append(float(prop.get_size_in_points()))
        return draw_text(self, gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

    RendererAgg.draw_text = noting_draw_text
    try:
        yield sizes
    finally:
        RendererAgg.draw_text = draw_text


def colour_only_legends(figure):
    """Titles (or "axes <i>") of axes whose legend tells two lines apart by colour alone.

    Two legend entries that are lines with the same line style and the same marker differ only in
    colour, which a reader with a colour-vision deficiency, or a grey-scale print, cannot tell.
    """
    from matplotlib.lines import Line2D

    legends = [(ax.get_title() or f"axes {i}", ax.get_legend()) for i, ax in enumerate(figure.axes)]
    legends += [("figure legend", legend) for legend in figure.legends]
    found = []
    for name, legend in legends:
        if legend is None:
            continue
        looks = [(h.get_linestyle(), str(h.get_marker())) for h in legend.legend_handles
                 if isinstance(h, Line2D) and h.get_visible()]
        if len(looks) != len(set(looks)):
            found.append(name)
    return found


def text_record(figure):
    """What tests/test_site.py needs to judge a figure's text: a dict, JSON-ready.

    dpi: the dots per inch the figure is saved at; min_pt: the smallest font size (points) of the
    texts drawn (None when there is none; mathtext counts at its base size); texts: how many;
    colour_only: `colour_only_legends(figure)`. Draws the figure once, off screen.
    """
    from matplotlib.backends.backend_agg import RendererAgg

    w, h = figure.bbox.size
    with noting_text_sizes([]) as sizes:
        figure.draw(RendererAgg(int(w), int(h), figure.dpi))
    return _record(figure, sizes)


def _record(figure, sizes):
    return {"dpi": float(figure.dpi), "min_pt": min(sizes) if sizes else None, "texts": len(sizes),
            "colour_only": colour_only_legends(figure)}


def png_chunk(kind, data):
    """One PNG chunk: data's length, the 4-byte kind (b"IHDR", b"tEXt", ...), data, and their CRC."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def text_chunk(key, value):
    """A PNG tEXt chunk holding key=value (Latin-1 text)."""
    return png_chunk(b"tEXt", key.encode("latin-1") + b"\0" + value.encode("latin-1"))


def with_png_text(png, key, value):
    """PNG bytes `png` with a tEXt chunk key=value added after its header chunk (IHDR: bytes 8-33)."""
    return png[:33] + text_chunk(key, value) + png[33:]


def png_text(figure):
    """{KEY: JSON of text_record(figure)}: the text chunks to save with a PNG of the figure."""
    return {KEY: json.dumps(text_record(figure), separators=(",", ":"))}


def install(figure=None):
    """Make IPython's PNG display of matplotlib figures carry `png_text`. No-op outside IPython.

    Wraps the PNG formatter that the inline backend registers (keeping its options); a figure hook
    (`figure` is the new figure, unused), so it runs after the backend has registered its own.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    from matplotlib.figure import Figure

    png = shell.display_formatter.formatters["image/png"]
    try:
        printer = png.lookup_by_type(Figure)
    except KeyError:
        return
    if getattr(printer, "records_text", False):
        return

    def print_png_with_text_record(fig, **kwargs):
        # The record comes from the drawing that makes the PNG, and is added to it afterwards.
        with noting_text_sizes([]) as sizes:
            data = printer(fig, **kwargs)              # base64 text, as the inline backend asks
        if data is None:                               # an empty figure shows nothing
            return data
        record = json.dumps(_record(fig, sizes), separators=(",", ":"))
        png = with_png_text(binascii.a2b_base64(data) if isinstance(data, str) else data, KEY, record)
        return binascii.b2a_base64(png, newline=False).decode("ascii") if isinstance(data, str) else png

    print_png_with_text_record.records_text = True
    png.for_type(Figure, print_png_with_text_record)
