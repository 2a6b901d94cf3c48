/* ledgerbridge scan app: camera -> QR-bill -> confirm -> pending payment slip.

   Read, then confirm, then store: a scan (the QR text decoded here by BarcodeDetector, or a
   photo) is first sent to the preview endpoint, which reads it and stores nothing; the
   person confirms the fields; only then is it queued and sent to the confirm endpoint,
   with the queue entry's id as Idempotency-Key (a retry never stores it twice).

   The queue lives in IndexedDB so that scans survive going offline and closing the app;
   it is flushed on load, on the "online" event, after each confirmation and every 30 s.
   A photo taken offline waits in the queue unconfirmed and is read once back online. */
(function () {
  "use strict";

  var config = document.getElementById("scan-config");
  if (!config) { return; }
  var TEXT = JSON.parse(document.getElementById("scan-texts").textContent);
  var URLS = { preview: config.dataset.preview, confirm: config.dataset.confirm,
               receipt: config.dataset.receipt };
  var $ = function (id) { return document.getElementById(id); };
  var video = $("camera");
  var stream = null;
  var detector = null;
  var scanning = false;
  var current = null; /* the scan awaiting confirmation */
  var flushing = false;

  /* ---- service worker: the app opens offline ------------------------------------ */
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(config.dataset.sw, { scope: config.dataset.scope })
      .catch(function () { /* the app works without it, only not offline */ });
  }

  /* ---- IndexedDB queue ------------------------------------------------------------ */
  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open("ledgerbridge-scan", 1);
        request.onupgradeneeded = function () { request.result.createObjectStore("queue", { keyPath: "id" }); };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return dbPromise;
  }
  function store(mode, work) {
    return db().then(function (database) {
      return new Promise(function (resolve, reject) {
        var tx = database.transaction("queue", mode);
        var result = work(tx.objectStore("queue"));
        tx.oncomplete = function () { resolve(result && "result" in result ? result.result : undefined); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }
  var queue = {
    all: function () { return store("readonly", function (s) { return s.getAll(); }); },
    put: function (item) { return store("readwrite", function (s) { s.put(item); }); },
    remove: function (id) { return store("readwrite", function (s) { s["delete"](id); }); }
  };

  function newId() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return "s-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }

  /* ---- talking to the hub ----------------------------------------------------------- */
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : config.dataset.csrf;
  }

  function body(item) {
    var form = new FormData();
    if (item.kind === "text") { form.append("payload", item.payload); }
    else { form.append("photo", item.blob, item.name || "photo.jpg"); }
    if (item.category) { form.append("category", item.category); }
    return form;
  }

  /* resolves {status, data}; rejects on a network error. A redirect or an HTML answer
     means the session is gone: status 401. */
  function post(url, item, extraHeaders) {
    var headers = { "X-CSRFToken": csrfToken(), "Accept": "application/json" };
    Object.keys(extraHeaders || {}).forEach(function (k) { headers[k] = extraHeaders[k]; });
    return fetch(url, { method: "POST", body: body(item), headers: headers, credentials: "same-origin", redirect: "follow" })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (response.redirected || type.indexOf("application/json") === -1) {
          return { status: response.status >= 500 ? response.status : 401, data: {} };
        }
        return response.json().then(function (data) { return { status: response.status, data: data }; });
      });
  }

  /* ---- messages ----------------------------------------------------------------------- */
  function say(text, kind) {
    var box = $("scan-message");
    box.textContent = text || "";
    box.className = "scan-message" + (kind ? " " + kind : "");
  }

  function showNet() {
    var badge = $("net-status");
    badge.textContent = navigator.onLine ? badge.dataset.online : badge.dataset.offline;
    badge.classList.toggle("offline", !navigator.onLine);
  }

  /* ---- reading a QR-bill here, only to show it while offline ------------------------------
     The QR-bill text has one field per line (Swiss Implementation Guidelines QR-bill,
     section 4.3): IBAN on line 4, the creditor's name on line 6, amount and currency on
     lines 19-20, reference on line 29. The server reads it again, fully, when it is sent. */
  function localFields(payload) {
    var lines = payload.split(/\r\n|\n|\r/);
    if (lines[0] !== "SPC" || lines.length < 31) { return null; }
    return { creditor: lines[5] || "", iban: lines[3] || "", amount: lines[18] || "",
             currency: lines[19] || "", reference: lines[28] || "", due_date: "" };
  }

  /* ---- the confirmation card ------------------------------------------------------------ */
  /* Amounts and dates in the organization's regional format (the page's data-group,
     data-decimal and data-date, e.g. ' . d.m.Y), as the portal writes them. */
  function formatDate(iso) {
    if (!iso) { return "—"; }
    var parts = iso.split("-");
    if (parts.length !== 3) { return iso; }
    var letters = { Y: parts[0], m: parts[1], d: parts[2] };
    return (config.dataset.date || "Y-m-d").replace(/[Ymd]/g, function (c) { return letters[c]; });
  }

  function formatAmount(amount) {
    if (!amount) { return TEXT.openAmount; }
    var value = Number(amount);
    if (!isFinite(value)) { return amount; }
    var fixed = Math.abs(value).toFixed(2).split(".");
    var whole = fixed[0].replace(/\B(?=(\d{3})+(?!\d))/g, config.dataset.group || "\u00a0");
    return (value < 0 ? "-" : "") + whole + (config.dataset.decimal || ".") + fixed[1];
  }

  /* An IBAN or a QR reference in the blocks printed on the bill, each one unbreakable. */
  function blocks(value, kind) {
    var compact = (value || "").replace(/\s+/g, "");
    var parts = [];
    if (kind === "reference" && /^\d+$/.test(compact)) {
      var head = compact.length % 5;
      if (head) { parts.push(compact.slice(0, head)); }
      for (var i = head; i < compact.length; i += 5) { parts.push(compact.slice(i, i + 5)); }
    } else if (kind === "iban" || /^RF/i.test(compact)) {
      for (var j = 0; j < compact.length; j += 4) { parts.push(compact.slice(j, j + 4).toUpperCase()); }
    } else {
      parts.push(value || "");
    }
    return parts;
  }

  function fillBlocks(target, value, kind) {
    if (!value) { target.textContent = "—"; return; }
    blocks(value, kind).forEach(function (part, index) {
      if (index) { target.appendChild(document.createTextNode(" ")); }
      var span = document.createElement("span");
      span.className = "grp";
      span.textContent = part;
      target.appendChild(span);
    });
  }

  function renderSlip(fields) {
    var node = $("slip-template").content.cloneNode(true);
    var values = {
      creditor: fields.creditor || "—",
      amount: (fields.currency ? fields.currency + "\u00a0" : "") + formatAmount(fields.amount),
      due_date: formatDate(fields.due_date)
    };
    Object.keys(values).forEach(function (key) { node.querySelector("[data-f=" + key + "]").textContent = values[key]; });
    fillBlocks(node.querySelector("[data-f=iban]"), fields.iban, "iban");
    fillBlocks(node.querySelector("[data-f=reference]"), fields.reference, "reference");
    return node;
  }

  function askToConfirm(item, slips, offline) {
    current = item;
    var box = $("confirm-slips");
    box.textContent = "";
    slips.forEach(function (fields) { box.appendChild(renderSlip(fields)); });
    $("confirm-offline").hidden = !offline;
    $("confirm").hidden = false;
    $("confirm").scrollIntoView({ behavior: "smooth", block: "start" });
    $("confirm-ok").focus();
  }

  function closeConfirm() {
    current = null;
    $("confirm").hidden = true;
  }

  /* ---- preview: read without storing ------------------------------------------------------ */
  function preview(item) {
    say(TEXT.reading);
    if (!navigator.onLine) { return previewOffline(item); }
    return post(URLS.preview, item).then(function (answer) {
      if (answer.status === 200) { say(""); askToConfirm(item, answer.data.slips, false); return; }
      if (answer.status === 401) { say(TEXT.loginAgain, "bad"); return; }
      if (answer.status >= 500) { throw new Error("server"); }
      say(answer.data.message || TEXT.failed, "bad");
      if (item.queued) { queue.remove(item.id).then(renderQueue); }
    }).catch(function () { return previewOffline(item); });
  }

  function previewOffline(item) {
    if (item.kind === "text") {
      var fields = localFields(item.payload);
      if (!fields) { say(TEXT.notQrBill, "bad"); return; }
      say("");
      askToConfirm(item, [fields], true);
      return;
    }
    item.confirmed = false;
    item.queued = true;
    return queue.put(item).then(function () { say(TEXT.photoOffline, "info"); renderQueue(); });
  }

  /* ---- confirm, queue and send ----------------------------------------------------------- */
  function confirmCurrent() {
    if (!current) { return; }
    var item = current;
    item.confirmed = true;
    item.queued = true;
    closeConfirm();
    queue.put(item).then(function () {
      if (!navigator.onLine) { say(TEXT.queuedOffline, "info"); }
      renderQueue();
      flush();
    });
  }

  function sendOne(item) {
    return post(URLS.confirm, item, { "Idempotency-Key": item.id }).then(function (answer) {
      if (answer.status === 200 || answer.status === 201) {
        say(TEXT[answer.data.outcome === "created" ? "sent" : answer.data.outcome] || TEXT.sent,
            answer.data.outcome === "created" ? "ok" : "warn");
        document.body.dispatchEvent(new CustomEvent("scan-sent", { bubbles: true }));
        return queue.remove(item.id).then(function () { return true; });
      }
      if (answer.status === 401) { say(TEXT.loginAgain, "bad"); return false; }
      if (answer.status >= 500 || answer.status === 429) { return false; }
      item.error = answer.data.message || TEXT.failed;
      return queue.put(item).then(function () { return true; });
    });
  }

  function flush() {
    if (flushing || !navigator.onLine) { return Promise.resolve(); }
    flushing = true;
    return queue.all().then(function (items) {
      items.sort(function (a, b) { return a.created - b.created; });
      var chain = Promise.resolve(true);
      items.forEach(function (item) {
        chain = chain.then(function (goOn) {
          if (!goOn || item.error) { return goOn; }
          if (!item.confirmed) {
            if (!current) { preview(item); }
            return goOn;
          }
          return sendOne(item);
        });
      });
      return chain;
    }).catch(function () { say(TEXT.networkError, "info"); })
      .then(function () { flushing = false; renderQueue(); });
  }

  function renderQueue() {
    return queue.all().then(function (items) {
      var list = $("queue-list");
      list.textContent = "";
      $("queue-card").hidden = items.length === 0;
      items.sort(function (a, b) { return a.created - b.created; });
      items.forEach(function (item) {
        var li = document.createElement("li");
        var label = document.createElement("span");
        label.textContent = (item.kind === "text" ? TEXT.qrText : TEXT.photo) + " · " +
          new Date(item.created).toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit" });
        var state = document.createElement("span");
        state.className = "badge " + (item.error ? "bad" : "warn");
        state.textContent = item.error ? TEXT.failed : TEXT.waiting;
        li.appendChild(label);
        li.appendChild(state);
        if (item.error) {
          var why = document.createElement("small");
          why.className = "queue-error";
          why.textContent = item.error;
          li.appendChild(why);
        }
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "linkish";
        remove.textContent = TEXT.remove;
        remove.addEventListener("click", function () { queue.remove(item.id).then(renderQueue); });
        li.appendChild(remove);
        list.appendChild(li);
      });
    });
  }

  /* ---- camera ------------------------------------------------------------------------------ */
  function stopCamera() {
    scanning = false;
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    $("viewfinder").hidden = true;
    $("start-camera").hidden = false;
    $("capture-frame").hidden = true;
    $("stop-camera").hidden = true;
  }

  function handlePayload(text) {
    stopCamera();
    if (text.indexOf("SPC") !== 0) { say(TEXT.notQrBill, "bad"); return; }
    preview({ id: newId(), kind: "text", payload: text, created: Date.now() });
  }

  function detectLoop() {
    if (!scanning || !detector) { return; }
    detector.detect(video).then(function (codes) {
      var bill = codes.filter(function (c) { return (c.rawValue || "").indexOf("SPC") === 0; })[0];
      if (bill) { handlePayload(bill.rawValue); return; }
      if (codes.length) { say(TEXT.notQrBill, "warn"); }
      setTimeout(detectLoop, 200);
    }).catch(function () { setTimeout(detectLoop, 400); });
  }

  function makeDetector() {
    if (!("BarcodeDetector" in window)) { return Promise.resolve(null); }
    return BarcodeDetector.getSupportedFormats().then(function (formats) {
      return formats.indexOf("qr_code") === -1 ? null : new BarcodeDetector({ formats: ["qr_code"] });
    }).catch(function () { return null; });
  }

  function startCamera() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { say(TEXT.cameraDenied, "warn"); return; }
    say("");
    navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: "environment" }, width: { ideal: 1920 }, height: { ideal: 1080 } }, audio: false })
      .then(function (s) {
        stream = s;
        video.srcObject = s;
        $("viewfinder").hidden = false;
        $("start-camera").hidden = true;
        $("stop-camera").hidden = false;
        return video.play().then(makeDetector);
      })
      .then(function (found) {
        detector = found;
        scanning = true;
        if (detector) { detectLoop(); }
        else { $("capture-frame").hidden = false; say(TEXT.noDetector, "info"); }
      })
      .catch(function () { stopCamera(); say(TEXT.cameraDenied, "warn"); });
  }

  function captureFrame() {
    var canvas = document.createElement("canvas");
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext("2d").drawImage(video, 0, 0);
    canvas.toBlob(function (blob) {
      stopCamera();
      if (blob) { preview({ id: newId(), kind: "photo", blob: blob, name: "camera.jpg", created: Date.now() }); }
    }, "image/jpeg", 0.92);
  }

  /* ---- wiring ------------------------------------------------------------------------------- */
  $("start-camera").addEventListener("click", startCamera);
  $("stop-camera").addEventListener("click", function () { stopCamera(); say(""); });
  $("capture-frame").addEventListener("click", captureFrame);
  $("photo-input").addEventListener("change", function (event) {
    var file = event.target.files && event.target.files[0];
    event.target.value = "";
    if (file) { preview({ id: newId(), kind: "photo", blob: file, name: file.name, created: Date.now() }); }
  });
  /* a receipt photo is stored at once (nothing to confirm); offline it is not kept */
  function sendReceipt(file) {
    var box = $("receipt-message");
    function tell(text, kind) { box.textContent = text; box.className = "scan-message" + (kind ? " " + kind : ""); }
    var item = { id: newId(), kind: "photo", blob: file, name: file.name || "receipt.jpg",
                 category: $("receipt-category").value };
    tell(TEXT.sending, "info");
    return post(URLS.receipt, item, { "Idempotency-Key": item.id }).then(function (answer) {
      if (answer.status === 201 || answer.status === 200) {
        tell(TEXT.receiptSent, "ok");
        document.body.dispatchEvent(new CustomEvent("scan-sent"));
      } else if (answer.status === 401) { tell(TEXT.loginAgain, "bad"); }
      else { tell(answer.data.message || TEXT.failed, "bad"); }
    }).catch(function () { tell(TEXT.receiptOffline, "bad"); });
  }
  $("receipt-input").addEventListener("change", function (event) {
    var file = event.target.files && event.target.files[0];
    event.target.value = "";
    if (file) { sendReceipt(file); }
  });
  $("confirm-ok").addEventListener("click", confirmCurrent);
  $("confirm-cancel").addEventListener("click", function () {
    var item = current;
    closeConfirm();
    say(TEXT.discarded);
    if (item && item.queued) { queue.remove(item.id).then(renderQueue); }
  });
  $("send-now").addEventListener("click", flush);
  /* offline the list cannot load: say so instead of "Loading…" (the last list stays) */
  document.body.addEventListener("htmx:sendError", function (event) {
    var placeholder = $("recent").querySelector(".empty");
    if (event.detail.elt && event.detail.elt.id === "recent" && placeholder) {
      placeholder.textContent = TEXT.recentOffline;
    }
  });
  window.addEventListener("online", function () { showNet(); flush(); });
  window.addEventListener("offline", showNet);
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { stopCamera(); } else { flush(); }
  });
  setInterval(flush, 30000);
  showNet();
  renderQueue().then(flush);
  /* Every handler is attached: tests (and scripts driving the page) wait for this. */
  document.documentElement.dataset.scanReady = "true";
})();
