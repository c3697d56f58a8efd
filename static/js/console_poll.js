// The live console polls the stage every 3 s: how many judges submitted for the entry on stage and for each
// entry of the round, and keeps the 亮分 button's count ("亮分（已提交 5/7）") and its warning up to date. When
// another console has put someone else on stage or switched the screen, the page reloads to show it.
// The 大屏链接 panel's copy button copies the link.
(function () {
  "use strict";
  var root = document.querySelector("[data-console-poll]");
  if (!root) { return; }
  var status = root.querySelector("[data-poll-status]");
  var onStage = root.getAttribute("data-on-stage");
  var screen = root.getAttribute("data-screen");
  var submitted = root.querySelector("[data-stage-submitted]");
  var expected = root.querySelector("[data-stage-expected]");

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (whole, key) {
      return key in values ? String(values[key]) : whole;
    });
  }

  // 亮分 while judges are missing: the count in the label and a confirmation; plain once all are in.
  function updateReveal(stage) {
    var form = root.querySelector("[data-reveal-form]");
    var button = form && form.querySelector("button");
    var label = button && button.querySelector("[data-label]");
    if (!label) { return; }
    var partial = stage.submitted < stage.expected;
    var values = { n: stage.submitted, of: stage.expected };
    label.textContent = partial ? fill(button.getAttribute("data-label-partial"), values)
      : button.getAttribute("data-label-full");
    if (partial) {
      form.setAttribute("data-confirm", fill(form.getAttribute("data-confirm-template"), values));
    } else {
      form.removeAttribute("data-confirm");
    }
    if (button.getAttribute("aria-pressed") !== "true") {
      button.classList.toggle("btn-warning", partial);
      button.classList.toggle("btn-outline-secondary", !partial);
    }
    var note = root.querySelector("[data-reveal-note]");
    if (note) { note.hidden = !partial; }
  }

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
        if ((current !== onStage && (here || onStage)) || (here && screen && state.screen !== screen)) {
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
          updateReveal(state.on_stage);
        }
      })
      .catch(function () {
        if (status) { status.textContent = status.getAttribute("data-msg-failed"); }
      });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    var field = button && document.querySelector(button.getAttribute("data-copy"));
    if (!field) { return; }
    field.select();
    var done = function () {
      var label = button.querySelector("span");
      if (label) { label.textContent = button.getAttribute("data-copied"); }
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
    } else {
      document.execCommand("copy");
      done();
    }
  });

  window.setInterval(poll, 3000);
})();
