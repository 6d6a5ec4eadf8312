// The decision table's rules dragged into a new order (templates/administration/_rules_list.html).
// A rule is dragged by its card; when it is dropped, the order of the cards is posted by the list's
// hidden form [data-rule-order] through htmx (its trigger is "end"), and the list comes back with
// the coverage check. The arrow buttons on each card do the same from the keyboard. No inline
// scripts (Content-Security-Policy): the events are listened to on the document, so the list can
// be swapped freely.
(() => {
  let dragged = null;

  const sortable = (item) => item && item.parentElement && item.parentElement.matches("[data-sortable]");

  document.addEventListener("dragstart", (event) => {
    const item = event.target.closest && event.target.closest("[data-rule][draggable=true]");
    if (!sortable(item)) return;
    dragged = item;
    item.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.dataset.rule);
  });

  document.addEventListener("dragover", (event) => {
    if (!dragged) return;
    const list = dragged.parentElement;
    const over = event.target.closest && event.target.closest("[data-rule]");
    if (!event.target.closest || event.target.closest("[data-sortable]") !== list) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (!over || over === dragged || over.parentElement !== list) return;
    const box = over.getBoundingClientRect();
    const after = event.clientY > box.top + box.height / 2;
    const before = after ? over.nextElementSibling : over;
    if (before !== dragged) list.insertBefore(dragged, before);
  });

  document.addEventListener("drop", (event) => {
    if (dragged) event.preventDefault();
  });

  document.addEventListener("dragend", () => {
    if (!dragged) return;
    const item = dragged;
    dragged = null;
    item.classList.remove("dragging");
    const list = item.parentElement;
    const ids = Array.from(list.querySelectorAll(":scope > [data-rule]")).map((li) => li.dataset.rule);
    if (ids.join(",") === list.dataset.order) return;
    const form = list.closest("[data-rule-list]").querySelector("[data-rule-order]");
    form.querySelectorAll("input[name=rule]").forEach((input) => input.remove());
    for (const id of ids) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = "rule";
      input.value = id;
      form.append(input);
    }
    window.htmx.trigger(form, "end");
  });
})();
