// The activation link carries its code after "#" (`/akun/aktivasi/#kode=XXXXX-XXXXX`): a
// fragment never reaches the server, so the code stays out of access logs and proxies. Fill the
// code field, drop the fragment from the address bar and go on to the password step.
(function () {
  var match = /(?:^#|&)kode=([^&]*)/.exec(window.location.hash);
  if (!match) return;
  var form = document.querySelector("[data-testid=activation-code-form]");
  var field = form && form.querySelector("input[name=kode]");
  history.replaceState(null, "", window.location.pathname + window.location.search);
  if (!field) return;
  try {
    field.value = decodeURIComponent(match[1]);
  } catch (error) {
    return;
  }
  if (field.value) form.submit();
})();
