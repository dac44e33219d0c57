// nn.Module: MLX's Module API (parameters, children, update, freeze, train, setDtype,
// loadWeights, repr, state) and nn.valueAndGrad, with MLX's documented behaviours.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { pathsOf } from './helpers/nn.js';

const { nn } = mx;

class Block extends nn.Module {
  declare attn: mx.nn.Linear;
  declare norm: mx.nn.PReLU;
  constructor() {
    super();
    this.attn = new nn.Linear(2, 2);
    this.norm = new nn.PReLU(2);
  }
  override forward(x: mx.Array): mx.Array {
    return this.norm.forward(this.attn.forward(x));
  }
}

class Net extends nn.Module {
  layers = [new Block(), new Block()];
  head: mx.nn.Linear;
  _private = mx.zeros([1]);
  scale = 2;
  constructor() {
    super();
    this.head = new nn.Linear(2, 1, { bias: false });
  }
  override forward(x: mx.Array): mx.Array {
    let y = x;
    for (const b of this.layers) y = b.forward(y);
    return this.head.forward(y);
  }
  override dispose(): void {
    super.dispose();
    this._private.dispose();
  }
}

const paths = (t: unknown): string[] => pathsOf(t).map(([p]) => p);

describeEachBackend('nn.Module', () => {
  it('parameters, trainableParameters, children, leafModules, modules, namedModules', () => {
    const net = new Net();
    expect(paths(net.parameters())).toEqual([
      'layers.0.attn.weight', 'layers.0.attn.bias', 'layers.0.norm.weight',
      'layers.1.attn.weight', 'layers.1.attn.bias', 'layers.1.norm.weight', 'head.weight',
    ]);
    const ch = net.children();
    expect(Object.keys(ch)).toEqual(['layers', 'head']);
    expect((ch.layers as unknown[])[0]).toBe(net.layers[0]);
    expect(ch.head).toBe(net.head);
    const leaves = net.leafModules() as { layers: { attn: unknown }[]; head: unknown };
    expect(leaves.layers[1]!.attn).toBe(net.layers[1]!.attn);
    expect(leaves.head).toBe(net.head);
    // MLX's order: depth first from the last child.
    expect(net.namedModules().map(([p]) => p)).toEqual([
      '', 'head', 'layers.1', 'layers.1.norm', 'layers.1.attn', 'layers.0', 'layers.0.norm', 'layers.0.attn',
    ]);
    expect(net.modules().length).toBe(8);
    expect(net.modules()[0]).toBe(net);
    net.dispose();
  });

  it('freeze / unfreeze select trainable parameters; train / eval set training everywhere', () => {
    const net = new Net();
    net.freeze();
    expect(paths(net.trainableParameters())).toEqual([]);
    expect(paths(net.parameters()).length).toBe(7);
    net.unfreeze();
    net.layers[0]!.freeze({ keys: 'bias', recurse: true });
    expect(paths(net.trainableParameters())).not.toContain('layers.0.attn.bias');
    expect(paths(net.trainableParameters())).toContain('layers.1.attn.bias');
    net.head.freeze({ keys: ['weight'], recurse: false });
    expect(paths(net.trainableParameters())).not.toContain('head.weight');
    net.head.unfreeze({ keys: 'weight' });
    expect(paths(net.trainableParameters())).toContain('head.weight');
    expect(() => net.head.freeze({ keys: 'nope', strict: true })).toThrow("Module doesn't contain member nope.");
    expect(net.training).toBe(true);
    net.eval();
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.layers[1]!.norm.training).toBe(true);
    net.dispose();
  });

  it('update replaces arrays (strict errors as MLX), updateModules swaps modules, apply maps', () => {
    const net = new Net();
    mx.tidy(() => {
      net.update({ head: { weight: mx.array([[3, 4]]) } });
      expect(net.head.weight.tolist()).toEqual([[3, 4]]);
      expect(() => net.update({ nope: mx.zeros([1]) })).toThrow('Module does not have parameter named "nope".');
      expect(() => net.update({ head: { weight: 3 } })).toThrow('Received invalid type: number.');
      net.update({ nope: mx.zeros([1]) }, false);
      expect(net.keys()).not.toContain('nope');
      const fresh = new nn.Linear(2, 1, { bias: false });
      const old = net.head;
      net.updateModules({ head: fresh });
      expect(net.head).toBe(fresh);
      old.dispose();
      expect(() => net.updateModules({ ghost: fresh })).toThrow('Module does not have sub-module named "ghost".');
      net.apply((x) => mx.multiply(x, 0));
      expect(pathsOf(net.parameters()).every(([, v]) => (mx.sum(mx.abs(v)).item() as number) === 0)).toBe(true);
      const seen: string[] = [];
      net.applyToModules((p) => seen.push(p));
      expect(seen.length).toBe(8);
    });
    net.dispose();
  });

  it('setDtype casts floating parameters (all with null); loadWeights / saveWeights pairs', () => {
    const net = new Net();
    mx.tidy(() => {
      net.setDtype(mx.float16);
      expect(pathsOf(net.parameters()).every(([, v]) => v.dtype === mx.float16)).toBe(true);
      net.set('count', mx.array([1], mx.int32));
      net.setDtype(mx.float32);
      expect((net.get('count') as mx.Array).dtype).toBe(mx.int32);
      net.setDtype(mx.float32, null);
      expect((net.get('count') as mx.Array).dtype).toBe(mx.float32);
      net.set('count', undefined);
      const pairs = net.saveWeights();
      expect(pairs.map(([p]) => p)).toEqual(paths(net.parameters()));
      const other = new Net();
      other.loadWeights(pairs.map(([p, v]) => [p, mx.add(v, 1)] as const));
      expect(other.head.weight.tolist()).toEqual(mx.add(net.head.weight, 1).tolist());
      expect(() => other.loadWeights([['head.weight', mx.zeros([1, 2])]])).toThrow('Missing parameters: layers.0.attn.weight');
      expect(() => other.loadWeights([...pairs, ['extra', mx.zeros([1])]])).toThrow('Received parameters not in model: extra.');
      expect(() => other.loadWeights(pairs.map(([p, v]) => [p, p === 'head.weight' ? mx.zeros([2, 2]) : v] as const))).toThrow(
        'Expected shape [1, 2] but received shape [2, 2] for parameter head.weight.',
      );
      other.loadWeights([['head.weight', mx.array([[7, 8]])]], false);
      expect(other.head.weight.tolist()).toEqual([[7, 8]]);
      // Files: safetensors and npz bytes by saveWeights, read back by loadWeights.
      const third = new Net();
      third.loadWeights(other.saveWeights(null));
      expect(third.head.weight.tolist()).toEqual([[7, 8]]);
      third.loadWeights(mx.savez(null, Object.fromEntries(net.saveWeights())));
      expect(third.head.weight.tolist()).toEqual(net.head.weight.tolist());
      expect(() => third.loadWeights(mx.save(null, net.head.weight))).toThrow(/^\[Net\.loadWeights\] The file holds a single array/);
      expect(() => third.loadWeights(mx.saveSafetensors(null, { 'head.weight': net.head.weight }))).toThrow('[Net.loadWeights] Missing parameters');
      expect(() => third.saveWeights('model.pt')).toThrow("[Net.saveWeights] Unsupported file extension for model.pt. Use '.npz' or '.safetensors'.");
      third.dispose();
      other.dispose();
    });
    net.dispose();
  });

  it('prints as MLX’s repr, nested modules indented', () => {
    const net = new Net();
    expect(String(net)).toBe([
      'Net(',
      '  (layers.0): Block(',
      '    (attn): Linear(input_dims=2, output_dims=2, bias=True)',
      '    (norm): PReLU()',
      '  )',
      '  (layers.1): Block(',
      '    (attn): Linear(input_dims=2, output_dims=2, bias=True)',
      '    (norm): PReLU()',
      '  )',
      '  (head): Linear(input_dims=2, output_dims=1, bias=False)',
      ')',
    ].join('\n'));
    net.dispose();
  });

  it('state is a live tree of every array; writing through it writes the module', () => {
    const net = new Net();
    const s = net.state;
    expect(Object.keys(s)).toEqual(['layers', 'head', 'scale']);
    // Seven arrays, and the number `scale` as a leaf too.
    expect(mx.utils.treeFlatten(s).map(([p]) => p)).toContain('scale');
    expect(mx.utils.treeFlatten(s).filter(([, v]) => v instanceof mx.Array).length).toBe(7);
    mx.eval(s);
    // Trees see a module as its state.
    expect(mx.utils.treeFlatten(net)).toEqual(mx.utils.treeFlatten(s));
    mx.eval(net);
    const double = (a: unknown): unknown => (a instanceof mx.Array ? mx.multiply(a, 2) : a);
    const doubled = mx.tidy(() => mx.utils.treeMap(double, net) as { head: { weight: mx.Array } });
    expect(doubled.head.weight.shape).toEqual([1, 2]);
    mx.dispose(doubled);
    s.hello = 'world';
    expect(net.get('hello')).toBe('world');
    net.dispose();
  });

  it('nn.valueAndGrad differentiates trainable parameters only and restores the model', () => {
    const net = new Net();
    mx.tidy(() => {
      net.layers[0]!.freeze();
      const x = mx.array([[0.5, -1], [2, 0.25]]);
      const before = net.head.weight;
      const lossFn = (m: Net, inp: mx.Array): mx.Array => mx.sum(mx.square(m.forward(inp)));
      const [loss, grads] = nn.valueAndGrad(net, lossFn)(net, x);
      expect(net.head.weight).toBe(before);
      expect(paths(grads)).toEqual(paths(net.trainableParameters()));
      expect((loss as mx.Array).item()).toBeCloseTo(lossFn(net, x).item() as number, 5);
      // Check d loss / d head.weight by finite differences.
      const g = pathsOf(grads).find(([p]) => p === 'head.weight')![1].tolist() as number[][];
      const h = 1e-2;
      const w = net.head.weight.tolist() as number[][];
      const at = (dw: number): number => {
        const m2 = new Net();
        m2.loadWeights(net.saveWeights());
        m2.update({ head: { weight: mx.array([[w[0]![0]! + dw, w[0]![1]!]]) } });
        const v = lossFn(m2, x).item() as number;
        m2.dispose();
        return v;
      };
      expect(g[0]![0]!).toBeCloseTo((at(h) - at(-h)) / (2 * h), 2);
    });
    net.dispose();
  });

  it('class fields and constructor assignments are members; _names are private', () => {
    const net = new Net();
    expect(net.keys()).toEqual(['layers', 'head', 'scale']);
    expect(Object.keys(net.parameters())).toEqual(['layers', 'head']);
    net.dispose();
  });
});
