// Once the first screen is complete (loaded, then a second with no request
// finishing: the page's API data and images are in), fetch the order pages'
// JS and wasm (the cart, checkout and order pages are their own app,
// order-app/), so going to the cart does not wait for them. Earlier, on a
// slow line, the prefetch would share the bandwidth with the first screen's
// own data. Not when the shopper asked to save data. Their names are in
// <meta name="xq-prefetch">.
addEventListener('load', function () {
  var connection = navigator.connection;
  var meta = document.querySelector('meta[name=xq-prefetch]');
  if ((connection && connection.saveData) || !meta || !meta.content || !window.PerformanceObserver) return;
  var quiet;
  var observer = new PerformanceObserver(waitForQuiet);
  function waitForQuiet() {
    clearTimeout(quiet);
    quiet = setTimeout(prefetch, 1000);
  }
  function prefetch() {
    observer.disconnect();
    meta.content.split(' ').forEach(function (href) {
      var link = document.createElement('link');
      link.rel = 'prefetch';
      link.href = href;
      document.head.appendChild(link);
    });
  }
  observer.observe({ entryTypes: ['resource'] });
  waitForQuiet();
});
