// The club desk's card check and event check-in: phones whose browser can read QR codes
// (BarcodeDetector) scan with the camera; handheld scanners type the code into the field and
// press Enter, which needs no script at all.
(function () {
    "use strict";
    var form = document.querySelector("[data-card-check]");
    if (!form || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
    var button = form.querySelector("[data-scan]");
    var video = form.querySelector("[data-scan-video]");
    button.hidden = false;
    button.addEventListener("click", async function () {
        var detector = new BarcodeDetector({ formats: ["qr_code"] });
        var stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
        video.srcObject = stream;
        video.hidden = false;
        await video.play();
        var timer = setInterval(async function () {
            var codes = await detector.detect(video).catch(function () { return []; });
            if (codes.length) {
                clearInterval(timer);
                stream.getTracks().forEach(function (track) { track.stop(); });
                form.querySelector("input[name=code]").value = codes[0].rawValue;
                form.submit();
            }
        }, 300);
    });
})();
