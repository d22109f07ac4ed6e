// Exits 0 when this node's version satisfies the engines.node range that the pinned heroku CLI
// declares in tools/heroku-cli/package-lock.json, 1 when it does not, printing both either way.
// Only the comparators npm packages use for engines are understood (>=, >, <=, <, =, a bare
// version, x-ranges, ||); anything else counts as not satisfied, so a Node is provisioned.
'use strict';
const fs = require('fs');
const path = require('path');
const lock = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'heroku-cli', 'package-lock.json'), 'utf8'));
const range = ((lock.packages['node_modules/heroku'] || {}).engines || {}).node || '*';
const have = process.versions.node.split('.').map(Number);

function cmp(a, b) {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}
function comparator(c) {
  const m = /^(>=|<=|>|<|=)?v?(\d+|x|\*)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?$/.exec(c);
  if (!m) return false;
  const op = m[1] || '=';
  const parts = [m[2], m[3], m[4]];
  const wild = parts.findIndex((p) => p === undefined || p === 'x' || p === '*');
  const v = parts.map((p) => (p === undefined || p === 'x' || p === '*' ? 0 : Number(p)));
  if (op === '=' && wild >= 0) return wild === 0 || have.slice(0, wild).every((n, i) => n === v[i]);
  const c0 = cmp(have, v);
  return { '>=': c0 >= 0, '>': c0 > 0, '<=': c0 <= 0, '<': c0 < 0, '=': c0 === 0 }[op];
}
const ok = range.trim() === '*' || range.split('||').some((alt) =>
  alt.trim().replace(/(>=|<=|>|<|=)\s+/g, '$1').split(/\s+/).every(comparator));
console.log(`node ${process.versions.node} ${ok ? 'satisfies' : 'does not satisfy'} the heroku CLI's engines ${range}`);
process.exit(ok ? 0 : 1);
