// nn RNN / GRU / LSTM over [batch, time, features]: MLX's recurrences (checked by the
// generator against torch.nn.RNN/GRU/LSTM given initial states), with and without them.
import { expect, it } from 'vitest';
import * as mx from 'mlxjs';
import { describeEachBackend } from './helpers/backends.js';
import { checkLayer, type LayerCase } from './helpers/nn.js';
import nnFixture from './fixtures/nn.json';

const fx = nnFixture as unknown as Record<string, LayerCase>;
const { nn } = mx;

describeEachBackend('nn recurrent layers', () => {
  it('RNN matches with and without an initial hidden state, gradients included', () => {
    const r = new nn.RNN(3, 4);
    expect(r.Wxh.shape).toEqual([4, 3]);
    expect(r.Whh.shape).toEqual([4, 4]);
    expect(String(r)).toBe('RNN(input_dims=3, hidden_size=4, nonlinearity=tanh, bias=True)');
    checkLayer(r, fx.rnn!, (m, x, h) => m.forward(x!, h!) as mx.Array);
    checkLayer(r, fx.rnnNoHidden!, (m, x) => m.forward(x!) as mx.Array);
    mx.tidy(() => {
      // Unbatched [time, features] input gives [time, hidden].
      expect(r.forward(mx.zeros([5, 3])).shape).toEqual([5, 4]);
      expect(() => r.forward(mx.zeros([2, 5, 2]))).toThrow('[RNN] Expected input with last dimension 3, got 2.');
    });
    r.dispose();
    const relu = new nn.RNN(2, 2, { bias: false, nonlinearity: nn.relu });
    expect(Object.keys(relu.parameters())).toEqual(['Wxh', 'Whh']);
    mx.tidy(() => expect((mx.min(relu.forward(mx.random.normal([1, 4, 2]))).item() as number) >= 0).toBe(true));
    relu.dispose();
  });

  it('GRU matches PyTorch’s cell (bhn inside r *), and MLX’s first step without a hidden state', () => {
    const g = new nn.GRU(3, 4);
    expect(Object.keys(g.parameters())).toEqual(['Wx', 'Wh', 'b', 'bhn']);
    expect(String(g)).toBe('GRU(input_dims=3, hidden_size=4, bias=True)');
    checkLayer(g, fx.gru!, (m, x, h) => m.forward(x!, h!) as mx.Array);
    checkLayer(g, fx.gru!, (m, x, h) => m.forward(x!, { hidden: h! }) as mx.Array);
    checkLayer(g, fx.gruNoHidden!, (m, x) => m.forward(x!) as mx.Array);
    g.dispose();
  });

  it('LSTM returns hidden and cell states, matching PyTorch’s cell', () => {
    const l = new nn.LSTM(3, 4);
    expect(l.Wx.shape).toEqual([16, 3]);
    expect(String(l)).toBe('LSTM(input_dims=3, hidden_size=4, bias=True)');
    const both = (m: mx.nn.Module, ...xs: mx.Array[]): mx.Array => {
      const [h, c] = (m as mx.nn.LSTM).forward(xs[0]!, xs[1] ?? null, xs[2] ?? null);
      return mx.concatenate([h, c], -1);
    };
    checkLayer(l, fx.lstm!, both);
    const named = (m: mx.nn.Module, ...xs: mx.Array[]): mx.Array =>
      mx.concatenate((m as mx.nn.LSTM).forward(xs[0]!, { hidden: xs[1]!, cell: xs[2]! }), -1);
    checkLayer(l, fx.lstm!, named);
    checkLayer(l, fx.lstmNoHidden!, both);
    l.dispose();
  });
});
