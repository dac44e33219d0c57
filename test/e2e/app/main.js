// The app the bundler checks build (test/e2e/bundlers.test.ts): it imports mlxjs as a
// user would and prints a known result, in a page (into #out) or in Node (to stdout).
import * as mx from 'mlxjs';

let text;
try {
  const backend = await mx.init();
  const out = mx.tidy(() => mx.matmul(mx.array([[1, 2], [3, 4]]), mx.array([[5, 6], [7, 8]])).tolist());
  text = JSON.stringify({ backend, matmul: out });
} catch (e) {
  text = `ERROR ${e instanceof Error ? e.message : String(e)}`;
}
if (typeof document !== 'undefined') document.getElementById('out').textContent = text;
else console.log(text);
