// The entries page: tick pending entries, "select all on this page", and the count on the bulk button.
// Without this script the boxes and the button still work; the server's confirmation page states the count.
(function () {
  "use strict";
  var form = document.querySelector("[data-bulk-form]");
  if (!form) { return; }
  var picks = Array.prototype.slice.call(document.querySelectorAll("input[data-pick]"));
  var all = form.querySelector("[data-select-all]");
  var allLabel = form.querySelector("[data-select-all-label]");
  var button = form.querySelector("[data-bulk-button]");
  var text = form.querySelector("[data-bulk-text]");
  var label = button.getAttribute("data-label");

  function update() {
    var n = 0;
    picks.forEach(function (box) {
      if (box.checked) { n += 1; }
      var row = box.closest("tr");
      if (row) { row.classList.toggle("picked", box.checked); }
    });
    text.textContent = label + " (" + n + ")";
    button.disabled = n === 0;
    all.checked = n > 0 && n === picks.length;
    all.indeterminate = n > 0 && n < picks.length;
  }

  allLabel.hidden = false;
  all.addEventListener("change", function () {
    picks.forEach(function (box) { box.checked = all.checked; });
    update();
  });
  picks.forEach(function (box) { box.addEventListener("change", update); });
  // Coming back to the page (history) restores the ticks: count them again.
  window.addEventListener("pageshow", update);
  update();
})();
