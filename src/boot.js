// Before the app mounts (while #boot is there): the home page's banner only
// on the home page; and an engine without WebAssembly, or an app that fails
// to start, gets words, not a blank page.
// Inlined at the end of each shopper page's body (index.html,
// order-app/index.html), after the message it shows.
(function () {
  // index.html's banner is the home page's: elsewhere, the placeholder.
  var home = document.getElementById('boot-home');
  if (home && location.pathname !== '/') {
    home.hidden = true;
    document.getElementById('boot-page').hidden = false;
  }
  function failed() {
    var message = document.getElementById('boot-failed');
    if (message) message.hidden = false;
  }
  if (typeof WebAssembly !== 'object') failed();
  addEventListener('error', failed);
  addEventListener('unhandledrejection', failed);
})();
