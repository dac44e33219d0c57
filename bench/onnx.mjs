// Writes single-node ONNX models (a protobuf ModelProto) for onnxruntime-web, which only
// runs graphs. Just the fields these models need; field numbers from onnx.proto.

const bytes = (parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
const varint = (n) => {
  const out = [];
  let v = BigInt(n);
  if (v < 0n) v += 1n << 64n;
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return Uint8Array.from(out);
};
const int = (field, n) => bytes([varint(field << 3), varint(n)]);
const len = (field, payload) => bytes([varint((field << 3) | 2), varint(payload.length), payload]);
const str = (field, s) => len(field, new TextEncoder().encode(s));

const FLOAT = 1;
const UINT8 = 2;
export const INT64 = 7;
// ValueInfoProto { name = 1, type = 2 { tensor_type = 1 { elem_type = 1, shape = 2 { dim = 1 { dim_value = 1 } } } } }
const valueInfo = (name, shape, elemType = FLOAT) =>
  bytes([str(1, name), len(2, len(1, bytes([int(1, elemType), len(2, bytes(shape.map((d) => len(1, int(1, d)))))])))]);
// AttributeProto { name = 1, i = 3, ints = 8, type = 20 (INT = 2, INTS = 7) }
const intAttr = (name, value) =>
  Array.isArray(value)
    ? bytes([str(1, name), ...value.map((v) => int(8, v)), int(20, 7)])
    : bytes([str(1, name), int(3, value), int(20, 2)]);

/**
 * A model with one node: `op` on inputs [[name, shape, elemType = float], ...] producing
 * `output` of shape outShape, with integer (or integer list) attributes `attrs`. Opset 13.
 */
export function singleOpModel(op, inputs, outShape, attrs = {}) {
  // NodeProto { input = 1, output = 2, op_type = 4, attribute = 5 }
  const node = bytes([
    ...inputs.map(([n]) => str(1, n)),
    str(2, 'out'),
    str(4, op),
    ...Object.entries(attrs).map(([k, v]) => len(5, intAttr(k, v))),
  ]);
  // GraphProto { node = 1, name = 2, input = 11, output = 12 }
  const graph = bytes([
    len(1, node),
    str(2, op),
    ...inputs.map(([n, s, t]) => len(11, valueInfo(n, s, t))),
    len(12, valueInfo('out', outShape)),
  ]);
  // ModelProto { ir_version = 1, producer_name = 2, graph = 7, opset_import = 8 { version = 2 } }
  return bytes([int(1, 8), str(2, 'mlxjs-bench'), len(7, graph), len(8, int(2, 13))]);
}

// TensorProto { dims = 1, data_type = 2, name = 8, raw_data = 9 } (raw data little-endian).
const initializer = (name, shape, elemType, data) =>
  bytes([...shape.map((d) => int(1, d)), int(2, elemType), str(8, name),
    len(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength))]);

/**
 * A model computing out = a @ b with the weights as initializers (constants, so onnxruntime
 * may pre-pack them): `MatMulNBits` (com.microsoft domain; a [m, k], 4-bit codes bytes
 * [n, k / blockSize, blockSize / 2] low nibble first, scales [n * k / blockSize], packed
 * 4-bit zero points, w = scale * (q - zp)) when `q` is given, else `MatMul` with b float32
 * [k, n].
 */
export function matmulWeightsModel({ m, k, n, b, q }) {
  let node, inits;
  if (q) {
    const { blockSize, codes, scales, zeroPoints } = q;
    const blocks = k / blockSize;
    inits = [
      initializer('b', [n, blocks, blockSize / 2], UINT8, codes),
      initializer('scales', [n * blocks], FLOAT, scales),
      initializer('zp', [zeroPoints.length], UINT8, zeroPoints),
    ];
    node = bytes([str(1, 'a'), str(1, 'b'), str(1, 'scales'), str(1, 'zp'), str(2, 'out'), str(4, 'MatMulNBits'),
      ...Object.entries({ K: k, N: n, bits: 4, block_size: blockSize }).map(([a, v]) => len(5, intAttr(a, v))),
      str(7, 'com.microsoft')]);
  } else {
    inits = [initializer('b', [k, n], FLOAT, b)];
    node = bytes([str(1, 'a'), str(1, 'b'), str(2, 'out'), str(4, 'MatMul')]);
  }
  // GraphProto { node = 1, name = 2, initializer = 5, input = 11, output = 12 }
  const graph = bytes([len(1, node), str(2, 'matmul'), ...inits.map((t) => len(5, t)), len(11, valueInfo('a', [m, k])),
    len(12, valueInfo('out', [m, n]))]);
  // OperatorSetIdProto { domain = 1, version = 2 }: the default domain and com.microsoft.
  return bytes([int(1, 8), str(2, 'mlxjs-bench'), len(7, graph), len(8, int(2, 13)),
    len(8, bytes([str(1, 'com.microsoft'), int(2, 1)]))]);
}
