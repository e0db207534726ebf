// plan serve: the run page polls its run and redraws the progress bar and each level's best value
// and bound; when the run ends the page reloads to show the report. Plain DOM, no framework.
"use strict";
(function () {
  var card = document.getElementById("run");
  if (!card) return;
  var active = ["queued", "running"];
  if (active.indexOf(card.dataset.status) < 0) return;
  var zh = card.dataset.lang === "zh";
  var names = {
    shortfall: zh ? "缺口" : "shortfall",
    attained_office_years: zh ? "达标所·年" : "attained office-years",
    total_cost: zh ? "总费用（元）" : "total cost (CNY)",
    "all levels": zh ? "全部层级（一次加权求解）" : "all levels (one weighted solve)"
  };
  var phases = zh ? {loading: "读取情景", solving: "求解", explaining: "解释", writing: "生成输出", sweeping: "扫描"}
                  : {};
  function cell(row, text) {
    var td = document.createElement("td");
    td.textContent = text;  // text only: nothing the server sends is parsed as HTML
    row.appendChild(td);
  }
  function show(run) {
    var p = run.progress || {};
    var bar = document.getElementById("bar");
    var pct = p.percent || 0;
    bar.value = pct;
    document.getElementById("percent").textContent = pct.toFixed(0) + "%";
    var stage = [phases[p.phase] || p.phase || "", p.stage ? (names[p.stage] || p.stage) : "",
                 p.component ? (zh ? "分量 " : "component ") + p.component : "",
                 p.total ? p.done + "/" + p.total : "", p.detail || "",
                 p.elapsed !== undefined ? p.elapsed.toFixed(1) + " s" : ""];
    document.getElementById("stage").textContent = stage.filter(Boolean).join(" · ");
    var status = document.getElementById("status");
    status.dataset.status = run.status;
    status.textContent = run.status === "running" ? (zh ? "求解中" : "running")
                       : run.status === "queued" ? (zh ? "排队中" : "queued") : run.status;
    var body = document.querySelector("#live-levels tbody");
    body.textContent = "";
    var levels = p.levels || {};
    Object.keys(levels).forEach(function (name) {
      var row = document.createElement("tr");
      row.dataset.level = name;
      cell(row, names[name] || name);
      cell(row, name === "all levels" ? "—" : String(levels[name].best));
      cell(row, name === "all levels" || levels[name].bound === null ? "—" : String(levels[name].bound));
      body.appendChild(row);
    });
  }
  function poll() {
    fetch("/api/runs/" + card.dataset.run, {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (run) {
        if (active.indexOf(run.status) < 0) { window.location.reload(); return; }
        show(run);
        setTimeout(poll, 500);
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
