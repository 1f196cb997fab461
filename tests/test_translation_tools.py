"""The helpers of the Korean edition's extensions: what counts as prose, and Korean search stemming.

tools/translation.py leaves paragraphs without English prose (math, code, bare references, the
note's Korean terms) out of the catalogues; tools/korean_search.py strips one particle from a Hangul word for the search index.
The JavaScript twin of strip_particle runs in tests/test_site.py (Korean search in Chromium).
"""
import sys

import pytest

from site_server import ROOT

sys.path.insert(0, str(ROOT / "tools"))

from korean_search import SearchKorean, strip_particle  # noqa: E402
from translation import has_prose  # noqa: E402


@pytest.mark.parametrize("source", ["$x$", "`relu(Z)`", "—", "{doc}`activations`", "$(n, d)$",
                                    "`W`, `params[l-1][0]`", "{doc}`softmax`; {doc}`backpropagation`",
                                    "{glue:text}`deep_better`", "$$\\sigma(z)$$", "가중치 행렬",
                                    "데이터 $\\mathbf{x}_i$", "역전파 (알고리즘)"])
def test_no_prose(source):
    assert not has_prose(source)


@pytest.mark.parametrize("source", ["number of examples", "`relu(Z)` keeps the shape of `Z`", "(fan_out,)",
                                    "{doc}`network explorer <chapters/explorer>`", "scalar", "목적함수 in the note"])
def test_prose(source):
    assert has_prose(source)


@pytest.mark.parametrize("word,stem", [
    ("역전파는", "역전파"), ("역전파를", "역전파"), ("역전파", "역전파"), ("편향이", "편향"), ("층에서는", "층에서"),
    ("은닉층에서는", "은닉층"), ("소프트맥스의", "소프트맥스"), ("relu는", "relu"),
    ("결과", "결과"), ("결과는", "결과"), ("정도", "정도"), ("가중치", "가중치"), ("미니배치로", "미니배치"),
])
def test_strip_particle(word, stem):
    """The longest particle that leaves two syllables goes (결과 and 정도 are nouns, kept whole)."""
    assert strip_particle(word) == stem


def test_korean_search_stems_english_words_too():
    lang = SearchKorean({})
    assert lang.stem("Gradients") == lang.english.stem("gradients") == "gradient"
    assert lang.stem("기울기가") == "기울기"


def test_edition_urls_stay_on_the_same_page():
    """The switch and hreflang links go from a page to the same page of the other edition."""
    from editions import alternate_links, edition_url

    assert edition_url("chapters/softmax", "en", "ko") == "../ko/chapters/softmax.html"
    assert edition_url("chapters/softmax", "ko", "en") == "../../chapters/softmax.html"
    assert edition_url("intro", "ko", "en") == "../intro.html"
    assert edition_url("intro", "en", "en") == "intro.html"
    links = alternate_links("intro", "en", baseurl="https://example.org/book/")
    assert 'hreflang="ko" href="https://example.org/book/ko/intro.html"' in links
    assert 'hreflang="x-default" href="https://example.org/book/intro.html"' in links
