/* Names for the widgets that Django's admin builds with JavaScript and leaves unnamed (axe:
   aria-input-field-name, aria-prohibited-attr):
   - a searchable select (autocomplete_fields, Select2) is named by the label of its field (or in
     a table row by its aria-label) and the value it shows;
   - the search icon of a two-list select (filter_horizontal) carries its hint as an image.
   A MutationObserver names them as they appear, also in inline rows added later. */
"use strict";

(function () {
  function nameWidgets(root) {
    root.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
    root.querySelectorAll(".select2-selection[role=combobox]").forEach(function (box) {
      // Select2 shows the chosen value as a read-only textbox without a name of its own; it is
      // part of the combobox's name already, so a plain text it is.
      box.querySelectorAll(".select2-selection__rendered[role=textbox]").forEach(function (value) {
        value.removeAttribute("role");
        value.removeAttribute("aria-readonly");
      });
      // Select2 puts its container right after the select it replaces.
      const container = box.closest(".select2-container");
      const select = container && container.previousElementSibling;
      if (!select || !select.id) {
        return;
      }
      let label = document.querySelector('label[for="' + select.id + '"]');
      if (!label) {
        label = document.getElementById(select.id + "-label");
      }
      if (!label && select.getAttribute("aria-label")) {
        // In a table row (partners/admin_labels.py) the select has only an aria-label.
        label = document.createElement("span");
        label.id = select.id + "-label";
        label.className = "visually-hidden";
        label.textContent = select.getAttribute("aria-label");
        select.before(label);
      }
      if (!label) {
        return;
      }
      label.id = label.id || select.id + "-label";
      const names = (box.getAttribute("aria-labelledby") || "").split(" ").filter(Boolean);
      if (!names.includes(label.id)) {
        box.setAttribute("aria-labelledby", [label.id].concat(names).join(" "));
      }
    });
  }

  new MutationObserver(function (records) {
    records.forEach(function (record) {
      if (record.target.nodeType === Node.ELEMENT_NODE) {
        nameWidgets(record.target);
      }
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
  nameWidgets(document);
})();
