// Writes N distinct CII invoices derived from a corpus invoice (EN16931_Einfach) for the desktop
// benchmark: each has its own number, one of 50 sellers and an issue date spread over two years, so
// the list has realistic variety. Amounts stay those of the original (their arithmetic is right).
//   node bench/desktop/gen-invoices.mjs CORPUS_DIR OUT_DIR N
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [corpus, out, nArg] = process.argv.slice(2);
const n = Number(nArg);
if (!corpus || !out || !Number.isInteger(n) || n < 1) {
  console.error('usage: gen-invoices.mjs CORPUS_DIR OUT_DIR N');
  process.exit(2);
}
const src = readFileSync(path.join(corpus, 'zugferd-corpus/XML-Rechnung/CII/EN16931_Einfach.cii.xml'), 'utf8');
const must = (s, what) => {
  if (!src.includes(s)) throw new Error(`the corpus invoice no longer contains ${what}`);
  return s;
};
const id = must('<ram:ID>471102</ram:ID>', 'its number');
const seller = must('<ram:Name>Lieferant GmbH</ram:Name>', 'its seller');
const issued = must('<udt:DateTimeString format="102">20180305</udt:DateTimeString>', 'its issue date');

mkdirSync(out, { recursive: true });
const day = 24 * 3600 * 1000;
const start = Date.UTC(2025, 0, 1);
for (let i = 0; i < n; i++) {
  const d = new Date(start + (i % 700) * day).toISOString().slice(0, 10).replace(/-/g, '');
  const xml = src
    .replace(id, `<ram:ID>BENCH-${String(i).padStart(6, '0')}</ram:ID>`)
    .replace(seller, `<ram:Name>Lieferant ${String(i % 50).padStart(2, '0')} GmbH</ram:Name>`)
    .replace(issued, `<udt:DateTimeString format="102">${d}</udt:DateTimeString>`);
  writeFileSync(path.join(out, `inv-${String(i).padStart(6, '0')}.xml`), xml);
}
