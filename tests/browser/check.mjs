// Drives Debian's chromium (never a browser downloaded by playwright) over a report or the
// explorer and prints what it saw as one line of JSON; tests/browser.rs asserts on it.
//
//   node check.mjs report FILE.html [SCREENSHOT.png]
//   node check.mjs serve URL [SCREENSHOT.png]
//
// The browser is CHROMIUM (default /usr/bin/chromium). Any console error fails the check.
import { chromium } from 'playwright-core';

const [mode, target, screenshot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const errors = [];
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
page.on('pageerror', (e) => errors.push(e.message));
const count = (selector) => page.locator(selector).count();
const headline = async () => ({
  text: (await page.textContent('#headline-value')).trim(),
  value: Number(await page.getAttribute('#headline-value', 'data-value')),
  year: Number(await page.getAttribute('#headline-value', 'data-year')),
});

/** Moves a range input to `value` as a user's drag would end. */
async function slide(selector, value) {
  await page.$eval(selector, (e, v) => {
    e.value = String(v);
    e.dispatchEvent(new Event('input', { bubbles: true }));
    e.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);
}

const result = { mode, errors };
try {
  if (mode === 'report') {
    const t0 = Date.now();
    await page.goto('file://' + target, { waitUntil: 'load' });
    await page.waitForSelector('#map path.dep');
    result.open_ms = Date.now() - t0;
    result.curves = await count('#curve path.curve');
    result.departements = await count('#map path.dep:not(.outside)');
    result.stacks = await count('#reasons polygon.stack');
    result.table_rows = await count('#table-a tbody tr');
    result.last = await headline();
    if (screenshot) await page.screenshot({ path: screenshot });
    await slide('#year', 0);
    result.first = await headline();
    await page.hover('#map path.dep:not(.outside)');
    result.tooltip = !(await page.locator('#tooltip').isHidden());
  } else if (mode === 'serve') {
    await page.goto(target);
    const done = () => page.waitForSelector('#headline-value[data-state=done]', { timeout: 120000 });
    await done();
    result.baseline = await headline();
    await slide('#lever-teleconsultation', 0.1);
    await page.waitForSelector('#headline-value[data-state=running]', { timeout: 10000 }).catch(() => {});
    await done();
    result.policy = await headline();
    result.overrides = JSON.parse(await page.getAttribute('#command', 'data-overrides'));
    result.curves = await count('#curve path.curve');
    result.departements = await count('#map path.dep:not(.outside)');
    if (screenshot) await page.screenshot({ path: screenshot });
    // A refusal is shown in the page, not thrown.
    // The page greys out a scale too fine for the territory; a crafted request still gets the
    // server's refusal.
    const before = errors.length;
    await page.$eval('#scale', (e) => { e.value = '10'; e.dispatchEvent(new Event('change')); });
    await page.waitForSelector('#error:not([hidden])', { timeout: 30000 });
    result.refusal = (await page.textContent('#error')).trim();
    // The browser logs the refusal's 400 as a failed resource: expected, the only one allowed.
    const refused = errors.splice(before).filter((e) => !/status of 400/.test(e));
    errors.push(...refused);
  } else {
    throw new Error(`unknown mode ${mode}: expected report or serve`);
  }
} catch (e) {
  result.failure = String(e && e.stack ? e.stack : e);
}
await browser.close();
console.log(JSON.stringify(result));
