// The form builder: a form edited as fields (type, labels and help in kk/ru/en, required, options, limits,
// a condition on another field) or as its JSON Schema; both views edit the one text that is saved.
// The preview is drawn by the server with the task page's macros, in the language chosen above it.
(function () {
  "use strict";
  var page = document.getElementById("form-builder-form");
  if (!page) { return; }
  var config = JSON.parse(document.getElementById("builder-config").textContent);
  var T = config.texts;
  var LANGS = config.langs;
  var textarea = document.getElementById("schema");
  var builder = document.getElementById("form-builder");
  var jsonView = document.getElementById("json-view");
  var jsonError = document.getElementById("json-error");
  var preview = document.getElementById("form-preview");
  var previewLang = document.getElementById("preview-lang");
  var csrf = page.querySelector("[name=csrf_token]").value;

  var KINDS = ["text", "textarea", "radio", "select", "checkboxes", "checkbox", "date", "number", "list", "file"];
  var CHOICES = { radio: true, select: true, checkboxes: true };
  // The keys the builder writes on a field; any other key (readOnly, x-prefill, x-accept…) is kept as it is.
  var MANAGED = ["type", "x-widget", "enum", "items", "format", "title", "x-title", "description", "x-description",
    "x-enum-titles", "minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems", "x-visible-if"];

  // --- reading a schema into fields ------------------------------------------------------------------

  function kindOf(prop) {
    var w = prop["x-widget"];
    if (prop.type === "boolean") { return "checkbox"; }
    if (prop.type === "array") {
      // A table of rows (each row an object: person, date, text) is written in the JSON view; the builder
      // keeps its columns as they are and edits only its label, help, required and row limits.
      if (prop.items && prop.items.type === "object") { return "rows"; }
      return prop.items && prop.items.enum ? "checkboxes" : "list";
    }
    if (w === "file" || w === "textarea") { return w; }
    if (prop.enum) { return w === "radio" ? "radio" : "select"; }
    if (prop.format === "date") { return "date"; }
    if (prop.type === "integer" || prop.type === "number") { return "number"; }
    return "text";
  }

  function texts(obj, key) {
    var tr = obj["x-" + key] || {};
    var out = {};
    LANGS.forEach(function (l) { out[l] = typeof tr[l] === "string" ? tr[l] : (l === "kk" && obj[key]) || ""; });
    return out;
  }

  // {"if": {"properties": {other: {"const": v} | {"enum": [...]}}, "required": [other]}, "then": {"required": [names]}}
  function simpleRule(rule) {
    if (!rule || typeof rule !== "object" || !rule["if"] || !rule.then) { return null; }
    var keys = Object.keys(rule);
    if (keys.some(function (k) { return k !== "if" && k !== "then"; })) { return null; }
    var cond = rule["if"], then = rule.then;
    var props = cond.properties || {};
    var others = Object.keys(props);
    if (others.length !== 1 || Object.keys(cond).some(function (k) { return k !== "properties" && k !== "required"; })) { return null; }
    if (Object.keys(then).length !== 1 || !Array.isArray(then.required)) { return null; }
    var test = props[others[0]];
    var values = "const" in test ? [test["const"]] : Array.isArray(test.enum) ? test.enum.slice() : null;
    if (!values || Object.keys(test).length !== 1) { return null; }
    return { field: others[0], values: values, names: then.required.slice() };
  }

  function read(schema) {
    var props = schema.properties || {};
    var order = [];
    (schema["x-order"] || []).forEach(function (n) { if (props[n] && order.indexOf(n) < 0) { order.push(n); } });
    Object.keys(props).forEach(function (n) { if (order.indexOf(n) < 0) { order.push(n); } });
    var required = schema.required || [];
    var conditional = {};
    var rest = [];
    (schema.allOf || []).forEach(function (rule) {
      var simple = simpleRule(rule);
      if (!simple) { rest.push(rule); return; }
      simple.names.forEach(function (n) { conditional[n] = { field: simple.field, values: simple.values }; });
    });
    var fields = order.filter(function (n) { return props[n] && typeof props[n] === "object"; }).map(function (name) {
      var prop = props[name];
      var kind = kindOf(prop);
      var titles = prop["x-enum-titles"] || {};
      var values = prop.enum || (prop.items && prop.items.enum) || [];
      var visible = prop["x-visible-if"];
      var visibleKeys = visible && typeof visible === "object" ? Object.keys(visible) : [];
      var field = {
        name: name,
        kind: kind,
        whole: prop.type === "integer",
        label: texts(prop, "title"),
        help: texts(prop, "description"),
        required: required.indexOf(name) >= 0,
        options: values.map(function (v) {
          var t = titles[String(v)] || {};
          return { value: String(v), kk: t.kk || "", ru: t.ru || "", en: t.en || "" };
        }),
        limits: {},
        condition: null,
        hide: false,
        extra: {},
        items: prop.items && typeof prop.items === "object" ? prop.items : {},
        // A choice among numbers (a 1–5 rating) keeps numeric values.
        numeric: (kind === "radio" || kind === "select") && (prop.type === "integer" || prop.type === "number") ? prop.type : "",
      };
      ["minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems"].forEach(function (k) {
        if (typeof prop[k] === "number") { field.limits[k] = prop[k]; }
      });
      if (visibleKeys.length === 1 && Array.isArray(visible[visibleKeys[0]])) {
        field.condition = { field: visibleKeys[0], values: visible[visibleKeys[0]].slice() };
        field.hide = true;
      }
      var when = conditional[name];
      if (when && (!field.condition || sameCondition(when, field.condition))) {
        field.condition = field.condition || when;
        field.required = true;
      } else if (when) {
        rest.push({ "if": { properties: ruleTest(when), required: [when.field] }, then: { required: [name] } });
      }
      Object.keys(prop).forEach(function (k) {
        if (MANAGED.indexOf(k) < 0 || (k === "x-visible-if" && !field.hide)) { field.extra[k] = prop[k]; }
      });
      return field;
    });
    var base = {};
    Object.keys(schema).forEach(function (k) {
      if (["properties", "required", "x-order", "allOf", "title", "x-title"].indexOf(k) < 0) { base[k] = schema[k]; }
    });
    return { base: base, title: texts(schema, "title"), fields: fields, rest: rest };
  }

  function sameCondition(a, b) {
    return a.field === b.field && JSON.stringify(a.values) === JSON.stringify(b.values);
  }

  function ruleTest(cond) {
    var test = {};
    test[cond.field] = cond.values.length === 1 ? { "const": cond.values[0] } : { "enum": cond.values.slice() };
    return test;
  }

  // --- writing fields back as a schema ---------------------------------------------------------------

  function i18n(obj, key, tr) {
    var filled = {};
    LANGS.forEach(function (l) { filled[l] = (tr[l] || "").trim(); });
    obj["x-" + key] = filled;
    obj[key] = filled.kk || filled.ru || filled.en;
  }

  function number(text) {
    if (text === "" || text === null || text === undefined) { return undefined; }
    var n = Number(String(text).replace(",", "."));
    return isFinite(n) ? n : undefined;
  }

  function write(model) {
    var schema = { "$schema": "https://json-schema.org/draft/2020-12/schema", type: "object" };
    Object.keys(model.base).forEach(function (k) { schema[k] = model.base[k]; });
    i18n(schema, "title", model.title);
    var props = {};
    var required = [];
    var rules = model.rest.slice();
    model.fields.forEach(function (f) {
      var prop = {};
      i18n(prop, "title", f.label);
      if (LANGS.some(function (l) { return (f.help[l] || "").trim(); })) { i18n(prop, "description", f.help); }
      var kind = f.kind;
      if (kind === "checkbox") { prop.type = "boolean"; prop["x-widget"] = "checkbox"; }
      else if (kind === "checkboxes" || kind === "list") {
        // The items' own limits (an item's maxLength…) are kept; their type and options are the builder's.
        prop.type = "array";
        prop.items = {};
        Object.keys(f.items || {}).forEach(function (k) { if (k !== "enum" && k !== "type") { prop.items[k] = f.items[k]; } });
        prop.items.type = "string";
        if (kind === "checkboxes") { prop["x-widget"] = "checkbox"; }
      }
      else if (kind === "rows") { prop.type = "array"; prop.items = f.items; prop["x-widget"] = "rows"; }
      else if (kind === "number") { prop.type = f.whole ? "integer" : "number"; }
      else if ((kind === "radio" || kind === "select") && f.numeric) { prop.type = f.numeric; }
      else { prop.type = "string"; }
      if (kind === "textarea" || kind === "file" || kind === "radio") { prop["x-widget"] = kind; }
      if (kind === "date") { prop.format = "date"; }
      if (CHOICES[kind]) {
        var values = f.options.map(function (o) {
          var n = Number(o.value);
          return f.numeric && o.value !== "" && isFinite(n) ? n : o.value;
        });
        if (kind === "checkboxes") { prop.items["enum"] = values; } else { prop["enum"] = values; }
        var titles = {};
        f.options.forEach(function (o) { titles[o.value] = { kk: o.kk.trim(), ru: o.ru.trim(), en: o.en.trim() }; });
        prop["x-enum-titles"] = titles;
      }
      var allowed = kind === "text" || kind === "textarea" ? ["minLength", "maxLength"]
        : kind === "number" ? ["minimum", "maximum"]
          : kind === "list" || kind === "checkboxes" || kind === "rows" ? ["minItems", "maxItems"] : [];
      allowed.forEach(function (k) { if (typeof f.limits[k] === "number") { prop[k] = f.limits[k]; } });
      Object.keys(f.extra).forEach(function (k) { if (!(k in prop)) { prop[k] = f.extra[k]; } });
      if (f.condition && f.condition.values.length) {
        if (f.hide) {
          var visible = {};
          visible[f.condition.field] = f.condition.values.slice();
          prop["x-visible-if"] = visible;
        }
        if (f.required) {
          rules.push({ "if": { properties: ruleTest(f.condition), required: [f.condition.field] }, then: { required: [f.name] } });
        }
      } else if (f.required) {
        required.push(f.name);
      }
      props[f.name] = prop;
    });
    schema.properties = props;
    schema.required = required;
    schema["x-order"] = model.fields.map(function (f) { return f.name; });
    if (rules.length) { schema.allOf = rules; }
    return schema;
  }

  // --- the page ----------------------------------------------------------------------------------------

  var model = null;
  var problems = config.fieldProblems || {};
  var unsaved = page.dataset.unsaved === "true";
  var saving = false;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; }
      else if (attrs[k] === true) { node.setAttribute(k, ""); }
      else if (attrs[k] !== false && attrs[k] !== null && attrs[k] !== undefined) { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { node.appendChild(c); } });
    return node;
  }

  var uid = 0;
  function labelled(text, input) {
    if (!input.id) { input.id = "fb-" + (++uid); }
    return el("div", { "class": "fb-cell" }, [el("label", { "for": input.id, text: text }), input]);
  }

  function changed(rerender) {
    unsaved = true;
    page.dataset.unsaved = "true";
    textarea.value = JSON.stringify(write(model), null, 2);
    if (rerender) { draw(); }
    schedulePreview();
  }

  function textInput(value, onInput, attrs) {
    var input = el("input", Object.assign({ type: "text", value: value == null ? "" : String(value) }, attrs || {}));
    input.addEventListener("input", function () { onInput(input.value); changed(false); });
    return input;
  }

  function threeLangs(caption, tr, testid) {
    var row = el("div", { "class": "fb-langs", "data-testid": testid });
    LANGS.forEach(function (l) {
      row.appendChild(labelled(caption + " (" + l + ")", textInput(tr[l], function (v) { tr[l] = v; }, { name: testid + "-" + l, lang: l })));
    });
    return row;
  }

  function uniqueName(base) {
    var names = model.fields.map(function (f) { return f.name; });
    var n = 1;
    while (names.indexOf(base + "_" + n) >= 0) { n += 1; }
    return base + "_" + n;
  }

  function conditionBlock(f) {
    var candidates = model.fields.filter(function (o) { return o !== f && (o.kind === "checkbox" || CHOICES[o.kind]); });
    var pick = el("select", { name: "condition-field" });
    pick.appendChild(el("option", { value: "", text: T.condition_none }));
    candidates.forEach(function (o) {
      var opt = el("option", { value: o.name, text: (o.label.kk || o.name) });
      if (f.condition && f.condition.field === o.name) { opt.selected = true; }
      pick.appendChild(opt);
    });
    pick.addEventListener("change", function () {
      var other = candidates.filter(function (o) { return o.name === pick.value; })[0];
      f.condition = other ? { field: other.name, values: other.kind === "checkbox" ? [true] : [] } : null;
      changed(true);
    });
    var box = el("div", { "class": "fb-condition", "data-testid": "condition" }, [labelled(T.condition, pick)]);
    var other = f.condition && candidates.filter(function (o) { return o.name === f.condition.field; })[0];
    if (f.condition && !other) {
      box.appendChild(el("p", { "class": "hint", text: f.condition.field + ": " + JSON.stringify(f.condition.values) }));
    }
    if (other) {
      var values = el("fieldset", { "class": "fb-values" }, [el("legend", { text: T.condition_values })]);
      var choices = other.kind === "checkbox" ? [[true, T.yes], [false, T.no]]
        : other.options.map(function (o) { return [o.value, o.kk || o.value]; });
      choices.forEach(function (c) {
        var tick = el("input", { type: "checkbox", name: "condition-value" });
        tick.checked = f.condition.values.some(function (v) { return v === c[0]; });
        tick.addEventListener("change", function () {
          f.condition.values = choices.map(function (x) { return x[0]; }).filter(function (v, i) {
            return values.querySelectorAll("input")[i].checked;
          });
          changed(false);
        });
        values.appendChild(el("label", { "class": "choice" }, [tick, document.createTextNode(" " + c[1])]));
      });
      box.appendChild(values);
      var hide = el("input", { type: "checkbox", name: "hide-otherwise" });
      hide.checked = f.hide;
      hide.addEventListener("change", function () { f.hide = hide.checked; changed(false); });
      box.appendChild(el("label", { "class": "choice" }, [hide, document.createTextNode(" " + T.hide_otherwise)]));
    }
    return box;
  }

  function optionsBlock(f) {
    var box = el("fieldset", { "class": "fb-options", "data-testid": "options" }, [el("legend", { text: T.options })]);
    f.options.forEach(function (o, i) {
      var row = el("div", { "class": "fb-option", "data-testid": "option" }, [
        labelled(T.option_value, textInput(o.value, function (v) { o.value = v.trim(); }, { name: "option-value", "class": "fb-code", required: true })),
      ]);
      LANGS.forEach(function (l) {
        row.appendChild(labelled(l, textInput(o[l], function (v) { o[l] = v; }, { name: "option-" + l, lang: l })));
      });
      var drop = el("button", { type: "button", "class": "secondary fb-small", text: "×", title: T.remove, "aria-label": T.remove });
      drop.addEventListener("click", function () { f.options.splice(i, 1); changed(true); });
      row.appendChild(drop);
      box.appendChild(row);
    });
    var add = el("button", { type: "button", "class": "secondary", "data-testid": "add-option", text: T.add_option });
    add.addEventListener("click", function () {
      var n = f.options.length + 1;
      var taken = f.options.map(function (o) { return o.value; });
      while (taken.indexOf("option_" + n) >= 0) { n += 1; }
      f.options.push({ value: "option_" + n, kk: "", ru: "", en: "" });
      changed(true);
    });
    box.appendChild(add);
    return box;
  }

  function limitsBlock(f) {
    var keys = f.kind === "text" || f.kind === "textarea" ? ["min_length", "max_length"]
      : f.kind === "number" ? ["minimum", "maximum"]
        : f.kind === "list" || f.kind === "checkboxes" || f.kind === "rows" ? ["min_items", "max_items"] : [];
    var names = { min_length: "minLength", max_length: "maxLength", minimum: "minimum", maximum: "maximum", min_items: "minItems", max_items: "maxItems" };
    var row = el("div", { "class": "fb-limits" });
    keys.forEach(function (k) {
      var input = el("input", { type: "number", name: names[k], value: f.limits[names[k]] == null ? "" : String(f.limits[names[k]]), step: "any" });
      input.addEventListener("input", function () {
        var n = number(input.value);
        if (n === undefined) { delete f.limits[names[k]]; } else { f.limits[names[k]] = n; }
        changed(false);
      });
      row.appendChild(labelled(T[k], input));
    });
    if (f.kind === "number") {
      var whole = el("input", { type: "checkbox", name: "whole" });
      whole.checked = f.whole;
      whole.addEventListener("change", function () { f.whole = whole.checked; changed(false); });
      row.appendChild(el("label", { "class": "choice" }, [whole, document.createTextNode(" " + T.whole)]));
    }
    return keys.length ? row : null;
  }

  function card(f, index) {
    var box = el("fieldset", { "class": "fb-field card", "data-testid": "builder-field", "data-name": f.name });
    box.appendChild(el("legend", { text: T.field + " " + (index + 1) + (f.label.kk ? " · " + f.label.kk : "") }));
    var kind = el("select", { name: "kind" });
    (f.kind === "rows" ? KINDS.concat(["rows"]) : KINDS).forEach(function (k) {
      var opt = el("option", { value: k, text: T["kind_" + k] });
      if (k === f.kind) { opt.selected = true; }
      kind.appendChild(opt);
    });
    kind.addEventListener("change", function () {
      f.kind = kind.value;
      if (CHOICES[f.kind] && !f.options.length) {
        f.options = [{ value: "option_1", kk: "", ru: "", en: "" }, { value: "option_2", kk: "", ru: "", en: "" }];
      }
      changed(true);
    });
    var nameError = el("p", { "class": "field-error", role: "alert", "data-testid": "name-problem", hidden: true });
    var name = textInput(f.name, function (v) {
      // Two fields under one name would be one key in the JSON, and one of them lost: a name already
      // taken (or empty) stays in the box, marked, and the field keeps its last good name meanwhile.
      var wanted = v.trim();
      var taken = !wanted || model.fields.some(function (o) { return o !== f && o.name === wanted; });
      name.setAttribute("aria-invalid", taken ? "true" : "false");
      nameError.textContent = taken ? T.name_taken : "";
      nameError.hidden = !taken;
      if (taken) { return; }
      var old = f.name;
      f.name = wanted;
      model.fields.forEach(function (o) { if (o.condition && o.condition.field === old) { o.condition.field = f.name; } });
      box.dataset.name = f.name;
    }, { name: "field-name", "class": "fb-code", pattern: "[A-Za-z_][A-Za-z0-9_]*", autocomplete: "off" });
    var tools = el("div", { "class": "fb-tools" });
    [["up", -1], ["down", 1]].forEach(function (m) {
      var b = el("button", { type: "button", "class": "secondary fb-small", text: m[0] === "up" ? "↑" : "↓", title: T[m[0]], "aria-label": T[m[0]], "data-testid": "move-" + m[0] });
      b.disabled = (m[1] < 0 && index === 0) || (m[1] > 0 && index === model.fields.length - 1);
      b.addEventListener("click", function () {
        var to = index + m[1];
        model.fields.splice(index, 1);
        model.fields.splice(to, 0, f);
        changed(true);
      });
      tools.appendChild(b);
    });
    var drop = el("button", { type: "button", "class": "secondary fb-small", text: T.remove, "data-testid": "remove-field" });
    drop.addEventListener("click", function () {
      model.fields.splice(index, 1);
      model.fields.forEach(function (o) { if (o.condition && o.condition.field === f.name) { o.condition = null; } });
      changed(true);
    });
    tools.appendChild(drop);
    box.appendChild(el("div", { "class": "fb-row" }, [labelled(T.type, kind), labelled(T.name, name), tools]));
    box.appendChild(nameError);
    box.appendChild(threeLangs(T.label, f.label, "label"));
    box.appendChild(threeLangs(T.help, f.help, "help"));
    var req = el("input", { type: "checkbox", name: "required" });
    req.checked = f.required;
    req.addEventListener("change", function () { f.required = req.checked; changed(false); });
    box.appendChild(el("label", { "class": "choice fb-required" }, [req, document.createTextNode(" " + T.required)]));
    var limits = limitsBlock(f);
    if (limits) { box.appendChild(limits); }
    if (CHOICES[f.kind]) { box.appendChild(optionsBlock(f)); }
    box.appendChild(conditionBlock(f));
    (problems[f.name] || []).forEach(function (text) {
      box.appendChild(el("p", { "class": "field-error", role: "alert", "data-testid": "field-problem", text: text }));
    });
    return box;
  }

  function draw() {
    builder.textContent = "";
    builder.appendChild(el("div", { "class": "card fb-form-title" }, [threeLangs(T.form_title, model.title, "form-title")]));
    model.fields.forEach(function (f, i) { builder.appendChild(card(f, i)); });
    var add = el("button", { type: "button", "class": "secondary", "data-testid": "add-field", text: T.add_field });
    add.addEventListener("click", function () {
      model.fields.push({
        name: uniqueName("field"), kind: "text", whole: false,
        label: { kk: "", ru: "", en: "" }, help: { kk: "", ru: "", en: "" },
        required: false, options: [], limits: {}, condition: null, hide: false, extra: {}, items: {},
      });
      changed(true);
      var cards = builder.querySelectorAll("[data-testid=builder-field]");
      var last = cards[cards.length - 1];
      if (last) { last.querySelector("input[name=label-kk]").focus(); }
    });
    builder.appendChild(add);
  }

  // --- views, preview, leaving -------------------------------------------------------------------------

  function show(view) {
    if (view === "builder") {
      var parsed;
      try { parsed = JSON.parse(textarea.value); } catch (e) { parsed = null; }
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
        jsonError.textContent = T.bad_json;
        jsonError.hidden = false;
        return;
      }
      jsonError.hidden = true;
      model = read(parsed);
      draw();
    }
    builder.hidden = view !== "builder";
    jsonView.hidden = view !== "json";
    page.querySelectorAll("[data-view]").forEach(function (tab) {
      var on = tab.dataset.view === view;
      tab.classList.toggle("active", on);
      tab.setAttribute("aria-selected", on ? "true" : "false");
    });
    page.dataset.view = view;
    document.getElementById("editor-view").value = view;
  }

  var timer = null;
  var sent = 0;
  function schedulePreview() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  }
  function refresh() {
    var ticket = ++sent;
    fetch(page.dataset.preview + "?lang=" + encodeURIComponent(previewLang.value), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: textarea.value,
    }).then(function (response) {
      if (ticket !== sent || !response.ok) { return null; } // a newer edit is already on its way
      return response.text();
    }).then(function (html) {
      if (html === null || html === undefined) { return; }
      preview.innerHTML = html;
      preview.dataset.updated = String(ticket);
      preview.dataset.lang = previewLang.value;
      if (window.formVisibility) { window.formVisibility(preview); }
    });
  }

  textarea.addEventListener("input", function () {
    unsaved = true;
    page.dataset.unsaved = "true";
    schedulePreview();
  });
  previewLang.addEventListener("change", refresh);
  page.querySelectorAll("[data-view]").forEach(function (tab) {
    tab.addEventListener("click", function () { show(tab.dataset.view); });
  });
  page.addEventListener("submit", function () { saving = true; });
  // "Never lose what someone typed": leaving asks while the form differs from the saved one. A page
  // re-drawn after a refused save (data-unsaved) holds text that was never stored.
  window.addEventListener("beforeunload", function (event) {
    if (!unsaved || saving) { return; }
    event.preventDefault();
    event.returnValue = "";
  });

  // A refused save comes back in the view it was sent from; text that is not JSON opens the expert view.
  show(config.view === "json" ? "json" : "builder");
  if (page.dataset.view !== "builder") { show("json"); }
  if (window.formVisibility) { window.formVisibility(preview); }
  if (previewLang.value !== document.documentElement.lang) { refresh(); }
})();
