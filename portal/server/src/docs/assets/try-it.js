// Try-it for the API reference pages: authorizes Swagger UI with the signed-in partner's temporary test key
// (public APIs), or sends the session's CSRF token with unsafe requests (platform API). Plain browser script, loaded
// after swagger-ui-init.js; builds DOM with createElement/textContent only, never innerHTML.
/* global window, document, fetch, setTimeout */
(function () {
  'use strict';
  var STORAGE_KEY = 'portico.tryItKey';
  var SCHEME = 'apiKey'; // specs/common/security.yaml
  var UNSAFE = { POST: true, PUT: true, PATCH: true, DELETE: true };
  var bar = document.getElementById('try-it');
  var target = bar ? bar.getAttribute('data-target') : null;
  var csrfToken = null;
  var appsById = {};

  // Called by the requestInterceptor serialized into swagger-ui-init.js, for every try-it request.
  window.porticoTryIt = {
    intercept: function (request) {
      if (target === 'session' && csrfToken && UNSAFE[String(request.method).toUpperCase()]) {
        request.headers = request.headers || {};
        request.headers['X-CSRF-Token'] = csrfToken;
      }
      return request;
    },
  };

  function el(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function show() {
    bar.replaceChildren.apply(bar, arguments);
  }

  // The stored key belongs to the member who created it: { key, memberId } (portal/web's "Use this key" button or
  // the form below). It is used only while that member is signed in here, so the next person in this tab never
  // inherits it; sign-out removes it as well.
  function storedKey(session) {
    try {
      var stored = JSON.parse(window.sessionStorage.getItem(STORAGE_KEY) || 'null');
      if (stored && typeof stored.key === 'string' && stored.key.indexOf('ptc_test_') === 0) {
        if (stored.memberId === session.member.id) return stored.key;
      }
      window.sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // No storage (private mode) or a value from elsewhere: nothing to reuse.
    }
    return null;
  }

  function storeKey(key, session) {
    try {
      window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ key: key, memberId: session.member.id }));
    } catch {
      // Private mode: the key still authorizes this page.
    }
  }

  function authorize(ui, key) {
    // Swagger UI may still be loading the spec: retry until the scheme exists (preauthorizeApiKey returns null).
    var tries = 0;
    (function attempt() {
      if (ui.preauthorizeApiKey(SCHEME, key) || ++tries > 40) return;
      setTimeout(attempt, 250);
    })();
  }

  function getJson(url) {
    return fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } }).then(
      function (response) {
        if (!response.ok) {
          var error = new Error('HTTP ' + response.status);
          error.status = response.status;
          throw error;
        }
        var serverNowMs = Date.parse(response.headers.get('Date') || '') || Date.now();
        return response.json().then(function (body) {
          body.serverNowMs = serverNowMs;
          return body;
        });
      },
    );
  }

  function signInPrompt() {
    var returnTo = window.location.pathname + window.location.search;
    var link = el('a', { href: '/login?returnTo=' + encodeURIComponent(returnTo) }, 'Sign in');
    var text = el('p', { class: 'try-it-text' });
    text.append(link, document.createTextNode(' to try requests with your test key.'));
    show(text);
  }

  function keyReady(key) {
    var text = el('p', { class: 'try-it-text' });
    text.append(
      document.createTextNode('Requests are authorized with a temporary test key ending in '),
      el('code', {}, key.slice(-4)),
      document.createTextNode('. It expires within an hour.'),
    );
    show(text);
  }

  function offerKey(ui, session) {
    csrfToken = session.csrfToken;
    return getJson('/api/v1/apps?environment=test&status=active&limit=100').then(function (page) {
      var apps = (page.data || []).filter(function (app) {
        return app.environment === 'test' && app.status === 'active';
      });
      apps.forEach(function (app) {
        appsById[app.id] = app;
      });
      if (apps.length === 0) {
        var none = el('p', { class: 'try-it-text' });
        none.append(
          document.createTextNode('Create a test app in the '),
          el('a', { href: '/' }, 'portal'),
          document.createTextNode(' to try requests with a test key.'),
        );
        return show(none);
      }
      var form = el('form', { class: 'try-it-form' });
      var label = el('label', { for: 'try-it-app' }, 'Try it with a temporary test key for');
      var select = el('select', { id: 'try-it-app', name: 'appId' });
      apps.forEach(function (app) {
        select.append(el('option', { value: app.id }, app.name));
      });
      var button = el('button', { type: 'submit' }, 'Create key');
      var status = el('span', { class: 'try-it-status', role: 'status' });
      form.append(label, select, button, status);
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        button.disabled = true;
        status.textContent = 'Creating a key…';
        createKey(select.value, session.serverNowMs)
          .then(function (key) {
            storeKey(key, session);
            authorize(ui, key);
            keyReady(key);
          })
          .catch(function (error) {
            button.disabled = false;
            status.textContent = 'The key could not be created (' + error.message + ').';
          });
      });
      show(form);
    });
  }

  // Read scopes only and one hour from the server's clock (its Date header), not this computer's: a try-it key
  // changes nothing and does not outlive the visit, whatever time the browser believes it is.
  function createKey(appId, serverNowMs) {
    var expiresAt = new Date(serverNowMs + 60 * 60 * 1000).toISOString();
    var app = appsById[appId];
    var scopes = (app ? app.scopes : []).filter(function (scope) {
      return /:read$/.test(scope);
    });
    var body = { name: 'API docs try-it', expiresAt: expiresAt };
    if (scopes.length > 0) body.scopes = scopes;
    return fetch('/api/v1/apps/' + encodeURIComponent(appId) + '/api-keys', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': csrfToken },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok || typeof body.key !== 'string')
          throw new Error(body.title || 'HTTP ' + response.status);
        return body.key;
      });
    });
  }

  function start() {
    var ui = window.ui;
    if (!bar || !ui) return;
    if (target === 'session') {
      // The platform API runs same-origin on the session cookie; unsafe methods need the CSRF token.
      getJson('/api/v1/session')
        .then(function (session) {
          csrfToken = session.csrfToken;
          show(el('p', { class: 'try-it-text' }, 'Requests run as you, signed in to this portal.'));
        })
        .catch(signInPrompt);
      return;
    }
    getJson('/api/v1/session')
      .then(function (session) {
        var key = storedKey(session);
        if (!key) return offerKey(ui, session);
        csrfToken = session.csrfToken;
        authorize(ui, key);
        keyReady(key);
      })
      .catch(function (error) {
        if (error && error.status === 401) {
          try {
            window.sessionStorage.removeItem(STORAGE_KEY);
          } catch {
            // No storage: nothing to forget.
          }
          return signInPrompt();
        }
        show(el('p', { class: 'try-it-text' }, 'Try-it is not available right now.'));
      });
  }

  // swagger-ui-init.js sets window.onload first, so window.ui exists when this listener runs.
  if (document.readyState === 'complete') start();
  else window.addEventListener('load', start);
})();
