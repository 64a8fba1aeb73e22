// A short script for node's trace events: a few timers and a file read.
'use strict';
const fs = require('fs');

function busy(ms) {
  const end = Date.now() + ms;
  let x = 0;
  while (Date.now() < end) x += Math.sqrt(x + 1);
  return x;
}

let left = 3;
for (let i = 1; i <= 3; i++) {
  setTimeout(() => {
    busy(2);
    if (--left === 0) {
      fs.readFile(__filename, 'utf8', (err, text) => {
        if (err) throw err;
        busy(1);
        console.log('read', text.length, 'bytes');
      });
    }
  }, 5 * i);
}
