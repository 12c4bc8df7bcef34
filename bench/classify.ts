/**
 * Offline classifier (hard rules + trained intent model + lexicon) throughput on one core.
 *
 *   node dist/bench/classify.js [--seconds 2]
 *
 * Generates realistic support e-mails deterministically (seeded), measures the first call (the model file is
 * decoded then), warms up, then classifies in a bounded loop for about `--seconds` seconds and reports messages/s,
 * latency percentiles and heap/RSS (and what the decoded model adds to the heap). Ends with one JSON line.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OFFLINE_MODEL_VERSION, classifyOffline } from '../libs/domain';
import { numberArg } from './lib/args';
import { REPO_ROOT } from './lib/datasets';

/** Target of the offline classifier on one core. */
const TARGET_MSGS_PER_SEC = 5_000;

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GREETINGS = ['Hi,', 'Hello there,', 'Dear support team,', 'Hey,', 'Good morning,', ''];
const BODIES = [
  'I ordered a pair of running shoes on the 3rd and the tracking page has not updated for five days. Could you tell me where my order #{ORDER} is?',
  'My package was supposed to arrive last week and it is still not here. This is the second time I am writing about order {ORDER}.',
  'I would like to return the blue jacket from order #{ORDER}; it is too small. What is your return policy?',
  'Please cancel order {ORDER}, I placed it by mistake and no longer need it.',
  'I was charged twice for the same order ({AMOUNT}). Can you look into this?',
  'The mug arrived broken, the box was crushed. Photos attached. Order #{ORDER}.',
  'You sent me the wrong size. I ordered a medium and received an XL.',
  "I didn't place this order and I don't recognise the charge of {AMOUNT} on my card. Someone must have used my account.",
  'If I do not get my money back this week I will contact my lawyer and file a chargeback with my bank.',
  'Your checkout page does not work with my screen reader, I cannot complete the purchase.',
  'Can I talk to a real person please? The chatbot keeps sending me in circles.',
  'Does the oak desk come in a darker colour, and what is the warranty?',
  'I forgot my password and the reset e-mail never arrives. My email is {EMAIL}.',
  'Can I change the delivery address on order #{ORDER}? I am moving next week.',
  'Where can I leave feedback about the delivery driver? He was very helpful.',
];
const CLOSINGS = [
  'Thanks,\nSam',
  'Best regards,\nAlex Kim',
  'Cheers',
  'Thank you in advance!',
  'Kind regards,\nM. Rossi\nSent from my phone',
];
const QUOTE =
  '\n\nOn Mon, 3 Mar 2025 at 10:12, Shop Support <support@shop.example> wrote:\n> Thanks for contacting us. Your ticket number is 48213.\n> We will get back to you shortly.\n';

function makeEmails(n: number): { subject: string; text: string }[] {
  const r = rng(42);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const out: { subject: string; text: string }[] = [];
  for (let i = 0; i < n; i++) {
    const parts = [pick(GREETINGS), '', pick(BODIES)];
    if (r() < 0.4) parts.push(pick(BODIES));
    parts.push('', pick(CLOSINGS));
    let text = parts
      .join('\n')
      .replace(/\{ORDER\}/g, () =>
        r() < 0.5 ? String(1000 + Math.floor(r() * 9000)) : `SL-${10000 + Math.floor(r() * 90000)}`,
      )
      .replace(/\{AMOUNT\}/g, () => `$${(5 + r() * 300).toFixed(2)}`)
      .replace(/\{EMAIL\}/g, 'sam.customer@example.com');
    if (r() < 0.3) text += QUOTE;
    if (r() < 0.15) text = `<html><body><p>${text.replace(/\n/g, '<br>')}</p></body></html>`;
    out.push({ subject: r() < 0.7 ? `Re: ${text.slice(0, 30).replace(/<[^>]*>/g, '')}` : '', text });
  }
  return out;
}

