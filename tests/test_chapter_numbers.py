"""A chapter's prose must not state a measured number by hand: such numbers come from the run
(myst-nb `glue`, pasted with {glue:text}) or sit in math or code, next to an `assert` in a cell.

The check reads the prose of every chapter — Markdown outside code cells, code blocks and math, plus
the figure captions in the code cells' metadata — and flags what a hand-typed result of a run looks
like: a percentage, a factor such as "1.2×" or "3 times", an approximate quantity ("about 97",
"≈ 0.29", "~10"), a decimal number, or a number in scientific notation. What is not a claim of a run
passes by construction: equation numbers and cross-references (roles), years and plain integers
(citations, sizes, settings), shapes such as 8×8 or 256×784, numbers in math ($...$) and in code.
ALLOWED lists the few remaining exceptions, each with the reason it is not a measurement.
"""

import re
from pathlib import Path

import pytest

CHAPTERS = sorted((Path(__file__).resolve().parents[1] / "chapters").glob("*.md"))

# Things in prose that look like claims but are not results of a run.
ALLOWED = [
    (re.compile(r"arXiv:\d{4}\.\d{4,5}"), "an arXiv identifier of a cited paper"),
]

CLAIM = re.compile(r"""
      \d+(?:[.,]\d+)?\s?%                                   # a percentage: 97%, 5–8 %
    | \d+(?:\.\d+)?\s?per\s(?:cent|mille)\b
    | \d(?:\.\d+)?\s?×(?!\s?\d)                             # a factor: 1.2×, 2× (not a shape like 8×8)
    | \d(?:\.\d+)?\s*times\b                                # 3 times, 2.5 times
    | \b(?:about|around|roughly|approximately|nearly|almost|some)\s+\d   # about 97, around 95
    | [≈~]\s?\d                                             # ≈ 0.29, ~10
    | \d(?:\.\d+)?e[-+]?\d+\b                               # 1e-7, 2.5e+04
    | (?<![\w.])\d+\.\d+(?!\w|\.\d)                        # a decimal: 0.342, 2.3 (not a version, 1.0.4)
""", re.VERBOSE)

FENCE = re.compile(r"^(`{3,}|~{3,})\s*(.*)$")
PROSE_DIRECTIVES = re.compile(r"\{(admonition|note|tip|important|warning|exercise|solution|solution-start|"
                              r"solution-end|dropdown)\}")
INLINE = [re.compile(p, re.S) for p in (
    r"\{[\w:-]+\}`[^`]*`",                 # roles: {glue:text}`key`, {eq}`label`, {doc}`page`, {ref}`...`
    r"``.*?``", r"`[^`\n]*`",              # inline code
    r"\$\$.*?\$\$", r"(?<!\\)\$(?!\s).*?(?<![\s\\])\$",   # inline math, which may run over a line break
)]


def prose(text):
    """The prose of a MyST chapter as (line number, text) pairs, figure captions included."""
    lines = text.splitlines()
    start = lines.index("---", 1) + 1 if lines and lines[0] == "---" else 0
    out, fences, in_math = [], [], False
    caption_indent = None
    for number, line in enumerate(lines[start:], start=start + 1):
        stripped = line.strip()
        fence = FENCE.match(stripped)
        if fence and fences and fence.group(1) == fences[-1][0] and not fence.group(2):
            fences.pop()
            caption_indent = None
            continue
        if fence and fence.group(1).startswith("`") and (not fences or fences[-1][1] == "prose"):
            kind = ("prose" if PROSE_DIRECTIVES.match(fence.group(2)) else
                    "cell" if fence.group(2).startswith("{code-cell}") else "code")
            fences.append((fence.group(1), kind))
            if kind == "prose":                               # an admonition's title is prose too
                out.append((number, PROSE_DIRECTIVES.sub("", fence.group(2), count=1)))
            continue
        if fences and fences[-1][1] == "cell":            # only the caption of a code cell is prose
            indent = len(line) - len(line.lstrip())
            if caption_indent is not None and stripped and indent >= caption_indent:
                out.append((number, stripped))
                continue
            caption_indent = None
            if re.match(r"caption:\s*\|", stripped):
                caption_indent = indent + 1
            continue
        if fences and fences[-1][1] == "code":
            continue
        if stripped == "$$":
            in_math = not in_math
            continue
        if in_math or re.match(r":[\w-]+:", stripped) or re.match(r"\(.+\)=$", stripped) or stripped == "+++":
            continue
        out.append((number, line))
    return out


def claims(text):
    """Every hand-typed number in the prose of `text` that looks like a result: [(line, match, line text)]."""
    pairs = prose(text)
    joined = "\n".join(line for _, line in pairs)
    for pattern in INLINE:                                # keep the line breaks, so line numbers survive
        joined = pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), joined)
    for pattern, _ in ALLOWED:
        joined = pattern.sub(lambda m: " " * len(m.group(0)), joined)
    found = []
    for (number, original), line in zip(pairs, joined.split("\n")):
        found += [(number, m.group(0), original.strip()) for m in CLAIM.finditer(line)]
    return found


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.stem for c in CHAPTERS])
def test_no_hand_typed_result_in_the_prose(chapter):
    found = claims(chapter.read_text(encoding="utf-8"))
    assert not found, (f"{chapter.name} states numbers by hand; take them from the run with glue, or move a "
                       "derivation into math beside an assert:\n" + "\n".join(f"  line {n}: {m!r} in: {t}"
                                                                              for n, m, t in found))


PLANTED = '''---
kernelspec:
  name: python3
---

# A chapter

The network reaches about 97 accuracy, 96.9% on the test set, and trains 1.2× faster, 3 times
faster than before; its loss ends at 0.342 (≈ 0.34), the error below 1e-7. Guessing gives 2.3.

```{code-cell} ipython3
---
mystnb:
  figure:
    caption: |
      Loss per epoch; the validation accuracy levels off around 95 after 12 epochs.
---
print(0.342, "97%")
```

```{admonition} A box, 3.5 times better
:class: note
Within 2 per cent, as measured.
```
'''

ALLOWED_FORMS = '''# A chapter

It reaches {glue:text}`acc` (glued), $\\approx 0.29$ in math, `lr=0.1` in code, images of 8×8 and
products of 256×784 by 784×512, Telgarsky 2016 (arXiv:1602.04485), equation {eq}`eq-x` and a
math expression that runs over a line break, $0.642 \\cdot
1.0$, with 20 layers and 5 seeds.

```{math}
:label: eq-x
\\ell = 0.69
```

```python
x = 0.5
```
'''


def test_planted_hand_typed_numbers_are_caught():
    found = [(n, m) for n, m, _ in claims(PLANTED)]
    assert found == [(8, "about 9"), (8, "96.9%"), (8, "1.2×"), (8, "3 times"), (9, "0.342"), (9, "≈ 0"),
                     (9, "1e-7"), (9, "2.3"), (16, "around 9"), (21, "3.5 times"), (23, "2 per cent")]


def test_what_is_not_a_result_passes():
    assert claims(ALLOWED_FORMS) == []


def test_every_allowance_is_used():
    """An entry of ALLOWED that no chapter needs any more is removed, so the list stays small."""
    text = "\n".join(chapter.read_text(encoding="utf-8") for chapter in CHAPTERS)
    for pattern, reason in ALLOWED:
        assert pattern.search(text), f"ALLOWED entry for {reason!r} matches no chapter"
