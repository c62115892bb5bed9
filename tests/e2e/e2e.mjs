// e2e.mjs - the browser test of `licet serve`, driven by tests/e2e/run.sh,
// which starts the server on a fresh store and passes everything here in
// the environment:
//
//   E2E_URL       http://127.0.0.1:PORT (no trailing slash)
//   E2E_OUT       where the screenshots go
//   E2E_MANAGER   "name:password" of a manager
//   E2E_LICENSEE  "name:password" of the licensee of UNIX-BETA-2025-01
//   E2E_AUDITOR   "name:password" of an auditor
//   E2E_CHROMIUM  the browser (default /usr/bin/chromium)
//   E2E_DEALS     how many agreements the store has (examples/*.yaml)
//
// A manager signs in, opens the portfolio and an agreement (and the
// calendar and review queue); a licensee signs in, uploads a report with
// a sale in a country no grant covers and sees the red flag at once; the
// manager then finds that report and its flag in the review queue and
// marks it; an auditor sees the queue without buttons.  Any page error or
// Content-Security-Policy violation fails the test.  Prints one line
// "e2e: PASS (N steps)" or "e2e: FAIL: step: why" and exits 0 or 1.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const BASE = process.env.E2E_URL;
const OUT = process.env.E2E_OUT || "out";
const AGREEMENT = "UNIX-BETA-2025-01";
const AS_OF = "2027-12-31";
const FLAGGED_PERIOD = "2027-Q4";
// A sale in Japan in oncology: G1 (oncology) covers Europe and North
// America only, so the engine raises unlicensed_sale.
const REPORT_CSV =
  "period,date,product,country,field,units,gross_sales,deductions,currency,third_party_royalties\n" +
  "2027-Q4,2027-11-02,BX-101,US,therapeutics/oncology,100,400000.00,10000.00,USD,0\n" +
  "2027-Q4,2027-11-03,BX-101,JP,therapeutics/oncology,10,50000.00,0,USD,0\n";

function account(v) {
  const i = (v || "").indexOf(":");
  if (i < 0) throw new Error("expected NAME:PASSWORD in the environment");
  return { name: v.slice(0, i), password: v.slice(i + 1) };
}

const manager = account(process.env.E2E_MANAGER);
const licensee = account(process.env.E2E_LICENSEE);
const auditor = account(process.env.E2E_AUDITOR);
const admin = account(process.env.E2E_ADMIN);
let steps = 0;
let current = "start";
const problems = []; // page errors and CSP violations, from any page

function check(cond, why) {
  if (!cond) throw new Error(why);
}

async function step(name, fn) {
  current = name;
  await fn();
  steps++;
  console.log(`e2e: ok   ${name}`);
}

async function shot(page, name) {
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
}

async function signIn(page, who, expectPath) {
  await page.goto(`${BASE}/login`);
  await page.fill('input[name="name"]', who.name);
  await page.fill('input[name="password"]', who.password);
  await Promise.all([page.waitForURL(`${BASE}${expectPath}`), page.click('#login-form button[type="submit"]')]);
  check((await page.textContent('[data-testid="user"]')).trim() === who.name, "the header does not name the user");
}

