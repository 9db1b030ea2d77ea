// The few behaviours of motcua's pages, without inline script (Content-Security-Policy: script-src 'self').
// [data-print]: print the page. select[data-autosubmit]: submit its form when changed.
// Loaded by the pages that need it and by the header's unit switch: once only, whatever the count.
(function () {
  if (window.motcuaSite) {
    return;
  }
  window.motcuaSite = true;
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
})();
