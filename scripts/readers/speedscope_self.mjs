// Run speedscope's own trace-event importer (its functions cut from the
// npm package's bundle, with a stub profile builder that records which
// frame is on top when) over a Chrome JSON trace, and compare each frame's
// self time with the sum of its X events' dur.  The names (io, Dl, Ie, ee,
// ...) are those of speedscope 1.25.0's minified bundle: another version
// needs them found again.  Dl returns one profile per thread, sorted by
// zero-padded "pid:tid", the order of `names` below.
import fs from 'node:fs';
import vm from 'node:vm';
const dir = './node_modules/speedscope/dist/release/';
const bundle = fs.readFileSync(dir + fs.readdirSync(dir).find(f => /^speedscope-.*\.js$/.test(f)), 'utf8');
const a = bundle.indexOf('function io(t,e)'), b = bundle.indexOf('function _a(t)');
const code = bundle.slice(a, b);
let warns = 0;
class Builder {
  constructor() { this.stack = []; this.self = new Map(); this.last = 0; }
  setValueFormatter() {} setName(n) { this.name = n; }
  account(t) { const top = this.stack.at(-1); if (top) this.self.set(top, (this.self.get(top) || 0) + (t - this.last)); this.last = t; }
  enterFrame(f, t) { this.account(t); this.stack.push(f.key); }
  leaveFrame(f, t) { this.account(t); if (this.stack.at(-1) !== f.key) throw new Error('leave mismatch'); this.stack.pop(); }
  getTotalWeight() { return this.last; }
  build() { return this; }
}
const ctx = { Ie: Builder, ee: class {}, Ae: t => t[t.length - 1] || null,
  ln: (t, e) => new Array(Math.max(e - t.length, 0) + 1).join('0') + t,
  De: (t, e, n) => (t.has(e) || t.set(e, n(e)), t.get(e)),
  Fe: (t, e) => t.sort((x, y) => { const p = e(x), q = e(y); return p < q ? -1 : p > q ? 1 : 0; }),
  console: { warn: () => { warns++; } }, Number, Math, Map, Error, JSON, Array };
vm.createContext(ctx);
vm.runInContext(code + ';this.Dl = Dl;', ctx);
const events = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')).traceEvents;
const group = ctx.Dl(events);
// expected self time per (thread, frame key): the X events' dur
const want = new Map();
for (const e of events) if (e.ph === 'X') {
  const key = `${e.name || '(unnamed)'}` + (e.args ? ` ${JSON.stringify(e.args)}` : '');
  const k = `${e.pid}:${e.tid}|${key}`;
  want.set(k, (want.get(k) || 0) + e.dur);
}
let total = 0, off = 0, nthreads = 0;
const names = [...new Map(events.filter(e => e.ph === 'X').map(e => [`${e.pid}:${e.tid}`, 1])).keys()]
  .sort((x, y) => { const [p, q] = x.split(':').map(Number), [r, s] = y.split(':').map(Number); return p - r || q - s; });
group.profiles.forEach((p, i) => {
  nthreads++;
  const th = names[i];
  const seen = new Set();
  for (const [key, t] of p.self) { const w = want.get(`${th}|${key}`) || 0; off += Math.abs(t - w); total += w; seen.add(key); }
  for (const [k, w] of want) if (k.startsWith(th + '|') && !seen.has(k.slice(th.length + 1))) { off += w; total += w; }
});
console.log(`${process.argv[2]}: ${nthreads} threads, self time on the wrong frame ${(100 * off / 2 / total).toFixed(2)}% of ${total.toFixed(0)} us, ${warns} warnings`);
