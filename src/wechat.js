// The one place that knows about WeChat's in-app browser (its User-Agent
// says "MicroMessenger"). WeChat draws its own title bar showing
// document.title, so the shop's brand in the header would say the shop's
// name twice; under `html.in-wechat` style/main.css hides it.
//
// Trunk inlines this into index.html and admin/index.html, where it runs
// before the first paint: the brand never flashes, and nothing moves when
// the app mounts. The class is the cached answer; nothing else reads the UA.
if (/MicroMessenger/i.test(navigator.userAgent)) document.documentElement.classList.add('in-wechat');
