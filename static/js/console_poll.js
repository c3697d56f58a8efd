// The live console polls the stage every 3 s: how many judges submitted for the entry on stage and for each
// entry of the round. When another console has put someone else on stage, the page reloads to show it.
(function () {
  "use strict";
  var root = document.querySelector("[data-console-poll]");
  if (!root) { return; }
  var status = root.querySelector("[data-poll-status]");
  var onStage = root.getAttribute("data-on-stage");
  var submitted = root.querySelector("[data-stage-submitted]");
  var expected = root.querySelector("[data-stage-expected]");

  function poll() {
    if (document.hidden) { return; }
    fetch(root.getAttribute("data-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (state) {
        if (status) { status.textContent = ""; }
        var current = state.on_stage ? String(state.on_stage.entry_id) : "";
        var here = (state.entries || []).some(function (e) { return e.on_stage; });
        if (current !== onStage && (here || onStage)) {
          window.location.reload();
          return;
        }
        (state.entries || []).forEach(function (e) {
          var cell = root.querySelector('[data-entry="' + e.entry_id + '"] [data-entry-count]');
          if (cell) { cell.textContent = e.submitted + "/" + e.expected; }
        });
        if (state.on_stage && submitted && expected) {
          submitted.textContent = state.on_stage.submitted;
          expected.textContent = state.on_stage.expected;
          var bar = root.querySelector("[data-stage-bar]");
          if (bar) { bar.max = state.on_stage.expected || 1; bar.value = state.on_stage.submitted; }
        }
      })
      .catch(function () {
        if (status) { status.textContent = status.getAttribute("data-msg-failed"); }
      });
  }

  window.setInterval(poll, 3000);
})();
