// Before the app mounts (while #boot is there): the home page's banner only
// on the home page; an engine without WebAssembly, or an app that fails to
// start, gets words, not a blank page; and what the shopper does on the
// server-rendered page is not lost.
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

  // A button tapped before the app is there (add to cart, a variant, the
  // quantity stepper, the language switch) is tapped again, in the same
  // order, once it is: the app renders the same page, so the nth button is
  // the same button. Links are left alone: they navigate, and the server
  // renders where they lead. The element with focus keeps it the same way.
  var boot = document.getElementById('boot');
  if (!boot) return;
  var taps = [];
  var focused = -1;
  function indexIn(list, element) {
    return Array.prototype.indexOf.call(list, element);
  }
  function focusable() {
    return document.querySelectorAll('a[href], button, input, select, textarea');
  }
  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('button');
    if (button && boot.contains(button)) taps.push(indexIn(document.querySelectorAll('button'), button));
  }, true);
  document.addEventListener('focusin', function (event) {
    if (boot.contains(event.target)) focused = indexIn(focusable(), event.target);
  }, true);
  addEventListener('xq-app-ready', function () {
    if (focused >= 0 && document.activeElement === document.body && focusable()[focused]) {
      focusable()[focused].focus();
    }
    var buttons = document.querySelectorAll('button');
    taps.forEach(function (index) {
      if (buttons[index]) buttons[index].click();
    });
  });
})();
