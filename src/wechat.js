// The one place that reads the User-Agent. It says where the page runs:
//   wechat   WeChat's in-app browser ("MicroMessenger"): pay with JSAPI
//   wxwork   企业微信 ("wxwork"), whose 公众号 payments do not work: QR code
//   mobile   a phone browser: pay with H5
//   desktop  anything else: QR code (Native)
// as <html data-browser="…">, which the app reads when it pays. WeChat
// also draws its own title bar showing document.title, so the shop's brand
// in the header would say the shop's name twice; under `html.in-wechat`
// style/main.css hides it.
//
// Trunk inlines this into index.html and admin/index.html, where it runs
// before the first paint: the brand never flashes, and nothing moves when
// the app mounts. The attribute is the cached answer; nothing else reads the UA.
(function () {
  var ua = navigator.userAgent, html = document.documentElement;
  var browser = /wxwork/i.test(ua) ? 'wxwork'
    : /MicroMessenger/i.test(ua) ? 'wechat'
    : /Mobi|Android|iPhone|iPad|HarmonyOS/i.test(ua) ? 'mobile'
    : 'desktop';
  html.setAttribute('data-browser', browser);
  if (browser === 'wechat' || browser === 'wxwork') html.classList.add('in-wechat');
})();
