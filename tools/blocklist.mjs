// Build tool: turns the common-password list shipped in the npm package
// @zxcvbn-ts/language-common (MIT; the most frequent passwords seen in
// breaches) into the block-list tas embeds: lower-cased, de-duplicated,
// sorted by byte value, one per line, so src/core/pwpolicy.c can binary
// search it without loading anything.
//
//   node tools/blocklist.mjs SOURCE.json OUT.txt
import { readFileSync, writeFileSync } from 'node:fs';

const [src, out] = process.argv.slice(2);
if (!src || !out) {
  console.error('usage: node tools/blocklist.mjs SOURCE.json OUT.txt');
  process.exit(2);
}
const list = JSON.parse(readFileSync(src, 'utf8'));
if (!Array.isArray(list) || list.length < 1000) {
  console.error(`blocklist: ${src} is not the expected list of passwords`);
  process.exit(1);
}
const words = new Set();
for (const w of list) {
  if (typeof w !== 'string') continue;
  const folded = w.toLowerCase();
  // Lines hold one password each; skip anything that could break that.
  if (folded.length === 0 || /[\r\n\0]/.test(folded)) continue;
  words.add(folded);
}
const sorted = [...words].map((w) => Buffer.from(w, 'utf8')).sort(Buffer.compare);
writeFileSync(out, Buffer.concat(sorted.flatMap((b) => [b, Buffer.from('\n')])));
