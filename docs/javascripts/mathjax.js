// Equations on the Markdown pages (home, notation, API reference): pymdownx.arithmatex
// writes them as \( \) and \[ \]; this loads the MathJax that the site carries (vendor/mathjax,
// the same one the lesson pages load themselves), so no network is needed to read them.
(function () {
  if (window.MathJax || !document.querySelector(".arithmatex")) return;
  var root = new URL("../vendor/mathjax/", document.currentScript.src);
  window.MathJax = {
    tex2jax: {
      inlineMath: [["\\(", "\\)"]], displayMath: [["\\[", "\\]"]],
      processEscapes: true, processEnvironments: true,
      ignoreClass: ".*", processClass: "arithmatex",
    },
    messageStyle: "none",
  };
  var script = document.createElement("script");
  script.src = root + "MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe,local/seqkeras";
  document.head.appendChild(script);
})();
