// Keeps what someone typed in a form in this browser until the form is submitted, so a lost
// connection, an expired session or a closed tab never costs them their text.
(function () {
  "use strict";
  var KEY = "autosave:";
  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    var key = KEY + form.getAttribute("data-autosave");
    var fields = form.querySelectorAll("input[name]:not([type=hidden]):not([type=file]):not([type=password]), textarea[name], select[name]");
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
    var serverHasErrors = form.querySelector(".field-error") !== null;
    if (saved && !serverHasErrors) {
      fields.forEach(function (el) {
        if (!(el.name in saved)) { return; }
        var v = saved[el.name];
        if (el.type === "checkbox" || el.type === "radio") { el.checked = Array.isArray(v) ? v.indexOf(el.value) >= 0 : v === el.value; }
        else if (!el.value) { el.value = v; }
      });
    }
    function store() {
      var data = {};
      fields.forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") {
          if (!data[el.name]) { data[el.name] = []; }
          if (el.checked) { data[el.name].push(el.value); }
        } else { data[el.name] = el.value; }
      });
      try { localStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* storage full or disabled */ }
    }
    form.addEventListener("input", store);
    form.addEventListener("change", store);
    form.addEventListener("submit", function () {
      // Cleared only when the page that answers the submit shows no errors (checked on next load).
      sessionStorage.setItem("submitted", key);
    });
  });
  var submitted = sessionStorage.getItem("submitted");
  if (submitted && document.querySelector(".field-error") === null && !document.querySelector("form[data-autosave='" + submitted.slice(KEY.length) + "']")) {
    localStorage.removeItem(submitted);
  }
  sessionStorage.removeItem("submitted");
})();

// The phone menu: the toggle opens and closes it in place (without scripts it is a link to #mainnav).
(function () {
  "use strict";
  var toggle = document.querySelector(".menu-toggle");
  var bar = document.querySelector(".topbar");
  if (!toggle || !bar) { return; }
  toggle.setAttribute("role", "button");
  toggle.addEventListener("click", function (event) {
    event.preventDefault();
    var open = !bar.classList.contains("menu-open");
    bar.classList.toggle("menu-open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && bar.classList.contains("menu-open")) {
      bar.classList.remove("menu-open");
      toggle.setAttribute("aria-expanded", "false");
      toggle.focus();
    }
  });
})();

// A table of rows (e.g. follow-ups): "Add a row" copies the last row empty, "Remove" takes one away.
// Without scripts the page offers spare empty rows instead, and the buttons stay hidden.
(function () {
  "use strict";
  document.querySelectorAll("fieldset.rows[data-rows]").forEach(function (set) {
    var name = set.getAttribute("data-rows");
    var body = set.querySelector("tbody");
    var add = set.querySelector(".rows-add");
    if (!body || !add) { return; }
    function number(row, index) {
      row.querySelectorAll("[name]").forEach(function (el) {
        var parts = el.name.split(".");
        if (parts.length === 3 && parts[0] === name) { el.name = name + "." + index + "." + parts[2]; }
        var label = el.getAttribute("aria-label");
        if (label) { el.setAttribute("aria-label", label.replace(/\d+$/, String(index + 1))); }
      });
    }
    function renumber() {
      body.querySelectorAll("tr[data-row]").forEach(number);
      var removes = body.querySelectorAll(".rows-remove");
      removes.forEach(function (button) { button.hidden = false; });
    }
    function wire(row) {
      var remove = row.querySelector(".rows-remove");
      if (!remove) { return; }
      remove.addEventListener("click", function () {
        if (body.querySelectorAll("tr[data-row]").length > 1) { row.remove(); }
        else { row.querySelectorAll("input, select").forEach(function (el) { el.value = ""; }); }
        renumber();
      });
    }
    body.querySelectorAll("tr[data-row]").forEach(wire);
    add.hidden = false;
    add.addEventListener("click", function () {
      var rows = body.querySelectorAll("tr[data-row]");
      var copy = rows[rows.length - 1].cloneNode(true);
      copy.querySelectorAll("input, select").forEach(function (el) { el.value = ""; });
      body.appendChild(copy);
      wire(copy);
      renumber();
      var first = copy.querySelector("input, select");
      if (first) { first.focus(); }
    });
    renumber();
  });
})();

// Fields shown only while another field has a value (x-visible-if): a hidden field is also disabled,
// so it is not posted. The form builder's preview calls window.formVisibility on what it draws.
(function () {
  "use strict";
  function valueOf(scope, name) {
    var inputs = scope.querySelectorAll("[name='" + name.replace(/'/g, "") + "']");
    var values = [];
    var single = true;
    inputs.forEach(function (el) {
      if (el.type === "checkbox") {
        if (el.closest(".field-checkbox")) { values.push(el.checked); return; }
        single = false;
        if (el.checked) { values.push(el.value); }
      } else if (el.type === "radio") {
        if (el.checked) { values.push(el.value); }
      } else if (el.type !== "hidden" && el.value !== "") {
        values.push(el.value);
      }
    });
    return single ? values.slice(0, 1) : values;
  }
  function matches(current, wanted) {
    return current.some(function (v) {
      return wanted.some(function (w) { return typeof w === "boolean" ? v === w : String(v) === String(w); });
    });
  }
  function apply(scope) {
    scope.querySelectorAll("[data-visible-if]").forEach(function (box) {
      var rule;
      try { rule = JSON.parse(box.getAttribute("data-visible-if")); } catch (e) { return; }
      var show = Object.keys(rule).every(function (other) {
        return Array.isArray(rule[other]) && matches(valueOf(scope, other), rule[other]);
      });
      box.hidden = !show;
      box.querySelectorAll("input, select, textarea").forEach(function (el) { el.disabled = !show; });
    });
  }
  window.formVisibility = function (scope) {
    if (!scope.querySelector("[data-visible-if]")) { return; }
    apply(scope);
    if (scope.dataset.visibilityBound) { return; }
    scope.dataset.visibilityBound = "1";
    scope.addEventListener("input", function () { apply(scope); });
    scope.addEventListener("change", function () { apply(scope); });
  };
  document.querySelectorAll("form").forEach(function (form) { window.formVisibility(form); });
})();
