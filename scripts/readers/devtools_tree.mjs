// Count the X slices of a Chrome JSON trace that DevTools' trace engine
// (@paulirish/trace_engine, its RendererHandler's per-thread tree) keeps in
// its tree, and those it nests inside another X (an overlap).
import fs from 'node:fs';
import * as Trace from './node_modules/@paulirish/trace_engine/models/trace/trace.js';
globalThis.DOMRect ??= class { constructor(x=0,y=0,w=0,h=0){Object.assign(this,{x,y,width:w,height:h});} };
const json = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const events = json.traceEvents ?? json;
const model = Trace.TraceModel.Model.createWithAllHandlers();
await model.parse(events);
const pt = model.parsedTrace();
const r = (pt.data ?? pt).Renderer;
let xs = 0, inTree = 0, nested = 0, inst = 0, instNested = 0;
for (const e of events) if (e.ph === 'X') xs++;
for (const [entry, node] of r.entryToNode) {
  if (entry.ph === 'X') { inTree++; if (node.parent && node.parent.entry.ph === 'X') nested++; }
  else if (entry.ph === 'i' || entry.ph === 'I') { inst++; if (node.parent) instNested++; }
}
console.log(`${process.argv[2]}: X ${xs}, in the tree ${inTree} (left out ${xs - inTree}), X nested in an X ${nested}; instants in the tree ${inst}, inside a slice ${instNested}`);
