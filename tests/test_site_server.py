"""Tests of the browser tests' helpers: the page list read from a _toc.yml, the editions' page paths,
and the local server."""
import urllib.request

from site_server import SiteServer, edition_pages, split_edition, toc_pages


def test_toc_pages_in_reading_order(tmp_path):
    toc = tmp_path / "_toc.yml"
    toc.write_text(
        "format: jb-book\n"
        "root: intro\n"
        "parts:\n"
        "  - caption: Before we start\n"
        "    chapters:\n"
        "      - file: chapters/notation\n"
        "      - file: chapters/glossary.md\n"
        "  - caption: Part I\n"
        "    chapters:\n"
        "      - file: chapters/linear_model\n"
        "        sections:\n"
        "          - file: chapters/linear_model_more.ipynb\n"
        "      - url: https://example.org\n"
        "        title: not a page of the site\n")
    assert toc_pages(toc) == ["intro", "chapters/notation", "chapters/glossary",
                              "chapters/linear_model", "chapters/linear_model_more"]


def test_site_server_serves_the_folder_on_loopback(tmp_path):
    (tmp_path / "index.html").write_text("<p>hello</p>")
    with SiteServer(tmp_path) as server:
        assert server.url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(server.url + "index.html", timeout=5) as r:
            assert r.read() == b"<p>hello</p>"


def test_edition_pages_english_at_the_root_korean_under_ko():
    assert edition_pages(["intro", "chapters/softmax"]) == [
        "intro", "chapters/softmax", "ko/intro", "ko/chapters/softmax"]
    assert split_edition("ko/chapters/softmax") == ("ko/", "chapters/softmax")
    assert split_edition("chapters/softmax") == ("", "chapters/softmax")
