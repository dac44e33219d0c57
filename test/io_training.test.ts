// Checkpointing through files: a model's weights (saveWeights) and its optimizer's state
// (mx.saveSafetensors of treeFlatten(opt.state)) saved mid-training, loaded into a fresh
// model and optimizer, continue exactly as the uninterrupted run does.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { nodeModules } from './helpers/io-fixtures.js';

const { nn, optimizers: optim } = mx;

const makeModel = (): mx.nn.Sequential => {
  mx.random.seed(3);
  return new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 2));
};
const lossFn = (m: mx.nn.Sequential, x: mx.Array, y: mx.Array): mx.Array => mx.mean(mx.square(mx.subtract(m.forward(x) as mx.Array, y)));

function train(m: mx.nn.Sequential, o: mx.optimizers.Optimizer, x: mx.Array, y: mx.Array, steps: number): void {
  const vg = nn.valueAndGrad(m, lossFn);
  for (let i = 0; i < steps; i++) {
    const [loss, grads] = vg(m, x, y);
    loss.dispose();
    o.update(m, grads);
    mx.eval(m.parameters(), o.state);
  }
}

const flatValues = (m: mx.nn.Module): number[][] =>
  mx.tidy(() => mx.utils.treeFlatten<mx.Array>(m.parameters()).map(([, v]) => Array.from(v.reshape(-1).toTypedArray() as Float32Array)));

describeEachBackend('io: saving and resuming training', () => {
  for (const via of ['bytes', ...(nodeModules !== null ? ['files'] : [])] as const) {
    it(`model weights and Adam state through safetensors ${via}`, () => {
      const x = mx.array([[1, 2, 3], [-1, 0.5, 2], [0, -2, 1], [3, 1, -1]]);
      const y = mx.array([[1, 0], [0, 1], [1, 1], [-1, 0.5]]);
      const model = makeModel();
      const opt = new optim.Adam(0.05);
      train(model, opt, x, y, 3);

      // Save both, mid-run.
      let modelFile: string | Uint8Array;
      let optFile: string | Uint8Array;
      const dir = via === 'files' ? nodeModules!.fs.mkdtempSync(`${nodeModules!.tmpdir}/mlxjs-ckpt-`) : '';
      const optState = Object.fromEntries(mx.utils.treeFlatten<mx.Array>(opt.state));
      expect(Object.keys(optState)).toContain('step');
      if (via === 'files') {
        model.saveWeights(`${dir}/model.safetensors`);
        mx.saveSafetensors(`${dir}/optimizer`, optState);
        modelFile = `${dir}/model.safetensors`;
        optFile = `${dir}/optimizer.safetensors`;
      } else {
        modelFile = model.saveWeights(null);
        optFile = mx.saveSafetensors(null, optState);
      }

      // The uninterrupted run goes on.
      train(model, opt, x, y, 4);
      const uninterrupted = flatValues(model);

      // Fresh objects resumed from the files go on the same way.
      const model2 = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 2));
      model2.loadWeights(modelFile);
      const opt2 = new optim.Adam(0.9); // its learning rate comes back from the state
      const loaded = mx.load(optFile) as Record<string, mx.Array>;
      opt2.state = mx.utils.treeUnflatten(Object.entries(loaded));
      expect(opt2.step.dtype).toBe(mx.uint64);
      expect(opt2.step.item()).toBe(3);
      train(model2, opt2, x, y, 4);
      expect(flatValues(model2)).toEqual(uninterrupted);
      expect(opt2.step.item()).toBe(7);

      if (via === 'files') nodeModules!.fs.rmSync(dir, { recursive: true, force: true });
      for (const m of [model, model2]) m.dispose();
      for (const o of [opt, opt2]) o.dispose();
      mx.dispose([x, y]);
    });
  }

  it('saveWeights(null, "npz") and .npz paths load back', () => {
    const model = makeModel();
    const other = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 2));
    other.loadWeights(model.saveWeights(null, 'npz'));
    expect(flatValues(other)).toEqual(flatValues(model));
    expect(() => model.saveWeights(null, 'pt' as 'npz')).toThrow(/^\[Sequential\.saveWeights\] Unsupported format "pt"/);
    model.dispose();
    other.dispose();
  });
});
