// Every page a shopper or the shop's staff can reach, at three phone sizes,
// each in WeChat's in-app browser and in a plain mobile browser: nothing
// scrolls sideways, every tap target is 44×44 px, axe-core finds nothing
// serious, each page has its own document.title, and in WeChat (which shows
// that title in its own bar) the shop's name is not repeated in the header.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startShop, launchBrowser, screenshot, fillCheckout, placeOrder, markPaid, ADMIN_TOKEN,
  PHONE_SIZES, USER_AGENTS, axeProblems, layoutProblems,
} from './support.mjs';

let shop, browser, paidAdoption;

before(async () => {
  shop = await startShop();
  browser = await launchBrowser();
  // A paid hive adoption, so the certificate page can be reached.
  paidAdoption = await placeOrder(shop.url, [{ sku: 'ADOPT-HIVE-2027', quantity: 1, adoption: { hive_name: '小蜜蜂' } }]);
  await markPaid(shop.url, paidAdoption);
});

after(async () => {
  await browser?.close();
  await shop?.stop();
});

const titled = (page) => `${page} · 西青区扶贫网店`;

/**
 * The pages in an order where each leaves what the next needs (the product
 * page fills the cart, checkout places the order that is confirmed, …).
 * `open` gets the page there and waits until it has drawn its content;
 * `bar: true` means the page's bottom bar must be stuck to the bottom of
 * the screen; `shots` names screenshots taken at 390×844, by browser.
 */
const tour = [
  { name: 'home', title: '西青区扶贫网店', open: (page) => visit(page, '/', '.product-card a'), shots: { wechat: 'home-wechat' } },
  { name: 'catalogue', title: titled('全部商品'), open: (page) => visit(page, '/products', '.product-card a') },
  { name: 'producer', title: titled('景泰县五佛乡蜜蜂养殖合作社'), open: (page) => visit(page, '/producers/wufo-bee-coop', '.product-card a') },
  { name: 'adoption product', title: titled('蜂箱认养 · 津景蜜园'), open: (page) => visit(page, '/products/adopt-a-beehive', '#hive-no') },
  {
    name: 'product', title: titled('津景蜜园百花蜜'), bar: true,
    open: async (page) => {
      await visit(page, '/products/jinjing-wildflower-honey', 'h1');
      await page.getByRole('button', { name: '加入购物车' }).click();
      await page.getByRole('status').filter({ hasText: '已加入购物车' }).waitFor();
    },
  },
  { name: 'cart', title: titled('购物车'), open: (page) => visit(page, '/cart', '.totals') },
  { name: 'checkout', title: titled('结算'), bar: true, open: (page) => visit(page, '/checkout', '#checkout-total') },
  {
    name: 'checkout with errors', title: titled('结算'), bar: true,
    open: async (page) => {
      await page.getByRole('button', { name: '提交订单' }).click();
      await page.locator('[aria-invalid="true"]').first().waitFor();
    },
  },
  {
    name: 'confirmation', title: titled('订单详情'),
    open: async (page) => {
      await fillCheckout(page);
      await page.getByRole('button', { name: '提交订单' }).click();
      await page.getByRole('heading', { name: '订单已提交' }).waitFor();
    },
  },
  { name: 'order lookup', title: titled('查订单'), open: (page) => visit(page, '/orders', '#lookup-phone') },
  {
    name: 'order found', title: titled('订单详情'),
    open: async (page) => {
      await visit(page, `/orders/${paidAdoption}`, '#lookup-phone');
      await page.getByLabel('手机号').fill('13912345678');
      await page.getByRole('button', { name: '查询' }).click();
      await page.locator('.order').waitFor();
    },
  },
  {
    name: 'certificate', title: titled('认养证书'),
    open: async (page) => {
      await page.getByRole('link', { name: '查看认养证书' }).click();
      await page.getByRole('article', { name: '认养证书' }).waitFor();
    },
  },
  { name: '404', title: titled('页面不存在'), open: (page) => visit(page, '/no/such/page', '.not-found') },
  { name: 'admin sign-in', title: titled('管理后台'), open: (page) => visit(page, '/admin', '#admin-token') },
  {
    name: 'admin products', title: titled('管理后台'),
    open: async (page) => {
      await page.getByLabel('管理口令').fill(ADMIN_TOKEN);
      await page.getByRole('button', { name: '登录' }).click();
      await page.locator('.admin-list').waitFor();
    },
  },
  // The preview shows the draft exactly as shoppers would, title included.
  { name: 'admin preview', title: titled('原蜂巢蜜礼盒'), bar: true, open: (page) => visit(page, '/admin/products/honey-comb-gift', '.preview-frame h1'), shots: { plain: 'admin-preview' } },
  { name: 'admin orders', title: titled('管理后台'), open: (page) => visit(page, '/admin/orders', '.admin-order') },
  { name: 'admin adoptions', title: titled('管理后台'), open: (page) => visit(page, '/admin/adoptions', '.admin-order') },
];

async function visit(page, path, drawn) {
  await page.goto(shop.url + path);
  await page.locator(drawn).first().waitFor();
}

/** The bottom bar is on screen, stuck to its bottom edge. */
async function barProblems(page, height) {
  const bar = await page.locator('.bottom-bar').boundingBox();
  if (!bar) return ['no bottom bar'];
  return Math.abs(bar.y + bar.height - height) <= 1 ? [] : [`bottom bar not at the bottom of the screen: ${bar.y}+${bar.height} in ${height}`];
}

for (const size of PHONE_SIZES) {
  for (const [browserName, userAgent] of Object.entries(USER_AGENTS)) {
    const wechat = browserName === 'wechat';
    test(`every page at ${size.width}×${size.height} in ${wechat ? 'WeChat' : 'a plain mobile browser'}`, async () => {
      const context = await browser.newContext({ viewport: size, userAgent, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
      const page = await context.newPage();
      page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
      const problems = [];
      for (const step of tour) {
        await step.open(page);
        const found = [
          ...await layoutProblems(page),
          ...await axeProblems(page),
          ...step.bar ? await barProblems(page, size.height) : [],
        ];
        const title = await page.title();
        if (title !== step.title) found.push(`title "${title}", expected "${step.title}"`);
        const brandShown = await page.locator('.site-header .brand').isVisible();
        if (brandShown === wechat) found.push(wechat ? 'the shop name repeats WeChat\'s title bar' : 'the shop name is missing from the header');
        problems.push(...found.map((problem) => `${step.name}: ${problem}`));
        const shot = step.shots?.[browserName];
        if (shot && size.width === 390) await screenshot(page, shot);
      }
      await context.close();
      assert.deepEqual(problems, []);
    });
  }
}
