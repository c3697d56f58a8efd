// The big screen (大屏): a fixed 1920 × 1080 canvas scaled to the display, drawn from the live API.
//
// It polls GET /api/v1/competitions/<id>/live every ~1.5 s with If-None-Match (an unchanged stage is a 304 and the
// frame stays). On a network failure or any other answer than 2xx/304 it keeps the last good frame, shows a small
// stale dot in a corner and retries forever, waiting longer each time (at most 10 s). It never reloads.
// Every frame is drawn from the latest state alone, so nothing of an earlier contestant stays on screen. The
// reveal (亮分) runs once per contestant and round: the judges' totals seat by seat 0.7 s apart, then the
// highest and lowest struck out, then the score, held until the organizer switches the screen.
(function () {
  "use strict";
  var WIDTH = 1920;
  var HEIGHT = 1080;
  var canvas = document.querySelector("[data-canvas]");
  if (!canvas) { return; }

  // --- the canvas, scaled and centred (the refusal page too) --------------------------------------------------

  function fit() {
    var w = window.innerWidth;
    var h = window.innerHeight;
    var s = Math.min(w / WIDTH, h / HEIGHT);
    var x = Math.max(0, (w - WIDTH * s) / 2);
    var y = Math.max(0, (h - HEIGHT * s) / 2);
    canvas.style.transform = "translate(" + x + "px, " + y + "px) scale(" + s + ")";
  }

  fit();
  window.addEventListener("resize", fit);

  var root = canvas.hasAttribute("data-screen-root") ? canvas : null;
  var wordsNode = document.getElementById("screen-words");
  if (!root || !wordsNode) { return; }
  var STEP = 700; // between two judges' totals
  var SCORE_AFTER = 900; // from the struck totals to the score
  var REQUEST_TIMEOUT = 8000;
  var CHIP = 262; // a seat chip's width and the gap between chips (screen.css)
  var CHIP_GAP = 24;
  var words = JSON.parse(wordsNode.textContent);
  var body = root.querySelector("[data-body]");
  var stale = root.querySelector("[data-stale]");
  var groupName = root.querySelector("[data-group]");
  var roundName = root.querySelector("[data-round]");
  var roundSep = root.querySelector("[data-round-sep]");
  var url = root.getAttribute("data-live-url");
  var pollMs = Number(root.getAttribute("data-poll-ms")) || 1500;
  var maxBackoff = Number(root.getAttribute("data-max-backoff-ms")) || 10000;
  var etag = null;
  var lastJson = null;
  var failures = 0;
  var played = {}; // "entry:round" → true once its reveal has run
  var anim = null; // the reveal running now: {key, timers, first, latest}

  // --- small helpers ------------------------------------------------------------------------------------------

  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function decimalsOf(state) {
    return typeof state.decimals === "number" ? state.decimals : Number(words.decimals) || 2;
  }

  function fmt(value, decimals) {
    return value === null || value === undefined ? "—" : Number(value).toFixed(decimals);
  }

  function drawNo(no) {
    return no === null || no === undefined ? "—" : fill(words.no, { no: no < 10 ? "0" + no : no });
  }

  function show(node) {
    while (body.firstChild) { body.removeChild(body.firstChild); }
    body.appendChild(node);
  }

  function tag(screen, outline) {
    return el("p", "sc-tag" + (outline ? " sc-tag-outline" : ""), words.screens[screen] || "");
  }

  function waiting(text) {
    return el("p", "sc-wait", text || words.waiting);
  }

  function header(state) {
    if (groupName && state.group) { groupName.textContent = state.group; }
    if (roundName) { roundName.textContent = state.round || ""; }
    if (roundSep) { roundSep.hidden = !state.round; }
  }

  // --- the four screens ---------------------------------------------------------------------------------------

  function nextFrame(state) {
    var section = el("section", "sc-next");
    section.setAttribute("data-testid", "screen-next");
    section.appendChild(tag("next"));
    if (state.on_stage) {
      var no = el("p", "sc-no", drawNo(state.on_stage.draw_no));
      no.setAttribute("data-testid", "draw");
      section.appendChild(no);
    } else {
      section.appendChild(waiting());
    }
    return section;
  }

  function scoringFrame(state) {
    var stage = state.on_stage;
    var section = el("section", "sc-scoring");
    section.setAttribute("data-testid", "screen-scoring");
    section.appendChild(tag("scoring"));
    if (!stage) {
      section.appendChild(waiting());
      return section;
    }
    var no = el("p", "sc-no", drawNo(stage.draw_no));
    no.setAttribute("data-testid", "draw");
    section.appendChild(no);
    var count = el("p", "sc-count", fill(words.count, { n: stage.submitted, of: stage.expected }));
    count.setAttribute("data-testid", "count");
    section.appendChild(count);
    var chips = el("ul", "sc-chips");
    chips.setAttribute("data-testid", "chips");
    var seats = seatsOf(stage.seats);
    var perRow = seats.length <= 6 ? seats.length : Math.ceil(seats.length / 2); // 7 → 4 + 3, not 6 + 1
    chips.style.maxWidth = (perRow * CHIP + (perRow - 1) * CHIP_GAP) + "px";
    seats.forEach(function (seat) {
      var chip = el("li", "sc-chip" + (seat.submitted ? " is-in" : ""));
      chip.setAttribute("data-seat", seat.seat);
      chip.setAttribute("data-submitted", seat.submitted ? "true" : "false");
      chip.appendChild(el("span", "sc-chip-seat", fill(words.seat, { n: seat.seat })));
      chip.appendChild(el("span", "sc-chip-state", (seat.submitted ? "✓ " : "… ") +
        (seat.submitted ? words.submitted : words.not_submitted)));
      chips.appendChild(chip);
    });
    section.appendChild(chips);
    return section;
  }

  function seatsOf(list) {
    return (list || []).slice().sort(function (a, b) { return (a.seat || 0) - (b.seat || 0); });
  }

  // The reveal's frame; its steps (showSeat, strike, showScore) are played by a timer or all at once.
  function revealFrame(state) {
    var stage = state.on_stage;
    var decimals = decimalsOf(state);
    var seats = seatsOf(stage.reveal);
    var section = el("section", "sc-reveal");
    section.setAttribute("data-testid", "screen-reveal");
    var n = seats.length;
    var cols = n <= 4 ? Math.max(n, 1) : Math.ceil(n / 2);
    var list = el("ol", "sc-totals is-cols-" + cols);
    list.style.gridTemplateColumns = "repeat(" + cols + ", minmax(0, 1fr))";
    var items = seats.map(function (seat) {
      var item = el("li", "sc-total");
      item.setAttribute("data-seat", seat.seat);
      var box = el("div", "sc-total-box");
      box.appendChild(el("span", "sc-total-seat", fill(words.seat, { n: seat.seat })));
      var value = el("span", "sc-total-value");
      value.setAttribute("data-testid", "total");
      box.appendChild(value);
      item.appendChild(box);
      var note = el("span", "sc-total-note");
      item.appendChild(note);
      list.appendChild(item);
      return { seat: seat, item: item, value: value, note: note };
    });
    section.appendChild(list);

    var row = el("div", "sc-score-row");
    var who = el("div", "sc-who");
    who.appendChild(tag("reveal"));
    var no = el("p", "sc-no", drawNo(stage.draw_no));
    no.setAttribute("data-testid", "draw");
    who.appendChild(no);
    row.appendChild(who);
    var side = el("div", "sc-score-side");
    var label = el("span", "sc-score-label", words.score);
    if (stage.complete === false) {
      label.appendChild(document.createTextNode(" "));
      label.appendChild(el("span", "sc-provisional",
        fill(words.provisional, { n: stage.submitted, of: stage.expected })));
    }
    side.appendChild(label);
    var score = el("span", "sc-score");
    score.setAttribute("data-testid", "score");
    side.appendChild(score);
    row.appendChild(side);
    section.appendChild(row);

    return {
      node: section,
      count: items.length,
      // Once on the page: the totals' size that lets "100.00" fit a box (many judges make narrow boxes).
      fit: function () {
        if (!items.length) { return; }
        var probe = items[0].value;
        var text = probe.textContent;
        list.style.removeProperty("--total-size");
        probe.textContent = fmt(100, decimals);
        var size = parseFloat(window.getComputedStyle(probe).fontSize);
        if (probe.scrollWidth > probe.clientWidth && probe.scrollWidth > 0) {
          size = Math.floor(size * probe.clientWidth / probe.scrollWidth * 0.97);
          list.style.setProperty("--total-size", size + "px");
        }
        probe.textContent = text;
      },
      showSeat: function (i) {
        var it = items[i];
        it.value.textContent = fmt(it.seat.total, decimals);
        it.item.classList.add("is-shown");
      },
      strike: function () {
        items.forEach(function (it) {
          if (!it.seat.dropped) { return; }
          it.item.classList.add("is-dropped");
          it.item.setAttribute("data-dropped", it.seat.dropped);
          it.note.textContent = it.seat.dropped === "high" ? words.high : words.low;
        });
      },
      showScore: function () {
        score.textContent = stage.score === null || stage.score === undefined ? words.no_score
          : fmt(stage.score, decimals);
        score.classList.add("is-shown");
        section.setAttribute("data-done", "true");
      }
    };
  }

  function topFrame(state) {
    var section = el("section", "sc-top");
    section.setAttribute("data-testid", "screen-top");
    var title = el("div", "sc-top-title");
    title.appendChild(tag("top_ten"));
    section.appendChild(title);
    var rows = (state.leaderboard || []).slice(0, 10);
    if (!rows.length) {
      section.appendChild(waiting(words.none_yet));
      return section;
    }
    var decimals = decimalsOf(state);
    var current = state.on_stage ? state.on_stage.draw_no : null;
    var table = el("table", "sc-table");
    var head = el("thead");
    var headRow = el("tr");
    headRow.appendChild(el("th", "sc-col-rank", words.rank));
    headRow.appendChild(el("th", "sc-col-draw", words.draw));
    headRow.appendChild(el("th", "sc-col-score", words.points));
    head.appendChild(headRow);
    table.appendChild(head);
    var tbody = el("tbody");
    for (var i = 0; i < 10; i += 1) {
      var item = rows[i];
      var tr = el("tr");
      if (item) {
        tr.className = (item.rank <= 3 ? "is-podium" : "") + (item.draw_no === current ? " is-current" : "");
        tr.setAttribute("data-testid", "top-row");
        tr.appendChild(el("td", "sc-col-rank", String(item.rank)));
        tr.appendChild(el("td", "sc-col-draw", drawNo(item.draw_no)));
        tr.appendChild(el("td", "sc-col-score", fmt(item.score, decimals)));
      } else {
        tr.className = "sc-empty-row";
        ["sc-col-rank", "sc-col-draw", "sc-col-score"].forEach(function (cls) {
          tr.appendChild(el("td", cls, "\u00a0"));
        });
      }
      tbody.appendChild(tr);
    }
    table.appendChild(tbody);
    section.appendChild(table);
    return section;
  }

  // --- drawing a state, and the reveal's animation ------------------------------------------------------------

  function stopAnimation() {
    if (!anim) { return; }
    anim.timers.forEach(window.clearTimeout);
    anim = null;
  }

  function showRevealed(state) {
    var frame = revealFrame(state);
    frame.node.classList.add("is-static");
    show(frame.node);
    frame.fit();
    for (var i = 0; i < frame.count; i += 1) { frame.showSeat(i); }
    frame.strike();
    frame.showScore();
  }

  function animateReveal(state, key) {
    var frame = revealFrame(state);
    show(frame.node);
    frame.fit();
    var current = { key: key, timers: [], first: JSON.stringify(state), latest: state };
    anim = current;
    var at = 0;
    for (var i = 0; i < frame.count; i += 1) {
      at = STEP * (i + 1);
      current.timers.push(window.setTimeout(frame.showSeat.bind(null, i), at));
    }
    at += STEP;
    current.timers.push(window.setTimeout(frame.strike, at));
    current.timers.push(window.setTimeout(function () {
      frame.showScore();
      anim = null;
      if (JSON.stringify(current.latest) !== current.first) { showRevealed(current.latest); }
    }, at + SCORE_AFTER));
  }

  function draw(state) {
    header(state);
    var stage = state.on_stage;
    if (state.screen === "reveal" && stage && stage.reveal) {
      var key = stage.entry_id + ":" + state.round_id;
      if (anim && anim.key === key) {
        anim.latest = state; // drawn when the animation ends
        return;
      }
      stopAnimation();
      if (played[key]) {
        showRevealed(state);
      } else {
        played[key] = true;
        animateReveal(state, key);
      }
      return;
    }
    stopAnimation();
    if (state.screen === "top_ten") {
      show(topFrame(state));
    } else if (state.screen === "scoring" || state.screen === "reveal") {
      show(scoringFrame(state)); // a reveal with nothing to reveal yet shows no score
    } else {
      show(nextFrame(state));
    }
  }

  // --- the poll -----------------------------------------------------------------------------------------------

  function setStale(on) {
    if (stale) { stale.hidden = !on; }
    root.setAttribute("data-stale-state", on ? "stale" : "fresh");
  }

  function schedule(ms) {
    window.setTimeout(poll, ms);
  }

  function received(state, tagValue) {
    if (tagValue) { etag = tagValue; }
    var json = JSON.stringify(state);
    if (json === lastJson) { return; }
    lastJson = json;
    try {
      draw(state);
    } catch (error) {
      window.console.error(error);
    }
  }

  function poll() {
    var controller = window.AbortController ? new window.AbortController() : null;
    var timer = window.setTimeout(function () { if (controller) { controller.abort(); } }, REQUEST_TIMEOUT);
    var headers = { Accept: "application/json" };
    if (etag) { headers["If-None-Match"] = etag; }
    fetch(url, {
      cache: "no-store",
      credentials: "same-origin",
      headers: headers,
      signal: controller ? controller.signal : undefined
    })
      .then(function (response) {
        if (response.status === 304) { return null; }
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        var tagValue = response.headers.get("ETag");
        return response.json().then(function (state) { return { state: state, tag: tagValue }; });
      })
      .then(function (got) {
        window.clearTimeout(timer);
        failures = 0;
        setStale(false);
        if (got) { received(got.state, got.tag); }
        schedule(pollMs);
      }, function () {
        window.clearTimeout(timer);
        failures += 1;
        setStale(true);
        schedule(Math.min(maxBackoff, pollMs * Math.pow(2, Math.min(failures, 10))));
      });
  }

  poll();
})();
