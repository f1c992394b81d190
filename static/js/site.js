// The site's only script, loaded with `defer` on every owner page. Behaviour hangs on data
// attributes, so pages carry no inline script and the Content-Security-Policy can forbid it.
(function () {
    "use strict";

    // <form data-confirm="Question?">: ask before sending (cancelling, deleting, a lost card).
    document.addEventListener("submit", function (event) {
        var form = event.target;
        if (form.matches && form.matches("form[data-confirm]") && !window.confirm(form.dataset.confirm)) {
            event.preventDefault();
        }
    });

    // <a data-back href="...">: back in the browser's history, where a form may still hold what
    // was typed (the "too large to send" page); the link's own address without history.
    document.addEventListener("click", function (event) {
        var link = event.target.closest && event.target.closest("a[data-back]");
        if (link && window.history.length > 1) {
            event.preventDefault();
            window.history.back();
        }
    });

    // <form data-autosubmit>: choosing an option sends the form (the claim form's estate
    // reloads its buildings); without script the form's own button does it.
    document.addEventListener("change", function (event) {
        var select = event.target;
        if (select.matches && select.matches("form[data-autosubmit] select") && select.value) {
            select.form.submit();
        }
    });
})();
