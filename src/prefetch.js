// Once the first screen has loaded and the browser is idle, fetch the order
// pages' JS and wasm (the cart, checkout and order pages are their own app,
// order-app/), so going to the cart does not wait for them. Not when the
// shopper asked to save data. Their names are in <meta name="xq-prefetch">.
addEventListener('load', function () {
  var connection = navigator.connection;
  var meta = document.querySelector('meta[name=xq-prefetch]');
  if ((connection && connection.saveData) || !meta || !meta.content) return;
  (window.requestIdleCallback || setTimeout)(function () {
    meta.content.split(' ').forEach(function (href) {
      var link = document.createElement('link');
      link.rel = 'prefetch';
      link.href = href;
      document.head.appendChild(link);
    });
  });
});
