// `npm run demo:lm`: a small character-level transformer learns a short public-domain text
// (the opening of Lewis Carroll's "Alice's Adventures in Wonderland", 1865, in
// examples/data), with a progress bar, then writes some text of its own. MLX's nn layers and
// optimizers; the training loop is docs/training.md's, written plainly (no tidy, no dispose
// of the model's arrays): memory stays flat, which the last line reports.
//   LM_STEPS=600 LM_BACKEND=wasm npm run demo:lm
import { readFileSync } from 'node:fs';
import * as mx from 'mlxjs';

const { nn, optimizers: optim } = mx;

const backend = await mx.init(process.env.LM_BACKEND ? { backend: process.env.LM_BACKEND } : {});
const steps = Number(process.env.LM_STEPS ?? 400);
const [context, batch, dims, heads, layers] = [32, 16, 64, 4, 2];

const text = readFileSync(new URL('./data/alice-chapter1.txt', import.meta.url), 'utf8').replace(/\s+/g, ' ');
const vocab = [...new Set(text)].sort();
const index = new Map(vocab.map((c, i) => [c, i]));
const tokens = Int32Array.from(text, (c) => index.get(c));

/** Token and position embeddings, a causal transformer encoder, a linear read-out. */
class CharLM extends nn.Module {
  constructor() {
    super();
    this.embed = new nn.Embedding(vocab.length, dims);
    this.positions = new nn.Embedding(context, dims);
    this.encoder = new nn.TransformerEncoder(layers, dims, heads, { mlpDims: 4 * dims, normFirst: true });
    this.out = new nn.Linear(dims, vocab.length);
  }

  forward(x) {
    const t = x.shape[1];
    const h = mx.add(this.embed.forward(x), this.positions.forward(mx.arange(t)));
    const mask = nn.MultiHeadAttention.createAdditiveCausalMask(t);
    return this.out.forward(this.encoder.forward(h, mask));
  }
}

/** `batch` random windows of the text: inputs and the same shifted by one character. */
function sampleBatch() {
  const xs = new Int32Array(batch * context);
  const ys = new Int32Array(batch * context);
  for (let b = 0; b < batch; b++) {
    const start = Math.floor(Math.random() * (tokens.length - context - 1));
    xs.set(tokens.subarray(start, start + context), b * context);
    ys.set(tokens.subarray(start + 1, start + context + 1), b * context);
  }
  return [mx.array(xs, [batch, context], mx.int32), mx.array(ys, [batch, context], mx.int32)];
}

mx.random.seed(0);
const model = new CharLM();
const opt = new optim.AdamW(3e-3, { weightDecay: 0.01 });
const lossFn = (m, x, y) => nn.losses.crossEntropy(m.forward(x), y, { reduction: 'mean' });
const lossAndGrad = nn.valueAndGrad(model, lossFn);
const params = mx.utils.treeFlatten(model.parameters()).reduce((n, [, p]) => n + p.size, 0);
console.log(`mlxjs char-lm: ${layers}-layer transformer (${params} parameters) on ${text.length} characters (${vocab.length} symbols), ${steps} steps, backend '${backend}'`);

const barWidth = 30;
const tty = process.stdout.isTTY;
const started = performance.now();
let first = NaN;
let loss = NaN;
let bytesAfterWarmup = 0;
for (let step = 1; step <= steps; step++) {
  const [x, y] = sampleBatch();
  const [l, grads] = lossAndGrad(model, x, y);
  opt.update(model, grads);
  mx.eval(model.parameters(), opt.state);
  loss = l.item();
  mx.dispose([x, y]); // this step's data
  if (step === 1) first = loss;
  if (step === 20) bytesAfterWarmup = mx.memory().activeBytes;
  const report = step === 1 || step % 50 === 0 || step === steps;
  if (tty || report) {
    const filled = Math.round((step / steps) * barWidth);
    const line = `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}] step ${String(step).padStart(4)}/${steps}  loss ${loss.toFixed(3)}`;
    if (tty) process.stdout.write(`\r${line}${report ? '\n' : ''}`);
    else console.log(line);
  }
}
const seconds = (performance.now() - started) / 1000;
console.log(`loss ${first.toFixed(3)} -> ${loss.toFixed(3)} in ${seconds.toFixed(1)} s`);

/** `n` characters after `prompt`, sampled at `temperature` from the model's predictions. */
function sample(prompt, n, temperature = 0.7) {
  model.eval();
  const out = [...prompt].map((c) => index.get(c) ?? 0);
  for (let i = 0; i < n; i++) {
    const next = mx.tidy(() => {
      const window = out.slice(-context);
      const logits = model.forward(mx.array(Int32Array.from(window), [1, window.length], mx.int32));
      const last = mx.reshape(mx.slice(logits, [0, window.length - 1, 0], [1, window.length, vocab.length]), [vocab.length]);
      return mx.random.categorical(mx.divide(last, temperature)).item();
    });
    out.push(next);
  }
  model.train();
  return out.map((t) => vocab[t]).join('');
}

console.log(`sample: ${sample('Alice was ', 200)}`);
const grown = mx.memory().activeBytes - bytesAfterWarmup;
console.log(`memory: active bytes after step 20 ${bytesAfterWarmup}, now ${mx.memory().activeBytes} (${grown >= 0 ? '+' : ''}${grown}: the last losses, not yet collected)`);
model.dispose();
opt.dispose();
if (!(loss < first * 0.6)) {
  console.error('char-lm: the model did not learn');
  process.exit(1);
}
