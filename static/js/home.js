// The home page: put the target tick of each coverage bar where data-target says (no inline style: CSP).
(function () {
  "use strict";
  document.querySelectorAll(".home-bar[data-target]").forEach(function (bar) {
    var target = parseFloat(bar.getAttribute("data-target"));
    if (!isNaN(target)) {
      bar.style.setProperty("--target", Math.max(0, Math.min(100, target)) + "%");
    }
  });
})();
