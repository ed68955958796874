// The forms list: "New form" opens the builder on a blank form under the name typed.
const newForm = document.getElementById("new-form");
if (newForm) {
  newForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const key = document.getElementById("new-form-key").value.trim();
    window.location.href = newForm.action.replace(/_$/, encodeURIComponent(key)) + "?new=1";
  });
}
