// Small behaviours shared by every page. No inline scripts anywhere (CSP script-src 'self').
document.addEventListener("htmx:responseError", function (evt) {
  // htmx does not swap 4xx/5xx bodies; show the server's Chinese message in place.
  var xhr = evt.detail.xhr;
  var target = evt.detail.target;
  if (xhr.status === 422 || xhr.status === 409 || xhr.status === 400) {
    target.innerHTML = xhr.responseText;
    htmx.process(target);
    return;
  }
  var box = document.getElementById("htmx-error");
  if (!box) {
    box = document.createElement("div");
    box.id = "htmx-error";
    box.className = "flash flash-error";
    box.setAttribute("role", "alert");
    document.querySelector("main").prepend(box);
  }
  box.textContent = xhr.status === 404 ? "记录不存在或不在您的管辖范围内。" :
    xhr.status === 403 ? "您没有权限执行此操作。" :
    xhr.status === 413 ? "上传的文件过大。" : "操作失败（错误 " + xhr.status + "），数据未保存，请刷新后重试。";
});
document.addEventListener("htmx:sendError", function () {
  var box = document.getElementById("htmx-error") || document.createElement("div");
  box.id = "htmx-error";
  box.className = "flash flash-error";
  box.textContent = "网络连接中断，操作未完成，请稍后重试。";
  document.querySelector("main").prepend(box);
});
// Screen readers hear what an HTMX swap changed where the page does not otherwise say
// so (a total, a count): the swapped content marks that text with data-announce, and it
// is read out through the one live region that stays on the page (#live-status).
document.addEventListener("htmx:afterSettle", function (evt) {
  var region = document.getElementById("live-status");
  var root = evt.detail && evt.detail.elt;
  if (!region || !root || !root.querySelectorAll) return;
  var said = [];
  if (root.matches && root.matches("[data-announce]")) said.push(root.textContent);
  root.querySelectorAll("[data-announce]").forEach(function (el) { said.push(el.textContent); });
  if (said.length) region.textContent = said.join("；").replace(/\s+/g, " ").trim();
});