function main(): void {
  const seconds = numberArg('seconds', 2);
  const emails = makeEmails(2_000);
  const avgChars = emails.reduce((a, e) => a + e.text.length, 0) / emails.length;
  const modelFile = path.join(REPO_ROOT, 'libs', 'domain', 'src', 'triage', 'model', 'intent-model.json');
  const modelBytes = fs.existsSync(modelFile) ? fs.statSync(modelFile).size : NaN;
  const cold0 = process.memoryUsage().heapUsed;
  const tc = process.hrtime.bigint();
  classifyOffline(emails[0]); // decodes the model
  const firstCallMs = Number(process.hrtime.bigint() - tc) / 1e6;
  const modelHeapMiB = (process.memoryUsage().heapUsed - cold0) / 2 ** 20;
  for (let i = 0; i < 1_000; i++) classifyOffline(emails[i % emails.length]); // warm-up
  const before = process.memoryUsage();
  const lat: number[] = [];
  const deadline = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  const start = process.hrtime.bigint();
  let n = 0;
  let sink = 0;
  while (n < 5_000_000) {
    const t = process.hrtime.bigint();
    const c = classifyOffline(emails[n % emails.length]);
    const end = process.hrtime.bigint();
    sink += c.intents.length;
    if (lat.length < 200_000) lat.push(Number(end - t) / 1e6);
    n++;
    if (end >= deadline) break;
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  // huge-input check: a 1 MB message must be bounded by the scoring cap
  const huge = 'where is my order '.repeat(60_000);
  const th = process.hrtime.bigint();
  classifyOffline({ text: huge });
  const hugeMs = Number(process.hrtime.bigint() - th) / 1e6;
  const after = process.memoryUsage();
  lat.sort((a, b) => a - b);
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
  const msgsPerSec = n / elapsed;
  console.log(`# offline classifier throughput (one core, ${process.version}, model ${OFFLINE_MODEL_VERSION})`);
  console.log(
    `model file: ${(modelBytes / 2 ** 20).toFixed(2)} MiB; first call (decodes it) ${firstCallMs.toFixed(1)} ms, heap +${modelHeapMiB.toFixed(1)} MiB`,
  );
  console.log(`messages: ${n} in ${elapsed.toFixed(2)} s, average ${avgChars.toFixed(0)} chars`);
  console.log(`throughput: ${msgsPerSec.toFixed(0)} msg/s (target >= ${TARGET_MSGS_PER_SEC})`);
  console.log(`latency ms: p50 ${q(0.5).toFixed(3)}  p99 ${q(0.99).toFixed(3)}  max ${lat[lat.length - 1].toFixed(3)}`);
  console.log(`1 MB message: ${hugeMs.toFixed(1)} ms`);
  console.log(
    `heap used: ${(after.heapUsed / 2 ** 20).toFixed(1)} MiB (delta ${((after.heapUsed - before.heapUsed) / 2 ** 20).toFixed(1)}), rss ${(after.rss / 2 ** 20).toFixed(1)} MiB`,
  );
  console.log(
    JSON.stringify({
      bench: 'classify',
      model: OFFLINE_MODEL_VERSION,
      modelFileMiB: Math.round((modelBytes / 2 ** 20) * 100) / 100,
      firstCallMs: Math.round(firstCallMs * 10) / 10,
      modelHeapMiB: Math.round(modelHeapMiB * 10) / 10,
      messages: n,
      seconds: Math.round(elapsed * 100) / 100,
      avgChars: Math.round(avgChars),
      msgsPerSec: Math.round(msgsPerSec),
      p50Ms: Math.round(q(0.5) * 1000) / 1000,
      p99Ms: Math.round(q(0.99) * 1000) / 1000,
      hugeMessageMs: Math.round(hugeMs * 10) / 10,
      heapUsedMiB: Math.round((after.heapUsed / 2 ** 20) * 10) / 10,
      rssMiB: Math.round((after.rss / 2 ** 20) * 10) / 10,
      targetMet: msgsPerSec >= TARGET_MSGS_PER_SEC,
      checksum: sink,
    }),
  );
}

main();
