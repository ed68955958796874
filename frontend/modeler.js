// The admin's process editor: bpmn-js modeler, a properties panel for what our engine reads,
// Check / Deploy through the service's own checks, upload and download of .bpmn files.
import Modeler from "bpmn-js/lib/Modeler";
import spiffworkflow from "./spiffworkflow.json";
import { showProblems, showWarnings, clearProblems } from "./problems.js";
import { initProperties } from "./properties.js";

const root = document.getElementById("editor");
const config = JSON.parse(document.getElementById("editor-config").textContent);
const csrf = config.csrf;
const T = config.texts;

const modeler = new Modeler({
  container: "#canvas",
  moddleExtensions: { spiffworkflow },
});
window.bpmnModeler = modeler; // the browser test drives the diagram through the bpmn-js API

// "Never lose what someone typed": leaving the page asks while the diagram differs from what was last
// loaded or deployed. Every edit (canvas or properties panel) is a command; a counter of them is compared
// with its value at the last load or successful deploy (edits made while a deploy is on its way stay unsaved).
let edits = 0;
let savedAt = 0;
function markSaved(at) {
  savedAt = at;
  root.dataset.unsaved = String(edits !== savedAt);
}
modeler.on("commandStack.changed", (event) => {
  if (event && event.trigger === "clear") return; // importing a diagram clears the undo history
  edits += 1;
  root.dataset.unsaved = String(edits !== savedAt);
});
window.addEventListener("beforeunload", (event) => {
  if (edits === savedAt) return;
  event.preventDefault();
  event.returnValue = ""; // older browsers need a value to show their own question
});

const statusBox = document.getElementById("editor-status");
const problemList = document.getElementById("problems");
const warningList = document.getElementById("warnings");

function status(text, kind) {
  statusBox.textContent = text;
  statusBox.className = "flash flash-" + (kind || "info");
  statusBox.hidden = !text;
}

// SpiffWorkflow names task-data variables in loopDataInputRef/loopDataOutputRef ("ack_members"), which
// BPMN types as references to elements; bpmn-moddle would drop them on save. Keep them as named stubs.
function keepDataReferences(warnings) {
  const moddle = modeler.get("moddle");
  for (const warning of warnings || []) {
    if (!warning.element || !warning.property || !/^unresolved reference/.test(warning.message || "")) continue;
    if (!/loopData(Input|Output)Ref$/.test(warning.property)) continue;
    warning.element.set(warning.property, moddle.create("bpmn:DataInput", { id: warning.value }));
  }
}

// Below this scale a task's label is too small to read on a laptop: the diagram opens no smaller and
// scrolls instead; "Fit" shows all of it whatever the scale.
const READABLE = 0.8;
const MARGIN = 16;

// The palette floats over the canvas's top-left corner: the diagram is placed to the right of it.
function paletteWidth() {
  const palette = root.querySelector(".djs-palette");
  return palette ? palette.getBoundingClientRect().width + MARGIN : 0;
}

function zoomTo(readable) {
  const canvas = modeler.get("canvas");
  canvas.resized();
  const box = canvas.viewbox();
  const inner = box.inner;
  const outer = box.outer;
  if (!inner.width || !inner.height) return;
  const left = paletteWidth() + MARGIN;
  const room = { width: Math.max(outer.width - left - MARGIN, 100), height: Math.max(outer.height - 2 * MARGIN, 100) };
  let scale = Math.min(room.width / inner.width, room.height / inner.height, 1);
  if (readable) scale = Math.max(scale, READABLE);
  canvas.viewbox({
    x: inner.x - left / scale,
    y: inner.y - MARGIN / scale,
    width: outer.width / scale,
    height: outer.height / scale,
  });
  root.dataset.zoom = canvas.zoom().toFixed(2);
}

function zoomBy(step) {
  const canvas = modeler.get("canvas");
  canvas.zoom(Math.min(Math.max(canvas.zoom() * step, 0.2), 4));
  root.dataset.zoom = canvas.zoom().toFixed(2);
}

async function importXml(xml) {
  clearProblems(modeler, problemList);
  const { warnings } = await modeler.importXML(xml);
  keepDataReferences(warnings);
  zoomTo(true);
  root.dataset.ready = "1";
}

