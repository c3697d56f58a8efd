// The organizer's leaderboard refreshes by itself: every 10 s it fetches the same page as a fragment
// (?partial=1) and swaps it in when it changed, keeping the table's horizontal scroll. It waits while the tab
// is hidden and stops for good once the results are published (the fragment says so).
(function () {
  "use strict";
  var root = document.querySelector("[data-board-poll]");
  if (!root) { return; }
  var status = document.querySelector("[data-poll-status]");
  var INTERVAL = 10000;
  var timer = null;
  var busy = false;
  var last = null; // the last fragment fetched, as text

  function say(text, failed) {
    if (!status) { return; }
    status.querySelector("span").textContent = text;
    status.classList.toggle("failed", !!failed);
  }

  // HH:MM:SS in the union's time zone (the page's data-tz), as the server wrote the first one.
  function clock() {
    var zone = root.getAttribute("data-tz") || undefined;
    try {
      return new Date().toLocaleTimeString("en-GB", { timeZone: zone, hour12: false });
    } catch (error) {
      return new Date().toLocaleTimeString("en-GB", { hour12: false });
    }
  }

  function stop() {
    if (timer !== null) { window.clearInterval(timer); timer = null; }
  }

  function swap(html) {
    if (html === last) { return; }
    var scroller = root.querySelector("[data-scroll]");
    var left = scroller ? scroller.scrollLeft : 0;
    var y = window.scrollY;
    root.innerHTML = html;
    last = html;
    var again = root.querySelector("[data-scroll]");
    if (again) { again.scrollLeft = left; }
    window.scrollTo(window.scrollX, y);
  }

  function refresh() {
    if (document.hidden || busy || timer === null) { return; }
    busy = true;
    fetch(root.getAttribute("data-partial"), { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        swap(html);
        var body = root.querySelector("[data-board-body]");
        if (body && body.getAttribute("data-published") === "1") {
          stop();
          say(status.getAttribute("data-msg-published"), false);
          return;
        }
        say(status.getAttribute("data-msg-updated").replace("{time}", clock()), false);
      })
      .catch(function () {
        say(status.getAttribute("data-msg-failed"), true);
      })
      .then(function () { busy = false; });
  }

  timer = window.setInterval(refresh, INTERVAL);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { refresh(); } });
})();
