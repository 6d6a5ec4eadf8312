// @mentions in a comment box (templates/assessments/_comments.html). Typing @ (or ＠) and the
// start of a name lists the organisation's members who match (the <datalist> the box names);
// Up and Down choose, Enter, Tab or a click puts "@name " in the text, Escape closes the list.
// The server reads the mentions from the text itself: without this script, typing the name works.
(() => {
  const LIMIT = 8;
  // The mark and what follows it up to the caret: a mark after a letter or digit of an e-mail
  // address is the address's (as the server reads it).
  const TYPED = /(?:^|[^A-Za-z0-9._%+-])[@＠]([^\s@＠]{0,30})$/u;

  const boxOf = (area) => {
    const list = document.getElementById(area.getAttribute("aria-controls"));
    const people = document.getElementById(area.dataset.mentions);
    const status = area.form && area.form.querySelector("[data-mention-status]");
    return list && people ? { list, people, status } : null;
  };

  const typed = (area) => {
    const before = area.value.slice(0, area.selectionStart);
    const match = before.match(TYPED);
    return match ? { start: before.length - match[1].length - 1, text: match[1] } : null;
  };

  const plain = (text) => text.toLowerCase().replace(/[\s\u3000]+/g, "");

  const matching = (people, text) => {
    const wanted = plain(text);
    return Array.from(people.options)
      .filter((option) => {
        const names = [option.value, option.dataset.name || "", option.dataset.username || ""];
        return names.some((name) => plain(name).includes(wanted));
      })
      .slice(0, LIMIT);
  };

  const close = (area, box) => {
    box.list.hidden = true;
    box.list.replaceChildren();
    area.removeAttribute("aria-activedescendant");
  };

  const choose = (area, box, index) => {
    const options = box.list.querySelectorAll("[role=option]");
    options.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
    if (options[index]) area.setAttribute("aria-activedescendant", options[index].id);
  };

  const insert = (area, box, option) => {
    const found = typed(area);
    if (!found) return close(area, box);
    const handle = "@" + option.dataset.handle + " ";
    const end = area.selectionStart;
    area.value = area.value.slice(0, found.start) + handle + area.value.slice(end);
    const caret = found.start + handle.length;
    area.setSelectionRange(caret, caret);
    close(area, box);
    area.focus();
  };

  const suggest = (area) => {
    const box = boxOf(area);
    if (!box) return;
    const found = typed(area);
    const options = found ? matching(box.people, found.text) : [];
    if (!options.length) return close(area, box);
    box.list.replaceChildren(
      ...options.map((person, index) => {
        const item = document.createElement("li");
        item.id = `${box.list.id}-${index}`;
        item.className = "list-group-item list-group-item-action py-1";
        item.setAttribute("role", "option");
        item.dataset.handle = person.value;
        item.textContent = person.dataset.name || person.value;
        const user = document.createElement("span");
        user.className = "text-body-secondary small ms-2";
        user.textContent = "@" + (person.dataset.username || "");
        item.append(user);
        return item;
      }),
    );
    box.list.hidden = false;
    choose(area, box, 0);
    if (box.status) {
      box.status.textContent = (box.status.dataset.template || "").replace("%(count)s", options.length);
    }
  };

  document.addEventListener("input", (event) => {
    if (event.target.matches && event.target.matches("textarea[data-mentions]")) suggest(event.target);
  });

  document.addEventListener("keydown", (event) => {
    const area = event.target;
    if (!(area.matches && area.matches("textarea[data-mentions]"))) return;
    const box = boxOf(area);
    if (!box || box.list.hidden) return;
    const options = Array.from(box.list.querySelectorAll("[role=option]"));
    const current = options.findIndex((option) => option.getAttribute("aria-selected") === "true");
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      choose(area, box, (current + step + options.length) % options.length);
    } else if ((event.key === "Enter" || event.key === "Tab") && options[current]) {
      event.preventDefault();
      insert(area, box, options[current]);
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      close(area, box);
    }
  });

  // A click on a suggestion (mousedown: before the box loses focus).
  document.addEventListener("mousedown", (event) => {
    const option = event.target.closest && event.target.closest(".mention-list [role=option]");
    if (!option) return;
    event.preventDefault();
    const area = document.querySelector(`[aria-controls="${option.parentElement.id}"]`);
    const box = area && boxOf(area);
    if (box) insert(area, box, option);
  });

  document.addEventListener("focusout", (event) => {
    const area = event.target;
    if (!(area.matches && area.matches("textarea[data-mentions]"))) return;
    const box = boxOf(area);
    if (box) window.setTimeout(() => close(area, box), 150);
  });
})();

// After htmx puts the comments back (added, refused or deleted), the box keeps the focus, so that
// a keyboard user writes on (or corrects the refused text) where they were.
document.addEventListener("htmx:load", (event) => {
  const section = event.detail.elt;
  if (!(section.matches && section.matches("[data-comments]"))) return;
  const box = section.querySelector("textarea[data-mentions]");
  if (box && (!document.activeElement || document.activeElement === document.body)) box.focus();
});
