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
            // A new estate starts its building afresh.
            if (select.name === "estate" && select.form.elements.building) {
                select.form.elements.building.value = "";
            }
            select.form.submit();
        }
    });

    // <button data-countdown="42" data-countdown-text="{n} 秒后可重新获取">: the button for
    // another code waits the seconds the server's limit still holds, counting them down.
    document.querySelectorAll("button[data-countdown]").forEach(function (button) {
        var left = parseInt(button.dataset.countdown, 10) || 0;
        var label = button.textContent;
        function tick() {
            if (left <= 0) {
                button.disabled = false;
                button.textContent = label;
                return;
            }
            button.disabled = true;
            button.textContent = button.dataset.countdownText.replace("{n}", left);
            left -= 1;
            window.setTimeout(tick, 1000);
        }
        tick();
    });

    // 我要报修: only the fields of the place chosen (a home, or a common area of the estate), and
    // only the paid services of the repair chosen. Without script every field shows, and the
    // server ignores the ones that do not apply.
    document.querySelectorAll(".repair-form").forEach(function (form) {
        var category = form.elements.category;
        var prices = form.elements.price_item;
        function show() {
            var place = form.querySelector("input[name=place]:checked");
            form.classList.toggle("is-home", !!place && place.value === "home");
            form.classList.toggle("is-common", !!place && place.value === "common");
            Array.prototype.forEach.call(prices.options, function (option) {
                var fits = !option.dataset.category || option.dataset.category === category.value;
                option.hidden = !fits;
                if (!fits && option.selected) { prices.value = ""; }
            });
        }
        form.addEventListener("change", show);
        show();
    });

    // <fieldset data-signature>: the owner signs with a finger on the technician's phone; the
    // drawing goes with the form as a PNG. Nothing drawn, nothing sent: the signature is optional.
    document.querySelectorAll("[data-signature]").forEach(function (pad) {
        var canvas = pad.querySelector("canvas");
        var field = pad.querySelector("input[type=hidden]");
        var pen = canvas.getContext("2d");
        var drawing = false, drawn = false;
        pen.lineWidth = 4;
        pen.lineCap = pen.lineJoin = "round";
        pen.strokeStyle = "#1f2937";
        function at(event) {
            var box = canvas.getBoundingClientRect();
            return [
                (event.clientX - box.left) * canvas.width / box.width,
                (event.clientY - box.top) * canvas.height / box.height,
            ];
        }
        canvas.addEventListener("pointerdown", function (event) {
            drawing = true;
            canvas.setPointerCapture(event.pointerId);
            var point = at(event);
            pen.beginPath();
            pen.moveTo(point[0], point[1]);
            event.preventDefault();
        });
        canvas.addEventListener("pointermove", function (event) {
            if (!drawing) { return; }
            var point = at(event);
            pen.lineTo(point[0], point[1]);
            pen.stroke();
            drawn = true;
        });
        ["pointerup", "pointercancel"].forEach(function (name) {
            canvas.addEventListener(name, function () { drawing = false; });
        });
        pad.querySelector("[data-signature-clear]").addEventListener("click", function () {
            pen.clearRect(0, 0, canvas.width, canvas.height);
            drawn = false;
            field.value = "";
        });
        pad.closest("form").addEventListener("submit", function () {
            field.value = drawn ? canvas.toDataURL("image/png") : "";
        });
    });

    // <fieldset data-unit-picker>: a box above the claim form's units keeps only the units whose
    // number holds what is typed ("501" finds 0501 and 1501), and the floors that still have one.
    document.querySelectorAll("[data-unit-picker]").forEach(function (picker) {
        var search = picker.querySelector(".unit-picker__search");
        var none = picker.querySelector(".unit-picker__none");
        search.hidden = false;
        search.querySelector("input").addEventListener("input", function (event) {
            var typed = event.target.value.trim().toUpperCase();
            var shown = 0;
            picker.querySelectorAll("[data-floor]").forEach(function (floor) {
                var left = 0;
                floor.querySelectorAll("label").forEach(function (label) {
                    var match = label.textContent.toUpperCase().indexOf(typed) !== -1;
                    label.hidden = !match;
                    left += match ? 1 : 0;
                });
                floor.hidden = left === 0;
                shown += left;
            });
            none.hidden = shown > 0;
        });
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

    // A list of choices under a text box (an ARIA listbox), for the search suggestions and the
    // people to mention: arrow keys move through it, Enter or a tap picks, Escape closes it. A
    // press on the list keeps the focus (and the caret) in the box, however long the finger
    // rests; leaving the box otherwise closes it. Choices are {text, hint, url}, written with
    // textContent only, never as HTML.
    function Choices(box, list, pick) {
        var active = -1;
        list.setAttribute("role", "listbox");
        list.hidden = true;
        box.setAttribute("aria-controls", list.id);
        box.setAttribute("aria-autocomplete", "list");
        box.setAttribute("aria-expanded", "false");

        function close() {
            list.hidden = true;
            list.replaceChildren();
            active = -1;
            box.setAttribute("aria-expanded", "false");
            box.removeAttribute("aria-activedescendant");
        }

        function choose(index) {
            var items = list.querySelectorAll("[role=option]");
            if (!items.length) {
                return;
            }
            active = (index + items.length) % items.length;
            items.forEach(function (item, at) {
                item.setAttribute("aria-selected", at === active ? "true" : "false");
            });
            box.setAttribute("aria-activedescendant", items[active].id);
        }

        function show(choices) {
            list.replaceChildren();
            active = -1;
            choices.forEach(function (choice, at) {
                var item = document.createElement("li");
                var link = document.createElement("a");
                item.id = list.id + "-" + at;
                item.dataset.index = at;
                item.setAttribute("role", "option");
                item.setAttribute("aria-selected", "false");
                link.href = choice.url || "#";
                link.textContent = choice.text;
                link.tabIndex = -1;
                if (choice.hint) {
                    var hint = document.createElement("small");
                    hint.textContent = choice.hint;
                    link.appendChild(hint);
                }
                item.appendChild(link);
                list.appendChild(item);
            });
            list.hidden = !choices.length;
            box.setAttribute("aria-expanded", choices.length ? "true" : "false");
        }

        box.addEventListener("keydown", function (event) {
            if (list.hidden) {
                return;
            }
            if (event.key === "ArrowDown" || event.key === "ArrowUp") {
                event.preventDefault();
                choose(active + (event.key === "ArrowDown" ? 1 : -1));
            } else if (event.key === "Enter" && active >= 0) {
                event.preventDefault();
                pick(active);
            } else if (event.key === "Escape") {
                close();
            }
        });
        list.addEventListener("pointerdown", function (event) {
            event.preventDefault();
        });
        list.addEventListener("click", function (event) {
            var item = event.target.closest("[role=option]");
            event.preventDefault();
            if (item) {
                pick(Number(item.dataset.index));
            }
        });
        box.addEventListener("blur", close);
        return { show: show, close: close };
    }

    // <input data-suggest="/search/suggest/">: as the owner types, up to 8 titles and words
    // from the server under the box, a moment after the last key (one request at a time);
    // picking one opens it. Without script the box is a plain search box.
    var SUGGEST_DELAY = 200;

    function Suggest(input) {
        var list = document.createElement("ul");
        list.className = "suggest";
        list.id = input.id ? input.id + "-suggest" : "search-suggest";
        input.form.appendChild(list);
        input.setAttribute("role", "combobox");
        input.setAttribute("autocomplete", "off");
        var suggestions = [];
        var choices = Choices(input, list, function (index) {
            window.location.href = suggestions[index].url;
        });
        var timer = null;
        var pending = null;

        function ask() {
            var query = input.value.trim();
            if (pending) {
                pending.abort();
            }
            if (query.length < 2) {
                choices.close();
                return;
            }
            pending = new AbortController();
            var address = new URL(input.dataset.suggest, window.location.href);
            address.searchParams.set("q", query);
            fetch(address, {
                signal: pending.signal,
                headers: { Accept: "application/json" },
            })
                .then(function (response) {
                    return response.ok ? response.json() : { suggestions: [] };
                })
                .then(function (data) {
                    if (input.value.trim() === query) {
                        suggestions = data.suggestions || [];
                        choices.show(suggestions);
                    }
                })
                .catch(function () {});
        }

        input.addEventListener("input", function () {
            window.clearTimeout(timer);
            timer = window.setTimeout(ask, SUGGEST_DELAY);
        });
    }

    document.querySelectorAll("input[data-suggest]").forEach(function (input) {
        Suggest(input);
    });

    // <textarea data-compose>: the forum's message box. Its toolbar writes the marks the
    // server renders (**bold**, "- " lists, "> " quotes), opens the picture chooser and starts
    // a mention. Typing "@" lists people who may read the topic (the form's data-mentions
    // address); picking one writes "@name " and adds their account to the form's hidden
    // "mentions" field, which the server checks against the text. Without script the box is a
    // plain text box and "@nickname" still works.
    function Compose(box) {
        var wrap = box.closest(".compose");
        var form = box.form;
        var tools = wrap.querySelector(".compose__tools");
        var list = wrap.querySelector(".compose__people");
        var picked = form.elements.mentions;
        var files = form.querySelector("input[type=file][name=images]");
        var url = form.dataset.mentions;
        var people = [], asked = 0, timer;
        tools.hidden = false;
        tools.querySelector("[data-tool=picture]").hidden = !files;
        tools.querySelector("[data-tool=mention]").hidden = !(url && picked);
        list.id = (box.id || "compose") + "-people";
        var choices = Choices(box, list, pick);

        function surround(mark) {
            var start = box.selectionStart, end = box.selectionEnd;
            var chosen = box.value.slice(start, end);
            box.setRangeText(mark + chosen + mark, start, end, "select");
            if (!chosen) box.setSelectionRange(start + mark.length, start + mark.length);
        }
        function prefixLines(prefix) {
            var start = box.value.lastIndexOf("\n", box.selectionStart - 1) + 1;
            var end = box.selectionEnd;
            var lines = box.value.slice(start, end).split("\n").map(function (line) {
                return line.indexOf(prefix) === 0 ? line : prefix + line;
            });
            box.setRangeText(lines.join("\n"), start, end, "end");
        }
        tools.addEventListener("click", function (event) {
            var button = event.target.closest("[data-tool]");
            if (!button) return;
            var tool = button.dataset.tool;
            if (tool === "picture") {
                files.click();
                return;
            }
            box.focus();
            if (tool === "bold") surround("**");
            else if (tool === "list") prefixLines("- ");
            else if (tool === "quote") prefixLines("> ");
            else if (tool === "mention") {
                var before = box.value.slice(0, box.selectionStart);
                box.setRangeText(before && !/\s$/.test(before) ? " @" : "@", box.selectionStart, box.selectionEnd, "end");
                lookUp();
            }
        });

        // The "@…" being typed: from the last @ before the caret, with no space after it and
        // not inside an email address.
        function typing() {
            var before = box.value.slice(0, box.selectionStart);
            var at = before.lastIndexOf("@");
            if (at < 0 || (at > 0 && /[A-Za-z0-9_.]/.test(before.charAt(at - 1)))) return null;
            var query = before.slice(at + 1);
            return /\s/.test(query) || query.length > 20 ? null : { at: at, query: query };
        }
        function lookUp() {
            var now = typing();
            if (!now || !url) {
                choices.close();
                return;
            }
            var mine = ++asked;
            fetch(url + "&q=" + encodeURIComponent(now.query), { headers: { Accept: "application/json" } })
                .then(function (response) { return response.ok ? response.json() : { people: [] }; })
                .then(function (data) {
                    if (mine !== asked) return;
                    people = data.people || [];
                    choices.show(people.map(function (person) {
                        return { text: person.name, hint: person.in_topic ? list.dataset.inTopic : "" };
                    }));
                })
                .catch(choices.close);
        }
        function pick(index) {
            var person = people[index], now = typing();
            if (!person || !now) return;
            box.setRangeText("@" + person.name + " ", now.at, box.selectionStart, "end");
            var ids = picked.value ? picked.value.split(",") : [];
            if (ids.indexOf(String(person.id)) === -1) ids.push(String(person.id));
            picked.value = ids.join(",");
            choices.close();
            box.focus();
        }
        box.addEventListener("input", function () {
            window.clearTimeout(timer);
            timer = window.setTimeout(lookUp, SUGGEST_DELAY);
        });
    }

    document.querySelectorAll("textarea[data-compose]").forEach(function (box) {
        Compose(box);
    });
})();
