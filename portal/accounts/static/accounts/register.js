// The registration form: the tax code belongs to organisations only, so it is shown only when that kind is chosen.
// Without this script the field stays visible and the server refuses a citizen's tax code with a message.
document.addEventListener("DOMContentLoaded", function () {
  var taxCode = document.getElementById("id_tax_code");
  var radios = document.querySelectorAll('input[name="account_type"]');
  if (!taxCode || !radios.length) return;
  var wrapper = taxCode.closest(".form-field");
  function update() {
    var chosen = document.querySelector('input[name="account_type"]:checked');
    var organisation = chosen && chosen.value === "organisation";
    var refused = wrapper.classList.contains("has-error");
    wrapper.hidden = !organisation && !refused;
    if (wrapper.hidden) taxCode.value = "";
  }
  radios.forEach(function (radio) { radio.addEventListener("change", update); });
  update();
});
