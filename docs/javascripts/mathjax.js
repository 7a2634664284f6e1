// Equations: lesson pages load MathJax 2.7 themselves (mkdocs-jupyter's notebook template).
// Markdown pages (home, notation) get the same MathJax here, reading the \( \) and \[ \]
// that pymdownx.arithmatex writes; it is loaded from a CDN when the page is viewed
// (the build itself needs no network).
(function () {
  if (window.MathJax || !document.querySelector(".arithmatex")) return;
  window.MathJax = {
    tex2jax: { inlineMath: [["\\(", "\\)"]], displayMath: [["\\[", "\\]"]],
               processEscapes: true, processEnvironments: true,
               ignoreClass: ".*", processClass: "arithmatex" },
    messageStyle: "none",
    "HTML-CSS": { linebreaks: { automatic: true } },
    CommonHTML: { linebreaks: { automatic: true } },
  };
  var script = document.createElement("script");
  script.src = "https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/MathJax.js?config=TeX-AMS_CHTML";
  document.head.appendChild(script);
})();
