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

// A button with data-copy puts the value of the field it names on the clipboard (a vendor's link,
// shown once); data-copied is what the button says afterwards. Clicking the field selects it all.
document.addEventListener("click", (event) => {
  const field = event.target.closest("[data-select-all]");
  if (field) field.select();
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const source = document.querySelector(button.dataset.copy);
  if (!source) return;
  const copied = () => {
    if (button.dataset.copied) button.textContent = button.dataset.copied;
  };
  source.select();
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(source.value).then(copied, () => {});
  } else if (document.execCommand("copy")) {
    copied();
  }
});

// The fast table's add row names the answers the recommendation needs that are still blank
// (_add_row.html renders the same list; this keeps it current as they are picked).
document.addEventListener("change", (event) => {
  const entry = event.target.closest && event.target.closest("[data-entry]");
  const note = entry && entry.querySelector("[data-unanswered]");
  if (!note) return;
  const blank = Array.from(entry.querySelectorAll("select"))
    .filter((select) => !select.value)
    .map((select) => select.getAttribute("aria-label"));
  note.querySelector("[data-names]").textContent = blank.join(note.dataset.separator);
  note.querySelector("[data-some]").hidden = blank.length === 0;
  note.querySelector("[data-none]").hidden = blank.length > 0;
});

// The inventory's search (issue 18): a moment after typing stops, the filters' form asks for the
// table again (htmx, `search-typed`); a filter changed asks at once (its own `change`).
document.addEventListener("input", (event) => {
  const box = event.target.closest && event.target.closest("[data-search]");
  if (!box || !box.form || !window.htmx) return;
  clearTimeout(box.typing);
  box.typing = setTimeout(() => window.htmx.trigger(box.form, "search-typed"), 350);
});

// The inventory's bulk edit (issue 18): the bar shows once a row is ticked and counts them;
// "select every task shown" ticks them all; the bar shows the input of what is to be set.
const bulkRows = () => Array.from(document.querySelectorAll("[data-bulk-row]"));
const bulkUpdate = () => {
  const bar = document.querySelector("[data-bulk]");
  if (!bar) return;
  const rows = bulkRows();
  const ticked = rows.filter((box) => box.checked).length;
  bar.hidden = ticked === 0;
  // On a phone the bar is fixed at the bottom (app.css): the page leaves room for it under the last row.
  document.body.style.setProperty("--bulk-bar-height", `${bar.offsetHeight}px`);
  const count = bar.querySelector("[data-bulk-count]");
  if (count) count.textContent = count.dataset.template.replace("{n}", ticked);
  const all = document.querySelector("[data-bulk-all]");
  if (all) {
    all.checked = ticked > 0 && ticked === rows.length;
    all.indeterminate = ticked > 0 && ticked < rows.length;
  }
};
const bulkShowValue = () => {
  const field = document.querySelector("[data-bulk-field]");
  if (!field) return;
  document.querySelectorAll("[data-bulk-value]").forEach((box) => {
    box.hidden = box.dataset.bulkValue !== field.value;
  });
};
document.addEventListener("change", (event) => {
  const target = event.target;
  if (!target.matches) return;
  if (target.matches("[data-bulk-all]")) {
    bulkRows().forEach((box) => {
      box.checked = target.checked;
    });
  }
  if (target.matches("[data-bulk-all], [data-bulk-row]")) bulkUpdate();
  // A row ticked low on a phone's screen is not left under the bar that just appeared there.
  const bar = document.querySelector("[data-bulk]");
  if (target.matches("[data-bulk-row]") && bar && !bar.hidden && getComputedStyle(bar).position === "fixed"
      && target.getBoundingClientRect().bottom > bar.getBoundingClientRect().top) {
    target.scrollIntoView({ block: "center" });
  }
  if (target.matches("[data-bulk-field]")) bulkShowValue();
});
document.addEventListener("click", (event) => {
  if (!event.target.closest || !event.target.closest("[data-bulk-clear]")) return;
  bulkRows().forEach((box) => {
    box.checked = false;
  });
  bulkUpdate();
});
document.addEventListener("htmx:afterSettle", () => {
  bulkUpdate();
  bulkShowValue();
});
document.addEventListener("DOMContentLoaded", () => {
  bulkUpdate();
  bulkShowValue();
});
