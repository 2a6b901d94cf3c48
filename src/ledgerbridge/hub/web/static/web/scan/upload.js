/* Document upload: drag and drop, several files, one request per file with its own
   progress bar and result. Without this script the form posts all files at once and the
   page lists the results; with it, the same endpoint answers JSON (Accept header). */
(function () {
  "use strict";

  var form = document.getElementById("upload-form");
  if (!form || !window.XMLHttpRequest || !window.FormData) { return; }
  var input = document.getElementById("id_files");
  var zone = document.getElementById("dropzone");
  var list = document.getElementById("upload-list");
  var results = document.getElementById("upload-results");
  var template = document.getElementById("upload-item-template");
  var LABELS = JSON.parse(document.getElementById("upload-labels").textContent);
  var BADGE = { created: "ok", existing: "info", duplicate: "warn", error: "bad" };
  var maxBytes = parseInt(form.dataset.maxBytes, 10);
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  function row(file) {
    var node = template.content.firstElementChild.cloneNode(true);
    node.querySelector(".upload-name").textContent = file.name;
    node.querySelector(".upload-badge").textContent = LABELS.uploading;
    results.hidden = false;
    list.insertBefore(node, list.firstChild);
    return node;
  }

  function finish(node, result) {
    var badge = node.querySelector(".upload-badge");
    badge.className = "badge upload-badge " + (BADGE[result.outcome] || "bad");
    badge.textContent = LABELS[result.outcome] || LABELS.error;
    node.classList.add(result.outcome);
    node.querySelector("progress").hidden = true;
    var message = node.querySelector(".upload-message");
    message.textContent = result.message;
    /* The code is for a support person: small, below the plain sentence. */
    var support = node.querySelector(".support-code");
    support.hidden = !(result.outcome === "error" && result.code);
    support.textContent = support.hidden ? "" : LABELS.supportCode.replace("%(code)s", result.code);
    var docs = node.querySelector(".upload-docs");
    (result.documents || []).forEach(function (doc) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = doc.url;
      link.textContent = [doc.label, doc.creditor, doc.amount_display || ""]
        .filter(Boolean).join(" · ");
      li.appendChild(link);
      docs.appendChild(li);
    });
  }

  function send(file) {
    var node = row(file);
    var bar = node.querySelector("progress");
    if (file.size > maxBytes) {
      finish(node, { outcome: "error", code: "file-too-large", message: form.dataset.msgTooLarge });
      return;
    }
    var data = new FormData();
    data.append("files", file, file.name);
    data.append("keep_as", form.elements.keep_as.value);
    data.append("category", form.elements.category.value);
    if (form.elements.keep_unreadable.checked) {
      data.append("keep_unreadable", "on");
    }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-CSRFToken", csrf);
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) { bar.value = Math.round(100 * event.loaded / event.total); }
    });
    xhr.upload.addEventListener("load", function () {
      bar.removeAttribute("value");
      node.querySelector(".upload-message").textContent = form.dataset.msgReading;
    });
    xhr.addEventListener("load", function () {
      var answer = null;
      try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = null; }
      if (answer && answer.results && answer.results[0]) { finish(node, answer.results[0]); }
      else { finish(node, { outcome: "error", code: "http-" + xhr.status, message: form.dataset.msgFailed }); }
    });
    xhr.addEventListener("error", function () {
      finish(node, { outcome: "error", code: "network", message: form.dataset.msgFailed });
    });
    xhr.send(data);
  }

  var names = document.getElementById("file-names");
  function sendAll(files) {
    names.textContent = Array.prototype.map.call(files, function (f) { return f.name; }).join(", ");
    Array.prototype.forEach.call(files, send);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (input.files.length) { sendAll(input.files); input.value = ""; }
  });
  input.addEventListener("change", function () {
    if (input.files.length) { sendAll(input.files); input.value = ""; }
  });
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (event) {
    if (event.dataTransfer && event.dataTransfer.files.length) { sendAll(event.dataTransfer.files); }
  });
  document.getElementById("upload-submit").hidden = true; /* choosing or dropping sends at once */
  /* Every handler is attached: tests (and scripts driving the page) wait for this. */
  document.documentElement.dataset.uploadReady = "true";
})();
