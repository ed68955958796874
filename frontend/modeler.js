// The admin's process editor: bpmn-js modeler, a properties panel for what our engine reads,
// Check / Deploy through the service's own checks, upload and download of .bpmn files.
import Modeler from "bpmn-js/lib/Modeler";
import spiffworkflow from "./spiffworkflow.json";
import { showProblems, clearProblems } from "./problems.js";
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

async function importXml(xml) {
  clearProblems(modeler, problemList);
  const { warnings } = await modeler.importXML(xml);
  keepDataReferences(warnings);
  modeler.get("canvas").zoom("fit-viewport");
  root.dataset.ready = "1";
}

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
  clearProblems(modeler, problemList);
  if (response.ok && body.ok) {
    status(T.clean, "success");
    root.dataset.checked = "clean";
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
  clearProblems(modeler, problemList);
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
  const text = body.changed ? T.deployed.replace("%(version)s", body.version) : T.unchanged;
  status(text, "success");
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
