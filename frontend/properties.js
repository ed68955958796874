// The properties panel: only what our engine reads (lane roles, task forms, deadlines and timers,
// gateway conditions, service-task operators), each chosen from the lists the service knows.

const SPIFF = "spiffworkflow:";

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  node.append(...children.filter(Boolean));
  return node;
}

function field(label, control) {
  const id = "prop-" + label.replace(/\W+/g, "-").toLowerCase() + "-" + Math.random().toString(36).slice(2, 7);
  control.id = id;
  return el("div", { class: "field" }, el("label", { for: id, text: label }), control);
}

function select(options, value, name) {
  const node = el("select", { name });
  node.append(el("option", { value: "", text: "—" }));
  for (const [code, label] of options) {
    const option = el("option", { value: code, text: label });
    if (code === value) option.selected = true;
    node.append(option);
  }
  return node;
}

function is(bo, type) {
  return bo && bo.$instanceOf && bo.$instanceOf(type);
}

const ISO = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/;

function parseDuration(text) {
  const value = String(text || "").replace(/^"|"$/g, "");
  const match = ISO.exec(value);
  if (!match) return null;
  if (match[1] && !match[2] && !match[3]) return [match[1], "D"];
  if (match[2] && !match[1] && !match[3]) return [match[2], "H"];
  if (match[3] && !match[1] && !match[2]) return [match[3], "M"];
  return null;
}

function formatDuration(amount, unit) {
  if (!amount) return "";
  return unit === "D" ? `P${amount}D` : `PT${amount}${unit}`;
}

function durationPicker(T, current, onChange, name) {
  const parsed = parseDuration(current) || ["", "D"];
  const amount = el("input", { type: "number", min: "1", step: "1", value: parsed[0], name: name + "-amount" });
  const unit = select([["D", T.days], ["H", T.hours], ["M", T.minutes]], parsed[1], name + "-unit");
  const update = () => onChange(formatDuration(amount.value, unit.value || "D"));
  amount.addEventListener("change", update);
  unit.addEventListener("change", update);
  return el("div", { class: "duration" }, amount, unit);
}

