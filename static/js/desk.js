/* Accord on-site desk: badge scans with an offline queue, batch progress, arrivals dashboard.
   No inline scripts (CSP); every text shown comes from the server or from data-* labels in the page. */
(function () {
  "use strict";

  // Times in the page's language, 24-hour clock.
  function localTime(value) {
    return new Date(value).toLocaleTimeString(document.documentElement.lang || undefined, { hourCycle: "h23" });
  }

  // ---- Scanning (check-in desk and session doors) -------------------------------------------------
  function initScan(root) {
    var url = root.dataset.scanUrl;
    var storageKey = "accord.desk.queue." + root.dataset.scope;
    var csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;
    var form = document.getElementById("scan-form");
    var input = document.getElementById("scan-input");
    var log = document.getElementById("scan-log");
    var last = document.getElementById("scan-last");
    var netState = document.getElementById("net-state");
    var sending = false;
    var retryTimer = null;
    var rows = {};

    function load() {
      try { return JSON.parse(localStorage.getItem(storageKey) || "[]"); } catch (e) { return []; }
    }
    function save(queue) { localStorage.setItem(storageKey, JSON.stringify(queue)); }
    function newId() {
      if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
      var bytes = new Uint8Array(16);
      crypto.getRandomValues(bytes);
      return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    }
    function row(item) {
      var li = rows[item.client_id];
      if (!li) {
        li = document.createElement("li");
        li.dataset.clientId = item.client_id;
        rows[item.client_id] = li;
        log.insertBefore(li, log.firstChild);
        while (log.children.length > 50) { log.removeChild(log.lastChild); }
      }
      return li;
    }
    function showPending(item, label) {
      var li = row(item);
      li.className = "scan pending";
      li.textContent = localTime(item.scanned_at) + " — " + label;
    }
    function showResult(item, data) {
      var li = row(item);
      li.className = "scan result-" + data.result;
      li.textContent = localTime(item.scanned_at) + " — " + data.message;
      last.className = "scan-last result-" + data.result;
      last.textContent = data.message;
    }
    function updateNet() {
      var pending = load().length;
      netState.textContent = (navigator.onLine ? "" : root.dataset.labelOffline + " · ") + (pending ? pending + " ⏳" : "");
    }
    function scheduleRetry() {
      if (retryTimer) { return; }
      retryTimer = setTimeout(function () { retryTimer = null; flush(); }, 4000);
    }
    function flush() {
      if (sending) { return; }
      var queue = load();
      updateNet();
      if (!queue.length) { return; }
      sending = true;
      var item = queue[0];
      showPending(item, root.dataset.labelSending);
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify(item)
      }).then(function (response) {
        if (response.status === 403) { throw { login: true }; }
        if (response.status >= 500) { throw { retry: true }; }
        return response.json().then(function (data) { return { status: response.status, data: data }; });
      }).then(function (answer) {
        var rest = load().filter(function (q) { return q.client_id !== item.client_id; });
        save(rest);
        if (answer.status === 200) { showResult(item, answer.data); }
        else { showResult(item, { result: "invalid", message: root.dataset.labelError + ": " + (answer.data.error || answer.status) }); }
        sending = false;
        flush();
      }).catch(function (error) {
        sending = false;
        showPending(item, error && error.login ? root.dataset.labelLogin : root.dataset.labelPending);
        load().forEach(function (q) { if (q.client_id !== item.client_id) { showPending(q, root.dataset.labelPending); } });
        updateNet();
        scheduleRetry();
      });
    }
    function submit(code) {
      code = (code || "").trim();
      if (!code) { return; }
      var item = { client_id: newId(), code: code, scanned_at: new Date().toISOString(), device: root.dataset.scope };
      var queue = load();
      queue.push(item);
      save(queue);
      showPending(item, root.dataset.labelPending);
      updateNet();
      flush();
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submit(input.value);
      input.value = "";
      input.focus();
    });
    window.addEventListener("online", flush);
    window.addEventListener("offline", updateNet);
    load().forEach(function (item) { showPending(item, root.dataset.labelPending); });
    flush();

    // Camera scanning with the vendored jsQR.
    var video = document.getElementById("camera-video");
    var canvas = document.getElementById("camera-canvas");
    var start = document.getElementById("camera-start");
    var stop = document.getElementById("camera-stop");
    var stream = null;
    var lastCode = "";
    var lastAt = 0;
    function tick() {
      if (!stream) { return; }
      if (video.readyState === video.HAVE_ENOUGH_DATA && window.jsQR) {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        var context = canvas.getContext("2d", { willReadFrequently: true });
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        var image = context.getImageData(0, 0, canvas.width, canvas.height);
        var found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
        var now = Date.now();
        if (found && found.data && (found.data !== lastCode || now - lastAt > 10000)) {
          lastCode = found.data;
          lastAt = now;
          submit(found.data);
        }
      }
      requestAnimationFrame(tick);
    }
    if (!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia)) { start.hidden = true; }
    start.addEventListener("click", function () {
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        start.hidden = true;
        stop.hidden = false;
        video.play();
        requestAnimationFrame(tick);
      }).catch(function (error) { last.textContent = String(error); });
    });
    stop.addEventListener("click", function () {
      if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
      stream = null;
      video.hidden = true;
      start.hidden = false;
      stop.hidden = true;
      input.focus();
    });
  }

  // ---- Batch progress ------------------------------------------------------------------------------
  function initBatches(table) {
    var downloadLabel = document.getElementById("download-label").innerHTML;
    function poll() {
      var active = table.querySelectorAll("tr.batch[data-status=queued], tr.batch[data-status=running]");
      if (!active.length) { return; }
      Array.prototype.forEach.call(active, function (tr) {
        fetch(tr.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) { return r.json(); }).then(function (data) {
          tr.dataset.status = data.status;
          var progress = tr.querySelector("progress");
          progress.max = data.total;
          progress.value = data.done;
          tr.querySelector(".batch-state").textContent = data.status_label + " " + data.done + "/" + data.total + (data.error ? " — " + data.error : "");
          if (data.download) {
            var a = document.createElement("a");
            a.href = data.download;
            a.textContent = downloadLabel;
            var cell = tr.querySelector(".batch-download");
            cell.textContent = "";
            cell.appendChild(a);
          }
        }).catch(function () {});
      });
      setTimeout(poll, 2000);
    }
    setTimeout(poll, 1000);
  }

  // ---- Arrivals dashboard ------------------------------------------------------------------------
  function initArrivals(root) {
    function fill(body, rows) {
      body.textContent = "";
      rows.forEach(function (row) {
        var tr = document.createElement("tr");
        [row.code + " · " + row.name, row.checked_in, row.approved].forEach(function (value, index) {
          var td = document.createElement("td");
          if (index === 0) {
            var bdi = document.createElement("bdi");
            bdi.textContent = body.dataset.rows === "categories" ? row.name : value;
            td.appendChild(bdi);
          } else {
            td.textContent = value;
          }
          tr.appendChild(td);
        });
        body.appendChild(tr);
      });
    }
    function refresh() {
      fetch(root.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) { return r.json(); }).then(function (data) {
        root.querySelector("[data-field=checked_in]").textContent = data.checked_in;
        root.querySelector("[data-field=approved]").textContent = data.approved;
        fill(root.querySelector("[data-rows=delegations]"), data.delegations);
        fill(root.querySelector("[data-rows=categories]"), data.categories);
      }).catch(function () {});
    }
    setInterval(refresh, 15000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var scan = document.getElementById("desk-scan");
    if (scan) { initScan(scan); }
    var batches = document.getElementById("batches");
    if (batches) { initBatches(batches); }
    var arrivals = document.getElementById("arrivals");
    if (arrivals) { initArrivals(arrivals); }
  });
})();
