// The form editor: the preview follows the JSON Schema as it is typed (drawn by the server's macros).
const editor = document.getElementById("form-editor");
if (editor) {
  const textarea = editor.querySelector("textarea");
  const preview = document.getElementById("form-preview");
  const csrf = editor.querySelector("[name=csrf_token]").value;
  let timer = null;
  let sent = 0;
  const refresh = async () => {
    const ticket = ++sent;
    const response = await fetch(editor.dataset.preview, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: textarea.value,
    });
    if (ticket !== sent || !response.ok) return; // a newer edit is already on its way
    preview.innerHTML = await response.text();
    preview.dataset.updated = String(ticket);
  };
  // "Never lose what someone typed": leaving asks while the text differs from the saved form. A page
  // re-drawn after a refused save (data-unsaved) holds text that was never stored.
  let unsaved = editor.dataset.unsaved === "true";
  let saving = false;
  textarea.addEventListener("input", () => {
    unsaved = true;
    editor.dataset.unsaved = "true";
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  });
  editor.addEventListener("submit", () => {
    saving = true; // the save itself leaves the page; a refused save comes back marked unsaved
  });
  window.addEventListener("beforeunload", (event) => {
    if (!unsaved || saving) return;
    event.preventDefault();
    event.returnValue = "";
  });
}
const newForm = document.getElementById("new-form");
if (newForm) {
  newForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const key = document.getElementById("new-form-key").value.trim();
    window.location.href = newForm.action.replace(/_$/, encodeURIComponent(key)) + "?new=1";
  });
}
