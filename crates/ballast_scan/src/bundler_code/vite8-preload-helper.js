// Ballast's model of the helper Vite 8 adds for `import()`: as Vite 7's, plus one preload per URL at a time
// (`preloadOnce`), URLs resolved with `import.meta.resolve`, and the page's links read once into sets; written to
// do what Vite's does, at about its size, so chunk sizes include it.
const scriptRel = 'modulepreload';
const assetsURL = function (dep) {
  return '/' + dep;
};
const seen = {};
const isCssPreloadUrl = function (url) {
  return url.pathname.endsWith('.css');
};
const preloadOnce = function (cache, key, start) {
  if (key in cache) return cache[key];
  const pending = start();
  if (!pending) {
    cache[key] = undefined;
    return;
  }
  const settled = pending.then(
    () => {
      cache[key] = undefined;
    },
    (error) => {
      cache[key] = undefined;
      throw error;
    },
  );
  cache[key] = settled;
  return settled;
};
export const __vitePreload = function preload(baseModule, deps, importerUrl) {
  let promise = Promise.resolve();
  if (deps && deps.length > 0) {
    let existing;
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
    function resolveUrl(dep) {
      return import.meta.resolve ? new URL(import.meta.resolve(dep)) : new URL(dep, import.meta.url);
    }
    promise = allSettled(
      deps
        .map((dep) => {
          dep = assetsURL(dep, importerUrl);
          const url = resolveUrl(dep);
          const isCss = isCssPreloadUrl(url);
          return preloadOnce(seen, url.href, () => {
            if (existing === undefined) {
              existing = { all: new Set(), styles: new Set() };
              const links = document.getElementsByTagName('link');
              for (let i = links.length - 1; i >= 0; i--) {
                const link = links[i];
                existing.all.add(link.href);
                if (link.rel === 'stylesheet') existing.styles.add(link.href);
              }
            }
            if ((isCss ? existing.styles : existing.all).has(url.href)) return;
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
      if (item.status !== 'rejected') continue;
      handlePreloadError(item.reason);
    }
    return baseModule().catch(handlePreloadError);
  });
};
