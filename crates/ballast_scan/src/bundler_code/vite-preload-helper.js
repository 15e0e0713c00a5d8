// Ballast's model of the helper Vite 8 adds for `import()` (Vite 7 prints an older one: `vite7-preload-helper.js`):
// resolves each dependency against the importing module, preloads it once (CSS as a stylesheet, scripts as
// modulepreload; links already on the page are skipped), and reports failures as `vite:preloadError`. Written to
// do what Vite's does, at about its size, so chunk sizes include it.
const scriptRel = 'modulepreload';
const assetsURL = function (dep) {
  return '/' + dep;
};
const seen = {};
const isCssUrl = function (url) {
  return url.pathname.endsWith('.css');
};
const once = function (cache, key, start) {
  if (key in cache) return cache[key];
  const started = start();
  if (!started) {
    cache[key] = void 0;
    return;
  }
  const settled = started.then(
    () => {
      cache[key] = void 0;
    },
    (error) => {
      cache[key] = void 0;
      throw error;
    },
  );
  cache[key] = settled;
  return settled;
};
export const __vitePreload = function preload(baseModule, deps, importerUrl) {
  let promise = Promise.resolve();
  if (deps && deps.length > 0) {
    let present;
    const nonceMeta = document.querySelector('meta[property=csp-nonce]');
    const nonce = nonceMeta?.nonce || nonceMeta?.getAttribute('nonce');
    function settleAll(list) {
      return Promise.all(
        list.map((item) =>
          Promise.resolve(item).then(
            (value) => ({ status: 'fulfilled', value }),
            (reason) => ({ status: 'rejected', reason }),
          ),
        ),
      );
    }
    function resolveUrl(specifier) {
      if (import.meta.resolve) return new URL(import.meta.resolve(specifier));
      return new URL(specifier, import.meta.url);
    }
    promise = settleAll(
      deps
        .map((name) => {
          name = assetsURL(name, importerUrl);
          const url = resolveUrl(name);
          const css = isCssUrl(url);
          return once(seen, url.href, () => {
            if (present === void 0) {
              present = { all: new Set(), styles: new Set() };
              const links = document.getElementsByTagName('link');
              for (let i = links.length - 1; i >= 0; i--) {
                const existing = links[i];
                present.all.add(existing.href);
                if (existing.rel === 'stylesheet') present.styles.add(existing.href);
              }
            }
            if ((css ? present.styles : present.all).has(url.href)) return;
            const link = document.createElement('link');
            link.rel = css ? 'stylesheet' : scriptRel;
            if (!css) link.as = 'script';
            link.crossOrigin = '';
            link.href = url.href;
            if (nonce) link.setAttribute('nonce', nonce);
            document.head.appendChild(link);
            if (css) {
              return new Promise((resolve, reject) => {
                const done = (event) => {
                  link.removeEventListener('load', done);
                  link.removeEventListener('error', done);
                  if (event.type === 'error') reject(new Error(`Unable to preload CSS for ${url}`));
                  else resolve(event);
                };
                link.addEventListener('load', done);
                link.addEventListener('error', done);
              });
            }
          });
        })
        .filter((p) => p !== void 0),
    );
  }
  function handlePreloadError(err) {
    const event = new Event('vite:preloadError', { cancelable: true });
    event.payload = err;
    window.dispatchEvent(event);
    if (!event.defaultPrevented) throw err;
  }
  return promise.then((results) => {
    for (const item of results || []) {
      if (item.status !== 'rejected') continue;
      handlePreloadError(item.reason);
    }
    return baseModule().catch(handlePreloadError);
  });
};
