"""Sphinx extension: a Korean language for the built-in search (html_search_language = "ko").

Sphinx 7.4 has no Korean search language; for "ko" it falls back to English, which indexes every
Korean word with its particle attached: 역전파는, 역전파를, 편향이 are three different words, and a
search for 편향 finds none of them. Korean writes particles (조사) straight after the noun, so
this language strips one trailing particle from a Hangul word, in the index (Python) and in the
reader's query (JavaScript) alike: 역전파는 -> 역전파, 편향이 -> 편향, 결과는 -> 결과. The
longest particle that leaves at least two syllables is stripped, so short nouns that end like a
particle (결과, 정도, 사이) stay whole. Latin words
go through Sphinx's English Porter stemmer, as on the English pages.

tests/test_korean_search.py checks the Python side; tests/test_site.py searches the Korean
edition in Chromium, which runs the JavaScript side.
"""
from __future__ import annotations

import re

from sphinx.search import SearchLanguage
from sphinx.search.en import SearchEnglish

# Longest first: 에서는 before 에서 before 에, so one strip removes the whole particle.
PARTICLES = sorted("""
에서부터 으로부터 에서는 에서도 에서의 으로는 으로도 으로서 으로써 에게는 까지는 부터는 이라는 이라고
에서 에게 에는 에도 에의 으로 로는 로도 로서 로써 까지 부터 보다 처럼 마다 와는 과는 와의 과의
이나 이란 이고 이며 이다 라는 라고 만큼 밖에
은 는 이 가 을 를 의 에 로 와 과 도 만
""".split(), key=len, reverse=True)
HANGUL = re.compile(r"[\uac00-\ud7a3]")
MIN_SYLLABLES = 2


def strip_particle(word: str) -> str:
    """`word` without one trailing Korean particle, if at least two syllables remain."""
    if not word or not HANGUL.match(word[-1]):
        return word
    for particle in PARTICLES:
        stem = word[: -len(particle)]
        if word.endswith(particle) and stem and (len(stem) >= MIN_SYLLABLES or not HANGUL.search(stem)):
            return stem
    return word


JS_STEMMER = SearchEnglish.js_stemmer_code.replace("var Stemmer = function", "var PorterStemmer = function", 1) + """
/**
 * Korean: strip one trailing particle from a Hangul word (tools/korean_search.py, strip_particle);
 * Latin words: the English Porter stemmer.
 */
var Stemmer = function() {
  var porter = new PorterStemmer();
  var particles = %(particles)s;
  var hangul = /[\\uac00-\\ud7a3]/;
  var minSyllables = %(min)d;
  this.stemWord = function(w) {
    if (w && hangul.test(w.charAt(w.length - 1))) {
      for (var i = 0; i < particles.length; i++) {
        var p = particles[i];
        var stem = w.slice(0, w.length - p.length);
        if (w.length > p.length && w.slice(-p.length) === p &&
            (stem.length >= minSyllables || !hangul.test(stem))) {
          return stem;
        }
      }
      return w;
    }
    return hangul.test(w) ? w : porter.stemWord(w);
  };
};
""" % {"particles": "[" + ", ".join(f'"{p}"' for p in PARTICLES) + "]", "min": MIN_SYLLABLES}


class SearchKorean(SearchLanguage):
    lang = "ko"
    language_name = "Korean"
    stopwords = SearchEnglish.stopwords       # for the English words on Korean pages
    js_stemmer_code = JS_STEMMER

    def init(self, options: dict[str, str]) -> None:
        self.english = SearchEnglish(options)

    def stem(self, word: str) -> str:
        word = word.lower()
        if HANGUL.search(word):
            return strip_particle(word)
        return self.english.stem(word)


def setup(app):
    app.add_search_language(SearchKorean)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
