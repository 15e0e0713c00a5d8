// Ballast's model of the helper Vite adds for `import()` (preloads a chunk's dependencies, reports failures as
// `vite:preloadError`); written to do what Vite's does, at about its size, so chunk sizes include it.
const scriptRel = 'modulepreload';
const assetsURL = function (dep) {
  return '/' + dep;
};
const seen = {};
export const __vitePreload = function preload(baseModule, deps, importerUrl) {
  let promise = Promise.resolve();
  if (deps && deps.length > 0) {
    document.getElementsByTagName('link');
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
    promise = allSettled(
      deps.map((dep) => {
        dep = assetsURL(dep, importerUrl);
        if (dep in seen) return;
        seen[dep] = true;
        const isCss = dep.endsWith('.css');
        const cssSelector = isCss ? '[rel="stylesheet"]' : '';
        if (document.querySelector(`link[href="${dep}"]${cssSelector}`)) return;
        const link = document.createElement('link');
        link.rel = isCss ? 'stylesheet' : scriptRel;
        if (!isCss) link.as = 'script';
        link.crossOrigin = '';
        link.href = dep;
        if (cspNonce) link.setAttribute('nonce', cspNonce);
        document.head.appendChild(link);
        if (isCss) {
          return new Promise((resolve, reject) => {
            link.addEventListener('load', resolve);
            link.addEventListener('error', () => reject(new Error(`Unable to preload CSS for ${dep}`)));
          });
        }
      }),
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
