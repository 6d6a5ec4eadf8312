// Keyboard help for the inventory table. No inline scripts anywhere (Content-Security-Policy).
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const row = event.target.closest("tr.editing");
  if (row) {
    const cancel = row.querySelector("[data-cancel]");
    if (cancel) cancel.click();
  }
});

// After htmx swaps in a row form, put the cursor in its first field.
document.addEventListener("htmx:afterSwap", (event) => {
  const field = event.detail.elt.querySelector && event.detail.elt.querySelector("[autofocus]");
  if (field) field.focus();
});
document.addEventListener("htmx:load", (event) => {
  const field = event.detail.elt.querySelector && event.detail.elt.querySelector("tr.editing [autofocus]");
  if (field) field.focus();
});

// A button with data-confirm asks before its form is sent (deleting a KPI or a month's figures).
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});
