// Read-only diagrams: an instance's steps (done, current with holders, history on click) and the
// visual diff of two process versions (added, removed, changed elements coloured).
import NavigatedViewer from "bpmn-js/lib/NavigatedViewer";

async function json(url) {
  const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error("HTTP " + response.status);
  return response.json();
}

async function show(container, xml) {
  const viewer = new NavigatedViewer({ container });
  await viewer.importXML(xml);
  viewer.get("canvas").zoom("fit-viewport");
  return viewer;
}

function label(text, className) {
  const node = document.createElement("div");
  node.className = className;
  node.textContent = text;
  return node;
}

async function instanceDiagram(box) {
  const data = await json(box.dataset.url);
  const viewer = await show(box.querySelector(".bpmn-canvas"), data.xml);
  const canvas = viewer.get("canvas");
  const registry = viewer.get("elementRegistry");
  const overlays = viewer.get("overlays");
  for (const id of data.completed) if (registry.get(id)) canvas.addMarker(id, "step-done");
  for (const step of data.current) {
    if (!registry.get(step.id)) continue;
    canvas.addMarker(step.id, "step-current");
    if (step.holders.length) {
      overlays.add(step.id, "holder", { position: { top: -22, left: 0 }, html: label(step.holders.join(", "), "holder-overlay") });
    }
  }
  const panel = box.querySelector(".step-history");
  viewer.on("element.click", (event) => {
    const rows = data.history[event.element.id] || [];
    panel.replaceChildren();
    const title = document.createElement("h3");
    title.textContent = (event.element.businessObject.name || event.element.id);
    panel.append(title);
    if (!rows.length) {
      panel.append(label(box.dataset.empty, "meta"));
      return;
    }
    const list = document.createElement("ol");
    for (const row of rows) {
      const item = document.createElement("li");
      item.textContent = row;
      list.append(item);
    }
    panel.append(list);
  });
  box.dataset.ready = "1";
}

async function diffDiagram(box) {
  const data = await json(box.dataset.url);
  const left = await show(box.querySelector("#diff-old"), data.old_xml);
  const right = await show(box.querySelector("#diff-new"), data.new_xml);
  const mark = (viewer, ids, marker) => {
    const registry = viewer.get("elementRegistry");
    for (const id of ids) if (registry.get(id)) viewer.get("canvas").addMarker(id, marker);
  };
  mark(left, data.removed, "diff-removed");
  mark(left, data.changed, "diff-changed");
  mark(right, data.added, "diff-added");
  mark(right, data.changed, "diff-changed");
  box.dataset.ready = "1";
}

const instanceBox = document.getElementById("instance-diagram");
if (instanceBox) instanceDiagram(instanceBox).catch(() => { instanceBox.dataset.ready = "error"; });
const diffBox = document.getElementById("version-diff");
if (diffBox) diffDiagram(diffBox).catch(() => { diffBox.dataset.ready = "error"; });
