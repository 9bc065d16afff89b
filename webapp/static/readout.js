/*
 * The eID readout page's script (served from this host: the page's CSP allows script-src 'self' and
 * no inline script). It reads the card through the BeIDConnect extension's page API when present,
 * has the card sign the server's challenge after the PIN, fills the form's fields and posts them.
 * Without the extension it posts error=no_extension, and the server explains how to install it.
 *
 * BeIDConnect's page API (docs/beid-readout.md): getId(lang, mac, idflags) answers base64 card files
 * (id, addr, photo, idsig, addrsig, rrncert, authcert, cacert, rootcert); auth(lang, mac, cert, algo,
 * digest, pin) signs a digest with the Authentication key once the person typed the PIN on the reader
 * or in the helper's dialog. The API object is expected as window.BeIDConnect (the extension's page
 * library, served from /static/ next to this file by the operator).
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

  function api() {
    var Api = window.BeIDConnect;
    if (typeof Api === 'function') { try { return new Api(); } catch (e) { return null; } }
    return Api && typeof Api.getId === 'function' ? Api : null;
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
      var noExtension = e && /extension|not.?installed|no_?native|unavailable/i.test(String(e.message || e.result || e));
      post(noExtension ? { error: 'no_extension' } : {});
    });
  });
}());
