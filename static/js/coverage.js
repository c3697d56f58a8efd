// Coverage dashboards: ECharts bars and trend from the page's own figures (data-chart), sortable tables, the
// university table's columns toggle and search box, the print button, and the projector mode: screens that
// advance by themselves and fresh figures every minute without leaving the screen shown.
// No inline script: the content security policy forbids it.
(function () {
  "use strict";

  // Threshold colours (contrast at least 4.5:1 on white); the symbols ✓ ! ✗ and a decal go with them.
  var COLORS = { ok: "#1a7f37", warn: "#b45309", bad: "#c62828" };
  var STATUSES = ["ok", "warn", "bad"];
  var INK = "#212529";

  function locale() {
    return (document.documentElement.lang || "").indexOf("en") === 0 ? "EN" : "ZH";
  }

  function grouped(n) {
    return Number(n).toLocaleString(locale() === "EN" ? "en-US" : "zh-CN");
  }

  function fontFamily() {
    return window.getComputedStyle(document.body).fontFamily;
  }

  function go(url) {
    if (url) { window.location.href = url; }
  }

  // What screen readers say of a chart: the page's own words for its data (ECharts would otherwise generate a
  // text from the dataset, which reads "NaN" for the empty cells of the stacked bars).
  function aria(spec) {
    return { enabled: true, label: { enabled: true, description: spec.description }, decal: { show: true } };
  }

  // Horizontal bars, one per university or department, sorted by the server; a stacked series per status so
  // that the legend names each colour with its symbol and words, and each status gets its own decal. The value
  // labels stand in a column of their own on the right (a second category axis), so they never sit under the
  // target line, whatever the rate.
  function barsOption(spec, screen, width) {
    var font = screen ? 24 : (width < 500 ? 11 : 12);
    var source = spec.rows.map(function (row) {
      var item = { name: row.name, url: row.url };
      STATUSES.forEach(function (s) { item[s] = row.status === s ? row.value : "-"; });
      return item;
    });
    var gridTop = barsTop(screen, width);
    var series = STATUSES.map(function (status, i) {
      var one = {
        type: "bar",
        name: spec.legend[status],
        stack: "rate",
        encode: { x: status, y: "name" },
        itemStyle: { color: COLORS[status] },
        barMaxWidth: screen ? 28 : 24,
        cursor: "pointer"
      };
      if (i === 0) {
        one.markLine = {
          silent: true,
          symbol: "none",
          lineStyle: { color: INK, type: "dashed", width: screen ? 3 : 2 },
          label: { formatter: spec.targetLabel, position: "start", fontSize: font, color: INK },
          data: [{ xAxis: spec.target }]
        };
      }
      return one;
    });
    return {
      aria: aria(spec),
      textStyle: { fontFamily: fontFamily() },
      animation: !screen,
      dataset: { dimensions: ["name", "ok", "warn", "bad", "url"], source: source },
      legend: {
        top: 0,
        left: 0,
        selectedMode: false,
        itemGap: screen ? 32 : 12,
        itemWidth: screen ? 36 : 22,
        itemHeight: screen ? 24 : 14,
        textStyle: { fontSize: font, color: INK }
      },
      tooltip: screen ? { show: false } : {
        trigger: "item",
        confine: true,
        formatter: function (p) { return p.name + "：" + spec.rows[p.dataIndex].label; }
      },
      grid: { left: 4, right: 4, top: gridTop, bottom: 8, containLabel: true },
      xAxis: {
        type: "value",
        min: 0,
        max: 100,
        axisLabel: { formatter: "{value}%", fontSize: font, color: INK }
      },
      yAxis: [{
        type: "category",
        inverse: true,
        triggerEvent: true,
        axisTick: { show: false },
        axisLabel: {
          fontSize: font,
          color: INK,
          width: screen ? 320 : (width < 500 ? 84 : 150),
          overflow: "truncate"
        }
      }, {
        type: "category",
        inverse: true,
        position: "right",
        data: spec.rows.map(function (row) { return row.label; }),
        axisLine: { show: false },
        axisTick: { show: false },
        axisLabel: { fontSize: font, color: INK, fontWeight: "bold" }
      }],
      series: series
    };
  }

  // Room above the bars for the legend: one line on a desktop, two or three on a phone (English is longer).
  function barsTop(screen, width) {
    return screen ? 110 : (width < 420 ? 100 : (width < 640 ? 78 : 44));
  }

  function barsHeight(spec, screen, width) {
    var per = screen ? 36 : 32;
    var top = barsTop(screen, width);
    return Math.max(screen ? 360 : 240, spec.rows.length * per + top + 50);
  }

  // The cumulative count of covered staff, month by month, against the people the target needs.
  function trendOption(spec, screen, width) {
    var font = screen ? 24 : (width < 500 ? 11 : 12);
    var source = spec.months.map(function (m, i) { return { month: m, covered: spec.values[i] }; });
    return {
      aria: aria(spec),
      textStyle: { fontFamily: fontFamily() },
      animation: !screen,
      dataset: { dimensions: ["month", "covered"], source: source },
      legend: { top: 0, left: 0, selectedMode: false, textStyle: { fontSize: font, color: INK } },
      tooltip: screen ? { show: false } : { trigger: "axis", confine: true, valueFormatter: grouped },
      // Room for the last point's label and for wide digits at 24 px.
      grid: { left: screen ? 16 : 4, right: screen ? 56 : 28, top: screen ? 80 : 48, bottom: 8, containLabel: true },
      xAxis: { type: "category", boundaryGap: false, axisLabel: { fontSize: font, color: INK } },
      yAxis: {
        type: "value",
        min: 0,
        max: Math.max(spec.headcount, 1),
        minInterval: 1,
        // The top is the headcount; its label would crowd the last round one, the target line says enough.
        axisLabel: { fontSize: font, color: INK, showMaxLabel: false, formatter: grouped }
      },
      series: [{
        type: "line",
        name: spec.series,
        encode: { x: "month", y: "covered" },
        color: "#0b5ed7",
        lineStyle: { width: screen ? 5 : 3 },
        symbolSize: screen ? 14 : 7,
        areaStyle: { opacity: 0.08 },
        label: {
          show: true, position: "top", fontSize: font, color: INK,
          formatter: function (p) { return grouped(p.value.covered); }
        },
        labelLayout: { hideOverlap: true },
        markLine: {
          silent: true,
          symbol: "none",
          lineStyle: { color: INK, type: "dashed", width: screen ? 3 : 2 },
          // At the start, where the cumulative line is still low, the label stays clear of it.
          label: { formatter: spec.targetLabel, position: "insideStartTop", fontSize: font, color: INK },
          data: [{ yAxis: spec.target }]
        }
      }]
    };
  }

  function trendHeight(screen) {
    return screen ? 460 : 300;
  }

  function drawChart(el) {
    var spec = JSON.parse(el.getAttribute("data-chart"));
    var screen = el.hasAttribute("data-screen");
    var bars = spec.kind === "bars";
    var build = function () {
      var width = el.clientWidth;
      el.style.height = (bars ? barsHeight(spec, screen, width) : trendHeight(screen)) + "px";
      return bars ? barsOption(spec, screen, width) : trendOption(spec, screen, width);
    };
    var option = build();
    var chart = window.echarts.init(el, null, { locale: locale(), renderer: "canvas" });
    chart.setOption(option);
    if (bars) {
      // A click on a bar, or on its name, drills down (to the university, or to a department's uncovered staff).
      chart.on("click", function (p) {
        if (p.componentType === "series" && p.data) {
          go(p.data.url);
        } else if (p.componentType === "yAxis") {
          var row = spec.rows.filter(function (r) { return r.name === p.value; })[0];
          go(row && row.url);
        }
      });
    }
    var lastWidth = el.clientWidth;
    if (window.ResizeObserver) {
      new window.ResizeObserver(function () {
        if (!el.isConnected) { return; }
        if (el.clientWidth !== lastWidth) {
          lastWidth = el.clientWidth;
          chart.setOption(build());
        }
        chart.resize();
      }).observe(el);
    }
  }

  function drawCharts(root) {
    if (!window.echarts) { return; }
    root.querySelectorAll(".coverage-chart[data-chart]").forEach(drawChart);
  }

  function disposeCharts(root) {
    if (!window.echarts) { return; }
    root.querySelectorAll(".coverage-chart").forEach(function (el) {
      var chart = window.echarts.getInstanceByDom(el);
      if (chart) { chart.dispose(); }
    });
  }

  function sortable(table) {
    table.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-sort-col]");
      if (!button) { return; }
      var col = parseInt(button.getAttribute("data-sort-col"), 10);
      var numeric = button.getAttribute("data-sort-type") === "num";
      var th = button.closest("th");
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      table.querySelectorAll("th[aria-sort]").forEach(function (t) { t.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var body = table.tBodies[0];
      var rows = Array.prototype.filter.call(body.rows, function (r) { return r.cells.length > col; });
      rows.sort(function (a, b) {
        var x = a.cells[col].getAttribute("data-value") || "";
        var y = b.cells[col].getAttribute("data-value") || "";
        var c = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y, "zh-CN");
        return ascending ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  }

  // The headcount and covered columns of each post category: shown or hidden by a pressed button; hidden at
  // first when the table is wider than its box (a laptop, a tablet, a phone).
  function columnsToggle(button, screen) {
    var table = document.getElementById(button.getAttribute("data-columns-toggle"));
    if (!table) { return; }
    var box = table.parentElement;
    function set(full) {
      table.classList.toggle("compact", !full);
      button.setAttribute("aria-pressed", full ? "true" : "false");
      table.querySelectorAll("[data-span-full]").forEach(function (th) {
        th.colSpan = parseInt(th.getAttribute(full ? "data-span-full" : "data-span-compact"), 10);
      });
    }
    set(!(table.scrollWidth > box.clientWidth + 1));
    button.addEventListener("click", function () { set(button.getAttribute("aria-pressed") !== "true"); });
    if (!screen) { button.closest("[data-table-tools]").hidden = false; }
  }

  // The search box above the chart: filters the table's rows as one types; Enter goes to the table.
  function tableSearch(form) {
    var table = document.getElementById(form.getAttribute("data-table-search"));
    var input = form.querySelector("input[type=search]");
    if (!table || !input) { return; }
    function filter() {
      var text = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var words = row.getAttribute("data-search");
        if (words !== null) { row.hidden = text !== "" && words.toLowerCase().indexOf(text) < 0; }
      });
    }
    input.addEventListener("input", filter);
    form.addEventListener("submit", function (event) {
      // Every row is on the page: no need to ask the server (which filters the same way without JavaScript).
      if (table.tBodies[0].querySelector("tr[data-search]")) {
        event.preventDefault();
        filter();
        var target = document.getElementById(form.getAttribute("action").split("#")[1] || "");
        if (target) { target.scrollIntoView({ block: "start" }); }
      }
    });
  }

  // ----------------------------------------------------------------------------------------------------------
  // Projector mode: one screen at a time, advancing every data-advance seconds; a section that does not fit
  // (60 universities' tiles on a small projector, a long table) is cut into screens of what fits. Every
  // data-refresh seconds the figures are fetched again and put in place without a reload: the screen shown,
  // the pause and the scroll position stay.

  function slideshow(root) {
    var pager = function () { return root.querySelector(".screen-pager"); };
    var state = { index: 0, paused: false, slides: [] };

    function bottomLimit() {
      var bar = pager();
      return window.innerHeight - (bar ? bar.offsetHeight + 24 : 24);
    }

    // Cuts each section into pages of what fits above the pager.
    function measure() {
      var sections = Array.prototype.slice.call(root.querySelectorAll("[data-slide]"));
      var slides = [];
      window.scrollTo(0, 0);
      sections.forEach(function (section) { section.hidden = true; });
      sections.forEach(function (section) {
        section.hidden = false;
        var selector = section.getAttribute("data-paginate");
        var items = selector ? Array.prototype.slice.call(section.querySelectorAll(selector)) : [];
        items.forEach(function (item) { item.hidden = false; });
        var pages = 1;
        if (items.length) {
          var first = items[0].getBoundingClientRect().top;
          var room = Math.max(bottomLimit() - first, 120);
          var start = first, page = 0;
          items.forEach(function (item) {
            var box = item.getBoundingClientRect();
            if (box.bottom - start > room && box.top > start) { page += 1; start = box.top; }
            item.setAttribute("data-page", page);
          });
          pages = page + 1;
        }
        for (var p = 0; p < pages; p += 1) { slides.push({ section: section, page: p, items: items }); }
        section.hidden = true;
      });
      state.slides = slides;
    }

    function words() {
      var bar = pager();
      return bar ? JSON.parse(bar.getAttribute("data-words")) : {};
    }

    function show(index) {
      var slides = state.slides;
      if (!slides.length) { return; }
      state.index = ((index % slides.length) + slides.length) % slides.length;
      var current = slides[state.index];
      slides.forEach(function (s) { s.section.hidden = s.section !== current.section; });
      current.items.forEach(function (item) {
        item.hidden = item.getAttribute("data-page") !== String(current.page);
      });
      var count = root.querySelector("[data-screen-count]");
      if (count) {
        count.textContent = (words().of || "%(i)s / %(n)s")
          .replace("%(i)s", state.index + 1).replace("%(n)s", slides.length);
      }
      // A chart drawn while hidden has no size: give it the one it has now.
      current.section.querySelectorAll(".coverage-chart").forEach(function (el) {
        var chart = window.echarts && window.echarts.getInstanceByDom(el);
        if (chart) { chart.resize(); }
      });
    }

    function showPause() {
      var button = root.querySelector("[data-screen-pause]");
      if (!button) { return; }
      button.setAttribute("aria-pressed", state.paused ? "true" : "false");
      var icon = button.querySelector(".bi");
      icon.className = "bi " + (state.paused ? "bi-play-fill" : "bi-pause-fill");
      var label = button.querySelector("[data-screen-pause-words]");
      if (label) { label.textContent = state.paused ? words().play : words().pause; }
    }

    function setUp() {
      measure();
      var bar = pager();
      if (bar) { bar.hidden = false; }
      if (bar) { measure(); }  // the pager takes room of its own
      show(state.index);
      showPause();
    }

    root.addEventListener("click", function (event) {
      if (event.target.closest("[data-screen-next]")) { show(state.index + 1); }
      if (event.target.closest("[data-screen-prev]")) { show(state.index - 1); }
      if (event.target.closest("[data-screen-pause]")) { state.paused = !state.paused; showPause(); }
    });
    // Presenters' clickers send PageDown and PageUp; a keyboard has the arrows and the space bar.
    document.addEventListener("keydown", function (event) {
      if (event.target.closest && event.target.closest("input, select, textarea")) { return; }
      if (event.key === "ArrowRight" || event.key === "PageDown") { show(state.index + 1); event.preventDefault(); }
      if (event.key === "ArrowLeft" || event.key === "PageUp") { show(state.index - 1); event.preventDefault(); }
      if (event.key === " ") { state.paused = !state.paused; showPause(); event.preventDefault(); }
    });
    var advance = parseInt(root.getAttribute("data-advance"), 10);
    if (advance > 0) {
      window.setInterval(function () { if (!state.paused) { show(state.index + 1); } }, advance * 1000);
    }
    var resizing = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(resizing);
      resizing = window.setTimeout(setUp, 200);
    });
    setUp();
    return { setUp: setUp };
  }

  function refresher(root, slides) {
    var seconds = parseInt(root.getAttribute("data-refresh"), 10);
    if (!(seconds > 0) || !window.fetch || !window.DOMParser) { return; }
    function stale(on) {
      var mark = root.querySelector("[data-screen-stale]");
      if (mark) { mark.hidden = !on; }
    }
    function again() {
      window.fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.text();
        })
        .then(function (text) {
          var fresh = new window.DOMParser().parseFromString(text, "text/html").querySelector(".coverage[data-refresh]");
          if (!fresh) { throw new Error("no figures"); }  // logged out, an error page: keep the last figures
          var x = window.scrollX, y = window.scrollY;
          disposeCharts(root);
          root.innerHTML = fresh.innerHTML;
          enhance(root);
          if (slides) { slides.setUp(); }
          window.scrollTo(x, y);
          stale(false);
        })
        .catch(function () { stale(true); })
        .then(function () { window.setTimeout(again, seconds * 1000); });
    }
    window.setTimeout(again, seconds * 1000);
  }

  // The tiles' small bars: their width from data-rate (CSSOM, which the content security policy allows).
  function tileBars(root) {
    root.querySelectorAll(".tile-grid").forEach(function (grid) {
      var target = parseFloat(grid.getAttribute("data-target"));
      grid.querySelectorAll(".tile-bar").forEach(function (bar) {
        bar.querySelector(".tile-fill").style.width = Math.min(100, parseFloat(bar.getAttribute("data-rate"))) + "%";
        bar.querySelector(".tile-target").style.left = target + "%";
      });
    });
  }

  // What the page's content needs, again after a refresh in projector mode.
  function enhance(root) {
    var screen = root.classList && root.classList.contains("coverage-screen");
    drawCharts(root);
    tileBars(root);
    root.querySelectorAll("table[data-sortable]").forEach(sortable);
    root.querySelectorAll("[data-columns-toggle]").forEach(function (b) { columnsToggle(b, screen); });
    root.querySelectorAll("form[data-table-search]").forEach(tableSearch);
    // "Table view" links to a closed <details>: open it on the way.
    root.querySelectorAll("a[href^='#']").forEach(function (link) {
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (target && target.tagName === "DETAILS") {
        link.addEventListener("click", function () { target.open = true; });
      }
    });
  }

  var page = document.querySelector(".coverage") || document.body;
  enhance(page);
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  var screenRoot = document.querySelector(".coverage-screen");
  if (screenRoot) {
    var slides = screenRoot.querySelector("[data-slide]") ? slideshow(screenRoot) : null;
    refresher(screenRoot, slides);
  }
})();
