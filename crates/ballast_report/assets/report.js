/* Ballast HTML report UI: self-contained, no network, works from file://.
 * Security rule: strings from the embedded data are only ever written with
 * textContent / setAttribute / createElement; never an HTML-parsing API. */
(function () {
  'use strict';

  // ---------------------------------------------------------------------
  // Squarified treemap layout (Bruls, Huizing & van Wijk, 2000).
  // values: non-negative numbers, ideally sorted in descending order.
  // Returns one {x, y, w, h} per value (same order); the rectangles tile the
  // box, each with an area proportional to its value (zero values -> zero area).
  // ---------------------------------------------------------------------
  function squarify(values, x, y, w, h) {
    var n = values.length;
    var out = new Array(n);
    var total = 0;
    var i;
    for (i = 0; i < n; i++) if (values[i] > 0) total += values[i];
    if (!(total > 0) || !(w > 0) || !(h > 0)) {
      for (i = 0; i < n; i++) out[i] = { x: x, y: y, w: 0, h: 0 };
      return out;
    }
    var scale = (w * h) / total;
    var areas = new Array(n);
    var idx = []; // indices of positive values, in input order
    for (i = 0; i < n; i++) {
      areas[i] = values[i] > 0 ? values[i] * scale : 0;
      if (areas[i] > 0) idx.push(i);
      else out[i] = { x: x, y: y, w: 0, h: 0 };
    }
    var m = idx.length;
    var start = 0;
    while (start < m) {
      var side = Math.min(w, h);
      var side2 = side * side;
      var rowSum = 0, rowMin = Infinity, rowMax = 0, best = Infinity;
      var end = start;
      while (end < m) {
        var a = areas[idx[end]];
        var s = rowSum + a;
        var mn = a < rowMin ? a : rowMin;
        var mx = a > rowMax ? a : rowMax;
        var s2 = s * s;
        var worst = Math.max((side2 * mx) / s2, s2 / (side2 * mn));
        if (end > start && worst > best) break;
        best = worst; rowSum = s; rowMin = mn; rowMax = mx;
        end++;
      }
      var last = end === m;
      var k, r;
      if (w >= h) {
        // the row is a column along the left edge
        var cw = last ? w : rowSum / h;
        var yy = y;
        for (k = start; k < end; k++) {
          var hh = areas[idx[k]] / cw;
          if (k === end - 1) hh = y + h - yy;
          out[idx[k]] = { x: x, y: yy, w: cw, h: hh };
          yy += hh;
        }
        x += cw; w -= cw;
      } else {
        // the row runs along the top edge
        var rh = last ? h : rowSum / w;
        var xx = x;
        for (k = start; k < end; k++) {
          var ww = areas[idx[k]] / rh;
          if (k === end - 1) ww = x + w - xx;
          out[idx[k]] = { x: xx, y: y, w: ww, h: rh };
          xx += ww;
        }
        y += rh; h -= rh;
      }
      if (w < 0) w = 0;
      if (h < 0) h = 0;
      start = end;
    }
    return out;
  }

  // ---------------------------------------------------------------------
  // Formatting helpers
  // ---------------------------------------------------------------------
  function formatKB(bytes) {
    if (!(bytes > 0)) return '0 kB';
    var kb = bytes / 1000;
    var digits = kb < 10 ? 2 : kb < 100 ? 1 : 0;
    if (kb < 0.01) return '<0.01 kB';
    return kb.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) + ' kB';
  }

  function hashHue(str) {
    var h = 2166136261;
    for (var i = 0; i < str.length; i++) {
      h ^= str.charCodeAt(i);
      h = Math.imul(h, 16777619);
    }
    return (h >>> 0) % 360;
  }

  var SEV_RANK = { error: 3, warning: 2, warn: 2, info: 1, note: 1 };

  // ---------------------------------------------------------------------
  // Model: chunk -> package | app -> folder(s) -> module -> declarations
  // ---------------------------------------------------------------------
  function Node(kind, name, parent, M) {
    this.kind = kind;        // root | chunk | package | app | folder | module | decl
    this.name = name;
    this.parent = parent;
    this.children = null;
    this.keys = null;        // Map key -> child (build time only)
    this.v = zeros(M);
    this.count = 0;          // modules below
    this.mod = -1;           // module index (module, decl)
    this.path = '';
    this.sev = 0;            // max finding severity below
    this.sorted = null;      // cache: metric -> children sorted by size
    this.hit = 0;            // search hits below (generation-stamped)
    this.hitGen = -1;
    this.b = null;           // compare view: sizes in the baseline (same layout as v)
    this.isNew = false;      // compare view: a module the baseline did not ship
  }

  function zeros(M) {
    var a = new Array(M);
    for (var i = 0; i < M; i++) a[i] = 0;
    return a;
  }

  function addChild(parent, key, kind, name, M) {
    if (!parent.keys) parent.keys = new Map();
    var c = parent.keys.get(key);
    if (!c) {
      c = new Node(kind, name, parent, M);
      parent.keys.set(key, c);
      if (!parent.children) parent.children = [];
      parent.children.push(c);
    }
    return c;
  }

  function buildModel(data) {
    var S = data.strings || [];
    var metrics = data.metrics || [];
    var M = metrics.length;
    var paths = data.path || [];
    var n = paths.length;
    var pkgIdx = data.pkg || [];
    var chunkIdx = data.chunk || [];
    var sizes = data.sizes || [];
    var flags = data.flags || [];
    var chunks = data.chunks || [];
    var packages = data.packages || [];
    var SS = new Array(S.length);
    for (var si = 0; si < S.length; si++) SS[si] = typeof S[si] === 'string' ? S[si] : String(S[si]);
    var str = function (i) { var v = SS[i]; return v === undefined ? '' : v; };

    var root = new Node('root', data.title ? String(data.title) : 'bundle', null, M);
    // compare view (data.base): what the baseline had, per module and chunk of this report
    var base = data.base && typeof data.base === 'object' ? data.base : null;
    var baseMods = base && Array.isArray(base.modules) ? base.modules : [];
    var baseChunks = base && Array.isArray(base.chunks) ? base.chunks : [];
    var tupleOf = function (t) {
      var a = zeros(M);
      if (Array.isArray(t)) for (var k = 0; k < M; k++) a[k] = +t[k] || 0;
      return a;
    };
    var chunkNodes = chunks.map(function (c, ci) {
      var node = new Node('chunk', str(c.name) || ('chunk ' + ci), root, M);
      node.chunk = ci;
      node.initial = !!c.initial;
      node.chunkKind = c.kind ? String(c.kind) : '';
      node.own = Array.isArray(c.sizes) && c.sizes.length === M ? c.sizes.map(Number) : null;
      node.path = node.name;
      if (base) {
        node.b = zeros(M);
        // a chunk the baseline did not have weighed nothing then
        node.ownB = tupleOf(baseChunks[ci]);
        node.isNew = !Array.isArray(baseChunks[ci]);
      }
      return node;
    });
    var outside = null;

    // finding severity per module
    var modSev = new Uint8Array(n);
    var modFindings = new Array(n);
    (data.findings || []).forEach(function (f, fi) {
      var rank = SEV_RANK[String(f.severity)] || 1;
      (f.modules || []).forEach(function (m) {
        if (m >= 0 && m < n) {
          if (rank > modSev[m]) modSev[m] = rank;
          (modFindings[m] || (modFindings[m] = [])).push(fi);
        }
      });
    });
    for (var f = 0; f < n; f++) if ((flags[f] & 2) && !modSev[f]) modSev[f] = 2;

    // module paths are joined lazily (only drawn / hovered / searched modules need them)
    var modPathCache = new Array(n);
    function modPath(i) {
      var v = modPathCache[i];
      if (v === undefined) {
        var pi = paths[i] || [];
        var segs = new Array(pi.length);
        for (var q = 0; q < pi.length; q++) segs[q] = str(pi[q]);
        v = modPathCache[i] = segs.join('/');
      }
      return v;
    }
    var modNode = new Array(n);
    for (var i = 0; i < n; i++) {
      var pi = paths[i] || [];
      var segs = new Array(pi.length);
      for (var q = 0; q < pi.length; q++) segs[q] = str(pi[q]);
      var ci = chunkIdx[i];
      var cnode;
      if (typeof ci === 'number' && ci >= 0 && ci < chunkNodes.length) cnode = chunkNodes[ci];
      else {
        if (!outside) {
          outside = new Node('chunk', '(outside chunks)', root, M);
          outside.chunk = -1; outside.initial = false; outside.chunkKind = 'other'; outside.own = null;
          outside.path = outside.name;
        }
        cnode = outside;
      }
      var p = pkgIdx[i];
      var group, start = 0;
      if (typeof p === 'number' && p >= 0 && p < packages.length) {
        var pname = str(packages[p].name) || ('package ' + p);
        group = addChild(cnode, 'p' + p, 'package', pname, M);
        if (!group.path) {
          group.version = packages[p].version ? String(packages[p].version) : '';
          group.path = pname;
        }
        var nm = segs.lastIndexOf('node_modules');
        if (nm >= 0) {
          start = nm + 2;
          if (segs[nm + 1] && segs[nm + 1].charAt(0) === '@') start++;
          if (start > segs.length - 1) start = segs.length - 1;
        } else {
          // try to find the package name inside the path
          var pn = pname.split('/');
          for (var s = segs.length - 1 - pn.length; s >= 0; s--) {
            if (segs.slice(s, s + pn.length).join('/') === pname) { start = s + pn.length; break; }
          }
        }
      } else {
        group = addChild(cnode, 'app', 'app', 'app', M);
        group.path = 'app';
      }
      var parent = group;
      for (var d = start; d < segs.length - 1; d++) {
        var folder = addChild(parent, segs[d], 'folder', segs[d], M);
        if (!folder.path) folder.path = segs.slice(0, d + 1).join('/');
        parent = folder;
      }
      var leaf = new Node('module', segs.length ? segs[segs.length - 1] : ('module ' + i), parent, M);
      if (base) {
        leaf.b = tupleOf(baseMods[i]);
        leaf.isNew = !Array.isArray(baseMods[i]) && !(flags[i] & 4);
      }
      leaf.mod = i;
      leaf.path = null; // see nodePath()
      leaf.flags = flags[i] | 0;
      if (!parent.children) parent.children = [];
      parent.children.push(leaf);
      modNode[i] = leaf;
      // sizes & severity up the chain
      var sev = modSev[i];
      for (var k = 0; k < M; k++) leaf.v[k] = +sizes[i * M + k] || 0;
      leaf.count = 1;
      leaf.sev = sev;
    }
    // sizes, counts and severity bottom-up
    function sumUp(node) {
      var ch = node.children;
      if (!ch || node.kind === 'module') return;
      for (var c = 0; c < ch.length; c++) {
        var x = ch[c];
        sumUp(x);
        for (var k = 0; k < M; k++) node.v[k] += x.v[k];
        if (base) {
          if (!node.b) node.b = zeros(M);
          for (var kb = 0; kb < M; kb++) node.b[kb] += x.b[kb];
        }
        node.count += x.count;
        if (x.sev > node.sev) node.sev = x.sev;
      }
    }
    chunkNodes.forEach(sumUp);
    if (outside) sumUp(outside);
    if (outside) outside.parent = root;

    // declarations of giant modules
    var minIdx = metrics.indexOf('min');
    var declsBy = new Map();
    (data.decls || []).forEach(function (dcl) {
      var m = dcl[0];
      if (!(m >= 0 && m < n)) return;
      if (!declsBy.has(m)) declsBy.set(m, []);
      declsBy.get(m).push(dcl);
    });
    declsBy.forEach(function (list, m) {
      var mn = modNode[m];
      var sum = 0;
      list.forEach(function (dcl) { sum += +dcl[2] || 0; });
      var base = minIdx >= 0 && mn.v[minIdx] > 0 ? mn.v[minIdx] : sum;
      var norm = sum > base && sum > 0 ? base / sum : 1;
      mn.children = list.map(function (dcl) {
        var dn = new Node('decl', str(dcl[1]) || '(anonymous)', mn, M);
        dn.mod = m;
        dn.bytes = +dcl[2] || 0;
        dn.path = modPath(m) + '#' + dn.name;
        var ratio = base > 0 ? (dn.bytes / base) * norm : 0;
        for (var k = 0; k < M; k++) dn.v[k] = mn.v[k] * ratio;
        if (mn.b) {
          dn.b = zeros(M);
          for (var kb = 0; kb < M; kb++) dn.b[kb] = mn.b[kb] * ratio;
          dn.isNew = mn.isNew;
        }
        dn.count = 0;
        return dn;
      });
    });

    // merge single-child folder chains ("src" > "components" -> "src/components")
    function compact(node) {
      if (!node.children) return;
      for (var c = 0; c < node.children.length; c++) {
        var ch = node.children[c];
        while (ch.kind === 'folder' && ch.children && ch.children.length === 1 && ch.children[0].kind === 'folder') {
          var only = ch.children[0];
          only.name = ch.name + '/' + only.name;
          only.parent = node;
          node.children[c] = only;
          ch = only;
        }
        compact(ch);
      }
    }
    chunkNodes.forEach(compact);
    if (outside) compact(outside);
    function dropKeys(node) {
      node.keys = null;
      if (node.children) node.children.forEach(dropKeys);
    }
    chunkNodes.forEach(dropKeys);
    if (outside) dropKeys(outside);

    return {
      root: root, chunks: chunkNodes, outside: outside, metrics: metrics, M: M, n: n,
      modPath: modPath, modNode: modNode, modSev: modSev, modFindings: modFindings,
      modLower: null, // lower-cased paths, built on the first search
      base: base
    };
  }

  // value of a node for metric k (chunks use their own file size when known)
  function nodeValue(node, k) {
    if (node.kind === 'chunk' && node.own && node.own[k] > 0) return node.own[k];
    return node.v[k];
  }

  // compare view: the node's size in the baseline (chunks: the baseline's file of that name)
  function baseValue(node, k) {
    if (node.kind === 'chunk' && node.ownB) return node.ownB[k];
    return node.b ? node.b[k] : 0;
  }

  // compare view: the colour of a change from `before` to `after` bytes; `light` for a group's background.
  // Growth is red, shrinkage green, the stronger the larger the change (full at ±50%); new is magenta-red.
  function changeColor(before, after, light) {
    if (!(before > 0) && after > 0) return light ? 'hsl(340,70%,90%)' : 'hsl(340,72%,62%)';
    var d = after - before;
    if (d === 0 || !(Math.max(before, after) > 0)) return light ? 'hsl(210,12%,95%)' : 'hsl(210,10%,86%)';
    var r = d / Math.max(before, after);
    var t = Math.min(1, Math.sqrt(Math.abs(r) / 0.5));
    var hue = d > 0 ? 6 : 135;
    if (light) return 'hsl(' + hue + ',' + Math.round(35 + 30 * t) + '%,' + Math.round(95 - 8 * t) + '%)';
    return 'hsl(' + hue + ',' + Math.round(45 + 35 * t) + '%,' + Math.round(86 - 26 * t) + '%)';
  }

  function signedKB(d) {
    if (d === 0) return '±0 kB';
    return (d > 0 ? '+' : '−') + formatKB(Math.abs(d));
  }

  // "12.30 kB → 14.50 kB (+2.20 kB, +17.9%)"
  function changeText(before, after) {
    var d = after - before;
    var pct = before > 0 ? ' ' + (d >= 0 ? '+' : '−') + (Math.abs(100 * d / before)).toFixed(1) + '%' : '';
    return formatKB(before) + ' → ' + formatKB(after) + ' (' + signedKB(d) + (pct ? ',' + pct : '') + ')';
  }

  // ---------------------------------------------------------------------
  // UI
  // ---------------------------------------------------------------------
  var MAX_DEPTH = 5;   // levels drawn below the current zoom
  var MIN_SIDE = 4;    // px: narrower boxes are not drawn
  var MIN_AREA = 100;  // px²: smaller boxes are not drawn
  var NODE_BUDGET = 2500; // stop expanding groups once this many boxes are drawn
  var HEADER = 16;     // px: label strip of a group

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function mark(name) {
    if (typeof performance !== 'undefined' && performance.mark) performance.mark(name);
  }

  function start() {
    mark('ballast:start');
    var dataEl = document.getElementById('ballast-data');
    var map = document.getElementById('map');
    var data;
    try {
      var raw = dataEl ? dataEl.textContent : '';
      data = JSON.parse(raw);
      if (!data || typeof data !== 'object') throw new Error('no data');
    } catch (e) {
      map.appendChild(el('p', 'empty', 'This report has no embedded data (or it could not be parsed).'));
      window.__ballastFirstDraw = window.__ballastReady = performance.now();
      return;
    }

    mark('ballast:parsed');
    var model = buildModel(data);
    mark('ballast:model');
    // path of a node (modules compute theirs on first use)
    function nodePath(node) {
      if (node.path === null) node.path = model.modPath(node.mod);
      return node.path;
    }
    var metrics = model.metrics;
    var root = model.root;
    var title = data.title ? String(data.title) : 'bundle';
    document.title = title + ' · Ballast report';
    document.getElementById('title').textContent = title;
    document.getElementById('generated').textContent =
      (data.generated ? 'Generated by ' + String(data.generated) + ' · ' : '') + model.n + ' modules shipped' +
      (data.dropped && +data.dropped.modules ? ' · ' + (+data.dropped.modules).toLocaleString('en-US') + ' parsed, not shipped' : '');

    var state = {
      metric: Math.max(0, metrics.indexOf('gzip')),
      filter: 'all',
      color: model.base ? 'change' : 'package',
      query: '',
      focus: null,     // Set of module indices highlighted by a clicked finding
      focusIdx: -1,
      view: root
    };
    var drawn = [];
    var gen = 0;
    var hitCount = 0;

    // ---- controls ----
    var metricSel = document.getElementById('metric');
    metrics.forEach(function (m, i) {
      var o = el('option', null, m);
      o.value = String(i);
      metricSel.appendChild(o);
    });
    metricSel.value = String(state.metric);
    metricSel.disabled = metrics.length < 2;

    var chunkSel = document.getElementById('chunk-filter');
    function opt(value, label) { var o = el('option', null, label); o.value = value; chunkSel.appendChild(o); }
    opt('all', 'All chunks');
    if (model.chunks.some(function (c) { return c.initial; })) opt('initial', 'Initial only');
    model.chunks.forEach(function (c, i) { opt('c' + i, c.name + (c.initial ? ' (initial)' : '')); });
    if (model.outside) opt('outside', model.outside.name);

    var colorSel = document.getElementById('color-by');
    var compareBox = document.getElementById('compare');
    var legend = document.getElementById('legend');
    if (model.base) {
      var co = el('option', null, 'by change vs baseline');
      co.value = 'change';
      colorSel.appendChild(co);
      colorSel.value = 'change';
      compareBox.checked = true;
      document.getElementById('compare-toggle').hidden = false;
    }
    function showLegend() { legend.hidden = state.color !== 'change'; }
    showLegend();
    var search = document.getElementById('search');
    var matchOut = document.getElementById('match-count');
    var crumbs = document.getElementById('breadcrumbs');
    var tip = document.getElementById('tooltip');

    function applyFilter() {
      var f = state.filter;
      var list = model.chunks.slice();
      if (model.outside) list.push(model.outside);
      list = list.filter(function (c) {
        if (f === 'all') return true;
        if (f === 'initial') return c.initial;
        if (f === 'outside') return c === model.outside;
        return f === 'c' + c.chunk;
      });
      root.children = list;
      root.sorted = null;
      root.count = 0;
      root.v = new Float64Array(model.M);
      root.sev = 0;
      if (model.base) root.b = new Float64Array(model.M);
      list.forEach(function (c) {
        for (var k = 0; k < model.M; k++) root.v[k] += nodeValue(c, k);
        if (model.base) for (var kb = 0; kb < model.M; kb++) root.b[kb] += baseValue(c, kb);
        root.count += c.count;
        if (c.sev > root.sev) root.sev = c.sev;
      });
      // keep the zoom if it is still visible
      var top = state.view;
      while (top && top.parent && top.parent !== root) top = top.parent;
      if (state.view !== root && list.indexOf(top) < 0) state.view = root;
    }

    function chunkOfNode(node) {
      while (node && node.parent && node.parent.kind !== 'root') node = node.parent;
      return node;
    }

    function moduleVisible(i) {
      var c = chunkOfNode(model.modNode[i]);
      return root.children.indexOf(c) >= 0;
    }

    // ---- search / highlight ----
    function recomputeHits() {
      gen++;
      hitCount = 0;
      var q = state.query;
      var visible = new Set(root.children);
      var mark = function (i) {
        var leaf = model.modNode[i];
        if (!visible.has(chunkOfNode(leaf))) return;
        hitCount++;
        for (var a = leaf; a; a = a.parent) {
          if (a.hitGen !== gen) { a.hitGen = gen; a.hit = 0; }
          a.hit++;
        }
      };
      if (state.focus) state.focus.forEach(mark);
      else if (q) {
        if (!model.modLower) {
          model.modLower = new Array(model.n);
          for (var j = 0; j < model.n; j++) model.modLower[j] = model.modPath(j).toLowerCase();
        }
        for (var i = 0; i < model.n; i++) if (model.modLower[i].indexOf(q) >= 0) mark(i);
      }
      if (state.focus) matchOut.textContent = hitCount + (hitCount === 1 ? ' module' : ' modules') + ' in finding';
      else if (q) matchOut.textContent = hitCount + (hitCount === 1 ? ' match' : ' matches');
      else matchOut.textContent = '';
      matchOut.classList.toggle('none', (q || state.focus) ? hitCount === 0 : false);
    }

    function highlighting() { return !!(state.query || state.focus); }

    // ---- colours ----
    function packageHue(node) {
      for (var a = node; a; a = a.parent) {
        if (a.kind === 'package') return hashHue(a.name);
        if (a.kind === 'app') return 212;
      }
      return 220;
    }
    var SEV_COL = ['hsl(150,14%,85%)', 'hsl(200,60%,80%)', 'hsl(38,92%,72%)', 'hsl(0,78%,79%)'];
    var SEV_GROUP = ['hsl(210,14%,93%)', 'hsl(200,50%,91%)', 'hsl(40,85%,88%)', 'hsl(0,70%,91%)'];
    // asLeaf: a group drawn without its children stands in for them, so it gets a module colour
    function colorOf(node, asLeaf) {
      if (state.color === 'change') {
        var k = state.metric;
        var leafy = asLeaf || node.kind === 'module' || node.kind === 'decl';
        return changeColor(baseValue(node, k), nodeValue(node, k), !leafy);
      }
      if (asLeaf && node.kind !== 'chunk' && node.kind !== 'decl') {
        if (state.color === 'finding') return SEV_COL[node.sev];
        return 'hsl(' + packageHue(node) + ',58%,76%)';
      }
      if (node.kind === 'chunk') return node.initial ? '#dfe4ec' : '#e6e3ee';
      if (state.color === 'finding') {
        if (node.kind === 'module') return SEV_COL[node.sev];
        if (node.kind === 'decl') return node.parent.sev ? SEV_GROUP[node.parent.sev] : SEV_GROUP[0];
        return SEV_GROUP[node.sev];
      }
      var h = packageHue(node);
      switch (node.kind) {
        case 'package': case 'app': return 'hsl(' + h + ',42%,86%)';
        case 'folder': return 'hsl(' + h + ',38%,90%)';
        case 'module': return 'hsl(' + h + ',58%,76%)';
        case 'decl': return 'hsl(' + h + ',55%,87%)';
      }
      return '#eee';
    }

    // ---- drawing ----
    function sortedChildren(node, k) {
      if (!node.sorted) node.sorted = [];
      var s = node.sorted[k];
      if (!s) {
        s = node.children.filter(function (c) { return nodeValue(c, k) > 0; });
        s.sort(function (a, b) { return nodeValue(b, k) - nodeValue(a, k); });
        node.sorted[k] = s;
      }
      return s;
    }

    function labelFor(node) {
      if (node.kind === 'chunk') {
        var tags = [];
        if (node.chunkKind) tags.push(node.chunkKind);
        if (node.initial) tags.push('initial');
        return node.name + (tags.length ? ' (' + tags.join(', ') + ')' : '');
      }
      if (node.kind === 'package' && node.version) return node.name + '@' + node.version;
      return node.name;
    }

    // Breadth-first, so that when the node budget runs out the missing boxes are the deepest, smallest ones.
    function drawView(view, W, H, frag, k, hl) {
      var queue = [{ node: view, x: 0, y: 0, w: W, h: H, depth: 0, e: null, text: '' }];
      var qi = 0;
      for (; qi < queue.length && drawn.length < NODE_BUDGET; qi++) {
        var it = queue[qi];
        var node = it.node;
        var kids = sortedChildren(node, k);
        if (!kids.length) continue;
        var vals = new Array(kids.length);
        var sum = 0;
        for (var j = 0; j < kids.length; j++) { vals[j] = nodeValue(kids[j], k); sum += vals[j]; }
        // declarations cover only part of a module: keep the rest as empty space
        if (node.kind === 'module' && node.v[k] > sum) vals.push(node.v[k] - sum);
        var rects = squarify(vals, it.x, it.y, it.w, it.h);
        for (var i = 0; i < kids.length; i++) {
          var c = kids[i], r = rects[i];
          var bx = Math.round(r.x), by = Math.round(r.y);
          var bw = Math.round(r.x + r.w) - bx, bh = Math.round(r.y + r.h) - by;
          if (bw < MIN_SIDE || bh < MIN_SIDE || bw * bh < MIN_AREA) continue;
          var e = document.createElement('div');
          var cls = 'node k-' + c.kind;
          var group = c.children !== null && c.children.length > 0;
          if (group) cls += ' group';
          if (c.kind === 'module' && (c.flags & 4)) cls += ' excluded';
          if (c.isNew && model.base) cls += ' added';
          if (hl) {
            if (c.hitGen === gen && c.hit > 0) cls += (c.kind === 'module' ? ' hl' : ' hl-in');
            else if (c.kind === 'module' || c.kind === 'decl') cls += ' dim';
          }
          e.className = cls;
          e.style.cssText = 'left:' + bx + 'px;top:' + by + 'px;width:' + bw + 'px;height:' + bh + 'px;background-color:' + colorOf(c);
          e.setAttribute('data-kind', c.kind);
          e.setAttribute('data-path', nodePath(c));
          e.setAttribute('data-i', String(drawn.length));
          drawn.push(c);
          frag.appendChild(e);
          var text = labelFor(c);
          var goDeeper = group && it.depth + 1 < MAX_DEPTH;
          if (goDeeper) {
            var header = bh >= 34 && bw >= 40 ? HEADER : 0;
            var pad = bw > 12 && bh > 12 ? 2 : 0;
            var top = header || pad;
            var iw = bw - 2 * pad, ih = bh - top - pad;
            if (iw >= MIN_SIDE && ih >= MIN_SIDE) {
              if (header) groupLabel(e, text, bw, bh, k, c);
              else e.className += ' nolabel';
              queue.push({ node: c, x: bx + pad, y: by + top, w: iw, h: ih, depth: it.depth + 1, e: e, text: text, ew: bw, eh: bh });
              continue;
            }
          }
          if (group) e.style.backgroundColor = colorOf(c, true);
          leafLabel(e, text, bw, bh, k, c);
        }
      }
      // groups that were not expanded (node budget) get a leaf-style label
      for (; qi < queue.length; qi++) {
        var q = queue[qi];
        if (!q.e) continue;
        q.e.textContent = '';
        q.e.classList.remove('nolabel');
        q.e.style.backgroundColor = colorOf(q.node, true);
        leafLabel(q.e, q.text, q.ew, q.eh, k, q.node);
      }
    }

    // a label is shown only when the whole text, or at least ~5 characters and an ellipsis, fit
    function fits(text, w, h) { return h >= 14 && w >= Math.min(text.length, 6) * 7 + 10; }

    function leafLabel(e, text, w, h, k, node) {
      if (!fits(text, w, h)) { e.className += ' nolabel'; return; }
      e.textContent = text;
      if (h >= 32 && w >= 46) e.appendChild(el('span', 'sz', formatKB(nodeValue(node, k))));
    }

    function groupLabel(e, text, w, h, k, node) {
      if (!fits(text, w, h)) { e.className += ' nolabel'; return; }
      e.textContent = text;
      if (w >= text.length * 7 + 70) e.appendChild(el('span', 'gsz', formatKB(nodeValue(node, k))));
    }

    var firstDraw = true;
    var lastW = -1, lastH = -1;
    function render() {
      hideTip();
      // breadcrumbs and totals first: they can change the height left for the map
      renderCrumbs();
      renderTotals();
      var W = map.clientWidth, H = map.clientHeight;
      lastW = W; lastH = H;
      drawn = [];
      map.textContent = '';
      map.classList.toggle('searching', highlighting());
      var frag = document.createDocumentFragment();
      var view = state.view;
      if (!view.children || !view.children.length || !(nodeValue(view, state.metric) > 0)) {
        frag.appendChild(el('p', 'empty', view === root ? 'Nothing to show for this selection.' : 'No size for this metric.'));
      } else {
        drawView(view, W, H, frag, state.metric, highlighting());
      }
      map.appendChild(frag);
      if (firstDraw) {
        firstDraw = false;
        mark('ballast:dom');
        void map.offsetHeight; // force style + layout so the timing is honest
        window.__ballastFirstDraw = performance.now();
      }
    }

    function renderCrumbs() {
      crumbs.textContent = '';
      var chain = [];
      for (var a = state.view; a; a = a.parent) chain.unshift(a);
      chain.forEach(function (node, i) {
        if (i > 0) crumbs.appendChild(el('span', 'sep', '›'));
        var last = i === chain.length - 1;
        var b = el(last ? 'span' : 'button', 'crumb', node === root ? title + ' (all)' : labelFor(node));
        b.setAttribute('data-kind', node.kind);
        b.setAttribute('data-path', nodePath(node));
        if (last) b.setAttribute('aria-current', 'location');
        else {
          b.type = 'button';
          b.addEventListener('click', function () { zoom(node); });
        }
        crumbs.appendChild(b);
      });
      var size = el('span', 'crumb-size', formatKB(nodeValue(state.view, state.metric)) + ' ' + metrics[state.metric]);
      crumbs.appendChild(size);
    }

    // The bar's totals are what ships: the chunks shown, without "(outside chunks)" (modules the tree-shaking
    // estimate drops, assets) unless that group is all the filter shows, so they match the CLI's totals.
    function renderTotals() {
      var t = document.getElementById('totals');
      t.textContent = '';
      var shown = root.children || [];
      var shipped = shown.filter(function (c) { return c !== model.outside; });
      if (!shipped.length) shipped = shown;
      metrics.forEach(function (m, k) {
        var total = 0;
        shipped.forEach(function (c) { total += nodeValue(c, k); });
        var s = el('span', 'total' + (k === state.metric ? ' cur' : ''));
        s.appendChild(el('b', null, m));
        s.appendChild(document.createTextNode(' ' + formatKB(total)));
        if (model.base) {
          var before = 0;
          // all chunks: the baseline's total, chunks it had that are gone included
          if (state.filter === 'all' && Array.isArray(model.base.total)) before = +model.base.total[k] || 0;
          else shipped.forEach(function (c) { before += baseValue(c, k); });
          var d = total - before;
          var ds = el('span', 'delta ' + (d > 0 ? 'up' : d < 0 ? 'down' : 'same'), signedKB(d));
          ds.title = 'baseline ' + formatKB(before);
          s.appendChild(document.createTextNode(' '));
          s.appendChild(ds);
        }
        t.appendChild(s);
      });
    }

    function zoom(node) {
      if (!node || node === state.view) return;
      state.view = node;
      render();
    }

    // ---- tooltip ----
    function hideTip() { tip.hidden = true; }

    function row(tbl, cells, head) {
      var tr = document.createElement('tr');
      cells.forEach(function (c, i) { tr.appendChild(el(head || i === 0 ? 'th' : 'td', null, c)); });
      tbl.appendChild(tr);
    }

    function fillTip(node) {
      tip.textContent = '';
      var k = state.metric;
      tip.appendChild(el('div', 'tt-title', labelFor(node)));
      var kindLabel = { chunk: 'Chunk', package: 'Package', app: 'Application code', folder: 'Folder', module: 'Module', decl: 'Declaration' }[node.kind] || node.kind;
      var sub = kindLabel;
      if (node.kind === 'folder' || node.kind === 'module') sub += ' · ' + nodePath(node);
      if (node.kind === 'decl') sub += ' in ' + model.modPath(node.mod);
      tip.appendChild(el('div', 'tt-sub', sub));

      var tbl = el('table', 'tt-sizes');
      if (node.kind === 'decl') {
        row(tbl, ['min', formatKB(node.bytes)]);
        row(tbl, ['≈ ' + metrics[k], formatKB(node.v[k])]);
      } else if (node.kind === 'module') {
        row(tbl, ['', 'size', 'retained'], true);
        var ret = data.retained || [];
        metrics.forEach(function (m, j) {
          var rv = +ret[node.mod * model.M + j] || 0;
          row(tbl, [m, formatKB(node.v[j]), rv > 0 ? formatKB(rv) : '–']);
        });
      } else if (node.kind === 'chunk' && node.own) {
        row(tbl, ['', 'file', 'modules'], true);
        metrics.forEach(function (m, j) { row(tbl, [m, formatKB(node.own[j]), formatKB(node.v[j])]); });
      } else {
        metrics.forEach(function (m, j) { row(tbl, [m, formatKB(node.v[j])]); });
      }
      tip.appendChild(tbl);
      if (model.base && node.kind !== 'root') {
        // the selected metric first, then the others: a module's gzip/brotli is its share of the chunk's
        // compressed size, which moves when the rest of the chunk changes; min says whether its code did
        var order = [k].concat(metrics.map(function (_, j) { return j; }).filter(function (j) { return j !== k; }));
        var box = el('div', 'tt-change');
        if (node.isNew) {
          box.appendChild(el('div', 'delta up', 'new since the baseline, ' + formatKB(nodeValue(node, k)) + ' ' + metrics[k]));
        } else {
          order.forEach(function (j, n) {
            var before = baseValue(node, j), after = nodeValue(node, j);
            var d = after - before;
            var line = el('div', n === 0 ? 'tt-change-cur' : null);
            line.appendChild(el('span', 'tt-change-h', (n === 0 ? 'Baseline → now (' + metrics[j] + '): ' : metrics[j] + ': ')));
            line.appendChild(el('span', 'delta ' + (d > 0 ? 'up' : d < 0 ? 'down' : 'same'), changeText(before, after)));
            box.appendChild(line);
          });
        }
        tip.appendChild(box);
      }

      var total = nodeValue(root, k);
      var facts = [];
      if (total > 0 && node !== root) facts.push((100 * nodeValue(node, k) / total).toFixed(1) + '% of ' + metrics[k] + ' shown');
      if (node.kind !== 'module' && node.kind !== 'decl') facts.push(node.count + (node.count === 1 ? ' module' : ' modules'));
      if (node.kind === 'module') {
        if (node.flags & 1) facts.push('initial');
        if (node.flags & 4) facts.push('excluded by tree-shaking');
      }
      if (facts.length) tip.appendChild(el('div', 'tt-facts', facts.join(' · ')));

      if (node.kind === 'module') {
        var fl = model.modFindings[node.mod];
        if (fl) {
          var ul = el('ul', 'tt-findings');
          fl.slice(0, 4).forEach(function (fi) {
            var fd = data.findings[fi];
            ul.appendChild(el('li', 'sev-' + String(fd.severity), String(fd.code || '') + ': ' + String(fd.message || '')));
          });
          tip.appendChild(ul);
        }
        // import chain: follow importer up to an entry
        var chain = [];
        var seen = new Set();
        var imp = data.importer || [];
        for (var m = node.mod; m >= 0 && m < model.n && !seen.has(m); m = imp[m]) {
          seen.add(m);
          chain.unshift(m);
          if (typeof imp[m] !== 'number') break;
        }
        if (chain.length > 1) {
          tip.appendChild(el('div', 'tt-h', 'Import chain (from entry)'));
          var ol = el('ol', 'tt-chain');
          var shown = chain.length > 12 ? chain.slice(0, 5).concat([-1], chain.slice(-6)) : chain;
          shown.forEach(function (mi) {
            ol.appendChild(el('li', mi === node.mod ? 'me' : null, mi < 0 ? '… ' + (chain.length - 11) + ' more …' : model.modPath(mi)));
          });
          tip.appendChild(ol);
        } else {
          tip.appendChild(el('div', 'tt-h', 'Entry module'));
        }
      }
      if (node.children && node.children.length && node !== state.view) tip.appendChild(el('div', 'tt-hint', 'Click to zoom in'));
    }

    var tipNode = null;
    function placeTip(ev) {
      var pad = 14;
      var tw = tip.offsetWidth, th = tip.offsetHeight;
      var x = ev.clientX + pad, y = ev.clientY + pad;
      if (x + tw > window.innerWidth - 4) x = Math.max(4, ev.clientX - tw - pad);
      if (y + th > window.innerHeight - 4) y = Math.max(4, window.innerHeight - th - 4);
      tip.style.left = x + 'px';
      tip.style.top = y + 'px';
    }

    map.addEventListener('mousemove', function (ev) {
      var t = ev.target.closest ? ev.target.closest('.node') : null;
      if (!t) { hideTip(); tipNode = null; return; }
      var node = drawn[+t.getAttribute('data-i')];
      if (!node) return;
      if (node !== tipNode || tip.hidden) {
        tipNode = node;
        fillTip(node);
        tip.hidden = false;
      }
      placeTip(ev);
    });
    map.addEventListener('mouseleave', function () { hideTip(); tipNode = null; });
    map.addEventListener('click', function (ev) {
      var t = ev.target.closest ? ev.target.closest('.node') : null;
      if (!t) return;
      var node = drawn[+t.getAttribute('data-i')];
      if (!node) return;
      var target = node.children && node.children.length ? node : node.parent;
      if (target && target !== state.view) zoom(target);
    });
    document.addEventListener('keydown', function (ev) {
      if (ev.key === 'Escape' && ev.target !== search && state.view.parent) zoom(state.view.parent);
    });

    metricSel.addEventListener('change', function () {
      state.metric = +metricSel.value;
      renderCompare();
      render();
    });
    chunkSel.addEventListener('change', function () {
      state.filter = chunkSel.value;
      applyFilter();
      recomputeHits();
      render();
    });
    colorSel.addEventListener('change', function () {
      state.color = colorSel.value;
      document.body.classList.toggle('color-finding', state.color === 'finding');
      compareBox.checked = state.color === 'change';
      showLegend();
      render();
    });
    // the compare toggle: colour by change, or back to colour by package
    compareBox.addEventListener('change', function () {
      state.color = compareBox.checked ? 'change' : 'package';
      colorSel.value = state.color;
      document.body.classList.remove('color-finding');
      showLegend();
      render();
    });
    search.addEventListener('input', function () {
      state.query = search.value.trim().toLowerCase();
      if (state.query) clearFocus();
      recomputeHits();
      render();
    });
    var resizeTimer = 0;
    function onResize() {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(function () {
        if (map.clientWidth !== lastW || map.clientHeight !== lastH) render();
      }, 80);
    }
    if (typeof ResizeObserver === 'function') new ResizeObserver(onResize).observe(map);
    else window.addEventListener('resize', onResize);

    // ---- side panels ----
    function clearFocus() {
      state.focus = null;
      state.focusIdx = -1;
      var act = document.querySelectorAll('#findings li.active');
      for (var i = 0; i < act.length; i++) act[i].classList.remove('active');
    }

    function renderBudgets() {
      var ul = document.getElementById('budgets');
      var budgets = data.budgets || [];
      var counts = { pass: 0, warn: 0, fail: 0 };
      if (!budgets.length) ul.appendChild(el('li', 'none', 'No budgets configured.'));
      budgets.forEach(function (b) {
        var st = String(b.status);
        if (counts[st] !== undefined) counts[st]++;
        var li = el('li', 'budget st-' + (counts[st] !== undefined ? st : 'unknown'));
        var icon = st === 'pass' ? '✅' : st === 'warn' ? '⚠️' : st === 'fail' ? '❌' : '•';
        var head = el('div', 'b-head');
        var ic = el('span', 'b-icon', icon);
        ic.setAttribute('role', 'img');
        ic.setAttribute('aria-label', st);
        head.appendChild(ic);
        head.appendChild(el('span', 'b-target', String(b.target)));
        head.appendChild(el('span', 'b-metric', String(b.metric)));
        li.appendChild(head);
        var actual = +b.actual || 0, limit = +b.limit || 0, warn = +b.warn || 0;
        var txt = formatKB(actual) + ' of ' + formatKB(limit) + (warn ? ' (warn at ' + formatKB(warn) + ')' : '');
        li.appendChild(el('div', 'b-nums', txt));
        if (limit > 0) {
          var bar = el('div', 'b-bar');
          var fill = el('div', 'b-fill');
          fill.style.width = Math.min(100, (100 * actual) / limit).toFixed(1) + '%';
          bar.appendChild(fill);
          if (warn > 0 && warn < limit) {
            var mk = el('div', 'b-warn');
            mk.style.left = ((100 * warn) / limit).toFixed(1) + '%';
            bar.appendChild(mk);
          }
          li.appendChild(bar);
        }
        ul.appendChild(li);
      });
      var sum = document.getElementById('budget-summary');
      var parts = [];
      if (counts.fail) parts.push(counts.fail + ' ❌');
      if (counts.warn) parts.push(counts.warn + ' ⚠️');
      if (counts.pass) parts.push(counts.pass + ' ✅');
      sum.textContent = parts.join('  ');
    }

    function renderFindings() {
      var ul = document.getElementById('findings');
      var list = (data.findings || []).map(function (f, i) { return { f: f, i: i }; });
      list.sort(function (a, b) {
        return (SEV_RANK[String(b.f.severity)] || 0) - (SEV_RANK[String(a.f.severity)] || 0) || a.i - b.i;
      });
      document.getElementById('finding-summary').textContent = list.length ? String(list.length) : '';
      if (!list.length) ul.appendChild(el('li', 'none', 'No findings. 🎉'));
      list.forEach(function (it) {
        var f = it.f;
        var sev = String(f.severity || 'info');
        var li = el('li', 'finding sev-' + sev);
        var head = el('div', 'f-head');
        head.appendChild(el('span', 'f-sev', sev));
        if (f.code) head.appendChild(el('code', 'f-code', String(f.code)));
        li.appendChild(head);
        li.appendChild(el('div', 'f-msg', String(f.message || '')));
        if (f.file) {
          var loc = String(f.file) + (f.line ? ':' + f.line + (f.column ? ':' + f.column : '') : '');
          li.appendChild(el('div', 'f-loc', loc));
        }
        if (f.suggestion) li.appendChild(el('div', 'f-sugg', String(f.suggestion)));
        var notShipped = +f.notShipped || 0;
        if (notShipped > 0) {
          li.appendChild(el('div', 'f-dropped', 'and ' + notShipped + (notShipped === 1 ? ' module' : ' modules') +
            ' parsed but not shipped'));
        }
        var mods = (f.modules || []).filter(function (m) { return m >= 0 && m < model.n; });
        if (mods.length) {
          var btn = el('button', 'f-show', 'Highlight ' + mods.length + (mods.length === 1 ? ' module' : ' modules'));
          btn.type = 'button';
          btn.addEventListener('click', function () {
            var was = state.focusIdx === it.i;
            clearFocus();
            if (!was) {
              state.focus = new Set(mods);
              state.focusIdx = it.i;
              li.classList.add('active');
              search.value = '';
              state.query = '';
              // zoom to the chunk of the first module if it is hidden by the filter
              if (!moduleVisible(mods[0])) { chunkSel.value = 'all'; state.filter = 'all'; applyFilter(); }
            }
            recomputeHits();
            render();
          });
          li.appendChild(btn);
        }
        ul.appendChild(li);
      });
    }

    // ---- what was parsed and does not ship (data.dropped: per package and folder) ----
    function renderDropped() {
      var d = data.dropped && typeof data.dropped === 'object' ? data.dropped : null;
      var groups = d && Array.isArray(d.groups) ? d.groups : [];
      var count = d ? +d.modules || 0 : 0;
      if (!count) return;
      var S = data.strings || [];
      var str = function (i) { var v = S[i]; return v === undefined ? '' : String(v); };
      var packages = data.packages || [];
      document.getElementById('dropped-panel').hidden = false;
      document.getElementById('dropped-h').textContent = 'Parsed but not shipped (' + count.toLocaleString('en-US') +
        (count === 1 ? ' module, ' : ' modules, ') + formatKB(+d.raw || 0) + ' raw)';
      var box = document.getElementById('dropped');
      var filled = false;
      // the list is built when first opened: a large one costs nothing at load
      function fill() {
        if (filled) return;
        filled = true;
        // package (or app) -> its folders, in the data's order (heaviest folders first)
        var byPkg = new Map();
        groups.forEach(function (g) {
          if (!Array.isArray(g)) return;
          var p = typeof g[0] === 'number' && g[0] >= 0 && g[0] < packages.length ? g[0] : -1;
          if (!byPkg.has(p)) byPkg.set(p, { n: 0, raw: 0, folders: [] });
          var e = byPkg.get(p);
          e.n += +g[2] || 0;
          e.raw += +g[3] || 0;
          e.folders.push(g);
        });
        var list = [];
        byPkg.forEach(function (e, p) { list.push({ p: p, e: e }); });
        list.sort(function (a, b) { return b.e.raw - a.e.raw || a.p - b.p; });
        var ul = el('ul', 'dropped-pkgs');
        list.forEach(function (it) {
          var li = el('li', 'dropped-pkg');
          var det = document.createElement('details');
          var name = it.p >= 0 ? str(packages[it.p].name) + (packages[it.p].version ? '@' + String(packages[it.p].version) : '') : 'app';
          var sm = el('summary', null);
          sm.appendChild(el('span', 'd-name', name));
          sm.appendChild(el('span', 'd-size', it.e.n.toLocaleString('en-US') + (it.e.n === 1 ? ' module · ' : ' modules · ') + formatKB(it.e.raw)));
          det.appendChild(sm);
          var fl = el('ul', 'dropped-folders');
          it.e.folders.forEach(function (g) {
            var segs = (Array.isArray(g[1]) ? g[1] : []).map(str);
            var dir = segs.join('/');
            // inside a package, the folder below the package's own (as the treemap shows it)
            var shown = dir, nm = segs.lastIndexOf('node_modules');
            if (it.p >= 0 && nm >= 0) {
              var start = nm + 2 + (segs[nm + 1] && segs[nm + 1].charAt(0) === '@' ? 1 : 0);
              shown = segs.slice(Math.min(start, segs.length)).join('/');
            }
            var fli = el('li', 'dropped-folder');
            var head = el('div', 'd-folder');
            var label = el('span', 'd-name', (shown || '.') + '/');
            label.title = dir;
            head.appendChild(label);
            head.appendChild(el('span', 'd-size', (+g[2] || 0).toLocaleString('en-US') + ' · ' + formatKB(+g[3] || 0)));
            fli.appendChild(head);
            var files = Array.isArray(g[4]) ? g[4] : [];
            var fu = el('ul', 'dropped-files');
            for (var q = 0; q + 1 < files.length; q += 2) {
              var file = el('li', 'dropped-file');
              file.appendChild(el('span', 'd-name', str(files[q])));
              file.appendChild(el('span', 'd-size', formatKB(+files[q + 1] || 0)));
              file.setAttribute('data-path', (dir ? dir + '/' : '') + str(files[q]));
              fu.appendChild(file);
            }
            var rest = (+g[2] || 0) - files.length / 2;
            if (rest > 0) fu.appendChild(el('li', 'more', '… ' + rest.toLocaleString('en-US') + ' more'));
            fli.appendChild(fu);
            fl.appendChild(fli);
          });
          det.appendChild(fl);
          li.appendChild(det);
          ul.appendChild(li);
        });
        box.appendChild(ul);
      }
      var outer = document.getElementById('dropped-details');
      outer.addEventListener('toggle', function () { if (outer.open) fill(); });
      if (outer.open) fill();
    }

    // ---- compare view: what changed since the baseline ----
    function renderCompare() {
      var panel = document.getElementById('compare-panel');
      if (!model.base) return;
      panel.hidden = false;
      var k = state.metric, B = model.base;
      var box = document.getElementById('changes');
      box.textContent = '';
      var S = data.strings || [];
      var str = function (i) { var v = S[i]; return v === undefined ? '' : String(v); };
      document.getElementById('compare-summary').textContent = 'vs ' + String(B.title || 'baseline') +
        (B.generated ? ' (' + String(B.generated) + ')' : '');
      function line(parent, label, before, after, cls) {
        var li = el('li', 'change ' + (cls || ''));
        var nm = li.appendChild(el('span', 'c-name', label));
        nm.title = label;
        var d = after - before;
        var text = cls === 'added' ? 'new, ' + formatKB(after) : cls === 'removed' ? 'removed, was ' + formatKB(before) : changeText(before, after);
        li.appendChild(el('span', 'delta ' + (d > 0 ? 'up' : d < 0 ? 'down' : 'same'), text));
        parent.appendChild(li);
        return li;
      }
      function list(title, n) {
        box.appendChild(el('h3', 'c-h', title + (n !== undefined ? ' (' + n + ')' : '')));
        var ul = el('ul', 'changes-list');
        box.appendChild(ul);
        return ul;
      }
      // totals: what ships, as the bar counts it
      var nowInitial = 0, nowTotal = 0;
      model.chunks.forEach(function (c) {
        var v = nodeValue(c, k);
        nowTotal += v;
        if (c.initial) nowInitial += v;
      });
      var tot = list('Totals (' + metrics[k] + ')');
      line(tot, 'initial', Array.isArray(B.initial) ? +B.initial[k] || 0 : 0, nowInitial);
      line(tot, 'total', Array.isArray(B.total) ? +B.total[k] || 0 : 0, nowTotal);
      // chunks: changed ones by the size of the change, then those gone
      var chunkRows = model.chunks.map(function (c) { return { c: c, b: baseValue(c, k), a: nodeValue(c, k) }; })
        .filter(function (r) { return r.a !== r.b; });
      chunkRows.sort(function (x, y) { return Math.abs(y.a - y.b) - Math.abs(x.a - x.b); });
      var gone = Array.isArray(B.removedChunks) ? B.removedChunks : [];
      if (chunkRows.length || gone.length) {
        var cu = list('Chunks');
        chunkRows.slice(0, 8).forEach(function (r) {
          line(cu, r.c.name + (r.c.initial ? ' (initial)' : ''), r.b, r.a, r.c.isNew ? 'added' : '');
        });
        gone.slice(0, 8).forEach(function (c) {
          line(cu, String(c.name), Array.isArray(c.sizes) ? +c.sizes[k] || 0 : 0, 0, 'removed');
        });
      }
      // packages, summed over their modules (then and now)
      var pk = new Map();
      var pkgOf = function (name) {
        var r = pk.get(name);
        if (!r) { r = { b: 0, a: 0 }; pk.set(name, r); }
        return r;
      };
      var packages = data.packages || [];
      for (var i = 0; i < model.n; i++) {
        var leaf = model.modNode[i];
        var p = (data.pkg || [])[i];
        var name = typeof p === 'number' && p >= 0 && p < packages.length ? str(packages[p].name) : '(app code)';
        var r = pkgOf(name);
        if (!(leaf.flags & 4) && leaf.parent && chunkOfNode(leaf) !== model.outside) r.a += leaf.v[k];
        r.b += leaf.b ? leaf.b[k] : 0;
      }
      var removed = Array.isArray(B.removed) ? B.removed.slice() : [];
      var was = function (m) { return Array.isArray(m.sizes) ? +m.sizes[k] || 0 : 0; };
      removed.sort(function (x, y) { return was(y) - was(x); });
      removed.forEach(function (m) {
        pkgOf(m.package ? String(m.package) : '(app code)').b += Array.isArray(m.sizes) ? +m.sizes[k] || 0 : 0;
      });
      var pkRows = [];
      pk.forEach(function (r, name) { if (r.a !== r.b) pkRows.push({ name: name, a: r.a, b: r.b }); });
      pkRows.sort(function (x, y) { return Math.abs(y.a - y.b) - Math.abs(x.a - x.b) || (x.name < y.name ? -1 : 1); });
      if (pkRows.length) {
        var pu = list('Packages', pkRows.length);
        pkRows.slice(0, 8).forEach(function (r) {
          line(pu, r.name, r.b, r.a, r.b === 0 ? 'added' : r.a === 0 ? 'removed' : '');
        });
      }
      // modules that are new, heaviest first
      var added = [];
      for (var j = 0; j < model.n; j++) if (model.modNode[j].isNew) added.push(j);
      added.sort(function (x, y) { return model.modNode[y].v[k] - model.modNode[x].v[k]; });
      var au = list('Added modules', added.length);
      if (!added.length) au.appendChild(el('li', 'none', 'None.'));
      added.slice(0, 10).forEach(function (j) { line(au, model.modPath(j), 0, model.modNode[j].v[k], 'added'); });
      if (added.length > 10) au.appendChild(el('li', 'more', '… ' + (added.length - 10) + ' more'));
      var ru = list('Removed modules', removed.length);
      if (!removed.length) ru.appendChild(el('li', 'none', 'None.'));
      removed.slice(0, 10).forEach(function (m) {
        line(ru, String(m.path), Array.isArray(m.sizes) ? +m.sizes[k] || 0 : 0, 0, 'removed');
      });
      if (removed.length > 10) ru.appendChild(el('li', 'more', '… ' + (removed.length - 10) + ' more'));
    }

    applyFilter();
    recomputeHits();
    // the treemap first; the side panels once that frame is painted (window.__ballastReady: all drawn)
    render();
    var panelsDone = false;
    function panels() {
      if (panelsDone) return;
      panelsDone = true;
      renderCompare();
      renderBudgets();
      renderFindings();
      renderDropped();
      mark('ballast:panels');
      window.__ballastReady = performance.now();
    }
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(function () { setTimeout(panels, 0); });
    // a hidden tab gets no animation frame: the panels come anyway
    setTimeout(panels, 200);
  }

  if (typeof module !== 'undefined' && module.exports) {
    module.exports = { squarify: squarify, formatKB: formatKB, buildModel: buildModel };
  }
  if (typeof document !== 'undefined' && document.getElementById && document.getElementById('ballast-data')) {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
    else start();
  }
})();
