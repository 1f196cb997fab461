"""The chapters highlight lines of the package's code by number (`:emphasize-lines:` of a
`literalinclude` with `:pyobject:`). When the code changes, the numbers must follow: each
highlighted line must still be the line the chapter's text talks about."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# (chapter, file, pyobject) -> {line of the object's source: text that line must contain}
EXPECTED = {
    ("backpropagation", "losses.py", "softmax_cross_entropy"): {
        13: "dO = np.exp(logP)", 14: "dO[rows, y] -= 1", 15: "dO /= n"},
    ("backpropagation", "layers.py", "linear_backward"): {
        12: "dH = dZ @ W.T", 13: "dW = H.T @ dZ", 14: "db = dZ.sum(axis=0)"},
    ("backpropagation", "network.py", "backward"): {
        13: "dZ = dH", 16: "dZ = f_grad(cache.Z)", 17: "dZ *= dH", 19: "linear_backward(dZ"},
    ("backpropagation_cost", "gradcheck.py", "numerical_gradient"): {
        13: "f_plus = float(f(x))", 15: "f_minus = float(f(x))"},
    ("backpropagation_cost", "checkpoint.py", "backward_checkpointed"): {
        16: "forward(params[s - 1:end]", 29: "backward(dH, caches", 31: "dH = first[\"dZ\"] @"},
    ("forward_propagation", "network.py", "forward"): {
        12: "linear_forward(H, W, b)", 15: "return Z, caches", 16: "H = f(Z)"},
    ("explorer", "explorer_model.py", "ExplorerModel._stats"): {
        6: "forward(self.params", 7: "cache.linear[0] for cache in caches[1:]", 10: "def keep(l, dZ, dW, db)",
        11: "dZs[l] = dZ", 12: "norms[l] =", 15: "softmax_cross_entropy(O", 16: "backward(dO, caches, on_layer=keep)"},
}

BLOCK = re.compile(r"```\{literalinclude\} \.\./code/layerwise/(\S+)\n((?::[\w-]+:.*\n)+)```")


def _highlighted_blocks():
    for chapter in sorted((ROOT / "chapters").glob("*.md")):
        for file, options in BLOCK.findall(chapter.read_text(encoding="utf-8")):
            opts = dict(re.findall(r":([\w-]+):[ \t]*(.*)", options))
            if "emphasize-lines" in opts and "pyobject" in opts:
                yield chapter.stem, file, opts["pyobject"], opts["emphasize-lines"]


def _lines(spec):
    out = set()
    for part in spec.split(","):
        lo, _, hi = part.strip().partition("-")
        out.update(range(int(lo), int(hi or lo) + 1))
    return out


def _object_source(file, pyobject):
    """Lines of the named function or method, as `literalinclude :pyobject:` cuts them."""
    source = (ROOT / "code" / "layerwise" / file).read_text(encoding="utf-8")
    node = ast.parse(source)
    for name in pyobject.split("."):
        node = next(n for n in ast.iter_child_nodes(node)
                    if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and n.name == name)
    return source.splitlines()[node.lineno - 1:node.end_lineno]


def test_every_highlighted_include_is_checked_here():
    found = {(c, f, o) for c, f, o, _ in _highlighted_blocks()}
    assert found == set(EXPECTED), "a chapter highlights code lines that this test does not check"


@pytest.mark.parametrize("chapter,file,pyobject,spec", list(_highlighted_blocks()))
def test_highlighted_lines_are_the_ones_the_text_means(chapter, file, pyobject, spec):
    expected = EXPECTED[(chapter, file, pyobject)]
    assert _lines(spec) == set(expected), f"{chapter}: {file}:{pyobject} highlights {spec}"
    lines = _object_source(file, pyobject)
    for number, text in expected.items():
        assert text in lines[number - 1], f"{chapter}: line {number} of {pyobject} is {lines[number - 1]!r}"
