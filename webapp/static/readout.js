/*
 * The eID readout page's script (served from this host: the page's CSP allows script-src 'self' and
 * no inline script). It reads the card through the BeIDConnect extension's page API when present,
 * has the card sign the server's challenge after the PIN, fills the form's fields and posts them.
 * When the card cannot be read it posts only error=<code> (no_extension, no_reader, no_card,
 * pin_cancelled, pin_incorrect, pin_blocked, other), and the server shows a page for that case.
 *
 * BeIDConnect's page API (docs/beid-readout.md): getId(lang, mac, idflags) answers base64 card files
 * (id, addr, photo, idsig, addrsig, rrncert, authcert, cacert, rootcert); auth(lang, mac, cert, algo,
 * digest, pin) signs a digest with the Authentication key once the person typed the PIN on the reader
 * or in the helper's dialog. The extension injects its page library into every page.
 */
(function () {
  'use strict';
  // 1 id + 2 address + 4 photo + 8 integrity (idsig, addrsig, rrncert) + 32 auth cert + 128 CA certs + 256 root
  var ID_FLAGS = 1 | 2 | 4 | 8 | 32 | 128 | 256;
  var form = document.getElementById('readout');
  if (!form) return;
  var status = document.getElementById('status');
  var lang = form.getAttribute('data-lang') || 'en';

  function field(name) { return form.elements.namedItem(name); }

  function b64urlToBytes(s) {
    var b64 = s.replace(/-/g, '+').replace(/_/g, '/');
    while (b64.length % 4) b64 += '=';
    var bin = atob(b64), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  function bytesToB64(bytes) {
    var bin = '';
    var a = new Uint8Array(bytes);
    for (var i = 0; i < a.length; i++) bin += String.fromCharCode(a[i]);
    return btoa(bin);
  }

  function post(extra) {
    Object.keys(extra).forEach(function (k) { if (field(k)) field(k).value = extra[k] || ''; });
    form.submit();
  }

  // The extension's page library defines a constructor (window.EIDChromeExt in fts-beidconnect's
  // page.js); window.BeIDConnect, an object or a constructor, is accepted too.
  function api() {
    var candidates = [window.BeIDConnect, window.EIDChromeExt];
    for (var i = 0; i < candidates.length; i++) {
      var Api = candidates[i];
      if (typeof Api === 'function') { try { return new Api(); } catch (e) { continue; } }
      if (Api && typeof Api.getId === 'function') return Api;
    }
    return null;
  }

  // BeIDConnect rejects with an object whose "result" names what went wrong (fts-beidconnect's
  // native helper and background.js; not documented elsewhere). Mapped onto the form's closed
  // vocabulary; anything unknown is "other". README "Readout form" lists the mapping.
  var PROBLEMS = {
    timeout: 'no_extension',            // the native helper is not installed
    no_reader: 'no_reader',
    no_card: 'no_card',
    cancel: 'pin_cancelled',
    pin_timeout: 'pin_cancelled',
    card_blocked: 'pin_blocked',
    pin_blocked: 'pin_blocked',
    pin_incorrect: 'pin_incorrect',
    pin_3_attempts_left: 'pin_incorrect',
    pin_2_attempts_left: 'pin_incorrect',
    pin_1_attempt_left: 'pin_incorrect'
  };

  function problem(e) {
    var result = e && (e.result || e.message);
    return (typeof result === 'string' && Object.prototype.hasOwnProperty.call(PROBLEMS, result)) ? PROBLEMS[result] : 'other';
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var beid = api();
    if (!beid) { post({ error: 'no_extension' }); return; }
    status.textContent = status.getAttribute('data-reading');
    status.hidden = false;
    document.getElementById('read-card').disabled = true;
    var card;
    Promise.resolve(beid.getId(lang, '', ID_FLAGS)).then(function (id) {
      card = id || {};
      // SHA-256 of the raw challenge bytes: the card signs it as SHA256withRSA / SHA256withECDSA
      return crypto.subtle.digest('SHA-256', b64urlToBytes(field('challenge').value));
    }).then(function (digest) {
      return beid.auth(lang, '', card.authcert, 'SHA-256', bytesToB64(digest), '');
    }).then(function (auth) {
      var signature = auth && (auth.signature || auth.authsig || auth);
      post({ id: card.id, addr: card.addr, photo: card.photo, idsig: card.idsig, addrsig: card.addrsig,
             rrncert: card.rrncert, authcert: card.authcert, cacert: card.cacert, rootcert: card.rootcert,
             authsig: typeof signature === 'string' ? signature : '' });
    }).catch(function (e) {
      post({ error: problem(e) });
    });
  });
}());
