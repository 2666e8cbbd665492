// Small enhancements; every page works without them.
// A form is sent once: its submit buttons are disabled while it is on its way (the form's
// idempotency key makes a second send record nothing more in any case).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.dataset.sent) { event.preventDefault(); return; }
  form.dataset.sent = "1";
  window.setTimeout(function () {
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
  }, 0);
});
