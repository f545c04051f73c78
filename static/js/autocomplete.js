/* The boxes that find a list filter's rows by code or name (coop.filters.AutocompleteSelectMultiple).
 *
 * A filter among too many rows to list (a thousand programmes, five thousand agencies) is written as a text box
 * and a select of the rows chosen. This script makes the box a combobox (WAI-ARIA 1.2, "list autocomplete"):
 * what is typed is sent to the filter's address (`data-autocomplete-url`, coop.views.FilterChoicesView), the
 * matching rows are shown as a listbox under the box, the arrow keys move through them (aria-activedescendant:
 * the focus stays in the box), Enter or a click picks one, Escape closes the list (or, closed, empties the box).
 * The row picked is added to the select, selected, and sent with the form. A live region says how many rows
 * were found and which was picked. Served as a file: the Content-Security-Policy runs no inline script.
 * Without it the box is sent as `<name>_find` and the page finds the rows (the note under the box says so).
 */
(function autocompleteFilters() {
  "use strict";

  const DELAY_MS = 200; // after the last key, before asking

  function text(container, name, values) {
    let message = container.dataset[name] || "";
    for (const [key, value] of Object.entries(values || {})) message = message.replace(`%(${key})s`, value);
    return message;
  }

  function setUp(container) {
    const url = container.dataset.autocompleteUrl;
    const input = container.querySelector("input[type=text]");
    const select = document.getElementById(container.dataset.autocompleteSelect);
    if (!url || !input || !select) return;
    const label = document.querySelector(`label[for="${input.id}"]`);

    const listbox = document.createElement("ul");
    listbox.id = `${input.id}_listbox`;
    listbox.className = "coop-autocomplete-list list-group shadow-sm";
    listbox.setAttribute("role", "listbox");
    if (label) listbox.setAttribute("aria-label", label.textContent.trim());
    listbox.hidden = true;
    input.after(listbox);

    const status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status"); // a polite live region
    container.append(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);

    let results = [];
    let active = -1;
    let asked = 0; // the number of the latest request: an older answer arriving late is dropped
    let pending = null;

    function announce(message) {
      status.textContent = message;
    }

    function open(isOpen) {
      listbox.hidden = !isOpen;
      input.setAttribute("aria-expanded", isOpen ? "true" : "false");
      if (!isOpen) setActive(-1);
    }

    function setActive(index) {
      active = index;
      listbox.querySelectorAll("[role=option]").forEach((option, position) => {
        const isActive = position === index;
        option.classList.toggle("active", isActive);
        option.setAttribute("aria-selected", isActive ? "true" : "false");
        if (isActive) option.scrollIntoView({ block: "nearest" });
      });
      if (index >= 0) input.setAttribute("aria-activedescendant", `${listbox.id}_${index}`);
      else input.removeAttribute("aria-activedescendant");
    }

    function show(found, more) {
      results = found;
      listbox.replaceChildren(
        ...found.map((row, index) => {
          const option = document.createElement("li");
          option.id = `${listbox.id}_${index}`;
          option.className = "list-group-item list-group-item-action small";
          option.setAttribute("role", "option");
          option.setAttribute("aria-selected", "false");
          option.textContent = row.label;
          option.addEventListener("mousedown", (event) => event.preventDefault()); // the box keeps the focus
          option.addEventListener("click", () => pick(index));
          return option;
        }),
      );
      open(found.length > 0);
      if (!found.length) announce(text(container, "textNone"));
      else if (more) announce(text(container, "textMore", { count: found.length }));
      else announce(text(container, found.length === 1 ? "textOne" : "textMany", { count: found.length }));
    }

    function pick(index) {
      const row = results[index];
      if (!row) return;
      let option = Array.from(select.options).find((each) => each.value === row.value);
      if (!option) {
        option = new Option(row.label, row.value);
        select.add(option);
      }
      option.selected = true;
      select.hidden = false;
      select.size = Math.min(Math.max(select.options.length, 2), 8); // as tall as its rows, not the browser's four
      input.value = "";
      results = [];
      open(false);
      announce(text(container, "textChosen", { label: row.label }));
      input.focus();
    }

    async function ask(words) {
      const number = ++asked;
      if (!words.trim()) {
        show([], false);
        open(false);
        announce("");
        return;
      }
      try {
        const response = await fetch(`${url}?${new URLSearchParams({ q: words })}`, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        });
        const answer = await response.json();
        if (number !== asked) return;
        if (!response.ok) {
          show([], false);
          announce(answer.error || "");
          return;
        }
        show(answer.results, answer.more);
      } catch (error) {
        if (number === asked) announce(text(container, "textFailed"));
      }
    }

    input.addEventListener("input", () => {
      clearTimeout(pending);
      pending = setTimeout(() => ask(input.value), DELAY_MS);
    });

    input.addEventListener("keydown", (event) => {
      const isOpen = !listbox.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!isOpen && !results.length) {
          if (input.value.trim()) ask(input.value);
          return;
        }
        if (!isOpen) open(true);
        setActive((active + 1) % results.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (!results.length) return;
        if (!isOpen) open(true);
        setActive(active <= 0 ? results.length - 1 : active - 1);
      } else if (event.key === "Enter") {
        if (isOpen && active >= 0) {
          event.preventDefault(); // picks the row; the form is sent by the next Enter or the button
          pick(active);
        }
      } else if (event.key === "Escape") {
        if (isOpen) {
          event.preventDefault();
          open(false);
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
          results = [];
        }
      } else if (event.key === "Tab") {
        open(false);
      }
    });

    input.addEventListener("blur", () => open(false));
  }

  document.querySelectorAll(".coop-autocomplete[data-autocomplete-url]").forEach(setUp);
})();
