/** Sequential: calls its layers (modules or plain functions) in order. */
import type * as mx from '@mlxjs/core';
import { Module } from '../module.js';

export type Layer = Module | ((x: mx.Array) => mx.Array);

export class Sequential extends Module {
  declare layers: Layer[];

  constructor(...modules: Layer[]) {
    super();
    this.layers = modules;
  }

  override forward(x: mx.Array): mx.Array {
    let y = x;
    for (const m of this.layers) y = (m instanceof Module ? m.forward(y) : m(y)) as mx.Array;
    return y;
  }
}
