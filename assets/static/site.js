/* Layer by Layer: two small fixes the theme does not make.
   1. A box that scrolls sideways (a display equation or an explorer picture wider than a phone) can
      be scrolled with the keyboard: it is made focusable, as pydata-sphinx-theme does for wide tables
      (WCAG 2.1.1; axe's scrollable-region-focusable).
   2. Search result snippets show formulas as text, not as TeX source.
   Sphinx's search makes each snippet from the text of the result page, where a formula is still its
   TeX source (MathJax typesets it only when the page is shown): "\(\operatorname{softmax}(O)\)".
   Before Sphinx takes the text, each formula becomes readable plain text: "softmax(O)".
   tests/test_site.py (test_search_snippets_have_no_tex) checks it. */
(function () {
  "use strict";
  var SYMBOLS = {
    alpha: "α", beta: "β", gamma: "γ", delta: "δ", Delta: "Δ", epsilon: "ε", varepsilon: "ε", eta: "η",
    theta: "θ", Theta: "Θ", lambda: "λ", mu: "μ", pi: "π", sigma: "σ", Sigma: "Σ", tau: "τ", phi: "φ",
    Omega: "Ω", omega: "ω", ell: "ℓ", partial: "∂", nabla: "∇", times: "×", cdot: "·", odot: "⊙",
    circ: "∘", le: "≤", leq: "≤", ge: "≥", geq: "≥", ne: "≠", neq: "≠", approx: "≈", sim: "∼", pm: "±",
    infty: "∞", to: "→", rightarrow: "→", leftarrow: "←", mapsto: "↦", in: "∈", sum: "Σ", prod: "Π",
    top: "ᵀ", dots: "…", ldots: "…", cdots: "⋯", vdots: "⋮", lVert: "‖", rVert: "‖", Vert: "‖", mid: "|",
    quad: " ", qquad: "  "
  };

  /** Plain text for a TeX formula: "\frac{a}{b}" -> "a/b", "\sigma" -> "σ", braces and markup dropped. */
  function texToText(tex) {
    var s = tex.replace(/^\s*\\[(\[]|\\[)\]]\s*$/g, "");
    s = s.replace(/\\(?:begin|end)\{[^}]*\}/g, " ").replace(/\\\\/g, "; ").replace(/&/g, "");
    for (var i = 0; i < 3; i++) {      // nested fractions, from the inside out
      s = s.replace(/\\[dt]?frac\{([^{}]*)\}\{([^{}]*)\}/g, "($1)/($2)");
    }
    s = s.replace(/\\mathbb\{R\}/g, "ℝ");
    s = s.replace(/\\(?:mathbf|mathrm|mathit|boldsymbol|operatorname|text|textstyle|hat|bar|tilde)\b/g, "");
    s = s.replace(/\\(?:left|right|big|Big|bigg|Bigg)\b/g, "");
    s = s.replace(/\\([A-Za-z]+)/g, function (_, name) { return name in SYMBOLS ? SYMBOLS[name] : name; });
    s = s.replace(/\\[,;:! ]/g, " ").replace(/\\([{}_%$#|])/g, "$1").replace(/[{}]/g, "");
    return s.replace(/\s+/g, " ").trim();
  }

  function plainMath(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    doc.querySelectorAll(".math").forEach(function (el) { el.textContent = " " + texToText(el.textContent) + " "; });
    return doc.documentElement.outerHTML;
  }

  window.layerwiseTexToText = texToText;

  var SCROLLERS = "div.math mjx-container";
  function markScrollable() {
    document.querySelectorAll(SCROLLERS).forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1) {
        el.tabIndex = 0;
      } else if (el.getAttribute("tabindex") === "0") {
        el.removeAttribute("tabindex");
      }
    });
  }
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(markScrollable, 200);
  });
  window.addEventListener("load", function () {
    var typeset = window.MathJax && MathJax.startup && MathJax.startup.promise;
    (typeset || Promise.resolve()).then(markScrollable);
  });

  if (typeof Search !== "undefined" && typeof Search.htmlToText === "function") {   // a const: not window.Search
    var htmlToText = Search.htmlToText;
    Search.htmlToText = function (html, anchor) { return htmlToText(plainMath(html), anchor); };
  }
})();
