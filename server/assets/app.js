/*
 * app.js - the only script of licet's pages: signing in and out, the
 * review buttons, the licensee's report upload and milestone evidence,
 * the administration of users.
 *
 * Pages are drawn by the server; this script only posts to the JSON API
 * and shows the answer.  Every POST sends the session's CSRF token (from
 * <meta name="csrf-token">) in X-CSRF-Token, which the server demands of
 * any change made with the session cookie.  Text from the server is put
 * into the page with textContent, never as HTML.
 */
"use strict";

(function () {
    function csrf() {
        var m = document.querySelector('meta[name="csrf-token"]');
        return m ? m.getAttribute("content") : "";
    }

    /* POSTs body; resolves to {status, data} (data: parsed JSON or null). */
    function post(url, body, type) {
        var headers = { "X-CSRF-Token": csrf() };
        if (type) headers["Content-Type"] = type;
        return fetch(url, { method: "POST", credentials: "same-origin", headers: headers, body: body })
            .then(function (res) {
                return res.text().then(function (text) {
                    var data = null;
                    try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
                    return { status: res.status, data: data };
                });
            });
    }

    function errorText(r) {
        if (r.data && r.data.error && r.data.error.message) return r.data.error.message;
        return "The server answered " + r.status + ".";
    }

    /* el(tag, {class, text, ...attrs}, children) */
    function el(tag, props, children) {
        var e = document.createElement(tag);
        Object.keys(props || {}).forEach(function (k) {
            if (k === "text") e.textContent = props[k];
            else if (k === "class") e.className = props[k];
            else e.setAttribute(k, props[k]);
        });
        (children || []).forEach(function (c) { if (c) e.appendChild(c); });
        return e;
    }

    function money(s, ccy) {
        if (s === null || s === undefined) return "?";
        var neg = s.charAt(0) === "-", t = neg ? s.slice(1) : s;
        var dot = t.indexOf("."), whole = dot < 0 ? t : t.slice(0, dot), frac = dot < 0 ? "" : t.slice(dot);
        whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
        return (neg ? "−" : "") + whole + frac + (ccy ? " " + ccy : "");
    }

    function table(head, rows) {
        return el("table", { class: "grid" }, [
            el("thead", {}, [el("tr", {}, head.map(function (h) { return el("th", { text: h }); }))]),
            el("tbody", {}, rows.map(function (r) {
                return el("tr", {}, r.map(function (c) { return el("td", { text: String(c) }); }));
            }))
        ]);
    }

    function busy(form, on) {
        Array.prototype.forEach.call(form.querySelectorAll("button"), function (b) { b.disabled = on; });
    }

    /* ---- sign in, sign out ---- */

    function setupLogin() {
        var form = document.getElementById("login-form");
        if (!form) return;
        var out = document.getElementById("login-error");
        form.addEventListener("submit", function (ev) {
            ev.preventDefault();
            out.hidden = true;
            busy(form, true);
            var body = JSON.stringify({ name: form.elements.name.value, password: form.elements.password.value });
            post("/api/login", body, "application/json").then(function (r) {
                if (r.status === 200) { window.location.assign("/"); return; }
                out.textContent = r.status === 401 ? "Wrong name or password." : errorText(r);
                out.hidden = false;
                busy(form, false);
            }, function () {
                out.textContent = "The server cannot be reached.";
                out.hidden = false;
                busy(form, false);
            });
        });
    }

    function setupSignout() {
        var form = document.getElementById("signout");
        if (!form) return;
        form.addEventListener("submit", function (ev) {
            ev.preventDefault();
            post("/api/logout", "", null).then(function () { window.location.assign("/login"); },
                function () { window.location.assign("/login"); });
        });
    }

    /* ---- the review queue ---- */

    function review(article, payload, done) {
        var id = article.getAttribute("data-agreement");
        payload.period = article.getAttribute("data-period");
        var result = article.querySelector(".result");
        result.className = "result";
        result.textContent = "Recording…";
        post("/api/agreements/" + encodeURIComponent(id) + "/reviews", JSON.stringify(payload), "application/json")
            .then(function (r) {
                if (r.status === 201) {
                    result.className = "result ok";
                    done(r.data);
                } else {
                    result.className = "result fail";
                    result.textContent = errorText(r);
                }
            }, function () {
                result.className = "result fail";
                result.textContent = "The server cannot be reached.";
            });
    }

    function badge(word, tone) {
        return el("span", { class: "badge " + tone, text: word.replace(/_/g, " ") });
    }

    var tones = { approved: "good", resolved: "good", rejected: "bad", revision_requested: "warn",
                  disputed: "warn", waived: "muted" };

    function setupReview() {
        document.addEventListener("click", function (ev) {
            var b = ev.target.closest ? ev.target.closest("[data-decide],[data-resolve]") : null;
            if (!b) return;
            var article = b.closest("article.review");
            if (!article) return;
            if (b.hasAttribute("data-decide")) {
                var decision = b.getAttribute("data-decide"), note = article.querySelector("input.note");
                var p = { decision: decision };
                if (note && note.value.trim()) p.note = note.value.trim();
                review(article, p, function (data) {
                    var slot = article.querySelector(".decision");
                    slot.textContent = "";
                    slot.appendChild(badge(decision, tones[decision] || "plain"));
                    article.querySelector(".result").textContent =
                        "Recorded: " + decision.replace(/_/g, " ") + " by " + data.by + " on " + data.date + ".";
                });
            } else {
                var row = b.closest("tr.flag"), res = b.getAttribute("data-resolve");
                review(article, {
                    flag: { kind: row.getAttribute("data-kind"), detail: row.getAttribute("data-detail") },
                    resolution: res
                }, function (data) {
                    var cell = row.querySelector(".resolution");
                    cell.textContent = "";
                    cell.appendChild(badge(res, tones[res] || "plain"));
                    cell.appendChild(el("span", { class: "dim", text: " by " + data.by }));
                    article.querySelector(".result").textContent =
                        "Recorded: " + row.getAttribute("data-kind") + " marked " + res + ".";
                });
            }
        });
    }

    /* ---- the licensee portal: upload a report ---- */

    function showDiagnostics(out, r) {
        out.className = "upload-result fail";
        out.appendChild(el("h4", { text: r.status === 422 ? "The report has errors; nothing was stored." : errorText(r) }));
        var d = r.data && r.data.error && r.data.error.diagnostics;
        if (d && d.length) {
            out.appendChild(table(["Line", "Column", "Problem"], d.map(function (x) {
                return [x.line, x.column, (x.path ? x.path + ": " : "") + x.message];
            })));
        }
    }

    function showStatement(out, r) {
        var d = r.data || {}, s = d.statement, flags = d.flags || [];
        out.className = "upload-result ok";
        out.appendChild(el("h4", { text: (d.already ? "Already received: " : "Received: ") + d.period +
            ", revision " + d.revision + ", " + d.lines + " lines." }));
        if (s) {
            out.appendChild(el("p", { class: "total" }, [
                el("span", { text: "Royalty due: " }),
                el("b", { text: money(s.total_due, s.currency) }),
                el("span", { class: "dim", text: s.due ? " by " + s.due : "" })
            ]));
            out.appendChild(el("p", { class: "dim", text: "Net sales " + money(s.net_sales, s.currency) +
                ", royalty " + money(s.royalty, s.currency) + (s.credits && s.credits.length ? ", less credits" : "") + "." }));
            out.appendChild(table(["Country", "Product", "Status", "Net sales", "Royalty"], (s.lines || []).map(function (l) {
                return [l.country, l.product || "", l.status, money(l.net_sales), money(l.royalty)];
            })));
        } else {
            out.appendChild(el("p", { class: "dim", text: "The statement cannot be computed yet." }));
        }
        if (flags.length) {
            out.appendChild(el("div", { class: "flagbox", "data-testid": "upload-flags" }, [
                el("b", { text: "Red flags (the licensor will review them):" }),
                el("ul", {}, flags.map(function (f) {
                    return el("li", {}, [badge(f.kind, "bad"), el("span", { text: " " + (f.detail || "") })]);
                }))
            ]));
        } else {
            out.appendChild(el("p", { text: "No red flags." }));
        }
    }

    function setupUpload() {
        Array.prototype.forEach.call(document.querySelectorAll("form.upload-form"), function (form) {
            form.addEventListener("submit", function (ev) {
                ev.preventDefault();
                var out = form.querySelector(".upload-result"), file = form.elements.file.files[0];
                out.textContent = "";
                out.className = "upload-result";
                if (!file) return;
                busy(form, true);
                out.appendChild(el("p", { text: "Checking " + file.name + "…" }));
                var id = form.getAttribute("data-agreement");
                var url = "/api/agreements/" + encodeURIComponent(id) + "/reports?period=" +
                    encodeURIComponent(form.elements.period.value.trim()) + "&date=" +
                    encodeURIComponent(form.elements.date.value);
                file.text().then(function (text) {
                    return post(url, text, "text/csv");
                }).then(function (r) {
                    out.textContent = "";
                    if (r.status === 200 || r.status === 201) showStatement(out, r);
                    else showDiagnostics(out, r);
                    busy(form, false);
                }, function () {
                    out.textContent = "The file could not be read or the server cannot be reached.";
                    out.className = "upload-result fail";
                    busy(form, false);
                });
            });
        });
    }

    /* ---- the licensee portal: milestone evidence ---- */

    function setupEvidence() {
        Array.prototype.forEach.call(document.querySelectorAll("form.evidence-form"), function (form) {
            form.addEventListener("submit", function (ev) {
                ev.preventDefault();
                var out = form.querySelector(".evidence-result");
                var e = {
                    type: "milestone_achieved", date: form.elements.date.value,
                    milestone: form.elements.milestone.value, evidence: form.elements.evidence.value.trim()
                };
                var id = form.getAttribute("data-agreement");
                busy(form, true);
                post("/api/agreements/" + encodeURIComponent(id) + "/events", JSON.stringify(e) + "\n",
                    "application/x-ndjson").then(function (r) {
                    busy(form, false);
                    out.textContent = "";
                    var d = r.data || {};
                    if (r.status === 200 && d.recorded) {
                        out.className = "evidence-result ok";
                        out.textContent = "Recorded: " + e.milestone + " achieved on " + e.date +
                            ". The licensor will verify the evidence.";
                    } else if (r.status === 200 && d.already) {
                        out.className = "evidence-result ok";
                        out.textContent = "This was already recorded.";
                    } else {
                        out.className = "evidence-result fail";
                        var diags = d.diagnostics || (d.error && d.error.diagnostics) || [];
                        out.textContent = diags.length ? diags.map(function (x) { return x.message; }).join("; ")
                            : errorText(r);
                    }
                }, function () {
                    busy(form, false);
                    out.className = "evidence-result fail";
                    out.textContent = "The server cannot be reached.";
                });
            });
        });
    }

    /* ---- /admin/users: add, disable, enable, set a password ---- */

    function userUrl(name, what) {
        return "/api/users/" + encodeURIComponent(name) + "/" + what;
    }

    function say(out, ok, text) {
        out.className = "result " + (ok ? "ok" : "fail");
        out.textContent = text;
    }

    function setupUserAdd() {
        var form = document.getElementById("user-add-form");
        if (!form) return;
        var out = document.getElementById("user-add-result");
        form.addEventListener("submit", function (ev) {
            ev.preventDefault();
            var f = form.elements, u = { name: f.name.value.trim(), role: f.role.value, password: f.password.value };
            if (f.party.value.trim()) u.party = f.party.value.trim();
            busy(form, true);
            post("/api/users", JSON.stringify(u), "application/json").then(function (r) {
                if (r.status === 201) { window.location.reload(); return; }
                busy(form, false);
                say(out, false, errorText(r));
            }, function () {
                busy(form, false);
                say(out, false, "The server cannot be reached.");
            });
        });
    }

    function setupUserRows() {
        document.addEventListener("click", function (ev) {
            var b = ev.target.closest ? ev.target.closest("[data-user-action]") : null;
            if (!b) return;
            var row = b.closest("tr.user-row"), out = row.querySelector(".result");
            b.disabled = true;
            post(userUrl(b.getAttribute("data-user"), b.getAttribute("data-user-action")), "", null)
                .then(function (r) {
                    if (r.status === 200) { window.location.reload(); return; }
                    b.disabled = false;
                    say(out, false, errorText(r));
                }, function () {
                    b.disabled = false;
                    say(out, false, "The server cannot be reached.");
                });
        });
        Array.prototype.forEach.call(document.querySelectorAll("form.pw-form"), function (form) {
            form.addEventListener("submit", function (ev) {
                ev.preventDefault();
                var out = form.parentNode.querySelector(".result"), name = form.getAttribute("data-user");
                busy(form, true);
                post(userUrl(name, "password"), JSON.stringify({ password: form.elements.password.value }),
                    "application/json").then(function (r) {
                    busy(form, false);
                    if (r.status === 200) {
                        form.reset();
                        say(out, true, "Password set for " + name + ".");
                    } else say(out, false, errorText(r));
                }, function () {
                    busy(form, false);
                    say(out, false, "The server cannot be reached.");
                });
            });
        });
    }

    document.addEventListener("DOMContentLoaded", function () {
        setupLogin();
        setupSignout();
        setupReview();
        setupUpload();
        setupEvidence();
        setupUserAdd();
        setupUserRows();
    });
})();
