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

    // <p data-public-name> on the profile: "other owners see" follows the nickname, the real
    // name and "show my real name" as the owner types. The server renders what it shows without
    // a nickname for the saved real name (data-shown, data-masked); only a real name typed anew
    // is masked here, with the server's mask (data-mask). Without script the saved name stays.
    function previewPublicName(preview) {
        var fields = preview.closest("form").elements;
        var nickname = fields.nickname.value.trim();
        var realName = fields.real_name.value.trim();
        var show = fields.show_real_name.checked;
        var name;
        if (nickname) {
            name = nickname;
        } else if (!realName || realName === preview.dataset.realName) {
            name = show ? preview.dataset.shown : preview.dataset.masked;
        } else {
            name = show ? realName : Array.from(realName)[0] + preview.dataset.mask;
        }
        preview.querySelector("strong").textContent = name;
    }

    function onProfileInput(event) {
        var form = event.target.form;
        var preview = form && form.querySelector("[data-public-name]");
        if (preview) {
            previewPublicName(preview);
        }
    }
    document.addEventListener("input", onProfileInput);
    document.addEventListener("change", onProfileInput);
})();
