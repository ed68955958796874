// Deploy problems shown on the diagram: the element highlighted, the reason beside it and in a list.

export function clearProblems(modeler, list, warningList) {
  const canvas = modeler.get("canvas");
  const registry = modeler.get("elementRegistry");
  registry.forEach((element) => {
    canvas.removeMarker(element, "has-problem");
    canvas.removeMarker(element, "has-warning");
  });
  modeler.get("overlays").remove({ type: "problem" });
  modeler.get("overlays").remove({ type: "warning" });
  for (const each of [list, warningList]) {
    if (!each) continue;
    each.replaceChildren();
    each.hidden = true;
  }
}

// Marks each element (`has-<kind>`, a `<kind>-overlay` note under it) and makes the list item select them.
function pinToDiagram(modeler, item, elements, kind, text) {
  const canvas = modeler.get("canvas");
  const overlays = modeler.get("overlays");
  for (const element of elements) {
    canvas.addMarker(element, "has-" + kind);
    const note = document.createElement("div");
    note.className = kind + "-overlay";
    note.textContent = text;
    overlays.add(element, kind, { position: { bottom: -4, left: 0 }, html: note });
  }
  if (elements.length) {
    item.classList.add("on-diagram");
    item.addEventListener("click", () => {
      modeler.get("selection").select(elements.length === 1 ? elements[0] : elements);
      canvas.scrollToElement(elements[0]);
    });
  }
}

// Warnings never stop a deploy (a role nobody active holds): listed apart and marked in orange on every
// step they concern, so they read as advice, not as refusals.
export function showWarnings(modeler, list, warnings) {
  const registry = modeler.get("elementRegistry");
  list.hidden = warnings.length === 0;
  for (const warning of warnings) {
    const item = document.createElement("li");
    item.dataset.code = warning.code || "";
    item.dataset.element = warning.element || "";
    item.textContent = warning.text || warning.message;
    const ids = (warning.tasks || []).map((task) => task.id);
    const elements = ids.map((id) => registry.get(id)).filter(Boolean);
    pinToDiagram(modeler, item, elements, "warning", warning.role_name || warning.role || "");
    list.append(item);
  }
}

export function showProblems(modeler, list, problems, T) {
  const registry = modeler.get("elementRegistry");
  list.hidden = problems.length === 0;
  for (const problem of problems) {
    const item = document.createElement("li");
    item.dataset.element = problem.element || "";
    const where = document.createElement("code");
    where.textContent = problem.element || "—";
    item.append(where, document.createTextNode(
      (problem.line ? " · " + T.line + " " + problem.line : "") + ": " + (problem.text || problem.message),
    ));
    const element = problem.element ? registry.get(problem.element) : null;
    pinToDiagram(modeler, item, element ? [element] : [], "problem", problem.text || problem.message);
    list.append(item);
  }
}
