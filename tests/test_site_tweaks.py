"""tools/site_tweaks.py: the icon-font subset and the palette figures, on small made-up sites."""
import sys
from pathlib import Path

import numpy as np
from PIL import Image, PngImagePlugin

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import site_tweaks  # noqa: E402


def make_site(tmp_path, html, css):
    (tmp_path / "_static" / "styles").mkdir(parents=True)
    (tmp_path / "_static" / "styles" / "theme.css").write_text(css, encoding="utf-8")
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    return tmp_path


def test_icon_codepoints_are_the_used_classes_and_the_css_icons(tmp_path):
    css = ('.fa-bars:before{content:"\\f0c9"}.fa-moon:before{content:"\\f186"}.fa-unused:before{content:"\\f000"}'
           ':root{--pst-icon-info-circle:"\uf05a"}.onthispage:after{content:"\\f107";font-family:x}')
    site = make_site(tmp_path, '<i class="fa-solid fa-bars"></i><span class="fa fa-moon"></span>', css)
    assert site_tweaks.icon_codepoints(site) == {0xF0C9, 0xF186, 0xF05A, 0xF107}


def test_icon_fonts_are_subset_to_those_glyphs(tmp_path):
    from fontTools.ttLib import TTFont

    import pydata_sphinx_theme

    source = (Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / "vendor"
              / "fontawesome" / "webfonts")
    site = make_site(tmp_path, '<i class="fa-solid fa-bars"></i><i class="fab fa-github"></i>',
                     '.fa-bars:before{content:"\\f0c9"}.fa-github:before{content:"\\f09b"}')
    target = site / "_static" / "vendor" / "fontawesome" / "webfonts"
    target.mkdir(parents=True)
    for name in site_tweaks.ICON_FONTS:
        (target / f"{name}.ttf").write_bytes((source / f"{name}.ttf").read_bytes())
    counts = site_tweaks.subset_icon_fonts(site)
    assert counts == {"fa-solid-900": 1, "fa-regular-400": 0, "fa-brands-400": 1}
    solid = site / "_static" / site_tweaks.ICON_DIR / "fa-solid-900.woff"
    assert solid.stat().st_size < 10_000
    assert 0xF0C9 in TTFont(solid).getBestCmap()


def test_palette_pngs_keep_text_chunks_and_shrink(tmp_path):
    x = np.linspace(0, 1, 400)
    pixels = (np.stack([np.outer(x, x), np.outer(x, 1 - x), np.outer(1 - x, x)], axis=-1) * 255).astype("uint8")
    info = PngImagePlugin.PngInfo()
    info.add_text("layerwise:text", '{"min_pt": 9}')
    path = tmp_path / "fig.png"
    Image.fromarray(pixels).save(path, pnginfo=info)
    before = path.stat().st_size
    site_tweaks.palette_pngs(tmp_path)
    with Image.open(path) as im:
        assert im.mode == "P" and im.text["layerwise:text"] == '{"min_pt": 9}'
    assert path.stat().st_size < before
    see_through = tmp_path / "alpha.png"
    Image.new("RGBA", (20, 20), (0, 0, 0, 0)).save(see_through)
    site_tweaks.palette_pngs(tmp_path)
    assert Image.open(see_through).mode == "RGBA", "transparent images are left alone"


def test_fontawesome_script_is_dropped_from_the_theme_macro():
    html = ('<script defer src="../_static/scripts/fontawesome.js?digest=abc"></script>\n'
            '<link rel="preload" as="script" href="../_static/scripts/bootstrap.js?digest=abc" />')
    out = site_tweaks.without_fontawesome_js(html)
    assert "fontawesome" not in out and "bootstrap.js" in out


def test_first_sentence_of_a_caption():
    assert site_tweaks._first_sentence("The linear model as a map.  Each line\n is one weight.") == \
        "The linear model as a map."
    assert site_tweaks._first_sentence("No full stop") == "No full stop"



def test_unused_icon_rules_are_pruned_and_used_ones_kept(tmp_path):
    css = ('@charset "UTF-8";.fa-bars:before{content:"\\f0c9"}.fa-moon:before,.fa-unused:before{content:"\\f186"}'
           '.fa-unused:before{content:"\\f000"}@media (min-width:1px){.fa-gone:after{content:"\\f001"}}'
           '.onthispage:after{content:"\\f107"}.fa-solid{font-weight:900}')
    site = make_site(tmp_path, '<i class="fa-solid fa-bars"></i><span class="fa fa-moon"></span>', css)
    saved = site_tweaks.prune_icon_rules(site)
    pruned = (site / "_static" / "styles" / "theme.css").read_text(encoding="utf-8")
    assert pruned == ('@charset "UTF-8";.fa-bars:before{content:"\\f0c9"}.fa-moon:before{content:"\\f186"}'
                      '@media (min-width:1px){}.onthispage:after{content:"\\f107"}.fa-solid{font-weight:900}')
    assert saved == len(css) - len(pruned)
    assert site_tweaks.icon_codepoints(site) == {0xF0C9, 0xF186, 0xF107}     # nothing the pages draw is lost
