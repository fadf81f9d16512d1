/* Pickers (units/widgets.py): a plain <select data-picker="/units/search/"> becomes a
   search box that asks the server as one types, with the choice(s) shown as tags. The
   select stays in the form, hidden, and holds the value that is sent; without this script
   it is simply the select. No library, no inline style or markup from data (textContent
   only), so it runs under the site's Content-Security-Policy. */
(function () {
  "use strict";
  var DELAY = 200; // ms after the last key before asking the server
  var counter = 0;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function enhance(select) {
    if (select.dataset.pickerReady) return; // the script may be loaded twice
    select.dataset.pickerReady = "true";
    var id = select.id || "picker-" + (++counter);
    var multiple = select.multiple;
    var data = select.dataset;
    var box = el("div", "picker");
    var chosen = el("ul", "picker-chosen");
    var input = el("input", "picker-input");
    var list = el("ul", "picker-results");
    var status = el("p", "visually-hidden");
    var timer = null;
    var request = null;
    var results = [];
    var active = -1;

    input.type = "search";
    input.id = id + "_search";
    input.placeholder = data.pickerPlaceholder || "";
    input.autocomplete = "off";
    input.maxLength = 50;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id + "_results");
    ["aria-describedby", "aria-invalid"].forEach(function (name) {
      if (select.hasAttribute(name)) input.setAttribute(name, select.getAttribute(name));
    });
    list.id = id + "_results";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    status.setAttribute("aria-live", "polite");

    var label = document.querySelector('label[for="' + id + '"]');
    if (label) {
      label.htmlFor = input.id;
      if (!label.id) label.id = id + "_label";
      list.setAttribute("aria-labelledby", label.id);
      chosen.setAttribute("aria-labelledby", label.id);
    }

    function optionFor(value) {
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].value === String(value)) return select.options[i];
      }
      return null;
    }

    function drawChosen() {
      chosen.textContent = "";
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.selected || option.value === "") return;
        var item = el("li", "picker-tag");
        item.appendChild(el("span", "", option.textContent));
        if (multiple || optionFor("")) {
          var remove = el("button", "picker-remove", "×");
          remove.type = "button";
          remove.setAttribute("aria-label", (data.pickerRemove || "") + " " + option.textContent);
          remove.addEventListener("click", function () {
            option.selected = false;
            if (!multiple) select.value = "";
            changed();
            input.focus();
          });
          item.appendChild(remove);
        }
        chosen.appendChild(item);
      });
      chosen.hidden = !chosen.firstChild;
    }

    function changed() {
      drawChosen();
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function close() {
      list.hidden = true;
      list.textContent = "";
      results = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var items = list.querySelectorAll("[role=option]");
      active = index;
      Array.prototype.forEach.call(items, function (item, i) {
        item.setAttribute("aria-selected", String(i === index));
      });
      if (items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      }
    }

    function choose(result) {
      var option = optionFor(result.id);
      if (!option) return;
      if (multiple) option.selected = true;
      else select.value = option.value;
      input.value = "";
      close();
      changed();
      status.textContent = option.textContent;
    }

    function show(found) {
      list.textContent = "";
      results = found.filter(function (r) { return optionFor(r.id); });
      active = -1;
      if (!results.length) {
        list.appendChild(el("li", "picker-empty", data.pickerEmpty || ""));
      }
      results.forEach(function (result, i) {
        var item = el("li", "picker-option");
        item.id = id + "_option_" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.appendChild(el("span", "", result.label));
        if (result.detail) item.appendChild(el("span", "picker-detail", result.detail));
        item.addEventListener("mousedown", function (event) { event.preventDefault(); });
        item.addEventListener("click", function () { choose(result); });
        list.appendChild(item);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = results.length ? "" : data.pickerEmpty || "";
    }

    function search() {
      var text = input.value.trim();
      if (request) request.abort();
      if (!text) { close(); return; }
      request = new AbortController();
      fetch(data.picker + "?q=" + encodeURIComponent(text), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: request.signal
      })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (answer) { show(answer.results || []); })
        .catch(function (error) {
          if (error.name === "AbortError") return;
          close();
          status.textContent = data.pickerError || "";
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && results.length) {
        event.preventDefault();
        highlight(Math.min(active + 1, results.length - 1));
      } else if (event.key === "ArrowUp" && results.length) {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter") {
        event.preventDefault(); // in the search box Enter chooses; it never sends the form
        if (results[active]) choose(results[active]);
        else if (results.length === 1) choose(results[0]);
        else if (list.hidden) { clearTimeout(timer); search(); }
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
    select.addEventListener("change", drawChosen);

    select.hidden = true;
    select.classList.add("picker-select");
    box.appendChild(chosen);
    box.appendChild(input);
    box.appendChild(list);
    box.appendChild(status);
    select.parentNode.insertBefore(box, select.nextSibling);
    drawChosen();
  }

  function start() {
    if (!window.fetch || !window.AbortController) return; // the plain select stays
    Array.prototype.forEach.call(document.querySelectorAll("select[data-picker]"), enhance);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