export function initProperties(modeler, config) {
  const panel = document.getElementById("properties");
  const T = config.texts;
  const moddle = modeler.get("moddle");
  const modeling = modeler.get("modeling");

  function extension(bo, type, create) {
    let ext = bo.extensionElements;
    if (!ext) {
      if (!create) return null;
      ext = moddle.create("bpmn:ExtensionElements", { values: [] });
      ext.$parent = bo;
      bo.extensionElements = ext;
    }
    ext.values = ext.values || [];
    let found = ext.values.find((v) => v.$type === type);
    if (!found && create) {
      found = moddle.create(type);
      found.$parent = ext;
      ext.values.push(found);
    }
    return found || null;
  }

  function getProp(bo, name) {
    const props = extension(bo, SPIFF + "Properties", false);
    const found = props && (props.properties || []).find((p) => p.name === name);
    return found ? found.value : "";
  }

  function setProp(element, name, value) {
    const bo = element.businessObject;
    const props = extension(bo, SPIFF + "Properties", true);
    props.properties = props.properties || [];
    let found = props.properties.find((p) => p.name === name);
    if (!value) {
      props.properties = props.properties.filter((p) => p.name !== name);
    } else if (found) {
      found.value = value;
    } else {
      found = moddle.create(SPIFF + "Property", { name, value });
      found.$parent = props;
      props.properties.push(found);
    }
    modeling.updateProperties(element, {}); // marks the diagram changed (undo history, redraw)
  }

  // The operator's parameters: each a name and a Python expression evaluated in the sandbox.
  function parameterEditor(element, bo) {
    const box = el("fieldset", { class: "parameters", "data-testid": "operator-parameters" });
    box.append(el("legend", { text: T.parameters }));
    const op = extension(bo, SPIFF + "ServiceTaskOperator", false);
    const list = (op && op.parameterList && op.parameterList.parameters) || [];
    for (const param of list) {
      const value = el("input", { value: param.value || "", name: "param-" + param.id });
      value.addEventListener("change", () => {
        param.value = value.value;
        modeling.updateProperties(element, {});
      });
      box.append(field(param.id, value));
    }
    const name = el("input", { name: "new-param-name", placeholder: T.parameter_name });
    const value = el("input", { name: "new-param-value", placeholder: T.parameter_value });
    const add = el("button", { type: "button", text: T.add_parameter, "data-testid": "add-parameter" });
    add.addEventListener("click", () => {
      const id = name.value.trim();
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(id)) return;
      const target = extension(bo, SPIFF + "ServiceTaskOperator", true);
      if (!target.parameterList) {
        target.parameterList = moddle.create(SPIFF + "Parameters", { parameters: [] });
        target.parameterList.$parent = target;
      }
      const created = moddle.create(SPIFF + "Parameter", { id, type: "str", value: value.value });
      created.$parent = target.parameterList;
      target.parameterList.parameters = [...(target.parameterList.parameters || []), created];
      modeling.updateProperties(element, {});
      render(element);
    });
    box.append(name, value, add);
    return box;
  }

  function formalExpression(body) {
    return moddle.create("bpmn:FormalExpression", { body });
  }

  function executableSwitch(element, process) {
    // bpmn.io marks a new process as not executable and the engine refuses it: let the admin say so here.
    const box = el("input", { type: "checkbox", name: "isExecutable", "data-testid": "executable" });
    box.checked = process.isExecutable !== false;
    box.addEventListener("change", () => modeling.updateModdleProperties(element, process, { isExecutable: box.checked }));
    return el("div", { class: "field" }, el("label", {}, box, document.createTextNode(" " + T.executable)));
  }

  function render(element) {
    panel.replaceChildren();
    if (!element) {
      panel.append(el("p", { class: "meta", text: T.select_element }));
      const root = modeler.get("canvas").getRootElement();
      if (root && is(root.businessObject, "bpmn:Process")) panel.append(executableSwitch(root, root.businessObject));
      return;
    }
    const bo = element.businessObject;
    if (is(bo, "bpmn:Participant") && bo.processRef) panel.append(executableSwitch(element, bo.processRef));
    panel.append(el("h3", { text: bo.$type.replace("bpmn:", "") + " · " + bo.id }));
    if (!is(bo, "bpmn:Lane")) {
      const name = el("input", { value: bo.name || "", name: "name" });
      name.addEventListener("change", () => modeling.updateLabel(element, name.value));
      panel.append(field(T.name, name));
    }
    if (is(bo, "bpmn:Lane")) {
      // A lane's name is the role code(s) our engine assigns its tasks to.
      const chosen = new Set(String(bo.name || "").split(",").map((s) => s.trim()).filter(Boolean));
      const box = el("div", { class: "roles", "data-testid": "lane-roles" });
      for (const [code, label] of config.roles) {
        const input = el("input", { type: "checkbox", value: code, name: "role" });
        input.checked = chosen.has(code);
        input.addEventListener("change", () => {
          const codes = [...box.querySelectorAll("input:checked")].map((i) => i.value);
          modeling.updateProperties(element, { name: codes.join(",") });
        });
        box.append(el("label", {}, input, document.createTextNode(" " + label + " (" + code + ")")));
      }
      panel.append(el("div", { class: "field" }, el("label", { text: T.lane_role }), box));
    }
    if (is(bo, "bpmn:UserTask")) {
      const current = getProp(bo, "formJsonSchemaFilename").replace(/\.json$/, "");
      const titles = config.formTitles || {};
      const form = select(config.forms.map((f) => [f, titles[f] ? titles[f] + " (" + f + ")" : f]), current, "form");
      form.addEventListener("change", () =>
        setProp(element, "formJsonSchemaFilename", form.value ? form.value + ".json" : ""),
      );
      panel.append(field(T.form, form));
      panel.append(field(T.due_in, durationPicker(T, getProp(bo, "dueIn"), (v) => setProp(element, "dueIn", v), "due")));
      const assign = el("input", { value: getProp(bo, "assignTo"), name: "assignTo" });
      assign.addEventListener("change", () => setProp(element, "assignTo", assign.value.trim()));
      panel.append(field(T.assign_to, assign));
    }
    if (is(bo, "bpmn:ServiceTask")) {
      const op = extension(bo, SPIFF + "ServiceTaskOperator", false);
      const operator = select(config.operators.map((o) => [o, o]), op ? op.id : "", "operator");
      operator.addEventListener("change", () => {
        const target = extension(bo, SPIFF + "ServiceTaskOperator", true);
        target.id = operator.value;
        modeling.updateProperties(element, {});
      });
      panel.append(field(T.operator, operator));
      const result = el("input", { value: op ? op.resultVariable || "" : "", name: "resultVariable" });
      result.addEventListener("change", () => {
        const target = extension(bo, SPIFF + "ServiceTaskOperator", true);
        target.resultVariable = result.value.trim();
        modeling.updateProperties(element, {});
      });
      panel.append(field(T.result_variable, result));
      panel.append(parameterEditor(element, bo));
    }
    const timer = (bo.eventDefinitions || []).find((d) => is(d, "bpmn:TimerEventDefinition"));
    if (timer) {
      const body = timer.timeDuration ? timer.timeDuration.body : "";
      const expression = el("input", { value: body || "", name: "timer" });
      const apply = (value) => {
        modeling.updateModdleProperties(element, timer, { timeDuration: formalExpression(value) });
        expression.value = value;
      };
      expression.addEventListener("change", () => apply(expression.value));
      panel.append(field(T.timer, durationPicker(T, body, (v) => apply(v ? `"${v}"` : ""), "timer")));
      panel.append(field(T.timer_expression, expression));
    }
    if (is(bo, "bpmn:SequenceFlow") && (is(bo.sourceRef, "bpmn:ExclusiveGateway") || is(bo.sourceRef, "bpmn:InclusiveGateway"))) {
      const current = bo.conditionExpression ? bo.conditionExpression.body : "";
      const match = /^decision == "(\w+)"$/.exec(current || "");
      const decision = select(config.decisions.map((d) => [d, d]), match ? match[1] : "", "decision");
      const expression = el("input", { value: current || "", name: "condition" });
      const apply = (value) => {
        modeling.updateProperties(element, { conditionExpression: value ? formalExpression(value) : undefined });
        expression.value = value;
      };
      decision.addEventListener("change", () => apply(decision.value ? `decision == "${decision.value}"` : ""));
      expression.addEventListener("change", () => apply(expression.value.trim()));
      panel.append(field(T.decision, decision));
      panel.append(field(T.condition, expression));
    }
  }

  modeler.on("selection.changed", (event) => render(event.newSelection[0] || null));
  modeler.on("import.done", () => render(null));
}
