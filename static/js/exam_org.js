// The written test's progress page re-fetches its figures (a server-rendered fragment) every 15 s while the
// tab is visible, and at once when it becomes visible again; on a failure it keeps the last figures and says so.
(function () {
  "use strict";
  var root = document.querySelector("[data-exam-progress]");
  if (!root) { return; }
  var status = document.querySelector("[data-poll-status]");
  var INTERVAL = 15000;
  var busy = false;

  function say(text, failed) {
    if (!status) { return; }
    status.querySelector("span").textContent = text;
    status.classList.toggle("text-danger", !!failed);
    status.classList.toggle("text-muted", !failed);
  }

  function poll() {
    if (document.hidden || busy) { return; }
    busy = true;
    fetch(root.getAttribute("data-partial"), { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.text();
      })
      .then(function (html) {
        root.innerHTML = html;
        var time = new Date().toLocaleTimeString("zh-CN", { hour12: false });
        say(status.getAttribute("data-msg-updated").replace("{time}", time), false);
      })
      .catch(function () {
        say(status.getAttribute("data-msg-failed"), true);
      })
      .then(function () { busy = false; });
  }

  window.setInterval(poll, INTERVAL);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { poll(); } });
})();
