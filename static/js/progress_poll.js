// The progress page polls the progress API every 10 s and, when sheets have come in, re-fetches the lists
// (a server-rendered fragment) without reloading the page; any open <details> stays open.
(function () {
  "use strict";
  var root = document.querySelector("[data-progress-poll]");
  if (!root) { return; }
  var status = document.querySelector("[data-poll-status]");
  var INTERVAL = 10000;
  var last = null;

  function say(text, failed) {
    if (!status) { return; }
    status.querySelector("span").textContent = text;
    status.classList.toggle("failed", !!failed);
  }

  function signature(items) {
    return JSON.stringify(items.map(function (i) {
      return [i.group_id, i.round_id, i.sheets_submitted, i.sheets_expected, i.anomalies.length];
    }));
  }

  function updateBars(items) {
    items.forEach(function (i) {
      var board = root.querySelector('[data-board="' + i.group_id + "-" + i.round_id + '"]');
      var bar = board && board.querySelector("[data-bar]");
      if (bar) {
        bar.max = i.sheets_expected || 1;
        bar.value = i.sheets_submitted;
      }
    });
  }

  function refreshLists() {
    var open = Array.prototype.map.call(root.querySelectorAll("details[open]"), function (d) { return d.id; });
    return fetch(root.getAttribute("data-partial"), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.text();
      })
      .then(function (html) {
        root.innerHTML = html;
        open.forEach(function (id) {
          var details = id && document.getElementById(id);
          if (details) { details.open = true; }
        });
      });
  }

  function poll() {
    if (document.hidden) { return; }
    fetch(root.getAttribute("data-api"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (items) {
        var now = signature(items);
        updateBars(items);
        var changed = last !== null && now !== last;
        last = now;
        return changed ? refreshLists().then(function () { return true; }) : false;
      })
      .then(function (changed) {
        var time = new Date().toLocaleTimeString("zh-CN", { hour12: false });
        var text = status.getAttribute("data-msg-updated").replace("{time}", time);
        say(changed ? status.getAttribute("data-msg-changed") + " " + text : text, false);
      })
      .catch(function () {
        say(status.getAttribute("data-msg-failed"), true);
      });
  }

  poll();
  window.setInterval(poll, INTERVAL);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { poll(); } });
})();
