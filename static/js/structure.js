// The organisation tree: toggle children once loaded; cancel an inline form.
document.addEventListener("click", function (evt) {
  var toggle = evt.target.closest(".tree-toggle");
  if (toggle && toggle.dataset.loaded) {
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
      slot.innerHTML = "";
    } else {
      history.back();
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
