/**
 * The browser side of the proof of work (served at /n/_assets/challenge.js; no inline script, no third
 * party): finds a nonce whose SHA-256 with the challenge starts with the required zero bits, then lets the
 * form submit. Without JavaScript the form still posts and the page explains why it asks again.
 */
export const CHALLENGE_SCRIPT = `(function () {
  var box = document.querySelector('[data-challenge]');
  if (!box) return;
  var form = box.closest('form');
  var challenge = box.getAttribute('data-challenge');
  var bits = Number(box.getAttribute('data-bits'));
  var out = box.querySelector('input[name=pow]');
  var status = box.querySelector('[role=status]');
  var hidden = document.createElement('input');
  hidden.type = 'hidden'; hidden.name = 'challenge'; hidden.value = challenge;
  form.appendChild(hidden);
  var button = form.querySelector('button[type=submit]');
  var done = false;
  function zeroBits(bytes) {
    var n = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { n += 8; continue; }
      return n + Math.clz32(bytes[i]) - 24;
    }
    return n;
  }
  async function solve() {
    var enc = new TextEncoder();
    for (var i = 0; ; i++) {
      var candidate = i.toString(36);
      var hash = new Uint8Array(await crypto.subtle.digest('SHA-256', enc.encode(challenge + ':' + candidate)));
      if (zeroBits(hash) >= bits) return candidate;
    }
  }
  if (status) status.textContent = box.getAttribute('data-working') || '…';
  var solving = solve().then(function (nonce) { out.value = nonce; done = true; if (status) status.textContent = '✓'; });
  form.addEventListener('submit', function (event) {
    if (done) return;
    event.preventDefault();
    if (button) button.disabled = true;
    solving.then(function () { form.submit(); });
  });
})();
`;
