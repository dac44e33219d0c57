/**
 * Encoders for the int32 parameters of core ops (mlxc_op): a list is its length followed by
 * its values; an optional list that was not given is -1.
 */

/** A list as op parameters: its length, then its values. */
export const listParam = (values: readonly number[]): number[] => [values.length, ...values];

/** An optional axis list: -1 when omitted (all axes / the op's default), else a list. */
export const axesParam = (axes: readonly number[] | null): number[] => (axes === null ? [-1] : listParam(axes));
