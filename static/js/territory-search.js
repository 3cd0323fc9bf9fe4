// Autocomplete for the collectivity field of /adherer (ARIA 1.2 combobox with a listbox).
// Without JavaScript the form's "Rechercher" button lists the matches as radio buttons instead.
(function () {
  "use strict";
  var box = document.querySelector("[data-territory-search]");
  if (!box) { return; }
  var input = box.querySelector("input[type=text], input:not([type])");
  var form = box.closest("form");
  var api = box.getAttribute("data-api");
  if (!input || !form || !api) { return; }

  var list = document.createElement("ul");
  list.id = input.id + "-listbox";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", input.labels && input.labels[0] ? input.labels[0].textContent.trim() : "");
  list.className = "combobox__list";
  list.hidden = true;
  input.insertAdjacentElement("afterend", list);
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  list.insertAdjacentElement("afterend", status);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);

  var results = [];
  var active = -1;
  var timer = null;
  var lastQuery = "";

  function hidden() {
    var field = form.querySelector("input[type=hidden][name=territory_id]");
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = "territory_id";
      form.appendChild(field);
    }
    return field;
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function render() {
    list.innerHTML = "";
    results.forEach(function (item, i) {
      var option = document.createElement("li");
      option.id = list.id + "-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", i === active ? "true" : "false");
      option.textContent = item.label;
      option.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
      list.appendChild(option);
    });
    list.hidden = results.length === 0;
    input.setAttribute("aria-expanded", results.length ? "true" : "false");
    if (active >= 0) { input.setAttribute("aria-activedescendant", list.id + "-" + active); }
    // The page gives the words in its language (data-results="{n} results", data-no-results).
    status.textContent = results.length
      ? (box.getAttribute("data-results") || "{n}").replace("{n}", results.length)
      : (box.getAttribute("data-no-results") || "");
  }

  function choose(i) {
    var item = results[i];
    if (!item) { return; }
    input.value = item.name;
    hidden().value = item.id;
    status.textContent = item.label;
    close();
  }

  function search() {
    var q = input.value.trim();
    if (q.length < 2 || q === lastQuery) { if (q.length < 2) { close(); } return; }
    lastQuery = q;
    fetch(api + "?q=" + encodeURIComponent(q) + "&limit=8", { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(function (data) {
        if (input.value.trim() !== q) { return; }
        results = data.results || [];
        active = -1;
        render();
      })
      .catch(function () { close(); });
  }

  input.addEventListener("input", function () {
    hidden().value = "";
    clearTimeout(timer);
    timer = setTimeout(search, 150);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && results.length) {
      active = (active + 1) % results.length; render(); event.preventDefault();
    } else if (event.key === "ArrowUp" && results.length) {
      active = (active - 1 + results.length) % results.length; render(); event.preventDefault();
    } else if (event.key === "Enter" && !list.hidden && active >= 0) {
      choose(active); event.preventDefault();
    } else if (event.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 100); });
})();
