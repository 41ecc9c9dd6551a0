/*
 * SIPKO form helpers for phones on weak connections (no build step, no dependencies).
 *
 * Drafts: every field of a form marked `data-draft-key="…"` is kept in localStorage as it is
 * typed, so a dropped connection or a closed tab loses nothing. On the next visit the draft is
 * put back with a notice (texts from the form's `data-draft-restored` and `data-draft-discard`)
 * and a button to throw it away. The page after a successful save carries
 * `data-clear-draft="key …"`; only then is the draft removed. Files, passwords, hidden fields and
 * the CSRF token are never stored.
 *
 * Running totals: inputs marked `data-sum="group …"` add up into `<output data-sum-total="group">`;
 * `<output data-sum-share="part whole">` shows part as a percentage of whole.
 *
 * Photos too big to send: a file input marked `data-max-bytes="N"` shrinks each chosen JPEG/PNG
 * larger than N (a phone camera's 4–12 MB) to a JPEG under N before the form is sent, so it
 * uploads quickly and is accepted. Smaller files and PDFs go as they are; if shrinking fails the
 * original is kept and the server explains the size limit.
 */
(function () {
  "use strict";

  var PREFIX = "sipko:draft:";
  var MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;
  var SKIPPED_TYPES = ["file", "password", "hidden", "submit", "button", "reset", "image"];

  function storage() {
    try {
      var probe = PREFIX + "probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) {
      return null; // private mode, storage disabled or full: the form still works without drafts
    }
  }

  function keptFields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return (
        el.name &&
        !el.disabled &&
        el.name !== "csrfmiddlewaretoken" &&
        !el.hasAttribute("data-draft-ignore") &&
        SKIPPED_TYPES.indexOf(el.type) === -1
      );
    });
  }

  function snapshot(form) {
    var values = {};
    keptFields(form).forEach(function (el) {
      if (el.type === "checkbox") {
        var boxes = form.querySelectorAll('input[type="checkbox"][name="' + CSS.escape(el.name) + '"]');
        if (boxes.length > 1) {
          values[el.name] = values[el.name] || [];
          if (el.checked) values[el.name].push(el.value);
        } else {
          values[el.name] = el.checked;
        }
      } else if (el.type === "radio") {
        if (el.checked) values[el.name] = el.value;
        else if (!(el.name in values)) values[el.name] = null;
      } else if (el.type === "select-multiple") {
        values[el.name] = Array.prototype.filter
          .call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function apply(form, values) {
    keptFields(form).forEach(function (el) {
      if (!(el.name in values)) return;
      var value = values[el.name];
      if (el.type === "checkbox") {
        el.checked = Array.isArray(value) ? value.indexOf(el.value) !== -1 : Boolean(value);
      } else if (el.type === "radio") {
        el.checked = value !== null && el.value === value;
      } else if (el.type === "select-multiple") {
        Array.prototype.forEach.call(el.options, function (o) {
          o.selected = Array.isArray(value) && value.indexOf(o.value) !== -1;
        });
      } else if (typeof value === "string") {
        el.value = value;
      }
    });
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  function notice(form, savedAt, onDiscard) {
    var box = document.createElement("div");
    box.className = "alert alert-info draft-notice py-2";
    box.setAttribute("role", "status");
    box.setAttribute("data-testid", "draft-notice");
    var text = document.createElement("span");
    var when = new Date(savedAt);
    var lang = document.documentElement.lang || undefined;
    var stamp;
    try {
      stamp = when.toLocaleString(lang, { dateStyle: "medium", timeStyle: "short" });
    } catch (e) {
      stamp = when.toLocaleString();
    }
    text.textContent = (form.getAttribute("data-draft-restored") || "Draft restored.") + " (" + stamp + ")";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-sm btn-outline-secondary";
    button.textContent = form.getAttribute("data-draft-discard") || "Discard draft";
    button.addEventListener("click", function () {
      onDiscard();
      box.remove();
    });
    box.appendChild(text);
    box.appendChild(button);
    form.insertBefore(box, form.firstElementChild && form.firstElementChild.nextSibling);
  }

  function fire(form) {
    keptFields(form).forEach(function (el) {
      el.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  function watch(form, store) {
    var key = PREFIX + form.getAttribute("data-draft-key");
    var pending = null;

    function save() {
      pending = null;
      try {
        store.setItem(key, JSON.stringify({ savedAt: Date.now(), fields: snapshot(form) }));
      } catch (e) {
        /* storage full: keep the page working */
      }
    }
    function later() {
      if (pending) clearTimeout(pending);
      pending = setTimeout(save, 300);
    }
    function flush() {
      if (pending) {
        clearTimeout(pending);
        save();
      }
    }

    var stored = null;
    try {
      stored = JSON.parse(store.getItem(key) || "null");
    } catch (e) {
      stored = null;
    }
    if (stored && stored.fields && !same(stored.fields, snapshot(form))) {
      apply(form, stored.fields);
      notice(form, stored.savedAt, function () {
        store.removeItem(key);
        form.reset();
        fire(form);
      });
    }
    form.addEventListener("input", function (event) {
      if (event.isTrusted) later();
    });
    form.addEventListener("change", function (event) {
      if (event.isTrusted) later();
    });
    // A phone may kill the tab while it is in the background: write what is pending now.
    window.addEventListener("pagehide", flush);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") flush();
    });
    form.addEventListener("submit", flush);
  }

  function clearSaved(store) {
    document.querySelectorAll("[data-clear-draft]").forEach(function (el) {
      el.getAttribute("data-clear-draft").split(/\s+/).forEach(function (name) {
        if (name) store.removeItem(PREFIX + name);
      });
    });
    var now = Date.now();
    for (var i = store.length - 1; i >= 0; i -= 1) {
      var name = store.key(i);
      if (!name || name.indexOf(PREFIX) !== 0) continue;
      try {
        var item = JSON.parse(store.getItem(name));
        if (!item || now - item.savedAt > MAX_AGE_MS) store.removeItem(name);
      } catch (e) {
        store.removeItem(name);
      }
    }
  }

  function sums(root) {
    var inputs = root.querySelectorAll("[data-sum]");
    if (!inputs.length) return;
    function total(group) {
      var sum = 0;
      inputs.forEach(function (el) {
        if (el.getAttribute("data-sum").split(/\s+/).indexOf(group) === -1) return;
        var n = parseInt(el.value, 10);
        if (!isNaN(n) && n > 0) sum += n;
      });
      return sum;
    }
    function update() {
      root.querySelectorAll("[data-sum-total]").forEach(function (out) {
        out.value = total(out.getAttribute("data-sum-total")).toLocaleString(document.documentElement.lang || undefined);
      });
      root.querySelectorAll("[data-sum-share]").forEach(function (out) {
        var parts = out.getAttribute("data-sum-share").split(/\s+/);
        var whole = total(parts[1]);
        out.value = whole ? Math.round((100 * total(parts[0])) / whole) + "%" : "—";
      });
    }
    root.addEventListener("input", function (event) {
      if (event.target.hasAttribute && event.target.hasAttribute("data-sum")) update();
    });
    update();
  }

  var SHRINK_MAX_SIDE = 2048;
  var SHRINK_MIN_SIDE = 640;

  function loadImage(file) {
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(file);
      var img = new Image();
      img.onload = function () {
        URL.revokeObjectURL(url);
        resolve(img);
      };
      img.onerror = function () {
        URL.revokeObjectURL(url);
        reject(new Error("unreadable image"));
      };
      img.src = url;
    });
  }

  function encode(img, side) {
    var scale = Math.min(1, side / Math.max(img.naturalWidth, img.naturalHeight));
    var canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(img.naturalWidth * scale));
    canvas.height = Math.max(1, Math.round(img.naturalHeight * scale));
    canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
    return new Promise(function (resolve) {
      canvas.toBlob(resolve, "image/jpeg", 0.85);
    });
  }

  function shrink(file, limit) {
    return loadImage(file).then(function (img) {
      function attempt(side) {
        return encode(img, side).then(function (blob) {
          if (blob && blob.size <= limit) {
            var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
            return new File([blob], name, { type: "image/jpeg", lastModified: file.lastModified });
          }
          if (side * 0.75 < SHRINK_MIN_SIDE) return file;
          return attempt(Math.round(side * 0.75));
        });
      }
      return attempt(SHRINK_MAX_SIDE);
    }).catch(function () {
      return file;
    });
  }

  function shrinkPhotos(root) {
    if (!window.DataTransfer || !window.Promise || !HTMLCanvasElement.prototype.toBlob) return;
    root.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
      var limit = parseInt(input.getAttribute("data-max-bytes"), 10);
      input.addEventListener("change", function () {
        var files = Array.prototype.slice.call(input.files || []);
        var big = function (f) { return /^image\/(jpeg|png)$/.test(f.type) && f.size > limit; };
        if (!limit || !files.some(big)) return;
        var buttons = input.form ? input.form.querySelectorAll("button[type=submit]") : [];
        buttons.forEach(function (b) { b.disabled = true; });
        input.setAttribute("aria-busy", "true");
        Promise.all(files.map(function (f) { return big(f) ? shrink(f, limit) : f; }))
          .then(function (done) {
            var transfer = new DataTransfer();
            done.forEach(function (f) { transfer.items.add(f); });
            input.files = transfer.files;
          })
          .catch(function () { /* keep the originals; the server explains the limit */ })
          .then(function () {
            buttons.forEach(function (b) { b.disabled = false; });
            input.removeAttribute("aria-busy");
            input.dispatchEvent(new CustomEvent("sipko:photos-ready", { bubbles: true }));
          });
      });
    });
  }

  function start() {
    var store = storage();
    if (store) {
      clearSaved(store);
      document.querySelectorAll("form[data-draft-key]").forEach(function (form) {
        watch(form, store);
      });
    }
    sums(document);
    shrinkPhotos(document);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
