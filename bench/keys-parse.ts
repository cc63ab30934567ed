// Measures the cost of the API-key format check that runs before any lookup on the gateway's hot path, against a
// baseline measured in the same run (a plain string comparison of the same length), and prints the ratio.
import { generateApiKey, parseApiKey } from '../keys/src/domain/key-format';

const ROUNDS = 1_000_000;
const { key } = generateApiKey('test');
const tampered = `${key.slice(0, 30)}${key[30] === 'a' ? 'b' : 'a'}${key.slice(31)}`;

function time(label: string, body: () => unknown): number {
  for (let i = 0; i < 10_000; i++) body(); // warm up
  const started = process.hrtime.bigint();
  for (let i = 0; i < ROUNDS; i++) body();
  const ns = Number(process.hrtime.bigint() - started) / ROUNDS;
  console.log(`${label.padEnd(34)} ${ns.toFixed(1).padStart(8)} ns/op`);
  return ns;
}

const copy = key.split('').join('');
const baseline = time('baseline: string equality', () => key === copy);
const valid = time('parseApiKey(valid key)', () => parseApiKey(key));
const bad = time('parseApiKey(bad checksum)', () => parseApiKey(tampered));
console.log(
  `ratio valid/baseline: ${(valid / baseline).toFixed(1)}x, bad/baseline: ${(bad / baseline).toFixed(1)}x`,
);
