// Compound detail page: the "取消" button of a new (unsaved) row empties that row.
document.addEventListener("click", function (evt) {
  var button = evt.target.closest("[data-clear-row]");
  if (!button) { return; }
  var body = button.closest("tbody");
  if (body) { body.innerHTML = ""; }
});
