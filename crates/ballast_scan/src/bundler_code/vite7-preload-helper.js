// Ballast's model of the helper Vite 7 adds for `import()` (Vite 8's differs: `vite-preload-helper.js`): each
// dependency is preloaded once (CSS as a stylesheet, scripts as modulepreload) unless a link to it is on the page,
// and failures are reported as `vite:preloadError`. Written to do what Vite 7's does, at about its size, so chunk
// sizes include it.
const scriptRel = 'modulepreload';
const assetsURL = function (dep) {
  return '/' + dep;
};
const seen = {};
export const __vitePreload = function preload(baseModule, deps, importerUrl) {
  let promise = Promise.resolve();
  if (deps && deps.length > 0) {
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
    document.getElementsByTagName('link');
    const nonceMeta = document.querySelector('meta[property=csp-nonce]');
    const nonce = nonceMeta?.nonce || nonceMeta?.getAttribute('nonce');
    promise = settleAll(
      deps.map((name) => {
        name = assetsURL(name, importerUrl);
        if (name in seen) return;
        seen[name] = true;
        const css = name.endsWith('.css');
        const rel = css ? '[rel="stylesheet"]' : '';
        if (document.querySelector(`link[href="${name}"]${rel}`)) return;
        const link = document.createElement('link');
        link.rel = css ? 'stylesheet' : scriptRel;
        if (!css) link.as = 'script';
        link.crossOrigin = '';
        link.href = name;
        if (nonce) link.setAttribute('nonce', nonce);
        document.head.appendChild(link);
        if (css) {
          return new Promise((resolve, reject) => {
            link.addEventListener('load', resolve);
            link.addEventListener('error', () => reject(new Error(`Unable to preload CSS for ${name}`)));
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
