"""layerwise.plots.legibility: the text-size record every chapter figure carries to the website tests."""
import base64
import io
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from layerwise.plots import CLASS_MARKERS, plot_dataset  # noqa: E402
from layerwise.plots.legibility import HOOK, KEY, colour_only_legends, install, text_record  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def fig():
    f, ax = plt.subplots(figsize=(4, 3), dpi=100)
    yield f
    plt.close(f)


def test_record_has_the_smallest_text_drawn(fig):
    ax = fig.axes[0]
    ax.plot([0, 1], [0, 1])
    ax.tick_params(labelsize=8.5)
    ax.set_title("title", fontsize=12)
    ax.text(0.5, 0.5, "hidden", fontsize=3, visible=False)        # not drawn: does not count
    ax.text(0.5, 0.2, "   ", fontsize=2)                            # blank: does not count
    record = text_record(fig)
    assert record["dpi"] == 100 and record["min_pt"] == 8.5
    ax.set_xlabel("small", fontsize=6)
    assert text_record(fig)["min_pt"] == 6


def test_record_of_a_figure_without_text(fig):
    ax = fig.axes[0]
    ax.imshow(np.eye(3))
    ax.axis("off")
    assert text_record(fig)["min_pt"] is None and text_record(fig)["texts"] == 0


def test_colour_only_legends(fig):
    ax = fig.axes[0]
    ax.plot([0, 1], label="a")
    ax.plot([1, 0], label="b")
    ax.set_title("same style")
    ax.legend()
    assert colour_only_legends(fig) == ["same style"]
    ax.lines[1].set_linestyle("--")
    ax.legend()                                  # the legend copies the lines' looks when made
    assert colour_only_legends(fig) == []


def test_classes_get_a_marker_each(fig):
    ax = fig.axes[0]
    X = np.random.default_rng(0).normal(size=(30, 2))
    y = np.arange(30) % 3
    points = plot_dataset(ax, X, y)
    assert len(points) == 3
    paths = [p.get_paths()[0].vertices.round(6).tobytes() for p in points]
    assert len(set(paths)) == 3, "each class needs its own marker shape"
    assert [len(p.get_offsets()) for p in points] == [10, 10, 10]
    assert len(CLASS_MARKERS) >= 5


def test_install_adds_the_record_to_the_notebook_png(fig):
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.core.pylabtools import select_figure_formats
    from matplotlib.figure import Figure

    shell = InteractiveShell.instance()
    try:
        select_figure_formats(shell, {"png"})            # what the inline backend registers
        install()
        install()                                        # a second figure hook call changes nothing
        printer = shell.display_formatter.formatters["image/png"].lookup_by_type(Figure)
        assert getattr(printer, "records_text", False)
        ax = fig.axes[0]
        ax.set_title("t", fontsize=7)
        ax.plot([0, 1], [0, 1], label="$\\sigma(z)$")
        ax.plot([1, 0], label="b")
        ax.legend(fontsize=8)
        ax.set_xlabel("z", fontsize=11)
        data, _ = shell.display_formatter.format(fig)
        png = data["image/png"]
        png = base64.b64decode(png) if isinstance(png, str) else png
        with Image.open(io.BytesIO(png)) as im:
            im.load()                                    # the chunk added after the header keeps a valid PNG
            record = json.loads(im.text[KEY])
            assert im.size[0] > 100
        assert record["min_pt"] == 7 and record["dpi"] == fig.dpi
        # Noted while the PNG itself was drawn: the same texts as a drawing of its own finds.
        assert record == text_record(fig) and record["texts"] >= 10 and record["colour_only"] == [ax.get_title()]
        empty = plt.figure()
        assert shell.display_formatter.format(empty)[0].get("image/png") is None
        plt.close(empty)
    finally:
        InteractiveShell.clear_instance()


def test_chapters_matplotlibrc_installs_the_hook():
    """Matplotlib reads chapters/matplotlibrc when a chapter runs (its working directory is chapters/)."""
    params = matplotlib.rc_params_from_file(ROOT / "chapters" / "matplotlibrc", use_default_template=False)
    assert HOOK in params["figure.hooks"]
    module, name = HOOK.split(":")
    assert module == "layerwise.plots.legibility" and name == install.__name__