// The properties panel can be hidden to give the diagram the whole width; the choice is remembered.
const PANEL_KEY = "modeler:properties-hidden";
const panelButton = document.getElementById("btn-properties");
function showPanel(visible) {
  root.classList.toggle("props-hidden", !visible);
  panelButton.setAttribute("aria-expanded", String(visible));
  panelButton.classList.toggle("active", visible);
  try {
    window.localStorage.setItem(PANEL_KEY, visible ? "" : "1");
  } catch (e) {
    /* storage disabled: the choice lasts for this page only */
  }
  modeler.get("canvas").resized();
}
panelButton.addEventListener("click", () => showPanel(root.classList.contains("props-hidden")));
try {
  if (window.localStorage.getItem(PANEL_KEY)) showPanel(false);
} catch (e) {
  /* storage disabled */
}
document.getElementById("btn-zoom-fit").addEventListener("click", () => zoomTo(false));
document.getElementById("btn-zoom-in").addEventListener("click", () => zoomBy(1.2));
document.getElementById("btn-zoom-out").addEventListener("click", () => zoomBy(1 / 1.2));
window.addEventListener("resize", () => modeler.get("canvas").resized());

async function loadFrom(url) {
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) {
    status(T.load_failed, "error");
    return;
  }
  await importXml(await response.text());
  markSaved(edits);
}

async function currentXml() {
  const { xml } = await modeler.saveXML({ format: true });
  return xml;
}

async function post(url, body) {
  return fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/xml", "X-CSRFToken": csrf, Accept: "application/json" },
    body,
  });
}

async function check() {
  status(T.checking, "info");
  const response = await post(config.urls.check, await currentXml());
  const body = await response.json();
  clearProblems(modeler, problemList, warningList);
  if (response.ok && body.ok) {
    const warnings = body.warnings || [];
    showWarnings(modeler, warningList, warnings);
    status(warnings.length ? T.has_warnings : T.clean, warnings.length ? "warning" : "success");
    root.dataset.checked = warnings.length ? "warnings" : "clean";
    return true;
  }
  showProblems(modeler, problemList, body.problems || [], T);
  status(T.has_problems, "error");
  root.dataset.checked = "problems";
  return false;
}

async function deploy(replace = false) {
  status(T.deploying, "info");
  const note = document.getElementById("deploy-note").value || "";
  const url = config.urls.deploy + "?note=" + encodeURIComponent(note) + (replace ? "&replace=true" : "");
  const sentAt = edits;
  const response = await post(url, await currentXml());
  const body = await response.json();
  clearProblems(modeler, problemList, warningList);
  if (response.status === 409 && body.error === "process_exists") {
    // The file looks like another process than the one deployed under its id: the admin decides.
    if (window.confirm(body.message)) return deploy(true);
    status(T.not_deployed, "error");
    root.dataset.deployed = "refused";
    return;
  }
  if (response.status === 422) {
    showProblems(modeler, problemList, body.problems || [], T);
    status(T.not_deployed, "error");
    root.dataset.deployed = "refused";
    return;
  }
  if (!response.ok) {
    status(body.message || T.not_deployed, "error");
    return;
  }
  markSaved(sentAt);
  root.dataset.deployed = String(body.version);
  // Deployed all the same; a warning says what to set right next (give a role to someone).
  const warnings = body.warnings || [];
  showWarnings(modeler, warningList, warnings);
  const deployed = warnings.length ? T.deployed_with_warnings : T.deployed;
  const text = body.changed ? deployed.replace("%(version)s", body.version) : T.unchanged;
  status(text, warnings.length ? "warning" : "success");
  if (body.changed) {
    const link = document.getElementById("versions-link");
    if (link) link.hidden = false;
  }
}

async function download() {
  const xml = await currentXml();
  const blob = new Blob([xml], { type: "application/xml" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = (config.processId || "process") + ".bpmn";
  document.body.appendChild(a);
  a.click();
  a.remove();
}

async function upload(file) {
  const text = await file.text();
  // Desktop modelers may omit the diagram interchange; the service adds a layout where it is missing.
  const response = await post(config.urls.layout, text);
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    showProblems(modeler, problemList, body.problems || [], T);
    status(T.not_loaded, "error");
    return;
  }
  await importXml(await response.text());
  edits += 1; // an opened file is not deployed yet: leaving would lose it from the editor
  root.dataset.unsaved = "true";
  status(T.loaded.replace("%(name)s", file.name), "info");
}

document.getElementById("btn-check").addEventListener("click", () => check());
document.getElementById("btn-deploy").addEventListener("click", () => deploy());
document.getElementById("btn-download").addEventListener("click", () => download());
document.getElementById("upload-file").addEventListener("change", (event) => {
  const file = event.target.files && event.target.files[0];
  if (file) upload(file);
});

initProperties(modeler, config);

loadFrom(config.urls.xml);
