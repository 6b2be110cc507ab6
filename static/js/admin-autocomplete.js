// Two repairs to the admin's autocomplete fields (select2 4.0), for screen readers
// (JIS X 8341-3 / WCAG 1.3.1 and 4.1.2):
// - they type into a search box of their own that has no label: each box is given the name of
//   the field it searches, taken from the field's <label>;
// - a multiple choice puts its "remove all" × (a <span>) inside its list of choices, which a
//   list may not hold: it is moved just before the list, still inside the selection, where
//   select2's own handlers find it.
"use strict";
(function () {
  function labelOf(select) {
    const label = select.id && document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.replace(/[:：]\s*$/, "").trim() : "";
  }

  function repair() {
    nameSearchBoxes();
    document.querySelectorAll("ul.select2-selection__rendered > .select2-selection__clear").forEach(
      function (clear) {
        const list = clear.parentElement;
        list.parentElement.insertBefore(clear, list);
      }
    );
  }

  function nameSearchBoxes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      const name = labelOf(select);
      const container = select.nextElementSibling;
      if (!name || !container) return;
      container.querySelectorAll(".select2-search__field").forEach(function (box) {
        box.setAttribute("aria-label", name);
      });
    });
  }

  // A single-choice field searches in a box inside its open dropdown: name it on opening.
  function nameDropdownBox(event) {
    const name = labelOf(event.target);
    document.querySelectorAll(".select2-dropdown .select2-search__field").forEach(function (box) {
      if (name) box.setAttribute("aria-label", name);
    });
  }

  // select2 draws (and redraws, on every choice) after the page loads: watch for it.
  document.addEventListener("DOMContentLoaded", function () {
    repair();
    new MutationObserver(repair).observe(document.body, { childList: true, subtree: true });
    if (window.django && django.jQuery) django.jQuery(document).on("select2:open", nameDropdownBox);
  });
})();
