// Deploy problems shown on the diagram: the element highlighted, the reason beside it and in a list.

export function clearProblems(modeler, list) {
  const canvas = modeler.get("canvas");
  const registry = modeler.get("elementRegistry");
  registry.forEach((element) => canvas.removeMarker(element, "has-problem"));
  modeler.get("overlays").remove({ type: "problem" });
  list.replaceChildren();
  list.hidden = true;
}

export function showProblems(modeler, list, problems, T) {
  const canvas = modeler.get("canvas");
  const registry = modeler.get("elementRegistry");
  const overlays = modeler.get("overlays");
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
    if (element) {
      canvas.addMarker(element, "has-problem");
      const note = document.createElement("div");
      note.className = "problem-overlay";
      note.textContent = problem.text || problem.message;
      overlays.add(element, "problem", { position: { bottom: -4, left: 0 }, html: note });
      item.classList.add("on-diagram");
      item.addEventListener("click", () => {
        modeler.get("selection").select(element);
        canvas.scrollToElement(element);
      });
    }
    list.append(item);
  }
}
