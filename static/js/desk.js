/* Accord on-site desk: badge scans with an offline queue, batch progress, arrivals dashboard.
   No inline scripts (CSP); every text shown comes from the server or from data-* labels in the page. */
(function () {
  "use strict";

  // Times in the page's language, 24-hour clock, in the conference's time zone (not the device's).
  function localTime(value, timeZone) {
    var options = { hourCycle: "h23", hour: "2-digit", minute: "2-digit", second: "2-digit" };
    if (timeZone) { options.timeZone = timeZone; }
    try {
      return new Date(value).toLocaleTimeString(document.documentElement.lang || undefined, options);
    } catch (e) {  // an unknown zone name: the device's
      delete options.timeZone;
      return new Date(value).toLocaleTimeString(document.documentElement.lang || undefined, options);
    }
  }
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
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
    var timeZone = root.dataset.timeZone;
    var sending = false;
    var reachable = true;  // false after a send failed for the network: offline even if the device thinks not
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
    function logLine(li, item, text) {
      li.textContent = "";
      var time = element("time", "", localTime(item.scanned_at, timeZone));
      time.dateTime = item.scanned_at;
      li.appendChild(time);
      li.appendChild(element("span", "", text));
    }
    function showPending(item, label) {
      var li = row(item);
      li.className = "scan pending";
      logLine(li, item, label);
    }
    // The answer, large: verdict, photo, both scripts, delegation with its flag image (or its country code in a
    // box: no emoji font needed), position, and the category in its badge colour.
    function showAnswer(data) {
      last.textContent = "";
      last.className = "scan-last result-" + data.result;
      last.appendChild(element("p", "scan-verdict", data.message));
      var person = data.participant;
      if (!person) { return; }
      var box = element("div", "scan-person");
      if (person.photo_url) {
        var img = element("img", "scan-photo");
        img.src = person.photo_url;
        img.alt = person.name;
        img.width = 144;
        img.height = 192;
        box.appendChild(img);
      } else {
        box.appendChild(element("div", "scan-photo", root.dataset.labelNoPhoto));
      }
      var who = element("div", "scan-who");
      var name = element("p", "scan-name");
      name.appendChild(element("bdi", "", person.name));
      who.appendChild(name);
      if (person.name_ar) {
        var nameAr = element("bdi", "", person.name_ar);
        nameAr.lang = "ar";
        nameAr.dir = "rtl";
        who.appendChild(element("p", "scan-name-ar")).appendChild(nameAr);
      }
      var delegation = element("p", "scan-delegation");
      if (person.flag_url) {
        var flag = element("img", "flag");
        flag.src = person.flag_url;
        flag.alt = "";  // the delegation's name follows
        flag.width = 36;
        flag.height = 24;
        delegation.appendChild(flag);
      } else if (person.country || person.delegation_code) {
        delegation.appendChild(element("span", "country-code", person.country || person.delegation_code));
      }
      delegation.appendChild(element("bdi", "", person.delegation || ""));
      who.appendChild(delegation);
      var details = [person.position, person.delegation_code].filter(Boolean).join(" · ");
      if (details) {
        var p = element("p", "scan-details");
        p.appendChild(element("bdi", "", details));
        who.appendChild(p);
      }
      if (person.url) {
        var link = element("a", "", root.dataset.labelRecord);
        link.href = person.url;
        link.target = "_blank";
        who.appendChild(element("p", "")).appendChild(link);
      }
      box.appendChild(who);
      last.appendChild(box);
      last.appendChild(element("p", "category-band category-" + (person.category_key || "other"), person.category));
    }
    function showResult(item, data) {
      var li = row(item);
      li.className = "scan result-" + data.result;
      logLine(li, item, data.message);
      showAnswer(data);
    }
    // The connection banner: an unmistakable red bar when offline, and the number of scans still queued.
    function updateNet() {
      var pending = load().length;
      var online = navigator.onLine && reachable;
      netState.className = "net-banner" + (online ? "" : " offline");
      netState.querySelector(".net-label").textContent = online ? root.dataset.labelOnline : root.dataset.labelOffline;
      var queued = netState.querySelector(".queued");
      queued.dataset.count = String(pending);
      queued.querySelector(".queued-count").textContent = String(pending);
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
        reachable = true;
        var rest = load().filter(function (q) { return q.client_id !== item.client_id; });
        save(rest);
        if (answer.status === 200) { showResult(item, answer.data); }
        else { showResult(item, { result: "invalid", message: root.dataset.labelError + ": " + (answer.data.error || answer.status) }); }
        updateNet();
        sending = false;
        flush();
      }).catch(function (error) {
        sending = false;
        if (!(error && (error.login || error.retry))) { reachable = false; }
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
    window.addEventListener("online", function () { reachable = true; flush(); });
    window.addEventListener("online", updateNet);
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
      }).catch(function (error) { last.className = "scan-last result-invalid"; last.textContent = ""; last.appendChild(element("p", "scan-verdict", String(error))); });
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
