// A shopper who uses only a keyboard buys a product: Tab, typing, arrow
// keys, Enter and Space, with a visible focus ring on every stop that is
// never hidden under the sticky header or bottom bar. Back from the
// confirmation does not return to a filled checkout. And with the on-screen
// keyboard open, the checkout's bottom bar stays above it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startShop, launchBrowser, PHONE, ADMIN_TOKEN } from './support.mjs';

let shop, browser, page;

before(async () => {
  shop = await startShop();
  browser = await launchBrowser();
  page = await (await browser.newContext(PHONE)).newPage();
  page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
});

after(async () => {
  await browser?.close();
  await shop?.stop();
});

/** The focused element: its id, its accessible text, and whether it is seen. */
function focused() {
  return page.evaluate(() => {
    const el = document.activeElement;
    const box = el.getBoundingClientRect();
    // All of it between the sticky header and the sticky bottom bar,
    // unless it is in one of them.
    const edge = (selector, side, otherwise) => {
      const sticky = document.querySelector(selector);
      return sticky && !sticky.contains(el) ? sticky.getBoundingClientRect()[side] : otherwise;
    };
    const style = getComputedStyle(el);
    return {
      id: el.id,
      text: (el.getAttribute('aria-label') ?? el.textContent).trim(),
      uncovered: box.top >= edge('.site-header', 'bottom', 0) - 1 && box.bottom <= edge('.bottom-bar', 'top', innerHeight) + 1,
      ring: el.matches(':focus-visible') && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    };
  });
}

/** Presses Tab (or Shift+Tab) until `wanted` has focus, checking every stop on the way. */
async function tabTo(wanted, { back = false } = {}) {
  for (let presses = 0; presses < 60; presses++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const now = await focused();
    assert.ok(now.ring, `no visible focus ring on "${now.id || now.text}"`);
    assert.ok(now.uncovered, `"${now.id || now.text}" has focus but is off screen or covered`);
    if (now.id === wanted || now.text === wanted) return;
  }
  assert.fail(`Tab never reached "${wanted}"`);
}

test('checkout by keyboard alone; Back from the confirmation does not reopen it', async () => {
  await page.goto(`${shop.url}/products/jinjing-wildflower-honey`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await tabTo('加入购物车');
  await page.keyboard.press('Space');
  await page.getByRole('status').filter({ hasText: '已加入购物车' }).waitFor();
  await tabTo('去购物车结算', { back: true });
  await page.keyboard.press('Enter');
  await page.waitForURL('**/cart');
  await page.locator('.totals').waitFor();
  await tabTo('去结算');
  await page.keyboard.press('Enter');
  await page.waitForURL('**/checkout');
  await page.locator('#checkout-total').waitFor();

  await tabTo('contact.name');
  await page.keyboard.type('王小蜜');
  await page.keyboard.press('Tab');
  await page.keyboard.type('1380013800'); // one digit short
  await page.keyboard.press('Tab'); // the region field
  await page.keyboard.press('Enter'); // opens the sheet, the cursor in its search box
  await page.keyboard.type('西青');
  await page.keyboard.press('Tab'); // the one match
  await page.keyboard.press('Enter');
  await page.locator('.sheet').waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement.id), 'address.province', 'back at the field');
  assert.equal(await page.locator('[id="address.province"]').innerText(), '天津市 西青区');
  await page.keyboard.press('Tab');
  await page.keyboard.type('杨柳青镇柳口路1号');
  await page.keyboard.press('Enter'); // submits the form from the address field

  // Nothing is sent: the error is announced and the cursor moves to the phone.
  await page.waitForFunction(() => document.activeElement.id === 'contact.phone');
  assert.match(await page.locator('[id="contact.phone-error"]').innerText(), /11位手机号/);
  await page.keyboard.press('Control+A');
  await page.keyboard.type('13800138000');
  await tabTo('提交订单');
  await page.keyboard.press('Space');
  await page.getByRole('heading', { name: '订单已提交' }).waitFor();

  // The confirmation replaced the checkout in history: Back goes to the
  // (now empty) cart, and nothing is submitted again.
  await page.goBack();
  await page.waitForURL('**/cart');
  await page.getByText('购物车还是空的').waitFor();
  const orders = await fetch(`${shop.url}/api/admin/orders`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  assert.equal((await orders.json()).total, 1);
});

test('with the on-screen keyboard open, the checkout bar rides above it and fields stay in view', async () => {
  await page.goto(`${shop.url}/products/jingtai-red-goji`);
  await page.getByRole('button', { name: '加入购物车' }).click();
  await page.goto(`${shop.url}/checkout`);
  await page.locator('#checkout-total').waitFor();
  await page.getByLabel('收货人').focus();
  // index.html's interactive-widget=resizes-content: the keyboard shrinks
  // the layout viewport, as a shorter window does here.
  const keyboardOpen = { width: PHONE.viewport.width, height: PHONE.viewport.height - 330 };
  await page.setViewportSize(keyboardOpen);
  for (const field of ['contact.phone', 'address.province', 'address.detail', 'address.postal_code', 'note']) {
    await tabTo(field);
    const bar = await page.locator('.bottom-bar').boundingBox();
    assert.ok(Math.abs(bar.y + bar.height - keyboardOpen.height) <= 1, `bar at the keyboard's edge (field ${field})`);
  }
  await page.setViewportSize(PHONE.viewport);
});
