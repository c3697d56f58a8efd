// A table wider than the screen scrolls inside its box (.table-responsive). A keyboard user must be able to
// reach and scroll it too (WCAG 2.1.1): a box that scrolls and holds nothing focusable joins the tab order,
// named after its table's caption or the heading before it. Re-checked when the window changes size.
(function () {
  "use strict";
  var FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";

  function nameOf(box) {
    var caption = box.querySelector("caption");
    if (caption && caption.textContent.trim()) { return caption.textContent.trim(); }
    var table = box.querySelector("table[aria-label]");
    if (table) { return table.getAttribute("aria-label"); }
    var section = box.closest("section, .card");
    var heading = section && section.querySelector("h1, h2, h3, h4, .card-header");
    return heading ? heading.textContent.trim() : "";
  }

  function update() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      var set = box.getAttribute("data-scroll-region") === "1";
      if (!set && box.hasAttribute("tabindex")) { return; }  // made focusable by its template
      var scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
      if (scrolls && !set && !box.querySelector(FOCUSABLE)) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("data-scroll-region", "1");
        var name = nameOf(box);
        if (name && !box.hasAttribute("aria-label") && !box.hasAttribute("role")) {
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", name);
          box.setAttribute("data-scroll-named", "1");
        }
      } else if (!scrolls && set) {
        box.removeAttribute("tabindex");
        box.removeAttribute("data-scroll-region");
        if (box.getAttribute("data-scroll-named") === "1") {
          box.removeAttribute("role");
          box.removeAttribute("aria-label");
          box.removeAttribute("data-scroll-named");
        }
      }
    });
  }

  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(update, 150);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
})();