async function signOut(page) {
  await Promise.all([page.waitForURL(`${BASE}/login`), page.click("#signout button")]);
  const res = await page.request.get(`${BASE}/api/me`);
  check(res.status() === 401, `after signing out /api/me answers ${res.status()}, not 401`);
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.E2E_CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox"], // the test may run as root
  });
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const page = await context.newPage();
  page.on("pageerror", (e) => problems.push(`${current}: page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text()))
      problems.push(`${current}: ${m.text()}`);
  });
  try {
    await run(page, context);
  } catch (e) {
    await shot(page, "failure").catch(() => {});
    console.log(`e2e: FAIL: ${current}: ${e.message.split("\n")[0]}`);
    await browser.close();
    process.exit(1);
  }
  await browser.close();
  if (problems.length) {
    console.log(`e2e: FAIL: ${problems[0]}`);
    process.exit(1);
  }
  console.log(`e2e: PASS (${steps} steps; screenshots in ${OUT})`);
}

async function run(page, context) {
  await step("an anonymous visitor is sent to the sign-in page", async () => {
    await page.goto(`${BASE}/portfolio`);
    check(page.url() === `${BASE}/login`, `landed on ${page.url()}`);
    await shot(page, "01-login");
  });

  await step("a wrong password is refused on the page", async () => {
    await page.fill('input[name="name"]', manager.name);
    await page.fill('input[name="password"]', "not-the-password");
    await page.click('#login-form button[type="submit"]');
    await page.waitForSelector("#login-error:not([hidden])");
  });

  await step("the manager signs in and lands on the portfolio", async () => {
    await signIn(page, manager, "/portfolio");
    const cookies = await context.cookies();
    const c = cookies.find((x) => x.name === "licet_session");
    check(c && c.secure && c.httpOnly && c.sameSite === "Strict", "the session cookie is not Secure, HttpOnly, Strict");
  });

  await step("the portfolio shows every agreement as of a date", async () => {
    await page.fill('form.asof input[name="as_of"]', AS_OF);
    await Promise.all([page.waitForURL(`${BASE}/portfolio?as_of=${AS_OF}`), page.click("form.asof button")]);
    const rows = await page.locator("#portfolio tbody tr").count();
    const deals = Number(process.env.E2E_DEALS || 3);
    check(rows === deals, `expected the ${deals} example agreements, saw ${rows} rows`);
    const row = page.locator("#portfolio tbody tr", { hasText: AGREEMENT });
    check((await row.textContent()).includes("overdue"), "the UNIX-BETA row shows no overdue money");
    await shot(page, "02-portfolio");
  });

  await step("the agreement page draws its timeline, grants, invoices and royalties", async () => {
    await Promise.all([page.waitForURL(/\/agreements\//), page.click(`#portfolio a.id:has-text("${AGREEMENT}")`)]);
    check(page.url() === `${BASE}/agreements/${AGREEMENT}?as_of=${AS_OF}`, `opened ${page.url()}`);
    check((await page.locator("#timeline svg.chart").count()) === 1, "no timeline chart");
    check((await page.locator("#grants svg.chart").count()) === 1, "no exclusivity chart");
    check((await page.locator("#royalties svg.chart").count()) === 1, "no royalty chart");
    check((await page.locator("#invoices tbody tr").count()) >= 3, "too few invoices");
    check((await page.locator("#statements").textContent()).includes("2027-Q3"), "no 2027-Q3 statement");
    const csv = await page.request.get(`${BASE}/api/agreements/${AGREEMENT}/royalties/2027-Q3?format=csv&as_of=${AS_OF}`);
    check(csv.status() === 200, `the statement's CSV download answers ${csv.status()}`);
    await page.click("details.termsheet summary");
    check(await page.locator(".termsheet-body h2").first().isVisible(), "the term sheet does not open");
    await shot(page, "03-agreement");
  });

  await step("the calendar lists the coming 90 days", async () => {
    await page.goto(`${BASE}/calendar?as_of=2027-12-01`);
    check((await page.locator("section.week").count()) >= 1, "no week in the calendar");
    await shot(page, "04-calendar");
  });

  await step("the manager signs out", async () => {
    await signOut(page);
  });

  await step("the licensee signs in and sees only its own agreement", async () => {
    await signIn(page, licensee, "/portal");
    const deals = await page.locator("section.deal").count();
    check(deals === 1, `the licensee sees ${deals} agreements, not 1`);
    check((await page.locator(`section.deal[data-agreement="${AGREEMENT}"]`).count()) === 1, "not its agreement");
    await page.goto(`${BASE}/portfolio`);
    check(page.url() === `${BASE}/portal`, `a licensee reached ${page.url()}`);
    const other = await page.request.get(`${BASE}/agreements/CORRIB-MERIDIAN-2025-NX`);
    check(other.status() === 404, `another licensee's agreement answers ${other.status()}`);
    await shot(page, "05-portal");
  });

  await step("a report with errors shows the line and column", async () => {
    const form = page.locator(`form.upload-form[data-agreement="${AGREEMENT}"]`);
    await form.locator('input[name="period"]').fill(FLAGGED_PERIOD);
    await form.locator('input[name="date"]').fill("2028-01-20");
    await form.locator('input[name="file"]').setInputFiles({
      name: "bad.csv", mimeType: "text/csv",
      buffer: Buffer.from(REPORT_CSV.replace("400000.00", "400000.005")),
    });
    await form.locator('button[type="submit"]').click();
    await form.locator(".upload-result.fail table").waitFor();
    const text = await form.locator(".upload-result").textContent();
    check(/nothing was stored/.test(text) && text.includes("gross_sales"), `unexpected: ${text.slice(0, 200)}`);
    await shot(page, "06-upload-errors");
  });

  await step("the licensee uploads a report and sees its red flag at once", async () => {
    const form = page.locator(`form.upload-form[data-agreement="${AGREEMENT}"]`);
    await form.locator('input[name="file"]').setInputFiles({
      name: "q4.csv", mimeType: "text/csv", buffer: Buffer.from(REPORT_CSV),
    });
    await form.locator('button[type="submit"]').click();
    const flags = form.locator('[data-testid="upload-flags"]');
    await flags.waitFor();
    check((await flags.textContent()).includes("unlicensed sale"), "the flag is not unlicensed_sale");
    check((await form.locator(".upload-result").textContent()).includes("Royalty due"), "no statement shown");
    await shot(page, "07-upload-flag");
  });

  await step("the licensee reports a milestone with its evidence", async () => {
    const form = page.locator(`form.evidence-form[data-agreement="${AGREEMENT}"]`);
    await form.locator('select[name="milestone"]').selectOption("M2");
    await form.locator('input[name="date"]').fill("2027-11-15");
    await form.locator('textarea[name="evidence"]').fill("Site activation letter, first patient dosed 2027-11-15");
    await form.locator('button[type="submit"]').click();
    await form.locator(".evidence-result.ok").waitFor();
    const rows = await page.request.get(`${BASE}/api/agreements/${AGREEMENT}/events?kind=event`);
    check((await rows.text()).includes("first patient dosed 2027-11-15"), "the event is not in the ledger");
  });

  await step("the licensee signs out", async () => {
    await signOut(page);
  });

  await step("the manager finds the report and its flag in the review queue", async () => {
    await signIn(page, manager, "/portfolio");
    await page.goto(`${BASE}/review`);
    const item = page.locator(`article.review[data-agreement="${AGREEMENT}"][data-period="${FLAGGED_PERIOD}"]`);
    check((await item.count()) === 1, "the report is not in the queue");
    const flag = item.locator('tr.flag[data-kind="unlicensed_sale"]');
    check((await flag.count()) === 1, "the unlicensed_sale flag is not in the queue");
    await shot(page, "08-review");
    await flag.locator('button[data-resolve="disputed"]').click();
    await item.locator(".result.ok").waitFor();
    await item.locator("input.note").fill("Japan is not licensed for oncology; please correct the report.");
    await item.locator('button[data-decide="revision_requested"]').click();
    await page.waitForFunction(
      (sel) => document.querySelector(sel)?.textContent.includes("revision requested"),
      `article.review[data-period="${FLAGGED_PERIOD}"] .decision`);
    await page.reload();
    const again = page.locator(`article.review[data-period="${FLAGGED_PERIOD}"]`);
    check((await again.locator(".resolution").textContent()).includes("disputed"), "the dispute was not kept");
    check((await again.locator(".decision").textContent()).includes("revision requested"), "the decision was not kept");
    await shot(page, "09-review-decided");
    await signOut(page);
  });

  await step("an auditor reads the queue without buttons", async () => {
    await signIn(page, auditor, "/portfolio");
    await page.goto(`${BASE}/review`);
    check((await page.locator("article.review").count()) >= 1, "the auditor sees no reports");
    check((await page.locator("button[data-decide], button[data-resolve]").count()) === 0, "the auditor has buttons");
    await signOut(page);
  });

  await step("an admin adds a user, disables and enables it, and sets its password", async () => {
    await signIn(page, admin, "/portfolio");
    await Promise.all([page.waitForURL(`${BASE}/admin/users`), page.click('nav a[href="/admin/users"]')]);
    const form = page.locator("#user-add-form");
    await form.locator('input[name="name"]').fill("clerk");
    await form.locator('select[name="role"]').selectOption("auditor");
    await form.locator('input[name="password"]').fill("clerk-password-1");
    await Promise.all([page.waitForLoadState("load"), page.waitForSelector('tr[data-user="clerk"]'),
                       form.locator('button[type="submit"]').click()]);
    const row = page.locator('tr[data-user="clerk"]');
    await Promise.all([page.waitForEvent("load"), row.locator('button[data-user-action="disable"]').click()]);
    check((await row.locator(".user-state").textContent()).trim() === "disabled", "clerk is not shown disabled");
    await Promise.all([page.waitForEvent("load"), row.locator('button[data-user-action="enable"]').click()]);
    check((await row.locator(".user-state").textContent()).trim() === "active", "clerk is not shown active");
    check((await page.locator('tr[data-user="admin"] button[data-user-action]').count()) === 0,
          "the admin may disable itself");
    await row.locator('input[name="password"]').fill("clerk-password-2");
    await row.locator('form.pw-form button').click();
    await row.locator(".result.ok").waitFor();
    await shot(page, "admin-users");
    await signOut(page);
    await signIn(page, { name: "clerk", password: "clerk-password-2" }, "/portfolio");
    await signOut(page);
  });
}

main();
