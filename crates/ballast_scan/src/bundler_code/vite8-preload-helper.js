// Ballast's model of the helper Vite 8 adds for `import()`: preloads a chunk's dependencies once per URL (a
// memo of pending loads, stylesheets found in the page skipped), reports failures as `vite:preloadError`.
// Written to do what Vite 8's does, at about its size, so chunk sizes include it.
const scriptRel = 'modulepreload';
const assetsURL = function (dep) {
  return '/' + dep;
};
const pending = {};
const isCssUrl = function (url) {
  return url.pathname.endsWith('.css');
};
const once = function (memo, key, load) {
  if (key in memo) return memo[key];
  const started = load();
  if (!started) {
    memo[key] = undefined;
    return;
  }
  const settled = started.then(
    () => {
      memo[key] = undefined;
    },
    (error) => {
      memo[key] = undefined;
      throw error;
    },
  );
  memo[key] = settled;
  return settled;
};
export const __vitePreload = function preload(baseModule, deps, importerUrl) {
  let promise = Promise.resolve();
  if (deps && deps.length > 0) {
    let links;
    const cspNonceMeta = document.querySelector('meta[property=csp-nonce]');
    const cspNonce = cspNonceMeta?.nonce || cspNonceMeta?.getAttribute('nonce');
    function allSettled(promises) {
      return Promise.all(
        promises.map((p) =>
          Promise.resolve(p).then(
            (value) => ({ status: 'fulfilled', value }),
            (reason) => ({ status: 'rejected', reason }),
          ),
        ),
      );
    }
    function toUrl(dep) {
      return import.meta.resolve ? new URL(import.meta.resolve(dep)) : new URL(dep, import.meta.url);
    }
    promise = allSettled(
      deps
        .map((dep) => {
          dep = assetsURL(dep, importerUrl);
          const url = toUrl(dep);
          const isCss = isCssUrl(url);
          return once(pending, url.href, () => {
            if (links === undefined) {
              links = { all: new Set(), styles: new Set() };
              const present = document.getElementsByTagName('link');
              for (let i = present.length - 1; i >= 0; i--) {
                const link = present[i];
                links.all.add(link.href);
                if (link.rel === 'stylesheet') links.styles.add(link.href);
              }
            }
            if ((isCss ? links.styles : links.all).has(url.href)) return;
            const link = document.createElement('link');
            link.rel = isCss ? 'stylesheet' : scriptRel;
            if (!isCss) link.as = 'script';
            link.crossOrigin = '';
            link.href = url.href;
            if (cspNonce) link.setAttribute('nonce', cspNonce);
            document.head.appendChild(link);
            if (isCss) {
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
        .filter((p) => p !== undefined),
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
      if (item.status === 'rejected') handlePreloadError(item.reason);
    }
    return baseModule().catch(handlePreloadError);
  });
};
