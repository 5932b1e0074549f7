// diagnoza: progressive enhancement. Every page works without this script;
// with it, the paste box answers without a reload, headings and results get
// "copy link" buttons, and the header's search box suggests articles as you
// type. No inline script anywhere: the Content-Security-Policy forbids it.
(function () {
  "use strict";

  var root = document.documentElement;
  var lang = root.getAttribute("lang") || "pl";
  var text = {
    copy: root.getAttribute("data-copy") || "Copy link",
    copied: root.getAttribute("data-copied") || "Copied",
    none: root.getAttribute("data-search-none") || "",
    count: root.getAttribute("data-search-count") || ""
  };

  // ---- Copying links -------------------------------------------------------

  function copyText(value) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(value);
    }
    // Plain-HTTP fallback: a selected, off-screen field and execCommand.
    return new Promise(function (resolve, reject) {
      var field = document.createElement("textarea");
      field.value = value;
      field.setAttribute("readonly", "");
      field.className = "visually-hidden";
      document.body.appendChild(field);
      field.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(field);
      if (ok) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }

  function copyButton(url) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-link";
    button.textContent = text.copy;
    button.addEventListener("click", function () {
      copyText(url()).then(function () {
        button.textContent = text.copied;
        button.classList.add("done");
        setTimeout(function () {
          button.textContent = text.copy;
          button.classList.remove("done");
        }, 2000);
      }, function () {
        // Leave the link itself for the reader to copy by hand.
      });
    });
    return button;
  }

  function absolute(pathAndHash) {
    return location.origin + pathAndHash;
  }

  function addCopyButtons(scope) {
    scope.querySelectorAll("a.anchor").forEach(function (a) {
      if (a.nextElementSibling && a.nextElementSibling.classList.contains("copy-link")) { return; }
      var hash = a.getAttribute("href") || "";
      a.insertAdjacentElement("afterend", copyButton(function () {
        return absolute(location.pathname + hash);
      }));
    });
    scope.querySelectorAll("a.result-link[data-copy]").forEach(function (a) {
      if (a.nextElementSibling && a.nextElementSibling.classList.contains("copy-link")) { return; }
      var link = a.getAttribute("data-copy") || "";
      a.insertAdjacentElement("afterend", copyButton(function () { return absolute(link); }));
    });
  }

  // ---- The paste box without a reload ---------------------------------------

  function enhancePasteForm() {
    var form = document.getElementById("paste-form");
    if (!form || !window.fetch || !window.URLSearchParams) { return; }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      if (button) { button.disabled = true; }
      var body = new URLSearchParams(new FormData(form));
      fetch(form.action, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8",
          "X-Requested-With": "diagnoza"
        },
        body: body,
        credentials: "same-origin"
      }).then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("text/html") !== 0) { throw new Error("unexpected answer"); }
        return response.text();
      }).then(function (html) {
        showResult(form, html);
      }).catch(function () {
        // Whatever went wrong, the plain form still works.
        form.submit();
      }).then(function () {
        if (button) { button.disabled = false; }
      });
    });
  }

  function showResult(form, html) {
    var holder = document.createElement("div");
    holder.innerHTML = html; // The server's own escaped fragment.
    var fresh = holder.querySelector("#result");
    if (!fresh) { throw new Error("no result in the answer"); }
    var current = document.getElementById("result");
    if (current) {
      current.replaceWith(fresh);
    } else {
      var box = form.closest("section") || form;
      box.parentNode.insertBefore(fresh, box);
    }
    addCopyButtons(fresh);
    announce(fresh);
    fresh.focus();
    fresh.scrollIntoView({ block: "start" });
  }

  // The result can be long (it shows the pasted text); a screen reader gets
  // a short summary in the form's live region instead: the heading and the
  // name of each finding. Notices with role="alert" announce themselves.
  function announce(result) {
    var status = document.getElementById("paste-status");
    if (!status) { return; }
    var summary = "";
    if (!result.querySelector("[role=alert]")) {
      var parts = [];
      result.querySelectorAll("h2, h3").forEach(function (h) {
        var words = h.textContent.replace(/\s+/g, " ").trim();
        if (words) { parts.push(words); }
      });
      summary = parts.join(". ");
    }
    status.textContent = summary;
  }

  // ---- Instant search -------------------------------------------------------

  // The same as the server's lists: the code is shown beside the title.
  function withoutCode(title, code) {
    if (code && title.indexOf(code) === 0) {
      var rest = title.slice(code.length).replace(/^[\s:\u2013\u2014-]+/, "");
      if (rest) { return rest; }
    }
    return title;
  }

  function enhanceSearch() {
    var input = document.getElementById("site-search-q");
    var list = document.getElementById("site-search-results");
    var status = document.getElementById("site-search-status");
    if (!input || !list || !window.fetch) { return; }
    var timer = null;
    var pending = null;

    // The box stays a plain search box (aria-expanded is not allowed on
    // one): the live status tells how many suggestions there are, and the
    // down arrow moves into them.
    function close() {
      list.hidden = true;
    }

    function render(results) {
      list.textContent = "";
      if (results.length === 0) {
        var empty = document.createElement("li");
        empty.className = "empty";
        empty.textContent = text.none;
        list.appendChild(empty);
        status.textContent = text.none;
      } else {
        results.forEach(function (r) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = r.url;
          var code = document.createElement("span");
          code.className = "code";
          code.textContent = r.code;
          a.appendChild(code);
          a.appendChild(document.createTextNode(withoutCode(r.title, r.code)));
          li.appendChild(a);
          list.appendChild(li);
        });
        status.textContent = text.count + " " + results.length;
      }
      list.hidden = false;
    }

    function search() {
      var q = input.value.trim();
      if (q.length < 2) { close(); status.textContent = ""; return; }
      if (pending) { pending.abort(); }
      pending = window.AbortController ? new AbortController() : null;
      var url = "/api/search?lang=" + encodeURIComponent(lang) + "&q=" + encodeURIComponent(q);
      fetch(url, { signal: pending ? pending.signal : undefined, headers: { "Accept": "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error("search failed"); }
          return response.json();
        })
        .then(function (data) {
          if (input.value.trim() === q) { render(data.results || []); }
        })
        .catch(function () { /* The search page still works with Enter. */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });

    function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }

    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && !list.hidden) {
        var first = links()[0];
        if (first) { event.preventDefault(); first.focus(); }
      } else if (event.key === "Escape") {
        close();
      }
    });

    list.addEventListener("keydown", function (event) {
      var all = links();
      var i = all.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && i < all.length - 1) {
        event.preventDefault();
        all[i + 1].focus();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (i > 0) { all[i - 1].focus(); } else { input.focus(); }
      } else if (event.key === "Escape") {
        close();
        input.focus();
      }
    });

    document.addEventListener("click", function (event) {
      if (!list.contains(event.target) && event.target !== input) { close(); }
    });
    input.form.addEventListener("focusout", function () {
      setTimeout(function () {
        if (!input.form.contains(document.activeElement)) { close(); }
      }, 0);
    });
  }

  // ---- The language switcher keeps the section ----------------------------

  // Articles give their sections the same ids in both languages, so the
  // switcher can lead to the same place in the other language.
  function keepSectionOnSwitch() {
    var link = document.querySelector("a.lang-switch");
    var body = document.querySelector(".article-body");
    if (!link || !body) { return; }
    var page = (link.getAttribute("href") || "").split("#")[0];
    function update() {
      var id = "";
      try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { id = ""; }
      var target = id ? document.getElementById(id) : null;
      link.setAttribute("href", target && body.contains(target) ? page + location.hash : page);
    }
    update();
    window.addEventListener("hashchange", update);
  }

  function start() {
    root.classList.add("js");
    addCopyButtons(document);
    enhancePasteForm();
    enhanceSearch();
    keepSectionOnSwitch();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
