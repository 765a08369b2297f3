// The organisation tree: toggle children once loaded; cancel an inline form. Every control
// is a link or a form that works without JavaScript; this script only keeps it in place.
document.addEventListener("click", function (evt) {
  var toggle = evt.target.closest(".tree-toggle");
  if (toggle && toggle.dataset.loaded) {
    evt.preventDefault();  // the link is the no-JS way; here the children are already in the page
    var list = document.getElementById(toggle.getAttribute("aria-controls"));
    var open = toggle.getAttribute("aria-expanded") === "true";
    list.hidden = open;
    toggle.setAttribute("aria-expanded", open ? "false" : "true");
    toggle.textContent = open ? "▸" : "▾";
    return;
  }
  var cancel = evt.target.closest(".js-cancel");
  if (cancel) {
    var slot = cancel.closest(".unit-form, #root-form");
    if (slot) {
      evt.preventDefault();  // inline form: just close it (the link returns to the tree without JS)
      slot.innerHTML = "";
    }
  }
});
document.addEventListener("htmx:afterSwap", function (evt) {
  var target = evt.detail.target;
  if (target && target.classList.contains("children")) {
    var toggle = document.querySelector('.tree-toggle[aria-controls="' + target.id + '"]');
    target.hidden = false;
    if (toggle) {
      toggle.dataset.loaded = "1";
      toggle.setAttribute("aria-expanded", "true");
      toggle.textContent = "▾";
    }
  }
});
