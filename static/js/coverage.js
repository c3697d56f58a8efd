// Coverage dashboards: ECharts bars and trend from the page's own figures (data-chart), sortable tables,
// the print button, and the projector mode's reload. No inline script: the content security policy forbids it.
(function () {
  "use strict";

  // Threshold colours (contrast at least 4.5:1 on white); the symbols ✓ ! ✗ and a decal go with them.
  var COLORS = { ok: "#1a7f37", warn: "#b45309", bad: "#c62828" };
  var STATUSES = ["ok", "warn", "bad"];
  var INK = "#212529";

  function locale() {
    return (document.documentElement.lang || "").indexOf("en") === 0 ? "EN" : "ZH";
  }

  function fontFamily() {
    return window.getComputedStyle(document.body).fontFamily;
  }

  function go(url) {
    if (url) { window.location.href = url; }
  }

  // Horizontal bars, one per university or department, sorted by the server; a stacked series per status so
  // that the legend names each colour with its symbol and words, and each status gets its own decal.
  function barsOption(spec, screen, width) {
    var font = screen ? 24 : (width < 500 ? 11 : 12);
    var source = spec.rows.map(function (row) {
      var item = { name: row.name, label: row.label, url: row.url };
      STATUSES.forEach(function (s) { item[s] = row.status === s ? row.value : "-"; });
      return item;
    });
    var gridTop = screen ? 110 : (width < 640 ? 78 : 44);
    var series = STATUSES.map(function (status, i) {
      var one = {
        type: "bar",
        name: spec.legend[status],
        stack: "rate",
        encode: { x: status, y: "name" },
        itemStyle: { color: COLORS[status] },
        barMaxWidth: screen ? 28 : 24,
        cursor: "pointer",
        label: {
          show: true,
          position: "right",
          fontSize: font,
          color: INK,
          // Readable where it crosses the target line.
          backgroundColor: "rgba(255,255,255,0.85)",
          padding: [1, 3],
          formatter: function (p) { return p.data.label; }
        }
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
      aria: { enabled: true, decal: { show: true } },
      textStyle: { fontFamily: fontFamily() },
      animation: !screen,
      dataset: { dimensions: ["name", "ok", "warn", "bad", "label", "url"], source: source },
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
        formatter: function (p) { return p.name + "：" + p.data.label; }
      },
      grid: { left: 4, right: screen ? 170 : 84, top: gridTop, bottom: 8, containLabel: true },
      xAxis: {
        type: "value",
        min: 0,
        max: 100,
        axisLabel: { formatter: "{value}%", fontSize: font, color: INK }
      },
      yAxis: {
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
      },
      series: series
    };
  }

  function barsHeight(spec, screen, width) {
    // 24 px labels need about 36 px a bar; a province of 60 universities still fits two projector screens.
    var per = screen ? 36 : 32;
    var top = screen ? 110 : (width < 640 ? 78 : 44);
    return Math.max(screen ? 360 : 240, spec.rows.length * per + top + 50);
  }

  // The cumulative count of covered staff, month by month, against the people the target needs.
  function trendOption(spec, screen, width) {
    var font = screen ? 24 : (width < 500 ? 11 : 12);
    var source = spec.months.map(function (m, i) { return { month: m, covered: spec.values[i] }; });
    return {
      aria: { enabled: true, decal: { show: true } },
      textStyle: { fontFamily: fontFamily() },
      animation: !screen,
      dataset: { dimensions: ["month", "covered"], source: source },
      legend: { top: 0, left: 0, selectedMode: false, textStyle: { fontSize: font, color: INK } },
      tooltip: screen ? { show: false } : { trigger: "axis", confine: true },
      // Room for the last point's label and for wide digits at 24 px.
      grid: { left: screen ? 16 : 4, right: screen ? 48 : 24, top: screen ? 80 : 48, bottom: 8, containLabel: true },
      xAxis: { type: "category", boundaryGap: false, axisLabel: { fontSize: font, color: INK } },
      yAxis: {
        type: "value",
        min: 0,
        max: Math.max(spec.headcount, 1),
        minInterval: 1,
        // The top is the headcount; its label would crowd the last round one, the target line says enough.
        axisLabel: { fontSize: font, color: INK, showMaxLabel: false }
      },
      series: [{
        type: "line",
        name: spec.series,
        encode: { x: "month", y: "covered" },
        color: "#0b5ed7",
        lineStyle: { width: screen ? 5 : 3 },
        symbolSize: screen ? 14 : 7,
        areaStyle: { opacity: 0.08 },
        label: { show: true, position: "top", fontSize: font, color: INK },
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
        if (el.clientWidth !== lastWidth) {
          lastWidth = el.clientWidth;
          chart.setOption(build());
        }
        chart.resize();
      }).observe(el);
    }
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

  document.querySelectorAll(".coverage-chart[data-chart]").forEach(function (el) {
    if (window.echarts) { drawChart(el); }
  });
  document.querySelectorAll("table[data-sortable]").forEach(sortable);
  // "Table view" links to a closed <details>: open it on the way.
  document.querySelectorAll("a[href^='#']").forEach(function (link) {
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (target && target.tagName === "DETAILS") {
      link.addEventListener("click", function () { target.open = true; });
    }
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  // Projector mode: fresh figures every minute (nobody types on a projector page).
  var refresh = document.querySelector("[data-refresh]");
  if (refresh) {
    window.setTimeout(function () { window.location.reload(); },
      parseInt(refresh.getAttribute("data-refresh"), 10) * 1000);
  }
})();
