/* peloton's progressive JavaScript: every page works without it. It moves the focus to an error
   summary, keeps the navigator's running result up to date while the user types (POST
   /api/v1/check and /api/v1/check/next, the same routes any client uses), and draws each chart from
   the data table beside it (Plotly, served from this site). No inline script: CSP script-src 'self'. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  function focusErrorSummary() {
    var summary = document.querySelector("[data-focus-on-load]");
    if (summary) summary.focus();
    document.querySelectorAll(".error-summary a[href^='#']").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var target = document.getElementById(link.getAttribute("href").slice(1));
        if (target) { event.preventDefault(); target.focus(); target.scrollIntoView({block: "center"}); }
      });
    });
  }

  function euro(lang, value) {
    if (value === null || value === undefined) return "–";
    var text = new Intl.NumberFormat(lang === "nl" ? "nl-NL" : "en-GB",
      {style: "currency", currency: "EUR", maximumFractionDigits: 0, minimumFractionDigits: 0}).format(value);
    return text.replace(/\u00a0/g, " ");
  }

  function parseNumber(lang, text) {
    var t = text.replace(/[\s\u00a0€]/g, "");
    if (lang === "nl") {
      if (t.indexOf(",") >= 0) t = t.replace(/\./g, "").replace(",", ".");
      else if (/^-?\d{1,3}(\.\d{3})+$/.test(t)) t = t.replace(/\./g, "");
    } else if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) t = t.replace(/,/g, "");
    var n = Number(t);
    return t === "" || isNaN(n) ? null : n;
  }

  function profileOf(form) {
    var lang = form.getAttribute("data-lang");
    var body = {year: null, onderneming: {}};
    form.querySelectorAll("input[type=hidden]").forEach(function (input) {
      if (input.name === "year") { body.year = Number(input.value); return; }
      if (input.name === "skip" || input.name === "edit") return;
      var v = input.value;
      body.onderneming[input.name] = v === "true" ? true : v === "false" ? false :
        (/^-?\d+(\.\d+)?(e-?\d+)?$/.test(v) ? Number(v) : v);
    });
    form.querySelectorAll("[data-variable]").forEach(function (field) {
      var name = field.getAttribute("data-variable");
      var checked = field.querySelector("input[type=radio]:checked");
      var select = field.querySelector("select");
      var text = field.querySelector("input[type=text]");
      if (checked) body.onderneming[name] = checked.value === "true";
      else if (select && select.value) body.onderneming[name] = select.value;
      else if (text && text.value.trim()) {
        var n = parseNumber(lang, text.value);
        if (n !== null) body.onderneming[name] = n;
      }
    });
    return body;
  }

  function post(url, body) {
    return fetch(url, {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)})
      .then(function (r) { return r.ok ? r.json() : null; });
  }

  function runningResult() {
    var form = document.getElementById("navigator-form");
    var total = document.getElementById("running-total");
    if (!form || !total) return;
    // Under a simulator reform the running result is the server's (the API's check would need the
    // reform itself, which the page holds only as a job id): the page updates on each step.
    if (form.hasAttribute("data-reform")) return;
    var lang = form.getAttribute("data-lang");
    var table = document.querySelector("#running-table tbody");
    var left = document.getElementById("questions-left");
    var timer = null;
    function update() {
      var body = profileOf(form);
      post("/api/v1/check", body).then(function (result) {
        if (!result) return;
        total.textContent = euro(lang, result.total_value_eur);
        table.textContent = "";
        result.schemes.filter(function (s) { return s.eligible; }).forEach(function (s) {
          var row = document.createElement("tr");
          var th = document.createElement("th"); th.scope = "row"; th.textContent = s.name;
          var td = document.createElement("td"); td.className = "num"; td.textContent = euro(lang, s.value_eur);
          row.appendChild(th); row.appendChild(td); table.appendChild(row);
        });
      });
      post("/api/v1/check/next", body).then(function (next) {
        if (!next || !left) return;
        var n = next.questions.length;
        left.textContent = lang === "nl" ? "Nog " + n + " vragen kunnen de uitkomst veranderen." :
          n + " more questions can change the result.";
      });
    }
    form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(update, 400); });
    form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(update, 50); });
  }

  function charts() {
    var figures = document.querySelectorAll("figure.chart");
    if (!figures.length || !window.Plotly) return;
    figures.forEach(function (figure) {
      var table = figure.querySelector("table");
      var canvas = figure.querySelector(".chart-canvas");
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return {label: th.textContent, kind: th.getAttribute("data-kind")};
      });
      var rows = Array.prototype.map.call(table.querySelectorAll("tbody tr"), function (tr) {
        return Array.prototype.map.call(tr.children, function (cell) {
          return {raw: cell.getAttribute("data-value"), text: cell.textContent};
        });
      });
      var hover = figure.getAttribute("data-hover");
      var x = rows.map(function (r) { return r[0].raw || r[0].text; });
      var kind = figure.getAttribute("data-chart");
      var traces = [];
      heads.forEach(function (h, i) {
        if (i === 0 || ["euro", "number", "percent"].indexOf(h.kind) < 0) return;
        traces.push({
          type: kind === "bar" ? "bar" : "scatter",
          mode: kind === "step" ? "lines+markers" : (kind === "bar" ? undefined : "lines+markers"),
          line: kind === "step" ? {shape: "hv"} : undefined,
          name: h.label, x: x,
          y: rows.map(function (r) { return r[i].raw === "" ? null : Number(r[i].raw); }),
          text: rows.map(function (r) { return r[i].text + (hover !== null ? " – " + r[Number(hover)].text : ""); }),
          hovertemplate: "%{x}: %{text}<extra>" + h.label + "</extra>"
        });
      });
      if (!traces.length) return;
      canvas.classList.add("drawn");
      window.Plotly.newPlot(canvas, traces, {
        margin: {t: 20, r: 10, b: 60, l: 70}, barmode: "group", legend: {orientation: "h"},
        xaxis: {type: "category", automargin: true}, yaxis: {automargin: true}
      }, {displaylogo: false, displayModeBar: false, responsive: true});
      figure.setAttribute("data-drawn", "true");
    });
  }

  function jobProgress() {
    var box = document.getElementById("job-progress");
    if (!box) return;
    var url = box.getAttribute("data-status-url");
    function poll() {
      fetch(url, {headers: {"Accept": "application/json"}}).then(function (r) { return r.json(); })
        .then(function (job) {
          if (job.status === "done" || job.status === "failed") window.location.reload();
          else setTimeout(poll, 700);
        }, function () { setTimeout(poll, 2000); });
    }
    setTimeout(poll, 300);
  }

  ready(function () { focusErrorSummary(); runningResult(); charts(); jobProgress(); });
})();
