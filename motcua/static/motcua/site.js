// The few behaviours of motcua's pages, without inline script (Content-Security-Policy: script-src 'self').
// [data-print]: print the page. select[data-autosubmit]: submit its form when changed.
document.addEventListener("click", function (event) {
  var target = event.target.closest("[data-print]");
  if (target) {
    event.preventDefault();
    window.print();
  }
});
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.matches && target.matches("select[data-autosubmit]") && target.form) {
    target.form.submit();
  }
});
