// Choosing a province reloads its communes at once; without this script the "Tiếp tục" button does it.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button.refresh-communes").forEach(function (button) {
    var province = button.form && button.form.querySelector("select[name$='province']");
    if (!province) return;
    province.addEventListener("change", function () { button.click(); });
  });
});
